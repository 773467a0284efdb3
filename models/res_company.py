from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    dv_land_profile_id = fields.Many2one(
        "dv.land.profile",
        string="Federal State Profile",
        help="Police-law durations used for the cases of this company.",
    )
