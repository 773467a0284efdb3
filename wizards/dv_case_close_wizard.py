from odoo import fields, models

from ..models.dv_case import ABUSE_OUTCOMES, SAFETY_OUTCOMES


class DvCaseCloseWizard(models.TransientModel):
    _name = "dv.case.close.wizard"
    _description = "Close Case"

    case_id = fields.Many2one("dv.case", required=True)
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

    def action_confirm(self):
        self.ensure_one()
        self.case_id._close(
            self.closure_reason_id,
            self.outcome,
            abuse=self.outcome_abuse,
            safety=self.outcome_safety,
        )
        return {"type": "ir.actions.act_window_close"}
