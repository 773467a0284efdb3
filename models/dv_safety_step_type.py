from odoo import fields, models

from .dv_safety_plan import STEP_OWNERS


class DvSafetyStepType(models.Model):
    """The catalogue of safety-plan steps, written in our own words; an
    office adds its own."""

    _name = "dv.safety.step.type"
    _inherit = ["dv.code.mixin"]
    _description = "Safety Plan Step Type"

    description = fields.Text(
        translate=True,
        help="What the step means, in plain words: printed on the victim's copy.",
    )
    default_owner = fields.Selection(
        STEP_OWNERS, default="victim", required=True, string="Usually Done By"
    )

    _sql_constraints = [
        ("code_unique", "unique(code)", "The code of a step type must be unique."),
    ]
