from odoo import fields, models


class DvPerpetratorMeasureType(models.Model):
    _name = "dv.perpetrator.measure.type"
    _inherit = ["dv.code.mixin"]
    _description = "Perpetrator-side Measure Type"

    description = fields.Text(translate=True)

    _sql_constraints = [
        (
            "code_unique",
            "unique(code)",
            "The code of a perpetrator-side measure type must be unique.",
        ),
    ]
