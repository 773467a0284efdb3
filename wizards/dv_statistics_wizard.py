from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..models.statistics_suppression import DEFAULT_THRESHOLD


class DvStatisticsWizard(models.TransientModel):
    _name = "dv.statistics.wizard"
    _description = "Statistics Workbook"

    date_from = fields.Date(
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(month=1, day=1),
    )
    date_to = fields.Date(
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(month=12, day=31),
    )
    company_ids = fields.Many2many(
        "res.company",
        string="Companies",
        required=True,
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.user.company_ids.ids)],
    )
    agency_ids = fields.Many2many(
        "dv.agency",
        string="Agencies",
        help="Only cases led by, and referrals received by, these agencies; empty "
        "for all.",
    )
    threshold = fields.Integer(
        string="Suppress Counts Below",
        default=lambda self: self._default_threshold(),
        required=True,
    )

    @api.model
    def _default_threshold(self):
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("dv_case_management.suppression_threshold", DEFAULT_THRESHOLD)
        )
        try:
            return max(int(value), 1)
        except ValueError:
            return DEFAULT_THRESHOLD

    @api.constrains("date_from", "date_to", "threshold")
    def _check_values(self):
        for wizard in self:
            if wizard.date_from > wizard.date_to:
                raise ValidationError(
                    self.env._("The period cannot end before it starts.")
                )
            if wizard.threshold < 1:
                raise ValidationError(
                    self.env._("The suppression threshold is at least 1.")
                )

    @api.constrains("company_ids")
    def _check_companies(self):
        for wizard in self:
            if wizard.sudo().company_ids - self.env.user.company_ids:
                raise ValidationError(
                    self.env._("You can only report on the companies you work for.")
                )

    def action_print(self):
        self.ensure_one()
        return self.env.ref("dv_case_management.report_statistics_xlsx").report_action(
            self
        )
