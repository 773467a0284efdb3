from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .dv_risk_assessment import ANSWERS, SOURCES


class DvRiskAnswer(models.Model):
    _name = "dv.risk.answer"
    _inherit = ["dv.guard.mixin"]
    _description = "Risk Answer"
    _dv_immutable_fields = ("assessment_id", "item_id")
    _order = "assessment_id, sequence, id"

    assessment_id = fields.Many2one(
        "dv.risk.assessment", required=True, ondelete="cascade", index=True
    )
    case_id = fields.Many2one(
        related="assessment_id.case_id", store=True, index=True, auto_join=True
    )
    company_id = fields.Many2one(related="assessment_id.company_id", store=True)
    item_id = fields.Many2one("dv.risk.item", required=True, ondelete="restrict")
    sequence = fields.Integer(related="item_id.sequence", store=True)
    section = fields.Char(related="item_id.section", string="Area")
    text = fields.Text(related="item_id.text")
    red_flag = fields.Boolean(related="item_id.red_flag")
    answer = fields.Selection(ANSWERS, required=True, default="unknown")
    source = fields.Selection(SOURCES)

    # One click per answer in the assessment's list (the buttons of a row).

    def action_answer_yes(self):
        return self._set_answer("yes")

    def action_answer_no(self):
        return self._set_answer("no")

    def action_answer_unknown(self):
        return self._set_answer("unknown")

    def _set_answer(self, answer):
        self.write({"answer": answer})
        return True

    @api.constrains("item_id", "assessment_id")
    def _check_item(self):
        for answer in self:
            if answer.item_id.instrument_id != answer.assessment_id.instrument_id:
                raise ValidationError(
                    self.env._("An answer must belong to an item of the instrument.")
                )

    def write(self, vals):
        if self.assessment_id.filtered(lambda a: a.state == "done"):
            raise UserError(
                self.env._(
                    "A completed assessment is locked; a coordinator can reopen it."
                )
            )
        return super().write(vals)
