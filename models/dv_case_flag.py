"""Handling instructions on a case: flags from a catalogue an office keeps
(contact times, an interpreter, a perpetrator inside an authority, ...), each
with a few words of its own, shown on top of the case to whoever reads it."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class DvCaseFlag(models.Model):
    _name = "dv.case.flag"
    _inherit = ["dv.guard.mixin", "dv.erasable.mixin"]
    _description = "Handling Instruction"
    _dv_immutable_fields = ("case_id",)
    _order = "sequence, id"

    case_id = fields.Many2one(
        "dv.case", required=True, ondelete="cascade", index=True, auto_join=True
    )
    company_id = fields.Many2one(related="case_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    type_id = fields.Many2one(
        "dv.case.flag.type",
        string="Instruction",
        required=True,
        ondelete="restrict",
    )
    note = fields.Char(
        string="Details",
        help="What exactly, in a few words (e.g. the language, the hours).",
    )
    color = fields.Integer(related="type_id.color")

    @api.depends("type_id", "note")
    def _compute_display_name(self):
        for flag in self:
            name = flag.type_id.name or ""
            flag.display_name = f"{name}: {flag.note}" if flag.note else name

    @api.constrains("note", "type_id")
    def _check_note(self):
        for flag in self:
            if flag.note and len(flag.note) > 200:
                raise ValidationError(
                    self.env._(
                        "Keep a handling instruction short (200 characters at most)."
                    )
                )

    def _dv_erase(self):
        """The kind of instruction stays; its details go."""
        self.write({"note": False})
