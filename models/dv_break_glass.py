from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

DEFAULT_HOURS = 24
MIN_REASON_LENGTH = 20


class DvBreakGlass(models.Model):
    """Emergency access of a coordinator to a case outside their agencies:
    only with a reason, for a limited time, logged, and the lead agency's
    coordinators are told."""

    _name = "dv.break.glass"
    _inherit = ["dv.grant.mixin"]
    _description = "Emergency Access"
    _order = "started_at desc, id desc"
    # Which cases a user reads depends on the emergency accesses (see
    # ir.rule).
    _dv_grant_fields = ("case_id", "user_id", "started_at", "expires_at")

    case_id = fields.Many2one("dv.case", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="case_id.company_id", store=True)
    user_id = fields.Many2one(
        "res.users", required=True, default=lambda self: self.env.user, index=True
    )
    reason = fields.Text(required=True)
    started_at = fields.Datetime(required=True, default=fields.Datetime.now)
    expires_at = fields.Datetime(required=True, index=True)
    is_active = fields.Boolean(compute="_compute_is_active")

    @api.depends("expires_at")
    @api.depends_context("uid")
    def _compute_is_active(self):
        now = fields.Datetime.now()
        for access in self:
            access.is_active = access.started_at <= now < access.expires_at

    @api.model
    def _duration_hours(self):
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("dv_case_management.break_glass_hours", DEFAULT_HOURS)
        )
        try:
            hours = float(value)
        except ValueError:
            hours = DEFAULT_HOURS
        return hours if hours > 0 else DEFAULT_HOURS

    @api.model
    def _open(self, reference, reason):
        """Give the current coordinator emergency access to the case with
        this reference."""
        if not self.env.user.has_group("dv_case_management.group_dv_coordinator"):
            raise AccessError(self.env._("Only coordinators can use emergency access."))
        if len((reason or "").strip()) < MIN_REASON_LENGTH:
            raise UserError(
                self.env._(
                    "Explain the emergency in at least %(count)s characters.",
                    count=MIN_REASON_LENGTH,
                )
            )
        case = (
            self.env["dv.case"]
            .sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("name", "=", (reference or "").strip()),
                    ("company_id", "in", self.env.companies.ids),
                ],
                limit=1,
            )
        )
        if not case:
            raise UserError(self.env._("No case has this reference."))
        now = fields.Datetime.now()
        access = self.sudo().create(
            {
                "case_id": case.id,
                "user_id": self.env.user.id,
                "reason": reason.strip(),
                "started_at": now,
                "expires_at": now + timedelta(hours=self._duration_hours()),
            }
        )
        case._notify_break_glass(access)
        return access
