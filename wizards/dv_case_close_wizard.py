from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..models.dv_case import ABUSE_OUTCOMES, SAFETY_OUTCOMES


class DvCaseCloseWizard(models.TransientModel):
    _name = "dv.case.close.wizard"
    _description = "Close Case"

    case_id = fields.Many2one("dv.case", required=True)
    needs_approval = fields.Boolean(
        compute="_compute_needs_approval",
        help="A high-risk case is closed once a coordinator approves (four eyes).",
    )
    closure_reason_id = fields.Many2one("dv.closure.reason", required=True)
    outcome_abuse = fields.Selection(
        ABUSE_OUTCOMES,
        string="Abuse at Closure",
        required=True,
        help="Has the abuse stopped? Unknown when nobody knows.",
    )
    outcome_safety = fields.Selection(
        SAFETY_OUTCOMES,
        string="Safety at Closure",
        required=True,
        help="Is the victim safer than when the case was opened? Unknown when "
        "nobody knows.",
    )
    outcome = fields.Text(help="What was achieved, what is still open.")
    request_reason = fields.Text(
        string="Why the High-risk Case Can Be Closed",
        help="For the coordinator who approves the closure.",
    )

    @api.depends("case_id")
    def _compute_needs_approval(self):
        for wizard in self:
            wizard.needs_approval = wizard.case_id.is_high_risk

    @api.constrains("case_id")
    def _check_case(self):
        """Only who works the case closes it; nobody points the wizard at
        another case (reading it back would name that case)."""
        if self.env.su:
            return
        for wizard in self:
            if wizard.case_id and not wizard.case_id._filtered_access("write"):
                raise ValidationError(
                    self.env._("Only who works on the case closes it.")
                )

    def action_confirm(self):
        self.ensure_one()
        if self.case_id.is_high_risk:
            # Four eyes: the request carries the values; the approval closes.
            self.env["dv.case.approval"]._request(
                self.case_id,
                "close",
                self.request_reason,
                {
                    "closure_reason_id": self.closure_reason_id.id,
                    "outcome": self.outcome,
                    "outcome_abuse": self.outcome_abuse,
                    "outcome_safety": self.outcome_safety,
                },
            )
            return {"type": "ir.actions.act_window_close"}
        self.case_id._close(
            self.closure_reason_id,
            self.outcome,
            abuse=self.outcome_abuse,
            safety=self.outcome_safety,
        )
        return {"type": "ir.actions.act_window_close"}
