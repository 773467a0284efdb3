from odoo import fields, models


class DvBreakGlassWizard(models.TransientModel):
    _name = "dv.break.glass.wizard"
    _description = "Open a Case in an Emergency"

    reference = fields.Char(string="Case Reference", required=True)
    reason = fields.Text(required=True)

    def action_open(self):
        self.ensure_one()
        access = self.env["dv.break.glass"]._open(self.reference, self.reason)
        return access.case_id.with_user(self.env.user).get_formview_action()
