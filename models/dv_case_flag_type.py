from odoo import fields, models


class DvCaseFlagType(models.Model):
    """The catalogue of handling instructions, written in our own words; an
    office adds its own."""

    _name = "dv.case.flag.type"
    _inherit = ["dv.code.mixin"]
    _description = "Handling Instruction Type"

    description = fields.Text(
        translate=True, help="What the instruction asks of everyone on the case."
    )
    color = fields.Integer(default=1)

    _sql_constraints = [
        (
            "code_unique",
            "unique(code)",
            "The code of a handling instruction type must be unique.",
        ),
    ]
