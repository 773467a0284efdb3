from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class DvCaseApprovalWizard(models.TransientModel):
    """The reason for a request to end a case's high-risk status (asked on
    its agenda item) or for refusing a request."""

    _name = "dv.case.approval.wizard"
    _description = "Four-eyes Approval: Reason"

    mode = fields.Selection(
        [("end_high_risk", "End High-risk Status"), ("refuse", "Refuse")],
        required=True,
    )
    line_id = fields.Many2one("dv.conference.agenda.item", string="Agenda Item")
    approval_id = fields.Many2one("dv.case.approval", string="Request")
    note = fields.Text(string="Reason", required=True)

    @api.constrains("approval_id", "line_id")
    def _check_readable(self):
        """Nobody points the wizard at a request or an agenda item she cannot
        read (over JSON-RPC, say): reading it back would name them."""
        if self.env.su:
            return
        for wizard in self:
            for record in (wizard.approval_id, wizard.line_id):
                if record and not record._filtered_access("read"):
                    raise ValidationError(
                        self.env._("You have no access to this request.")
                    )

    def action_confirm(self):
        self.ensure_one()
        if self.mode == "refuse":
            self.approval_id._refuse(self.note)
        else:
            line = self.line_id
            if not line.case_visible:
                raise UserError(self.env._("You have no access to this case."))
            self.env["dv.case.approval"]._request(
                line.case_id, "end_high_risk", self.note, {"line_id": line.id}
            )
        return {"type": "ir.actions.act_window_close"}
