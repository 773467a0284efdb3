from odoo import models


class DvWaitingReason(models.Model):
    """Why a request waits on the intake office's waiting list."""

    _name = "dv.waiting.reason"
    _inherit = ["dv.code.mixin"]
    _description = "Waiting Reason"

    _sql_constraints = [
        ("code_unique", "unique(code)", "The code of a waiting reason must be unique."),
    ]
