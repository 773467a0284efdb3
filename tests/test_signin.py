"""Strong sign-in for the users whose role reads personal data (network
partners and above, the data protection officer): two-factor sign-in after a
grace period, sessions that end when idle, a stricter password length, and a
sign-in log for the data protection officer. Users of the rest of Odoo are
not affected."""

import base64
import json
import time
from datetime import timedelta

from odoo import Command, fields, http
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, freeze_time, new_test_user, tagged
from odoo.tests.common import HOST, TEST_CURSOR_COOKIE_NAME, Opener, get_db_name

from odoo.addons.auth_totp.models.totp import TIMESTEP, hotp

from ..models.res_users import DEMO_SWITCH, PARAM, SESSION_ACTIVITY
from .common import GROUP, DvCommon

SIGNIN_REQUIRED = "odoo.addons.dv_case_management.models.res_users.SignInRequired"
# A TOTP secret as an authenticator app holds it (base32).
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def totp_code(secret=SECRET, offset=0):
    """The code an authenticator app shows now (as Odoo's own TOTP tests make
    it, from the secret)."""
    key = base64.b32decode(secret)
    return f"{hotp(key, int(time.time() / TIMESTEP) + offset):06d}"


class SigninCommon(DvCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("de_DE")
        cls.dpo = new_test_user(
            cls.env,
            login="dv_test_signin_dpo",
            groups=GROUP % "dpo",
            company_id=cls.company_a.id,
            company_ids=[Command.set(cls.company_a.ids)],
        )
        cls.caseworker.lang = "de_DE"
        cls.case = cls._create_case()

    def _past_grace(self, *users):
        """Move the users' grace period into the past."""
        users = self.env["res.users"].union(*users)
        users.write({"dv_signin_since": fields.Datetime.now() - timedelta(days=8)})

    def _set_totp(self, user, secret=SECRET):
        user.sudo().totp_secret = secret
        self.env.flush_all()


@tagged("post_install", "-at_install")
class TestSigninRules(SigninCommon):
    def test_roles_that_read_personal_data_are_asked(self):
        asked = (
            self.network,
            self.caseworker,
            self.coordinator,
            self.manager,
            self.dpo,
        )
        for user in asked:
            with self.subTest(login=user.login):
                self.assertTrue(user._dv_signin_required())
                self.assertTrue(user.dv_signin_since)
                self.assertEqual(user.dv_signin_state, "grace")
        for user in (self.statistics, self.employee):
            with self.subTest(login=user.login):
                self.assertFalse(user._dv_signin_required())
                self.assertFalse(user.dv_signin_since)
                self.assertEqual(user.dv_signin_state, "not_required")
                self.assertIsNone(user._dv_signin_status()["refused"])

    def test_grace_period_starts_when_the_role_is_given(self):
        with freeze_time("2026-03-02 10:00:00"):
            self.employee.groups_id = [Command.link(self.env.ref(GROUP % "network").id)]
            self.env.flush_all()
            self.assertEqual(
                self.employee.dv_signin_since,
                fields.Datetime.to_datetime("2026-03-02 10:00:00"),
            )
        with freeze_time("2026-03-05 10:00:00"):
            # Another role later keeps the date.
            self.employee.groups_id = [
                Command.link(self.env.ref(GROUP % "caseworker").id)
            ]
            self.env.flush_all()
            self.assertEqual(
                self.employee.dv_signin_since,
                fields.Datetime.to_datetime("2026-03-02 10:00:00"),
            )
            self.assertEqual(
                self.employee.dv_signin_deadline,
                fields.Datetime.to_datetime("2026-03-09 10:00:00"),
            )
        with freeze_time("2026-03-09 10:00:01"):
            self.employee.invalidate_recordset()
            self.assertEqual(self.employee.dv_signin_state, "blocked")
            self.assertEqual(self.employee._dv_signin_status()["refused"], "missing")
            # Without the roles the user is not asked, and a role given again
            # starts a new grace period.
            self.employee.groups_id = [
                Command.unlink(self.env.ref(GROUP % "network").id),
                Command.unlink(self.env.ref(GROUP % "caseworker").id),
            ]
            self.env.flush_all()
            self.employee.invalidate_recordset()
            self.assertFalse(self.employee.dv_signin_since)
            self.assertEqual(self.employee.dv_signin_state, "not_required")
            self.env.ref(GROUP % "dpo").users = [Command.link(self.employee.id)]
            self.env.flush_all()
            self.employee.invalidate_recordset()
            self.assertEqual(self.employee.dv_signin_state, "grace")

    def test_second_factor_or_demo_switch(self):
        self._past_grace(self.caseworker)
        self.assertEqual(self.caseworker.dv_signin_state, "blocked")
        self._set_totp(self.caseworker)
        self.caseworker.invalidate_recordset()
        self.assertEqual(self.caseworker.dv_signin_state, "set_up")
        self.assertIsNone(self.caseworker._dv_signin_status()["refused"])

        # A passkey is a second factor, when the session signed in with it.
        self._past_grace(self.network)
        self.env["auth.passkey.key"].with_user(self.network).sudo().create(
            {
                "name": "Laptop",
                "credential_identifier": "test-credential",
                "public_key": "test-key",
            }
        )
        self.network.invalidate_recordset()
        self.assertEqual(self.network.dv_signin_state, "set_up")
        status = self.network._dv_signin_status({"dv_signin_method": "password"})
        self.assertEqual(status["refused"], "password_session")
        status = self.network._dv_signin_status({"dv_signin_method": "passkey"})
        self.assertIsNone(status["refused"])

        self._past_grace(self.coordinator)
        self.assertEqual(self.coordinator._dv_signin_status()["refused"], "missing")
        self.env["ir.config_parameter"].set_param(DEMO_SWITCH, "True")
        self.assertIsNone(self.coordinator._dv_signin_status()["refused"])

    def test_refused_only_in_the_users_own_requests(self):
        """Outside a request (jobs, the shell, these tests) nobody is
        refused, and code reading for another user is not either."""
        self._past_grace(self.caseworker)
        self.assertTrue(self.case.with_user(self.caseworker).read(["name"]))
        self.assertIsNone(
            self.env["res.users"].with_user(self.caseworker)._dv_signin_refusal()
        )

    def test_password_length_for_these_roles(self):
        ICP = self.env["ir.config_parameter"]
        ICP.set_param("auth_password_policy.minlength", 8)
        # The default (tests/common.py lowers it for the other tests).
        ICP.set_param(PARAM % "password_minlength", False)
        self.assertEqual(
            self.env["res.users"]
            .with_user(self.caseworker)
            .get_password_policy()["minlength"],
            12,
        )
        self.assertEqual(
            self.env["res.users"]
            .with_user(self.employee)
            .get_password_policy()["minlength"],
            8,
        )
        with self.assertRaises(UserError):
            self.caseworker.password = "elf-zeichen"
        with self.assertRaises(UserError):
            self.dpo.password = "elf-zeichen"
        self.caseworker.password = "zwoelf-Zeichen"
        # Odoo's own minimum for everybody else.
        self.employee.password = "elf-zeichen"
        with self.assertRaises(UserError):
            self.employee.password = "sieben"
        # A user made with a role and a short password is refused too.
        with self.assertRaises(UserError):
            new_test_user(
                self.env,
                login="dv_short",
                password="kurz-kurz",
                groups=GROUP % "caseworker",
            )

    def test_settings_only_for_managers(self):
        Settings = self.env["dv.signin.settings"]
        for user in (self.coordinator, self.dpo, self.caseworker):
            with self.subTest(login=user.login), self.assertRaises(AccessError):
                Settings.with_user(user).create({}).action_apply()
        settings = Settings.with_user(self.manager).create(
            {
                "grace_days": 3,
                "idle_minutes": 15,
                "password_minlength": 14,
                "failure_threshold": 5,
            }
        )
        settings.action_apply()
        Users = self.env["res.users"]
        self.assertEqual(
            [Users._dv_signin_param(key) for key in ("grace_days", "idle_minutes")],
            [3, 15],
        )
        self.assertEqual(Users._dv_signin_param("password_minlength"), 14)
        self.assertEqual(Users._dv_signin_param("failure_threshold"), 5)
        # The protection can be tuned, never switched off.
        for values in (
            {"idle_minutes": 0},
            {"grace_days": 365},
            {"password_minlength": 4},
            {"failure_threshold": 1},
        ):
            with self.subTest(values=values), self.assertRaises(ValidationError):
                Settings.with_user(self.manager).create(values)

    def test_demo_switch_shown_and_switched_off_by_managers(self):
        ICP = self.env["ir.config_parameter"]
        ICP.set_param(DEMO_SWITCH, "True")
        settings = self.env["dv.signin.settings"].with_user(self.manager).create({})
        self.assertTrue(settings.demo_without_2fa)
        settings.action_demo_switch_off()
        self.assertFalse(ICP.get_param(DEMO_SWITCH))
        self.assertFalse(self.env["res.users"]._dv_signin_demo())

    def test_signin_log_is_append_only_for_dpo_and_managers(self):
        entry = self.env["dv.signin.log"]._record(
            self.caseworker, "password", "failure"
        )
        for user in (self.dpo, self.manager):
            with self.subTest(login=user.login):
                self.assertEqual(
                    self.env["dv.signin.log"].with_user(user).search([]).ids[:1],
                    entry.ids,
                )
                with self.assertRaises(UserError):
                    entry.with_user(user).write({"result": "success"})
                with self.assertRaises(UserError):
                    entry.with_user(user).unlink()
        for user in (self.caseworker, self.coordinator, self.statistics):
            with self.subTest(login=user.login), self.assertRaises(AccessError):
                self.env["dv.signin.log"].with_user(user).search([])
        # Another company's data protection officer does not see it.
        dpo_b = new_test_user(
            self.env,
            login="dv_test_signin_dpo_b",
            groups=GROUP % "dpo",
            company_id=self.company_b.id,
            company_ids=[Command.set(self.company_b.ids)],
        )
        self.assertFalse(self.env["dv.signin.log"].with_user(dpo_b).search([]))

    def test_repeated_failures_are_flagged(self):
        Log = self.env["dv.signin.log"]
        with freeze_time("2026-04-01 08:00:00"):
            first = Log._record(self.caseworker, "password", "failure")
        with freeze_time("2026-04-01 10:00:00"):
            entries = [
                Log._record(self.caseworker, "password", "failure") for _i in range(3)
            ]
        self.assertEqual((first.failure_count, first.repeated), (1, False))
        # Counted within an hour: the failure two hours earlier is not.
        self.assertEqual([e.failure_count for e in entries], [1, 2, 3])
        self.assertEqual([e.repeated for e in entries], [False, False, True])

    def test_signin_log_retention(self):
        Log = self.env["dv.signin.log"]
        with freeze_time("2025-01-05 08:00:00"):
            old = Log._record(self.caseworker, "password", "success")
        with freeze_time("2026-01-10 08:00:00"):
            recent = Log._record(self.caseworker, "password", "success")
            self.env["dv.retention"]._expire_signin_log()
        self.assertFalse(old.exists())
        self.assertTrue(recent.exists())


@tagged("post_install", "-at_install")
class TestSigninHttp(HttpCase, SigninCommon):
    """Through the web client's routes, as the users themselves."""

    def setUp(self):
        super().setUp()
        failures = getattr(self.registry, "_login_failures", None)
        if failures is not None:
            self.addCleanup(failures.clear)

    def _rpc(self, route, params):
        response = self.url_open(
            route,
            data=json.dumps(
                {"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}
            ),
            headers={"Content-Type": "application/json"},
        )
        response.raise_for_status()
        return response.json()

    def _call_kw(self, model, method, args, kwargs=None):
        return self._rpc(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def _read_cases(self):
        return self._call_kw(
            "dv.case",
            "web_search_read",
            [],
            {"domain": [], "specification": {"name": {}}},
        )

    def _login(self, login, password, cookies=None):
        """Sign in through the login form in a new browser session (its
        cookie bound to the host, as Odoo's own login tests do, so that the
        server's new session after the sign-in replaces it); returns the
        page it leads to."""
        self.session = http.root.session_store.new()
        self.session.update(http.get_default_session(), db=get_db_name())
        http.root.session_store.save(self.session)
        self.opener = Opener(self.env.cr)
        self.opener.cookies.set("session_id", self.session.sid, domain=HOST, path="/")
        self.opener.cookies[TEST_CURSOR_COOKIE_NAME] = self.http_request_key
        for name, value in (cookies or {}).items():
            self.opener.cookies.set(name, value, domain=HOST, path="/")
        return self.url_open(
            "/web/login",
            data={
                "login": login,
                "password": password,
                "csrf_token": http.Request.csrf_token(self),
            },
        )

    def _session(self):
        """The session the server sees (the host's cookie before the one
        the test set)."""
        cookies = {
            c.domain: c.value for c in self.opener.cookies if c.name == "session_id"
        }
        sid = (
            cookies.get(HOST)
            or cookies.get(f"{HOST}.local")
            or next(iter(cookies.values()))
        )
        return http.root.session_store.get(sid)

    def _log(self, user):
        return self.env["dv.signin.log"].search([("user_id", "=", user.id)], order="id")

    def test_caseworker_without_second_factor_after_grace_is_refused(self):
        self._past_grace(self.caseworker)
        self.authenticate(self.caseworker.login, self.caseworker.login)

        for answer in (
            self._read_cases(),
            self._call_kw("dv.case", "read", [self.case.ids, ["name"]]),
            self._call_kw("dv.person", "search_count", [[]]),
            self._call_kw("dv.agency", "name_search", [], {"name": "Test"}),
            self._rpc(
                "/web/dataset/call_button",
                {
                    "model": "dv.case",
                    "method": "action_open_access_log",
                    "args": [self.case.ids],
                    "kwargs": {},
                },
            ),
        ):
            error = answer["error"]["data"]
            self.assertEqual(error["name"], SIGNIN_REQUIRED)
            self.assertIn("Zwei-Faktor", error["message"])
            self.assertIn("Kontosicherheit", error["message"])
        # The rest of Odoo, and the way to set up two-factor sign-in, stay open.
        self.assertIn("result", self._call_kw("res.partner", "search_count", [[]]))
        action = self._call_kw("res.users", "action_get", [])["result"]
        self.assertEqual(action["res_model"], "res.users")
        answer = self._call_kw(
            "res.users", "read", [self.caseworker.ids, ["totp_enabled"]]
        )
        self.assertFalse(answer["result"][0]["totp_enabled"])
        # The web client tells her on every page.
        for _page in range(2):
            info = self._rpc("/web/session/get_session_info", {})["result"]
            self.assertEqual(info["dv_signin"]["type"], "danger")

    def test_messages_of_cases_refused_too(self):
        """Odoo lets the author and the recipients of a message read it
        without asking for the record: not to her while she is refused."""
        canary = "Kanarienvogel im Chatter des Falls"
        self.case.message_post(
            body=canary,
            partner_ids=self.caseworker.partner_id.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.case.with_user(self.caseworker).message_post(
            body=f"{canary} (ihre eigene Notiz)",
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        self._past_grace(self.caseworker)
        self.authenticate(self.caseworker.login, self.caseworker.login)
        partner = self.caseworker.partner_id.id
        for domain in (
            [("model", "=", "dv.case"), ("author_id", "=", partner)],
            [("model", "=", "dv.case"), ("partner_ids", "in", [partner])],
        ):
            answer = self._call_kw(
                "mail.message", "search_read", [domain, ["body", "model"]]
            )
            self.assertNotIn(canary, json.dumps(answer))
        answer = self._call_kw(
            "mail.message", "message_format", [self.case.message_ids.ids]
        )
        self.assertNotIn(canary, json.dumps(answer))
        answer = self._rpc("/mail/inbox/messages", {})
        self.assertNotIn(canary, json.dumps(answer))
        answer = self._rpc(
            "/mail/thread/messages",
            {"thread_model": "dv.case", "thread_id": self.case.id},
        )
        self.assertNotIn(canary, json.dumps(answer))
        # Messages of the rest of Odoo stay open.
        self.assertIn(
            "result",
            self._call_kw(
                "mail.message", "search_read", [[("model", "=", "res.partner")], ["id"]]
            ),
        )

    def test_activities_of_cases_refused_too(self):
        """Nor are the to-dos on the addon's records assigned to her."""
        canary = "Kanarienvogel in der Aufgabe des Falls"
        self.case.activity_schedule(
            "mail.mail_activity_data_todo",
            summary="Rückruf",
            note=canary,
            user_id=self.caseworker.id,
        )
        self._past_grace(self.caseworker)
        self.authenticate(self.caseworker.login, self.caseworker.login)
        answer = self._call_kw(
            "mail.activity",
            "search_read",
            [[("user_id", "=", self.caseworker.id)], ["note", "res_name", "summary"]],
        )
        self.assertNotIn(canary, json.dumps(answer))
        self.assertNotIn(self.case.name, json.dumps(answer))

    def test_web_client_shows_the_way_to_set_it_up(self):
        self._past_grace(self.caseworker)
        self.caseworker.tz = "Europe/Berlin"
        self.start_tour(
            "/odoo", "dv_signin_tour", login=self.caseworker.login, timeout=300
        )

    def test_with_authenticator_app_she_works(self):
        self._past_grace(self.caseworker)
        self._set_totp(self.caseworker)

        response = self._login(self.caseworker.login, self.caseworker.login)
        self.assertEqual(response.request.path_url.split("?")[0], "/web/login/totp")
        self.assertIn("error", self._read_cases(), "no session before the code")
        # A wrong code, then the right one.
        response = self.url_open(
            "/web/login/totp",
            data={
                "totp_token": totp_code(offset=100),
                "csrf_token": http.Request.csrf_token(self),
            },
        )
        self.assertEqual(response.request.path_url.split("?")[0], "/web/login/totp")
        response = self.url_open(
            "/web/login/totp",
            data={
                "totp_token": totp_code(),
                "csrf_token": http.Request.csrf_token(self),
            },
        )
        self.assertEqual(response.request.path_url, "/odoo")

        answer = self._read_cases()
        self.assertEqual(
            [row["name"] for row in answer["result"]["records"]], [self.case.name]
        )
        info = self._rpc("/web/session/get_session_info", {})["result"]
        self.assertNotIn("dv_signin", info)
        self.assertEqual(
            [(e.method, e.result) for e in self._log(self.caseworker)],
            [("password", "pending"), ("totp", "failure"), ("totp", "success")],
        )

    def test_trusted_device_signin_is_recorded(self):
        self._set_totp(self.caseworker)
        key = (
            self.env["auth_totp.device"]
            .with_user(self.caseworker)
            .sudo()
            ._generate("browser", "Test", fields.Datetime.now() + timedelta(days=1))
        )
        response = self._login(
            self.caseworker.login, self.caseworker.login, cookies={"td_id": key}
        )
        self.assertEqual(response.request.path_url, "/odoo")
        self.assertEqual(
            [(e.method, e.result) for e in self._log(self.caseworker)],
            [("password", "pending"), ("device", "success")],
        )

    def test_passkey_user_signed_in_with_password_is_refused(self):
        self._past_grace(self.caseworker)
        self.env["auth.passkey.key"].with_user(self.caseworker).sudo().create(
            {
                "name": "Laptop",
                "credential_identifier": "test-credential",
                "public_key": "test-key",
            }
        )
        self._login(self.caseworker.login, self.caseworker.login)
        error = self._read_cases()["error"]["data"]
        self.assertEqual(error["name"], SIGNIN_REQUIRED)
        self.assertIn("Passkey", error["message"])
        # Signed in with the passkey, she works.
        session = self._session()
        session["dv_signin_method"] = "passkey"
        http.root.session_store.save(session)
        self.assertIn("result", self._read_cases())

    def test_grace_period_is_told_once_a_session(self):
        self.authenticate(self.caseworker.login, self.caseworker.login)
        self.assertIn("result", self._read_cases())
        info = self._rpc("/web/session/get_session_info", {})["result"]
        self.assertEqual(info["dv_signin"]["type"], "warning")
        self.assertIn("Zwei-Faktor", info["dv_signin"]["message"])
        info = self._rpc("/web/session/get_session_info", {})["result"]
        self.assertNotIn("dv_signin", info)
        # Signing in again tells her again, on the page the sign-in leads to.
        response = self._login(self.caseworker.login, self.caseworker.login)
        self.assertEqual(response.request.path_url, "/odoo")
        self.assertIn('"dv_signin"', response.text)
        info = self._rpc("/web/session/get_session_info", {})["result"]
        self.assertNotIn("dv_signin", info)

    def test_user_without_a_role_here_is_not_asked(self):
        self.employee.dv_signin_since = fields.Datetime.now() - timedelta(days=400)
        response = self._login(self.employee.login, self.employee.login)
        self.assertEqual(response.request.path_url, "/odoo")
        info = self._rpc("/web/session/get_session_info", {})["result"]
        self.assertNotIn("dv_signin", info)
        self.assertIn("result", self._call_kw("res.partner", "search_count", [[]]))
        self.assertFalse(self._log(self.employee))
        # Nor do her sessions end after the idle time of these roles.
        session = self._session()
        session[SESSION_ACTIVITY] = time.time() - 3 * 3600
        http.root.session_store.save(session)
        self.assertIn("result", self._call_kw("res.partner", "search_count", [[]]))

    def test_idle_session_expires(self):
        self.env["ir.config_parameter"].set_param(PARAM % "idle_minutes", 30)
        self.authenticate(self.caseworker.login, self.caseworker.login)
        self.assertIn("result", self._read_cases())
        session = self._session()
        self.assertAlmostEqual(session[SESSION_ACTIVITY], time.time(), delta=60)

        # 29 minutes idle: still open, and active again.
        session[SESSION_ACTIVITY] = time.time() - 29 * 60
        http.root.session_store.save(session)
        self.assertIn("result", self._read_cases())
        self.assertAlmostEqual(self._session()[SESSION_ACTIVITY], time.time(), delta=60)

        # 31 minutes idle: the request is not served, the session is over.
        session = self._session()
        session[SESSION_ACTIVITY] = time.time() - 31 * 60
        http.root.session_store.save(session)
        answer = self._read_cases()
        self.assertEqual(answer["error"]["code"], 100, "Odoo Session Expired")
        self.assertIsNone(self._session().uid)
        self.assertEqual(self._read_cases()["error"]["code"], 100)
        response = self.url_open("/odoo", allow_redirects=False)
        self.assertIn("/web/login", response.headers.get("Location", ""))

    def test_failed_signins_are_recorded_and_flagged(self):
        self.env["ir.config_parameter"].set_param(PARAM % "failure_threshold", 3)
        for _attempt in range(3):
            self._login(self.caseworker.login, "Falsches-Passwort-1")
        # Unknown logins and users without a role here are not recorded.
        self._login("nobody-here", "Falsches-Passwort-1")
        self._login(self.employee.login, "Falsches-Passwort-1")
        self._login(self.caseworker.login, self.caseworker.login)

        entries = self._log(self.caseworker)
        self.assertEqual(
            [(e.method, e.result, e.repeated) for e in entries],
            [
                ("password", "failure", False),
                ("password", "failure", False),
                ("password", "failure", True),
                ("password", "success", False),
            ],
        )
        self.assertEqual(set(entries.mapped("login")), {self.caseworker.login})
        self.assertTrue(all(entries.mapped("ip_address")))
        self.assertFalse(self._log(self.employee))
        self.assertFalse(
            self.env["dv.signin.log"].search([("login", "=", "nobody-here")])
        )
        # Nothing typed is kept.
        logged = json.dumps(entries.read([]), default=str)
        self.assertNotIn("Falsches-Passwort", logged)

    def test_external_api_after_grace_needs_second_factor(self):
        def execute(user, password):
            return self._rpc(
                "/jsonrpc",
                {
                    "service": "object",
                    "method": "execute_kw",
                    "args": [
                        self.env.cr.dbname,
                        user.id,
                        password,
                        "res.partner",
                        "search_count",
                        [[]],
                    ],
                },
            )

        self.assertIn("result", execute(self.caseworker, self.caseworker.login))
        self._past_grace(self.caseworker)
        answer = execute(self.caseworker, self.caseworker.login)
        self.assertIn("Zwei-Faktor", answer["error"]["data"]["message"])
        # Without a role here, nothing changes.
        self.assertIn("result", execute(self.employee, self.employee.login))
        # A wrong password is recorded.
        execute(self.caseworker, "Falsches-Passwort-2")
        self.assertEqual(
            [(e.method, e.result) for e in self._log(self.caseworker)][-1:],
            [("rpc", "failure")],
        )
        # With a passkey: an API key, not the password.
        self.env["auth.passkey.key"].with_user(self.caseworker).sudo().create(
            {
                "name": "Laptop",
                "credential_identifier": "test-credential",
                "public_key": "test-key",
            }
        )
        api_key = (
            self.env["res.users.apikeys"]
            .with_user(self.caseworker)
            .sudo()
            ._generate(None, "Script", fields.Datetime.now() + timedelta(days=1))
        )
        answer = execute(self.caseworker, self.caseworker.login)
        self.assertIn("Passkey", answer["error"]["data"]["message"])
        self.assertIn("result", execute(self.caseworker, api_key))
