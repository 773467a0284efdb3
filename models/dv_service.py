from odoo import fields, models


class DvService(models.Model):
    _name = "dv.service"
    _description = "Agency Service"
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
