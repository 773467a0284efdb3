from datetime import timedelta

from odoo import api, fields, models
from odoo.http import request

SIGNIN_METHODS = [
    ("password", "Password"),
    ("passkey", "Passkey"),
    ("totp", "Authenticator Code"),
    ("device", "Trusted Device"),
    ("rpc", "External API"),
]
SIGNIN_RESULTS = [
    ("success", "Signed In"),
    ("pending", "Password Correct, Code Pending"),
    ("failure", "Failed"),
]
# Failures of one user within this time are counted together.
FAILURE_WINDOW = timedelta(hours=1)


class DvSigninLog(models.Model):
    """Sign-ins of the users whose role reads personal data: successful and
    failed, by password, passkey, authenticator code (or a device trusted to
    skip it) or the external API,
    for the data protection officer. Several failures of one user within an
    hour are flagged. Nothing typed is kept: no password, no code, and no
    login that belongs to nobody. Append only: nobody but the superuser
    changes or deletes an entry."""

    _name = "dv.signin.log"
    _inherit = ["dv.append.only.mixin"]
    _description = "Sign-in Log"
    _order = "signed_in_at desc, id desc"
    _log_access = False

    signed_in_at = fields.Datetime(
        string="Time",
        required=True,
        readonly=True,
        index=True,
        default=fields.Datetime.now,
    )
    user_id = fields.Many2one(
        "res.users", readonly=True, index=True, ondelete="set null"
    )
    login = fields.Char(readonly=True)
    method = fields.Selection(SIGNIN_METHODS, required=True, readonly=True)
    result = fields.Selection(SIGNIN_RESULTS, required=True, readonly=True)
    ip_address = fields.Char(string="IP Address", readonly=True)
    failure_count = fields.Integer(
        string="Failures Within an Hour",
        readonly=True,
        help="Failed sign-ins of this user in the hour up to this one, this "
        "one included.",
    )
    repeated = fields.Boolean(
        string="Repeated Failures",
        readonly=True,
        index=True,
        help="This failure is one of several within an hour (as many as the "
        "sign-in settings name, or more): someone may be guessing the password "
        "or the code.",
    )
    company_id = fields.Many2one("res.company", readonly=True, index=True)

    @api.model
    def _record(self, user, method, result):
        """Append one sign-in of ``user`` (a user asked for two-factor
        sign-in)."""
        now = fields.Datetime.now()
        values = {
            "signed_in_at": now,
            "user_id": user.id,
            "login": user.login,
            "method": method,
            "result": result,
            "ip_address": request.httprequest.remote_addr if request else False,
            "company_id": user.company_id.id,
        }
        if result == "failure":
            count = 1 + self.sudo().search_count(
                [
                    ("user_id", "=", user.id),
                    ("result", "=", "failure"),
                    ("signed_in_at", ">", now - FAILURE_WINDOW),
                ]
            )
            threshold = self.env["res.users"]._dv_signin_param("failure_threshold")
            values.update(failure_count=count, repeated=count >= threshold)
        return self.sudo().create(values)
