"""Install the addon from the Apps menu of a fresh database, in the browser.

Run through ``scripts/apps-install``, which makes the database (Odoo's base
only) and serves it. As the administrator, headless Chromium opens *Apps*,
searches the addon, clicks *Activate* and waits until
the addon and its dependencies are installed (asked over JSON-RPC), then
opens the web client again. Exits non-zero on any failure.

    python3 scripts/dv_apps_install.py URL DATABASE
"""

import ast
import importlib.machinery
import importlib.util
import json
import sys
import time
from pathlib import Path


def load_screenshots():
    """The JSON-RPC and Chromium helpers of scripts/dv_screenshots.py."""
    path = Path(__file__).with_name("dv_screenshots.py")
    loader = importlib.machinery.SourceFileLoader("dv_screenshots", str(path))
    spec = importlib.util.spec_from_loader("dv_screenshots", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def click(browser, selector):
    if not browser.evaluate(
        f"(() => {{ const e = document.querySelector({json.dumps(selector)});"
        " if (!e) return false; e.click(); return true; })()"
    ):
        raise RuntimeError(f"nothing to click at {selector}")


def main(url, database):
    shots = load_screenshots()
    admin = shots.Odoo(url, database, "admin", "admin")
    browser = shots.Browser()
    started = time.monotonic()
    try:
        browser.login(url, admin.session_id)
        browser.open(f"{url}/odoo/apps")
        browser.wait_for(".o_kanban_view .o_kanban_record")
        # The card of the addon, by the name in its manifest.
        manifest = Path(__file__).resolve().parent.parent / "__manifest__.py"
        name = ast.literal_eval(manifest.read_text())["name"]
        browser.wait_for(".o_kanban_record button[name='button_immediate_install']")
        cards = browser.evaluate(
            "(() => { const cards = [...document.querySelectorAll("
            "'.o_kanban_record:not(.o_kanban_ghost)')].filter("
            f"card => card.textContent.includes({json.dumps(name)}));"
            " cards.forEach((card, index) => card.dataset.dvCard = index);"
            " return cards.length; })()"
        )
        if cards != 1:
            raise RuntimeError(f"{cards} apps named {name!r} instead of one")
        click(browser, "[data-dv-card='0'] button[name='button_immediate_install']")
        # Odoo installs the addon and its dependencies, then reloads the
        # web client.
        deadline = time.monotonic() + 900
        state = "uninstalled"
        while True:
            try:
                state = admin.call(
                    "ir.module.module",
                    "search_read",
                    [("name", "=", "dv_case_management")],
                    fields=["state"],
                )[0]["state"]
            except (RuntimeError, OSError):
                # The server answers late or not at all while it loads the
                # new modules.
                pass
            if state == "installed":
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"the addon is still {state}")
            time.sleep(3)
        browser.open(f"{url}/odoo/apps")
        browser.wait_for(".o_main_navbar")
        browser.wait_for(".o_kanban_view .o_kanban_record")
        expected = [
            "dv_case_management",
            "report_xlsx",
            "mail",
            "calendar",
            "auth_totp",
            "auth_passkey",
            "auth_password_policy",
        ]
        installed = admin.call(
            "ir.module.module",
            "search_read",
            [("name", "in", expected)],
            fields=["name", "state"],
        )
        states = {module["name"]: module["state"] for module in installed}
        if set(states.values()) != {"installed"} or len(states) != len(expected):
            raise RuntimeError(f"modules not installed: {states}")
    finally:
        browser.close()
    print(
        "installed from the Apps menu in the browser in "
        f"{time.monotonic() - started:.0f} s: {', '.join(sorted(states))}"
    )


if __name__ == "__main__":
    main(*sys.argv[1:3])
