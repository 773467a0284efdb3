from odoo import fields, models

from ..models.dv_share import REJECTION_REASONS


class DvShareRejectWizard(models.TransientModel):
    _name = "dv.share.reject.wizard"
    _description = "Reject a Share"

    share_id = fields.Many2one("dv.share", required=True)
    rejection_reason = fields.Selection(REJECTION_REASONS, required=True)
    rejection_note = fields.Text(string="Note")

    def action_confirm(self):
        self.ensure_one()
        self.share_id.action_reject(self.rejection_reason, self.rejection_note)
        return {"type": "ir.actions.act_window_close"}
