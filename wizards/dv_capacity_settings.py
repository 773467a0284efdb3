import logging

from odoo import api, fields, models
from odoo.exceptions import ValidationError

_logger = logging.getLogger(__name__)


class DvCapacitySettings(models.TransientModel):
    """The managers' settings of the intake office's capacity: the caseload
    limit of a company's case workers."""

    _name = "dv.capacity.settings"
    _inherit = ["dv.company.settings.mixin"]
    _description = "Capacity Settings"

    caseload_limit = fields.Integer(
        compute="_compute_caseload_limit",
        store=True,
        readonly=False,
        help="How many open cases one case worker holds at most; giving her "
        "another shows a warning, it is not refused (0: no limit).",
    )

    @api.depends("company_id")
    def _compute_caseload_limit(self):
        for settings in self:
            settings.caseload_limit = settings._dv_settings_company().dv_caseload_limit

    @api.constrains("caseload_limit")
    def _check_values(self):
        for settings in self:
            if settings.caseload_limit < 0:
                raise ValidationError(
                    self.env._("The caseload limit cannot be negative.")
                )

    def action_apply(self):
        company = self._dv_company_to_apply(
            self.env._("Only managers set the caseload limit.")
        )
        company.dv_caseload_limit = self.caseload_limit
        _logger.info(
            "Caseload limit of company %s set to %s by user %s",
            company.id,
            self.caseload_limit,
            self.env.user.id,
        )
        return {"type": "ir.actions.act_window_close"}
