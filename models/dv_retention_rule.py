from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .dv_retention import RECORD_TYPES


class DvRetentionRule(models.Model):
    _name = "dv.retention.rule"
    _description = "Retention Rule"
    _order = "record_type, closure_reason_id, id"

    record_type = fields.Selection(RECORD_TYPES, required=True)
    closure_reason_id = fields.Many2one(
        "dv.closure.reason",
        help="For closed cases: applies to this closure reason only; empty for "
        "all others.",
    )
    days = fields.Integer(string="Keep For (Days)", required=True)
    company_id = fields.Many2one("res.company", help="Empty for all companies.")
    active = fields.Boolean(default=True)

    @api.constrains("days")
    def _check_days(self):
        for rule in self:
            if rule.days < 1:
                raise ValidationError(
                    self.env._("A retention period lasts at least one day.")
                )

    @api.model
    def _days_for(self, record_type, company, closure_reason=None, rules=None):
        """The applicable period: the rule of the closure reason before the
        general one, the company's before the shared one. ``rules`` may
        hold the active rules loaded once for many cases."""
        rules = self.search([("active", "=", True)]) if rules is None else rules
        candidates = sorted(
            rules.filtered(
                lambda r: (
                    r.record_type == record_type
                    and r.company_id in (company, self.env["res.company"])
                    and (
                        not r.closure_reason_id or r.closure_reason_id == closure_reason
                    )
                )
            ),
            key=lambda r: (not r.closure_reason_id, not r.company_id),
        )
        return candidates[0].days if candidates else None
