from odoo import fields, models


class DvRiskReopenWizard(models.TransientModel):
    _name = "dv.risk.reopen.wizard"
    _description = "Reopen Risk Assessment"

    assessment_id = fields.Many2one("dv.risk.assessment", required=True)
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.assessment_id._reopen(self.reason)
        return {"type": "ir.actions.act_window_close"}
