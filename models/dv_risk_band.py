from odoo import fields, models

from .dv_risk_instrument import RISK_LEVELS


class DvRiskBand(models.Model):
    _name = "dv.risk.band"
    _inherit = ["dv.risk.instrument.part"]
    _description = "Risk Band"
    _order = "instrument_id, min_score"

    min_score = fields.Float(string="From Score", required=True, digits=(6, 2))
    level = fields.Selection(RISK_LEVELS, required=True)
