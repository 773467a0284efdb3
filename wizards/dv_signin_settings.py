import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

from ..models.res_users import DEMO_SWITCH, PARAM

_logger = logging.getLogger(__name__)

# What a manager may choose: the protection can be tuned, never switched off.
BOUNDS = {
    "grace_days": (0, 30),
    "idle_minutes": (5, 480),
    "password_minlength": (8, 128),
    "failure_threshold": (2, 20),
}


def _default(key):
    return lambda self: self.env["res.users"]._dv_signin_param(key)


class DvSigninSettings(models.TransientModel):
    """The managers' settings of the strong sign-in of the users whose role
    reads personal data (network partners and above, the data protection
    officer). They hold for the whole database, as users and their sessions
    are not bound to one company. Managers need no Settings rights for them;
    nobody else may change them."""

    _name = "dv.signin.settings"
    _description = "Sign-in Settings"

    grace_days = fields.Integer(
        string="Grace Period (Days)",
        required=True,
        default=_default("grace_days"),
        help="Days after a user was given a role that reads personal data "
        "during which she may still work without two-factor sign-in (she is "
        "told on every sign-in). Afterwards the case management is closed to "
        "her until she sets up an authenticator app or a passkey.",
    )
    idle_minutes = fields.Integer(
        string="Idle Time (Minutes)",
        required=True,
        default=_default("idle_minutes"),
        help="A session of these users ends when nothing was done in it for this long.",
    )
    password_minlength = fields.Integer(
        string="Minimum Password Length",
        required=True,
        default=_default("password_minlength"),
        help="Passwords of these users have at least this many characters "
        "(Odoo's own minimum under Settings holds for everyone and applies "
        "too). It is checked when a password is set or changed.",
    )
    failure_threshold = fields.Integer(
        string="Repeated Failures From",
        required=True,
        default=_default("failure_threshold"),
        help="From this many failed sign-ins of one user within an hour, the "
        "sign-in log flags them for the data protection officer.",
    )
    core_minlength = fields.Integer(
        string="Odoo's Minimum Password Length",
        readonly=True,
        default=lambda self: int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("auth_password_policy.minlength", 0)
            or 0
        ),
    )
    demo_without_2fa = fields.Boolean(
        string="Demo Without Two-factor Sign-in",
        readonly=True,
        default=lambda self: self.env["res.users"]._dv_signin_demo(),
    )

    @api.constrains(*BOUNDS)
    def _check_bounds(self):
        for settings in self:
            for key, (low, high) in BOUNDS.items():
                if not low <= settings[key] <= high:
                    raise ValidationError(
                        self.env._(
                            "%(setting)s lies between %(low)s and %(high)s.",
                            setting=self._fields[key].get_description(self.env)[
                                "string"
                            ],
                            low=low,
                            high=high,
                        )
                    )

    def _check_manager(self):
        if not self.env.user.has_group("dv_case_management.group_dv_manager"):
            raise AccessError(self.env._("Only managers change the sign-in settings."))

    def action_apply(self):
        self.ensure_one()
        self._check_manager()
        ICP = self.env["ir.config_parameter"].sudo()
        for key in BOUNDS:
            ICP.set_param(PARAM % key, str(self[key]))
        _logger.info(
            "Sign-in settings set by user %s: %s",
            self.env.uid,
            ", ".join(f"{key}={self[key]}" for key in BOUNDS),
        )
        return {"type": "ir.actions.act_window_close"}

    def action_demo_switch_off(self):
        """The demo switch is set by the demo data only; a manager may switch
        it off, nobody on."""
        self.ensure_one()
        self._check_manager()
        self.env["ir.config_parameter"].sudo().set_param(DEMO_SWITCH, False)
        _logger.info("Demo switch %s turned off by user %s", DEMO_SWITCH, self.env.uid)
        self.demo_without_2fa = False
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }
