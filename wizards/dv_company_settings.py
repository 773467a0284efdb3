from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError


class DvCompanySettingsMixin(models.AbstractModel):
    """A manager's settings of one of her companies (statistics, protection
    planning, capacity): she needs no right to edit companies for them,
    nobody else changes them, and nobody reads or sets those of a company
    she does not work for."""

    _name = "dv.company.settings.mixin"
    _description = "Settings of a Company"

    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.user.company_ids.ids)],
    )

    def _dv_settings_company(self):
        """The company whose values the form shows, as the superuser; none
        for a company the user does not work for (the onchange takes any
        company a client sends)."""
        self.ensure_one()
        company = self.company_id
        if company not in self.env.user.company_ids:
            company = company.browse()
        return company.sudo()

    @api.constrains("company_id")
    def _dv_check_settings_company(self):
        for settings in self:
            if settings.sudo().company_id not in self.env.user.company_ids:
                raise ValidationError(
                    self.env._("You can only configure the companies you work for.")
                )

    def _dv_company_to_apply(self, refused):
        """The company to write the settings on, as the superuser, once the
        user is a manager (else AccessError ``refused``) who works for it."""
        self.ensure_one()
        user = self.env.user
        if not user.has_group("dv_case_management.group_dv_manager"):
            raise AccessError(refused)
        company = self.sudo().company_id
        if company not in user.company_ids:
            raise AccessError(
                self.env._("You can only configure the companies you work for.")
            )
        return company
