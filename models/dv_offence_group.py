from odoo import models


class DvOffenceGroup(models.Model):
    _name = "dv.offence.group"
    _inherit = ["dv.code.mixin"]
    _description = "Offence Group"

    _sql_constraints = [
        ("code_unique", "unique(code)", "The code of an offence group must be unique."),
    ]
