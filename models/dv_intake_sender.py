from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import email_normalize

from .dv_guard import check_unique_parents


class DvIntakeSender(models.Model):
    """An e-mail address from which an intake office accepts referrals, kept
    by the office's coordinators (and the managers): e-mail from addresses
    neither listed here nor registered on a police agency creates nothing.
    The list is no public directory: knowing it helps whoever forges a
    sender, so only those who keep it read it."""

    _name = "dv.intake.sender"
    _description = "Registered Sender of Referrals"
    _order = "office_id, email, id"
    _rec_name = "email"

    office_id = fields.Many2one(
        "dv.agency",
        string="Intake Office",
        required=True,
        ondelete="cascade",
        index=True,
        domain=[("is_intake_office", "=", True)],
    )
    company_id = fields.Many2one(related="office_id.company_id", store=True, index=True)
    email = fields.Char(
        string="E-mail Address",
        required=True,
        help="Referrals from this address are accepted by the intake office.",
    )
    police_agency_id = fields.Many2one(
        "dv.agency",
        string="Police Unit",
        ondelete="restrict",
        domain=[("is_police", "=", True)],
        help="The police unit that writes from this address: it becomes the "
        "source of the referrals. Empty: the case worker completes the source.",
    )

    _sql_constraints = [
        (
            "office_email_unique",
            "unique(office_id, email)",
            "This address is already registered for the intake office.",
        ),
    ]

    @api.model
    def _normalized(self, vals):
        if "email" in vals:
            email = email_normalize(vals["email"] or "")
            if not email:
                raise ValidationError(
                    self.env._(
                        "Enter a single, valid e-mail address as registered sender."
                    )
                )
            vals["email"] = email
        return vals

    @api.model_create_multi
    def create(self, vals_list):
        # Nobody learns from the unique key which addresses another office
        # registered.
        check_unique_parents(self, vals_list, ("office_id",))
        return super().create([self._normalized(dict(vals)) for vals in vals_list])

    def write(self, vals):
        return super().write(self._normalized(dict(vals)))

    @api.constrains("office_id", "police_agency_id")
    def _check_agencies(self):
        for sender in self:
            if not sender.office_id.is_intake_office:
                raise ValidationError(
                    self.env._("Only intake offices register the senders of referrals.")
                )
            if sender.police_agency_id and not sender.police_agency_id.is_police:
                raise ValidationError(
                    self.env._("The unit of a registered sender is a police agency.")
                )
