from odoo import fields, models


class DvClosureReason(models.Model):
    _name = "dv.closure.reason"
    _inherit = ["dv.code.mixin"]
    _description = "Closure Reason"

    description = fields.Text(translate=True)

    _sql_constraints = [
        ("code_unique", "unique(code)", "The code of a closure reason must be unique."),
    ]
