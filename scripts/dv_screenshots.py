"""Take the screenshots of the README and the Apps page from the demo.

Run through ``scripts/screenshots``, which makes or updates the demo database
and serves it (or, with DV_URL, takes them from a server already running).

Logs in as the demo users (password musterstadt-demo) through Odoo's
JSON-RPC, hands the session cookie to headless Chromium and takes each picture
over the DevTools protocol (python package websocket-client) at 1366x768, the
smallest common office screen. Two of the pictures are copied to
static/description/ for the Apps page. Pillow turns them into small palette
PNGs.

Every picture fails when a section of the app's top menu does not fit and
hides behind the navbar's "more" button, or when an error dialog is open.

Environment: DV_URL (default http://localhost:8069, or the port in
DV_HTTP_PORT), DV_DB (dv_demo), DV_CHROMIUM (chromium), DV_SHOTS (names of
the pictures to take, comma-separated; default all), DV_ADMIN_PASSWORD
(admin; the administrator looks up the demo records' ids).
"""

import base64
import http.cookiejar
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import websocket

try:
    from PIL import Image
except ImportError:  # the pictures stay full-size PNGs
    Image = None

REPO = Path(__file__).resolve().parent.parent
OUT_DIR = REPO / "docs" / "screenshots"
APPS_DIR = REPO / "static" / "description"
# The smallest common office screen; the menu of every role must fit it.
WIDTH, HEIGHT = 1366, 768
MODULE = "dv_case_management"
# The password of every demo user but admin (demo/dv_agency_demo.xml).
DEMO_PASSWORD = "musterstadt-demo"

# Hidden in every picture: chat windows and pop-up notifications.
HIDE_CSS = (
    ".o-mail-ChatWindowContainer, .o-mail-ChatHub, .o_notification_manager "
    "{ display: none !important; }"
)

# name: who, what to open (an action of the addon, optionally with a view
# type, a record by its XML id, or a dialog over another action; or "app", the
# app as a click on its icon opens it), what to wait for, what to click before
# the picture (a notebook tab, say) and what to wait for then; a form may be
# taller than the screen (size). The order is the README's.
SHOTS = {
    # The app as it opens for each role: its menu and its overview.
    "home_caseworker": {
        "login": "dv_caseworker",
        "app": "dv_root_menu",
        "wait": ".o_kanban_view .o_kanban_record",
    },
    "home_coordinator": {
        "login": "dv_coordinator",
        "app": "dv_root_menu",
        "wait": ".o_kanban_view .o_kanban_record",
    },
    "home_network": {
        "login": "dv_network",
        "app": "dv_root_menu",
        "wait": ".o_kanban_view .o_kanban_record",
    },
    "home_statistics": {
        "login": "dv_statistics",
        "app": "dv_root_menu",
        "wait": ".o_action_manager .o_view_controller",
    },
    # Intake.
    "referrals": {
        "login": "dv_caseworker",
        "action": "dv_referral_inbound_action",
        "wait": ".o_list_view .o_data_row",
    },
    "referral": {
        "login": "dv_caseworker",
        "action": "dv_referral_inbound_action",
        "record": "referral_sonnenberg_demo",
        "size": (WIDTH, 900),
        "wait": [
            ".o_form_view .o_form_sheet .o_field_one2many .o_data_row",
            ".o_form_statusbar button[name='action_call_reached']",
        ],
    },
    # Cases.
    "cases": {
        "login": "dv_caseworker",
        "action": "dv_case_action",
        "view_type": "list",
        "wait": ".o_list_view .o_data_row",
    },
    "case": {
        "login": "dv_caseworker",
        "action": "dv_case_action",
        "record": "case_progress_demo",
        "size": (WIDTH, 1000),
        "wait": ".o_form_view .o_form_sheet",
        "click": ".o_notebook .nav-link[name='risk']",
        "then_wait": ".o_notebook .tab-pane.active .o_field_one2many .o_data_row",
    },
    "risk_assessment": {
        "login": "dv_caseworker",
        "action": "dv_risk_assessment_action",
        "record": "assessment_progress_demo",
        "wait": ".o_form_view .o_form_sheet .o_field_one2many .o_data_row",
    },
    "deadlines": {
        "login": "dv_caseworker",
        "action": "dv_deadline_action",
        "view_type": "list",
        "wait": ".o_list_view .o_data_row",
    },
    # Conferences.
    "conference": {
        "login": "dv_coordinator",
        "action": "dv_conference_action",
        "record": "conference_next_demo",
        "size": (WIDTH, 900),
        "wait": ".o_form_view .o_form_sheet",
        "click": ".o_notebook .nav-link[name='agenda']",
        "then_wait": ".o_notebook .tab-pane.active .o_field_one2many .o_data_row",
    },
    # Protection planning.
    "safety_plan": {
        "login": "dv_caseworker",
        "action": "dv_safety_plan_action",
        "record": "plan_wendler_demo",
        "wait": ".o_form_view .o_form_sheet .o_field_one2many .o_data_row",
    },
    "perpetrator_measures": {
        "login": "dv_caseworker",
        "action": "dv_perpetrator_measure_action",
        "view_type": "list",
        "wait": ".o_list_view .o_data_row",
    },
    # The partner agency's inbox.
    "shares": {
        "login": "dv_network",
        "action": "dv_share_received_action",
        "wait": ".o_list_view .o_data_row",
    },
    # Statistics and data protection.
    "statistics": {
        "login": "dv_statistics",
        "action": "dv_agency_action",
        "wait": ".o_kanban_view .o_kanban_record",
        "dialog": "dv_statistics_wizard_action",
        "then_wait": ".modal .o_form_view",
    },
    "signin_log": {
        "login": "dv_dpo",
        "action": "dv_signin_log_action",
        "wait": ".o_list_view .o_data_row",
    },
}
# Copied to static/description/ for the Apps page (index.html).
APPS_PAGE = {"case": "screenshot_case.png", "referrals": "screenshot_referrals.png"}


def base_url():
    if os.environ.get("DV_URL"):
        return os.environ["DV_URL"].rstrip("/")
    return f"http://localhost:{os.environ.get('DV_HTTP_PORT', '8069')}"


class Odoo:
    """A JSON-RPC session of one user."""

    def __init__(self, url, db, login, password=None):
        self.url = url
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies)
        )
        self._post(
            "/web/session/authenticate",
            {"db": db, "login": login, "password": password or DEMO_PASSWORD},
        )

    def _post(self, path, params):
        body = json.dumps({"jsonrpc": "2.0", "method": "call", "params": params})
        request = urllib.request.Request(
            self.url + path,
            data=body.encode(),
            headers={"Content-Type": "application/json"},
        )
        with self.opener.open(request, timeout=60) as response:
            reply = json.load(response)
        if reply.get("error"):
            message = reply["error"].get("data", {}).get("message") or reply["error"]
            raise RuntimeError(f"{path}: {message}")
        return reply["result"]

    def call(self, model, method, *args, **kwargs):
        return self._post(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def xmlid(self, name, model=None):
        domain = [("module", "=", MODULE), ("name", "=", name)]
        if model:
            domain.append(("model", "=", model))
        rows = self.call("ir.model.data", "search_read", domain, fields=["res_id"])
        if not rows:
            raise RuntimeError(f"No record {MODULE}.{name}: is the demo data loaded?")
        return rows[0]["res_id"]

    @property
    def session_id(self):
        return next(c.value for c in self.cookies if c.name == "session_id")


class Browser:
    """Headless Chromium driven over the DevTools protocol."""

    def __init__(self):
        binary = os.environ.get("DV_CHROMIUM") or shutil.which("chromium")
        if not binary:
            sys.exit("Chromium is not installed (apt-get install chromium).")
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        self.profile = tempfile.mkdtemp(prefix="dv-screenshots-")
        self.process = subprocess.Popen(
            [
                binary,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--no-first-run",
                "--no-default-browser-check",
                "--lang=de-DE",
                f"--window-size={WIDTH},{HEIGHT}",
                f"--remote-debugging-port={port}",
                "--remote-allow-origins=*",
                f"--user-data-dir={self.profile}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.ws = websocket.create_connection(self._page_socket(port), timeout=60)
        self.next_id = 0
        self.send("Page.enable")
        self.send("Network.enable")
        self.resize(WIDTH, HEIGHT)

    def resize(self, width, height):
        self.send(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )

    def _page_socket(self, port):
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/json/list", timeout=2
                ) as response:
                    pages = [t for t in json.load(response) if t["type"] == "page"]
                if pages:
                    return pages[0]["webSocketDebuggerUrl"]
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError("Chromium did not start.")

    def send(self, method, **params):
        self.next_id += 1
        self.ws.send(
            json.dumps({"id": self.next_id, "method": method, "params": params})
        )
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression):
        result = self.send(
            "Runtime.evaluate",
            expression=expression,
            returnByValue=True,
            awaitPromise=True,
        )
        return result.get("result", {}).get("value")

    def login(self, url, session_id):
        self.send("Network.clearBrowserCookies")
        self.send("Network.setCookie", name="session_id", value=session_id, url=url)

    def open(self, url):
        self.send("Page.navigate", url=url)

    def wait_for(self, selectors, timeout=60):
        """Wait until each selector (one or a list) matches an element."""
        if isinstance(selectors, str):
            selectors = [selectors]
        deadline = time.time() + timeout
        for selector in selectors:
            check = f"!!document.querySelector({json.dumps(selector)})"
            while not self.evaluate(check):
                if time.time() > deadline:
                    raise RuntimeError(f"{selector} did not appear")
                time.sleep(0.3)

    def settle(self):
        """Hide chat windows and notifications, let the view finish drawing."""
        self.evaluate(
            "(() => { const s = document.createElement('style');"
            f" s.textContent = {json.dumps(HIDE_CSS)};"
            " document.head.appendChild(s); })()"
        )
        time.sleep(1.5)

    def check_errors(self):
        """Fail on an error dialog or a view that could not be drawn."""
        error = self.evaluate(
            "(() => { const e = document.querySelector("
            "'.o_error_dialog, .o_dialog_error, .o_view_nocontent');"
            " return e ? e.textContent.trim().slice(0, 300) : ''; })()"
        )
        if error:
            raise RuntimeError(f"An error or an empty view: {error}")

    def menu_sections(self):
        """The app's top menu sections shown in the navbar; fails when one of
        them does not fit and went into the navbar's "more" button."""
        state = self.evaluate(
            "(() => {"
            " const visible = (el) => !!el && el.offsetParent !== null"
            " && !el.classList.contains('d-none');"
            " const menu = document.querySelector('.o_main_navbar .o_menu_sections');"
            " const more = menu.querySelector('.o_menu_sections_more');"
            " const sections = [...menu.querySelectorAll("
            "':scope > *:not(.o_menu_sections_more)')];"
            " const right = menu.getBoundingClientRect().right;"
            " return {"
            "  more: visible(more),"
            "  shown: sections.filter(visible).map((s) => s.textContent.trim()),"
            "  hidden: sections.filter((s) => !visible(s)"
            "   || s.getBoundingClientRect().right > right + 1)"
            "   .map((s) => s.textContent.trim()),"
            "  width: window.innerWidth,"
            " }; })()"
        )
        if state["more"] or state["hidden"]:
            raise RuntimeError(
                f"The menu does not fit {state['width']} px: "
                f"{', '.join(state['hidden']) or 'some sections'} hide behind "
                f"the navbar's more button (shown: {', '.join(state['shown'])})."
            )
        return state["shown"]

    def screenshot(self, path):
        data = self.send("Page.captureScreenshot", format="png")["data"]
        path.write_bytes(base64.b64decode(data))

    def close(self):
        try:
            self.ws.close()
        finally:
            self.process.terminate()
            self.process.wait(timeout=30)
            shutil.rmtree(self.profile, ignore_errors=True)


def shrink(path):
    """A palette PNG of the same picture: a fraction of the size."""
    if Image is None:
        return
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(
            colors=256, method=Image.Quantize.MEDIANCUT
        )
    small.save(path, optimize=True)


def main():
    url = base_url()
    db = os.environ.get("DV_DB", "dv_demo")
    wanted = [s for s in os.environ.get("DV_SHOTS", "").split(",") if s] or list(SHOTS)
    unknown = set(wanted) - set(SHOTS)
    if unknown:
        sys.exit(f"Unknown screenshots: {', '.join(sorted(unknown))}")
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    # Record ids by their XML ids, which only an administrator may read.
    admin = Odoo(url, db, "admin", os.environ.get("DV_ADMIN_PASSWORD", "admin"))
    sessions = {}
    browser = Browser()
    try:
        for name in wanted:
            shot = SHOTS[name]
            login = shot["login"]
            if login not in sessions:
                sessions[login] = Odoo(url, db, login)
            browser.login(url, sessions[login].session_id)
            browser.resize(*shot.get("size", (WIDTH, HEIGHT)))
            if shot.get("app"):
                path = f"/odoo?menu_id={admin.xmlid(shot['app'], 'ir.ui.menu')}"
            else:
                path = f"/odoo/action-{MODULE}.{shot['action']}"
            if shot.get("record"):
                path += f"/{admin.xmlid(shot['record'])}"
            elif shot.get("view_type"):
                path += f"?view_type={shot['view_type']}"
            browser.open(url + path)
            browser.wait_for(shot["wait"])
            if shot.get("dialog"):
                dialog = json.dumps(f"{MODULE}.{shot['dialog']}")
                browser.evaluate(
                    f"odoo.__WOWL_DEBUG__.root.env.services.action.doAction({dialog})"
                )
            if shot.get("click"):
                browser.wait_for(shot["click"])
                browser.evaluate(
                    f"document.querySelector({json.dumps(shot['click'])}).click()"
                )
            if shot.get("then_wait"):
                browser.wait_for(shot["then_wait"])
            browser.settle()
            browser.check_errors()
            sections = browser.menu_sections()
            target = OUT_DIR / f"{name}.png"
            browser.screenshot(target)
            shrink(target)
            print(f"{target.relative_to(REPO)}  ({target.stat().st_size // 1024} kB)")
            print(f"    {login}: {' | '.join(sections)}")
            if name in APPS_PAGE:
                shutil.copyfile(target, APPS_DIR / APPS_PAGE[name])
    finally:
        browser.close()


if __name__ == "__main__":
    main()
