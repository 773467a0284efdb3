from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .dv_referral import INBOUND_OPEN

ATTEMPT_OUTCOMES = [
    ("reached", "Reached"),
    ("no_answer", "No Answer"),
    ("message_left", "Message Left"),
    ("not_safe", "Could Not Talk Safely"),
    ("wrong_contact", "Wrong Number or Address"),
    ("declined", "Declined Support"),
]


class DvContactAttempt(models.Model):
    _name = "dv.contact.attempt"
    _inherit = ["dv.guard.mixin", "dv.erasable.mixin"]
    _description = "Contact Attempt"
    # Nobody learns from the unique key what exists beyond her reach.
    _dv_unique_parents = ("referral_id",)
    _dv_immutable_fields = ("referral_id",)
    _order = "attempted_at desc, id desc"

    referral_id = fields.Many2one(
        "dv.referral", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="referral_id.company_id", store=True)
    case_id = fields.Many2one(related="referral_id.case_id", store=True, index=True)
    attempted_at = fields.Datetime(required=True, default=fields.Datetime.now)
    channel_id = fields.Many2one("dv.contact.channel", required=True)
    outcome = fields.Selection(ATTEMPT_OUTCOMES, required=True)
    user_id = fields.Many2one(
        "res.users", string="By", default=lambda self: self.env.user, readonly=True
    )
    note = fields.Char()

    _sql_constraints = [
        (
            "attempt_unique",
            "unique(referral_id, attempted_at, channel_id)",
            "This contact attempt has already been logged.",
        ),
    ]

    @api.constrains("attempted_at", "referral_id")
    def _check_attempted_at(self):
        now = fields.Datetime.now() + timedelta(minutes=5)
        for attempt in self:
            referral = attempt.referral_id
            if attempt.attempted_at > now:
                raise ValidationError(
                    self.env._("A contact attempt cannot lie in the future.")
                )
            if referral.received_at and attempt.attempted_at < referral.received_at:
                raise ValidationError(
                    self.env._(
                        "A contact attempt cannot precede the arrival of the referral."
                    )
                )
            if referral.state not in (*INBOUND_OPEN, "contacted"):
                raise ValidationError(
                    self.env._(
                        "Referral %(ref)s is closed; no further contact attempts can "
                        "be logged.",
                        ref=referral.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        attempts = super().create(vals_list)
        attempts.referral_id._on_attempt_logged()
        return attempts

    def _dv_erase(self):
        """When, how and with what outcome stay; the note goes."""
        self.write({"note": False})
