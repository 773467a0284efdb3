from odoo import models


class DvContactChannel(models.Model):
    _name = "dv.contact.channel"
    _inherit = ["dv.code.mixin"]
    _description = "Contact Channel"

    _sql_constraints = [
        (
            "code_unique",
            "unique(code)",
            "The code of a contact channel must be unique.",
        ),
    ]
