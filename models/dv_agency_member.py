from odoo import api, fields, models
from odoo.exceptions import ValidationError


class DvAgencyMember(models.Model):
    _name = "dv.agency.member"
    _description = "Agency Member"
    _order = "agency_id, sequence, id"
    _rec_name = "user_id"

    agency_id = fields.Many2one(
        "dv.agency", required=True, ondelete="cascade", index=True
    )
    user_id = fields.Many2one(
        "res.users",
        required=True,
        ondelete="cascade",
        index=True,
        domain=[("share", "=", False)],
    )
    sequence = fields.Integer(default=10)
    function = fields.Char(help="The member's function in the agency, e.g. counsellor.")
    company_id = fields.Many2one(related="agency_id.company_id", store=True, index=True)
    email = fields.Char(related="user_id.email")
    phone = fields.Char(related="user_id.phone")

    _sql_constraints = [
        (
            "agency_user_unique",
            "unique(agency_id, user_id)",
            "This user is already a member of the agency.",
        ),
    ]

    @api.constrains("user_id", "agency_id")
    def _check_user(self):
        for member in self:
            user = member.user_id
            if user.share:
                raise ValidationError(
                    self.env._(
                        "%(user)s is a portal or public user and cannot be a member "
                        "of an agency.",
                        user=user.display_name,
                    )
                )
            company = member.agency_id.company_id
            if company and company not in user.company_ids:
                raise ValidationError(
                    self.env._(
                        "%(user)s has no access to the company %(company)s of the "
                        "agency %(agency)s.",
                        user=user.display_name,
                        company=company.display_name,
                        agency=member.agency_id.display_name,
                    )
                )

    # CRUD: a membership decides what a user may see, so every change
    # refreshes the cached record rules.

    @api.model_create_multi
    def create(self, vals_list):
        members = super().create(vals_list)
        self.env.registry.clear_cache()
        return members

    def write(self, vals):
        res = super().write(vals)
        if {"agency_id", "user_id"} & set(vals):
            self.env.registry.clear_cache()
        return res

    def unlink(self):
        res = super().unlink()
        self.env.registry.clear_cache()
        return res
