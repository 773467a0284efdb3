import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

_logger = logging.getLogger(__name__)


class DvStatisticsSettings(models.TransientModel):
    """The managers' settings of the statistics: the lowest suppression
    threshold of a company. Managers need no right to edit companies for
    it; nobody else may change it."""

    _name = "dv.statistics.settings"
    _description = "Statistics Settings"

    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.user.company_ids.ids)],
    )
    suppression_minimum = fields.Integer(
        string="Minimum Suppression Threshold",
        compute="_compute_suppression_minimum",
        store=True,
        readonly=False,
        required=True,
        help="Counts below this number are never shown in the statistics of "
        "this company: whoever makes the statistics workbook may raise the "
        "threshold, never lower it. Agree it with the data protection officer.",
    )

    @api.depends("company_id")
    def _compute_suppression_minimum(self):
        for settings in self:
            settings.suppression_minimum = (
                settings.company_id.sudo().dv_suppression_minimum
            )

    @api.constrains("company_id", "suppression_minimum")
    def _check_values(self):
        for settings in self:
            if settings.sudo().company_id not in self.env.user.company_ids:
                raise ValidationError(
                    self.env._("You can only configure the companies you work for.")
                )
            if settings.suppression_minimum < 1:
                raise ValidationError(
                    self.env._("The minimum suppression threshold is at least 1.")
                )

    def action_apply(self):
        self.ensure_one()
        user = self.env.user
        if not user.has_group("dv_case_management.group_dv_manager"):
            raise AccessError(
                self.env._("Only managers set the minimum suppression threshold.")
            )
        company = self.sudo().company_id
        if company not in user.company_ids:
            raise AccessError(
                self.env._("You can only configure the companies you work for.")
            )
        company.dv_suppression_minimum = self.suppression_minimum
        _logger.info(
            "Minimum suppression threshold of company %s set to %s by user %s",
            company.id,
            self.suppression_minimum,
            user.id,
        )
        return {"type": "ir.actions.act_window_close"}
