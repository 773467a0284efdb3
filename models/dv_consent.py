from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

CONSENT_FORMS = [
    ("written", "Written"),
    ("verbal", "Verbal"),
    ("signed_document", "Signed Document Attached"),
]


class DvConsent(models.Model):
    """A person's consent to pass their data to named agencies for named
    purposes. Withdrawing it ends at once every share that rests on it."""

    _name = "dv.consent"
    _description = "Consent"
    _inherit = ["dv.guard.mixin", "mail.thread", "dv.erasable.mixin", "dv.grant.mixin"]
    # What the person consented to is a record: a changed consent is a new
    # one (and the old one is withdrawn).
    _dv_immutable_fields = (
        "person_id",
        "agency_ids",
        "purpose_ids",
        "form",
        "given_on",
        "valid_until",
    )
    # What the grant query reads of a consent (see ir.rule); a new consent
    # grants nothing until a share resting on it is accepted.
    _dv_grant_fields = (
        "person_id",
        "agency_ids",
        "purpose_ids",
        "given_on",
        "valid_until",
        "withdrawn_on",
    )
    _dv_grant_on_create = False
    _order = "given_on desc, id desc"

    person_id = fields.Many2one(
        "dv.person", required=True, ondelete="cascade", index=True, tracking=True
    )
    case_id = fields.Many2one(
        related="person_id.case_id", store=True, index=True, auto_join=True
    )
    company_id = fields.Many2one(related="person_id.company_id", store=True)
    agency_ids = fields.Many2many(
        "dv.agency", string="Recipients", required=True, tracking=True
    )
    purpose_ids = fields.Many2many(
        "dv.consent.purpose", string="Purposes", required=True, tracking=True
    )
    form = fields.Selection(CONSENT_FORMS, required=True, default="written")
    attachment_ids = fields.Many2many("ir.attachment", string="Document", copy=False)
    given_on = fields.Date(required=True, default=fields.Date.context_today)
    valid_until = fields.Date(tracking=True)
    withdrawn_on = fields.Date(readonly=True, copy=False, tracking=True)
    withdrawn_by_id = fields.Many2one(
        "res.users", string="Withdrawal Recorded By", readonly=True, copy=False
    )
    withdrawal_note = fields.Text(readonly=True, copy=False)
    state = fields.Selection(
        [("valid", "Valid"), ("expired", "Expired"), ("withdrawn", "Withdrawn")],
        string="Status",
        compute="_compute_state",
        search="_search_state",
    )
    share_ids = fields.One2many("dv.share", "consent_id", string="Shares")

    @api.depends("valid_until", "withdrawn_on")
    @api.depends_context("uid")
    def _compute_state(self):
        today = fields.Date.context_today(self)
        for consent in self:
            if consent.withdrawn_on:
                consent.state = "withdrawn"
            elif consent.valid_until and consent.valid_until < today:
                consent.state = "expired"
            else:
                consent.state = "valid"

    def _search_state(self, operator, value):
        if operator != "=" or value not in ("valid", "expired", "withdrawn"):
            raise UserError(self.env._("Unsupported search on consents."))
        today = fields.Date.context_today(self)
        if value == "withdrawn":
            return [("withdrawn_on", "!=", False)]
        if value == "expired":
            return [("withdrawn_on", "=", False), ("valid_until", "<", today)]
        return [
            ("withdrawn_on", "=", False),
            "|",
            ("valid_until", "=", False),
            ("valid_until", ">=", today),
        ]

    def _compute_display_name(self):
        for consent in self:
            consent.display_name = self.env._(
                "Consent of %(date)s", date=fields.Date.to_string(consent.given_on)
            )

    @api.constrains("given_on", "valid_until")
    def _check_dates(self):
        today = fields.Date.context_today(self)
        for consent in self:
            if consent.given_on > today:
                raise ValidationError(
                    self.env._("Consent cannot be dated in the future.")
                )
            if consent.valid_until and consent.valid_until < consent.given_on:
                raise ValidationError(
                    self.env._("A consent cannot end before it was given.")
                )

    @api.constrains("form", "attachment_ids")
    def _check_document(self):
        for consent in self:
            if consent.form == "signed_document" and not consent.attachment_ids:
                raise ValidationError(self.env._("Attach the signed document."))

    def _covers(self, agency, purpose_code):
        """Whether this consent allows passing data to ``agency`` for the
        purpose ``purpose_code`` today."""
        self.ensure_one()
        return (
            self.state == "valid"
            and agency in self.agency_ids
            and purpose_code in self.purpose_ids.mapped("code")
        )

    def action_withdraw(self, note=None):
        """Record the withdrawal: every share resting on the consent ends
        now, and with it the access it gave."""
        today = fields.Date.context_today(self)
        for consent in self:
            if consent.withdrawn_on:
                raise UserError(self.env._("This consent was already withdrawn."))
            consent._dv_system_write(
                {
                    "withdrawn_on": today,
                    "withdrawn_by_id": self.env.user.id,
                    "withdrawal_note": note or False,
                }
            )
            consent.share_ids._revoke_for_withdrawn_consent()
        return True

    # Erasure

    def _dv_erase(self):
        """Recipients, purposes, form and dates stay; the withdrawal note
        and the signed documents go."""
        self.write({"withdrawal_note": False})
        self.attachment_ids.sudo().unlink()
