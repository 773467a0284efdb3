from odoo import models


class DvTurnawayReason(models.Model):
    """Why a request was not served (the capacity survey counts them)."""

    _name = "dv.turnaway.reason"
    _inherit = ["dv.code.mixin"]
    _description = "Reason Not Served"

    _sql_constraints = [
        (
            "code_unique",
            "unique(code)",
            "The code of a reason not served must be unique.",
        ),
    ]
