from odoo import models


class DvConsentPurpose(models.Model):
    _name = "dv.consent.purpose"
    _inherit = ["dv.code.mixin"]
    _description = "Consent Purpose"

    _sql_constraints = [
        (
            "code_unique",
            "unique(code)",
            "The code of a consent purpose must be unique.",
        ),
    ]
