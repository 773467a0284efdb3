from odoo import fields, models


class DvCaseCloseWizard(models.TransientModel):
    _name = "dv.case.close.wizard"
    _description = "Close Case"

    case_id = fields.Many2one("dv.case", required=True)
    closure_reason_id = fields.Many2one("dv.closure.reason", required=True)
    outcome = fields.Text(help="What was achieved, what is still open.")

    def action_confirm(self):
        self.ensure_one()
        self.case_id._close(self.closure_reason_id, self.outcome)
        return {"type": "ir.actions.act_window_close"}
