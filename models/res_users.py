import time
from datetime import timedelta

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import AccessDenied, AccessError, UserError
from odoo.http import request
from odoo.tools.misc import format_date

# Settings of the strong sign-in (system parameters, set by managers under
# Configuration -> Sign-in Settings, see wizards/dv_signin_settings.py).
PARAM = "dv_case_management.signin_%s"
DEFAULTS = {
    "grace_days": 7,
    "idle_minutes": 30,
    "password_minlength": 12,
    "failure_threshold": 3,
}
# Set by the demo data only: the demo works without two-factor sign-in.
DEMO_SWITCH = "dv_case_management.signin_demo_without_2fa"
# Roles that read personal data: they sign in with a second factor.
STRONG_SIGNIN_GROUPS = (
    "dv_case_management.group_dv_network,dv_case_management.group_dv_dpo"
)
# The session key holding how the session was signed in (Odoo's auth_method:
# password, passkey, ...).
SESSION_METHOD = "dv_signin_method"
# The session key holding the time of the user's last request (ir_http.py).
SESSION_ACTIVITY = "dv_last_activity"


class SignInRequired(AccessError):
    """The user's role asks for two-factor sign-in, which she has not set
    up (or this session did not use). The web client shows it with a button
    to the user's account security (static/src/signin/)."""


class ResUsers(models.Model):
    _inherit = "res.users"

    dv_agency_member_ids = fields.One2many(
        "dv.agency.member", "user_id", string="Agency Memberships"
    )
    dv_agency_ids = fields.Many2many(
        "dv.agency",
        "dv_agency_res_users_rel",
        "user_id",
        "agency_id",
        string="Agencies",
        compute="_compute_dv_agency_ids",
        store=True,
        compute_sudo=True,
        help="Active agencies the user is a member of. Every access to cases "
        "goes through these agencies.",
    )
    dv_signin_since = fields.Datetime(
        string="Two-factor Sign-in Asked Since",
        compute="_compute_dv_signin_since",
        store=True,
        compute_sudo=True,
        groups="base.group_system,dv_case_management.group_dv_manager",
        help="When the user was given a role of the domestic violence case "
        "management that reads personal data; the grace period for setting up "
        "two-factor sign-in starts then.",
    )
    dv_signin_state = fields.Selection(
        [
            ("not_required", "Not Required"),
            ("set_up", "Set Up"),
            ("grace", "Grace Period"),
            ("blocked", "Missing"),
        ],
        string="Two-factor Sign-in",
        compute="_compute_dv_signin_state",
        groups="base.group_system,dv_case_management.group_dv_manager",
    )
    dv_signin_deadline = fields.Datetime(
        string="Two-factor Sign-in Due",
        compute="_compute_dv_signin_state",
        groups="base.group_system,dv_case_management.group_dv_manager",
    )

    @api.depends("dv_agency_member_ids.agency_id.active")
    def _compute_dv_agency_ids(self):
        for user in self:
            user.dv_agency_ids = user.dv_agency_member_ids.agency_id.filtered("active")

    @api.depends("groups_id", "share")
    def _compute_dv_signin_since(self):
        now = fields.Datetime.now()
        for user in self:
            if not user._dv_signin_required():
                user.dv_signin_since = False
            elif not user.dv_signin_since:
                # A role given now (or a user made now): the grace period
                # starts; a user who keeps her role keeps her date.
                user.dv_signin_since = now

    def _compute_dv_signin_state(self):
        for user in self:
            status = user.sudo()._dv_signin_status()
            user.dv_signin_deadline = status["deadline"]
            if not status["required"]:
                user.dv_signin_state = "not_required"
            elif status["second_factor"]:
                user.dv_signin_state = "set_up"
            else:
                user.dv_signin_state = "blocked" if status["late"] else "grace"

    def write(self, vals):
        result = super().write(vals)
        roles = ("active", "groups_id", "in_group_", "sel_groups_")
        if any(key.startswith(roles) for key in vals):
            # A user deactivated or losing a role reads nothing more through
            # a replica that has not replayed it (dv.replica).
            self.env["dv.replica"]._dv_access_withdrawn()
        return result

    def _dv_set_lang_if_active(self, lang):
        """Give users a language only when it is installed (used by the demo
        data, which must load in databases without German too)."""
        if self.env["res.lang"]._lang_get(lang):
            self.write({"lang": lang})

    # Strong sign-in

    @api.model
    def _dv_signin_param(self, key):
        ICP = self.env["ir.config_parameter"].sudo()
        try:
            return int(ICP.get_param(PARAM % key, DEFAULTS[key]))
        except ValueError:
            return DEFAULTS[key]

    @api.model
    def _dv_signin_demo(self):
        """Whether the demo switch is on (the demo data sets it; a production
        database never has it)."""
        value = self.env["ir.config_parameter"].sudo().get_param(DEMO_SWITCH)
        return value in ("1", "True", "true")

    def _dv_signin_required(self):
        """Whether the user's role reads personal data, so that she signs in
        with a second factor: network partners and above, and the data
        protection officer. Users of the rest of Odoo are not asked."""
        self.ensure_one()
        user = self.sudo()
        return (
            user.active
            and user._is_internal()
            and user.has_groups(STRONG_SIGNIN_GROUPS)
        )

    def _dv_signin_status(self, session=None):
        """What the strong sign-in asks of the user now, as a dict:

        - ``required``: her role asks for two-factor sign-in;
        - ``second_factor``: an authenticator app (TOTP) or a passkey is set up;
        - ``passkey_only``: only a passkey, no authenticator app;
        - ``deadline``: end of the grace period;
        - ``late``: the grace period is over;
        - ``refused``: None, or why the case management is closed to her
          (``missing``: no second factor after the grace period;
          ``password_session``: only a passkey, and ``session`` was signed in
          with the password).

        The demo switch refuses nothing."""
        self.ensure_one()
        user = self.sudo()
        status = {
            "required": False,
            "second_factor": False,
            "passkey_only": False,
            "deadline": False,
            "late": False,
            "refused": None,
        }
        if not user._dv_signin_required():
            return status
        now = fields.Datetime.now()
        since = user.dv_signin_since or now
        deadline = since + timedelta(days=self._dv_signin_param("grace_days"))
        has_totp = user.totp_enabled
        has_passkey = bool(user.auth_passkey_key_ids)
        status.update(
            required=True,
            second_factor=has_totp or has_passkey,
            passkey_only=has_passkey and not has_totp,
            deadline=deadline,
            late=now >= deadline,
        )
        if not status["late"] or self._dv_signin_demo():
            return status
        if not status["second_factor"]:
            status["refused"] = "missing"
        elif (
            status["passkey_only"]
            and session is not None
            and session.get(SESSION_METHOD) != "passkey"
        ):
            status["refused"] = "password_session"
        return status

    def _dv_signin_message(self, status):
        """What the user is told to do, in her language (German here)."""
        self.ensure_one()
        env = self.with_context(lang=self.lang).env
        date = format_date(
            env,
            fields.Datetime.context_timestamp(
                self.with_context(tz=self.tz or "UTC"), status["deadline"]
            ).date(),
        )
        where = env._("Preferences → Account Security (your name, top right)")
        if status["refused"] == "missing":
            return env._(
                "Your role in the domestic violence case management requires "
                "two-factor sign-in, and the time to set it up ended on %(date)s. "
                "Set up an authenticator app or a passkey under %(where)s; until "
                "then the case management is closed to you.",
                date=date,
                where=where,
            )
        if status["refused"] == "password_session":
            return env._(
                "Your role in the domestic violence case management requires "
                "two-factor sign-in, and you signed in with your password only. "
                "Sign out and sign in with your passkey, or set up an "
                "authenticator app under %(where)s.",
                where=where,
            )
        if status["passkey_only"]:
            return env._(
                "Your role in the domestic violence case management requires "
                "two-factor sign-in: from %(date)s on, sign in with your passkey "
                "(or set up an authenticator app under %(where)s).",
                date=date,
                where=where,
            )
        return env._(
            "Your role in the domestic violence case management requires "
            "two-factor sign-in from %(date)s on. Set up an authenticator app or "
            "a passkey now under %(where)s.",
            date=date,
            where=where,
        )

    @api.model
    def _dv_signin_refusal(self):
        """Called for every access to a model of the addon: None, or a
        function making the error that refuses it. Only the request's own
        user (signed in through a session or an API key) is refused; code
        run for other users, as the superuser or outside a request is not.
        Decided once a request."""
        if self.env.su or not request:
            return None
        uid = getattr(request, "_dv_signin_uid", None)
        if uid is None and request.session:
            uid = request.session.uid
        if not uid or self.env.uid != uid:
            return None
        cached = getattr(request, "_dv_signin_refusal", None)
        if cached is None or cached[0] != uid:
            user = self.env["res.users"].sudo().browse(uid)
            # A session's sign-in method counts; an API key (no session of
            # hers) is a key.
            session = request.session if request.session.uid == uid else None
            status = user._dv_signin_status(session)
            message = user._dv_signin_message(status) if status["refused"] else None
            cached = (uid, message)
            request._dv_signin_refusal = cached
        message = cached[1]
        return (lambda: SignInRequired(message)) if message else None

    def _dv_signin_notice(self, session):
        """What the web client tells the user when it starts (``session_info``):
        None, or the level and text of a notification. A user without a
        second factor is told once a session during the grace period and on
        every page after it."""
        self.ensure_one()
        status = self._dv_signin_status(session)
        if not status["required"] or self._dv_signin_demo():
            return None
        if status["refused"]:
            level = "danger"
        elif not status["second_factor"] or status["passkey_only"]:
            if session.get("dv_signin_told") or (
                status["passkey_only"] and session.get(SESSION_METHOD) == "passkey"
            ):
                return None
            session["dv_signin_told"] = True
            level = "warning"
        else:
            return None
        env = self.with_context(lang=self.lang).env
        return {
            "type": level,
            "title": env._("Two-factor sign-in"),
            "message": self._dv_signin_message(status),
        }

    # Password policy (Odoo's auth_password_policy): stricter for these users

    @api.model
    def get_password_policy(self):
        policy = super().get_password_policy()
        if self.env.user._dv_signin_required():
            policy["minlength"] = max(
                policy.get("minlength", 0), self._dv_signin_param("password_minlength")
            )
        return policy

    def _check_password_policy(self, passwords):
        result = super()._check_password_policy(passwords)
        minlength = self._dv_signin_param("password_minlength")
        if len(passwords) == len(self):
            pairs = zip(self, passwords, strict=True)
        else:
            pairs = ((user, password) for user in self for password in passwords)
        for user, password in pairs:
            if password and len(password) < minlength and user._dv_signin_required():
                raise UserError(
                    self.env._(
                        "The role in the domestic violence case management asks "
                        "for a password of at least %(minimal_length)d characters; "
                        "this one has %(current_count)d.",
                        minimal_length=minlength,
                        current_count=len(password),
                    )
                )
        return result

    # Sign-ins: recorded for the data protection officer

    @classmethod
    def _login(cls, db, credential, user_agent_env):
        method = "passkey" if credential.get("type") == "webauthn" else "password"
        try:
            auth_info = super()._login(db, credential, user_agent_env=user_agent_env)
        except AccessDenied:
            cls._dv_record_signin(db, method, "failure", login=credential.get("login"))
            raise
        method = "passkey" if auth_info.get("auth_method") == "passkey" else method
        if request and request.session is not None and request.db == db:
            request.session[SESSION_METHOD] = auth_info.get("auth_method")
            request.session[SESSION_ACTIVITY] = time.time()
        cls._dv_record_signin(
            db, method, "success", uid=auth_info["uid"], mfa=auth_info.get("mfa")
        )
        return auth_info

    @classmethod
    def check(cls, db, uid, passwd):
        """Calls of the external API (XML-RPC, JSON-RPC): failures are
        recorded, and a user asked for two-factor sign-in may call it after
        the grace period only with two-factor sign-in set up (an authenticator
        app, with which Odoo takes API keys only; or a passkey and an API
        key)."""
        try:
            result = super().check(db, uid, passwd)
        except AccessDenied:
            cls._dv_record_signin(db, "rpc", "failure", uid=uid)
            raise
        with cls.pool.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["res.users"].browse(uid)._dv_check_rpc(passwd)
        return result

    def _dv_check_rpc(self, passwd):
        status = self._dv_signin_status()
        if not status["late"] or self._dv_signin_demo():
            return
        if status["refused"]:
            raise AccessDenied(self._dv_signin_message(status))
        if status["passkey_only"]:
            key_uid = self.env["res.users.apikeys"]._check_credentials(
                scope="rpc", key=passwd
            )
            if key_uid != self.id:
                status["refused"] = "password_session"
                raise AccessDenied(self._dv_signin_message(status))

    def _totp_check(self, code):
        try:
            result = super()._totp_check(code)
        except AccessDenied:
            self._dv_record_signin_here("totp", "failure")
            raise
        self._dv_record_signin_here("totp", "success")
        return result

    @classmethod
    def _dv_record_signin(cls, db, method, result, uid=None, login=None, mfa=None):
        """Record a sign-in of a user asked for two-factor sign-in, in a
        transaction of its own (a failed login's is rolled back). Unknown
        logins are not recorded: what was typed may be a password. A correct
        password is ``pending`` while Odoo asks for the code (``mfa`` is the
        login's answer whether to ask)."""
        if not uid and not login:
            return
        with cls.pool.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            Users = env["res.users"].with_context(active_test=False)
            if uid:
                user = Users.browse(uid).exists()
            else:
                user = Users.search(
                    Users._get_login_domain(login),
                    order=Users._get_login_order(),
                    limit=1,
                )
            if user and user._dv_signin_required():
                if result == "success" and mfa != "skip" and user._mfa_url():
                    result = "pending"
                env["dv.signin.log"]._record(user, method, result)

    def _dv_record_signin_here(self, method, result):
        """Record in the current transaction (the second step of a sign-in
        runs in the request's, which is kept also when the code is wrong)."""
        self.ensure_one()
        user = self.sudo()
        if user._dv_signin_required():
            self.env["dv.signin.log"].sudo()._record(user, method, result)
