from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools.statistics_suppression import DEFAULT_THRESHOLD


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
        compute="_compute_threshold",
        store=True,
        readonly=False,
        help="May be raised above the companies' minimum, never lowered below it.",
    )
    minimum_threshold = fields.Integer(
        compute="_compute_minimum_threshold",
        help="The strictest minimum the managers of the chosen companies set.",
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

    @api.depends("company_ids")
    def _compute_minimum_threshold(self):
        for wizard in self:
            wizard.minimum_threshold = (
                wizard.sudo().company_ids._dv_suppression_minimum()
            )

    @api.depends("company_ids")
    def _compute_threshold(self):
        """The configured default, raised to the companies' minimum."""
        for wizard in self:
            wizard.threshold = max(
                wizard.threshold or wizard._default_threshold(),
                wizard.sudo().company_ids._dv_suppression_minimum(),
            )

    @api.constrains("date_from", "date_to", "threshold", "company_ids")
    def _check_values(self):
        for wizard in self:
            if wizard.date_from > wizard.date_to:
                raise ValidationError(
                    self.env._("The period cannot end before it starts.")
                )
            minimum = wizard.sudo().company_ids._dv_suppression_minimum()
            if wizard.threshold < minimum:
                raise ValidationError(
                    self.env._(
                        "The suppression threshold cannot be lower than %(minimum)s, "
                        "the minimum the managers set for these companies.",
                        minimum=minimum,
                    )
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
