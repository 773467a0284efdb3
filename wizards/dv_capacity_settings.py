import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

_logger = logging.getLogger(__name__)


class DvCapacitySettings(models.TransientModel):
    """The managers' settings of the intake office's capacity: the caseload
    limit of a company's case workers."""

    _name = "dv.capacity.settings"
    _description = "Capacity Settings"

    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.user.company_ids.ids)],
    )
    caseload_limit = fields.Integer(
        compute="_compute_caseload_limit",
        store=True,
        readonly=False,
        help="How many open cases one case worker holds at most; giving her "
        "another shows a warning, it is not refused (0: no limit).",
    )

    @api.depends("company_id")
    def _compute_caseload_limit(self):
        # Only of the user's own companies: the onchange takes any company a
        # client sends, and the limit is read as the superuser.
        mine = self.env.user.company_ids
        for settings in self:
            company = settings.company_id
            settings.caseload_limit = (
                company.sudo().dv_caseload_limit if company in mine else 0
            )

    @api.constrains("company_id", "caseload_limit")
    def _check_values(self):
        for settings in self:
            if settings.sudo().company_id not in self.env.user.company_ids:
                raise ValidationError(
                    self.env._("You can only configure the companies you work for.")
                )
            if settings.caseload_limit < 0:
                raise ValidationError(
                    self.env._("The caseload limit cannot be negative.")
                )

    def action_apply(self):
        self.ensure_one()
        user = self.env.user
        if not user.has_group("dv_case_management.group_dv_manager"):
            raise AccessError(self.env._("Only managers set the caseload limit."))
        company = self.sudo().company_id
        if company not in user.company_ids:
            raise AccessError(
                self.env._("You can only configure the companies you work for.")
            )
        company.dv_caseload_limit = self.caseload_limit
        _logger.info(
            "Caseload limit of company %s set to %s by user %s",
            company.id,
            self.caseload_limit,
            user.id,
        )
        return {"type": "ir.actions.act_window_close"}
