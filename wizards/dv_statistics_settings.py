import logging

from odoo import api, fields, models
from odoo.exceptions import ValidationError

_logger = logging.getLogger(__name__)


class DvStatisticsSettings(models.TransientModel):
    """The managers' settings of the statistics: the lowest suppression
    threshold of a company. Managers need no right to edit companies for
    it; nobody else may change it."""

    _name = "dv.statistics.settings"
    _inherit = ["dv.company.settings.mixin"]
    _description = "Statistics Settings"

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
                settings._dv_settings_company().dv_suppression_minimum
            )

    @api.constrains("suppression_minimum")
    def _check_values(self):
        for settings in self:
            if settings.suppression_minimum < 1:
                raise ValidationError(
                    self.env._("The minimum suppression threshold is at least 1.")
                )

    def action_apply(self):
        company = self._dv_company_to_apply(
            self.env._("Only managers set the minimum suppression threshold.")
        )
        company.dv_suppression_minimum = self.suppression_minimum
        _logger.info(
            "Minimum suppression threshold of company %s set to %s by user %s",
            company.id,
            self.suppression_minimum,
            self.env.user.id,
        )
        return {"type": "ir.actions.act_window_close"}
