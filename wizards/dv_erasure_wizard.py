from odoo import fields, models
from odoo.exceptions import UserError


class DvErasureWizard(models.TransientModel):
    _name = "dv.erasure.wizard"
    _description = "Erase a Case Now"

    case_id = fields.Many2one("dv.case", required=True)
    reason = fields.Text(required=True, help="The data subject's request.")
    confirmation = fields.Char(
        help="Type the case's reference to confirm: erasure cannot be undone."
    )

    def action_erase(self):
        self.ensure_one()
        case = self.case_id
        case.check_access("write")
        if (self.confirmation or "").strip() != case.name:
            raise UserError(
                self.env._(
                    "Type the case's reference %(ref)s to confirm.", ref=case.name
                )
            )
        if not (self.reason or "").strip():
            raise UserError(self.env._("Record the data subject's request."))
        case.sudo()._erase("request", self.reason.strip(), self.env.user)
        return {"type": "ir.actions.act_window_close"}
