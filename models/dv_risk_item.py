from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .dv_risk_instrument import ITEM_STRUCTURE_FIELDS


class DvRiskItem(models.Model):
    _name = "dv.risk.item"
    _inherit = ["dv.risk.instrument.part"]
    _description = "Risk Item"
    _order = "instrument_id, sequence, id"
    _structure_fields = ITEM_STRUCTURE_FIELDS

    sequence = fields.Integer(default=10)
    code = fields.Char(help="Stable key of the item within its instrument.")
    section = fields.Char(translate=True)
    text = fields.Text(required=True, translate=True)
    help = fields.Text(string="Guidance", translate=True)
    weight = fields.Float(default=1.0, digits=(6, 2))
    red_flag = fields.Boolean(
        help="A yes on this item makes the assessment at least high risk."
    )

    @api.constrains("weight")
    def _check_weight(self):
        for item in self:
            if item.weight < 0:
                raise ValidationError(
                    self.env._("An item's weight cannot be negative.")
                )
