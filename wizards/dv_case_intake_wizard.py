from odoo import api, fields, models
from odoo.exceptions import ValidationError

INTAKE_DECISIONS = [("waiting", "Waiting List"), ("turnaway", "Not Served")]


class DvCaseIntakeWizard(models.TransientModel):
    """Put a new case on the waiting list, or record that it is not
    served (and close it), with the reason from the office's code tables."""

    _name = "dv.case.intake.wizard"
    _description = "Waiting List or Not Served"

    case_id = fields.Many2one("dv.case", required=True)
    decision = fields.Selection(INTAKE_DECISIONS, required=True, default="waiting")
    waiting_reason_id = fields.Many2one("dv.waiting.reason", string="Waiting Because")
    turnaway_reason_id = fields.Many2one(
        "dv.turnaway.reason", string="Not Served Because"
    )
    note = fields.Text(help="What was offered or agreed instead.")

    @api.constrains("case_id")
    def _check_case(self):
        """Nobody points the wizard at a case she cannot edit (over JSON-RPC,
        say): its form would show the case's reference."""
        if self.env.su:
            return
        for wizard in self:
            if not wizard.case_id._filtered_access("write"):
                raise ValidationError(self.env._("You have no access to this record."))

    def action_confirm(self):
        self.ensure_one()
        if self.decision == "waiting":
            self.case_id._dv_put_on_waiting_list(self.waiting_reason_id)
        else:
            self.case_id._dv_turn_away(self.turnaway_reason_id, self.note)
        return {"type": "ir.actions.act_window_close"}
