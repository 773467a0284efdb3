"""Small coded tables that statistics rely on: offence groups of the federal
Lagebild, closure reasons of cases, contact channels."""

from odoo import fields, models


class DvOffenceGroup(models.Model):
    _name = "dv.offence.group"
    _inherit = ["dv.code.mixin"]
    _description = "Offence Group"

    _sql_constraints = [
        ("code_unique", "unique(code)", "The code of an offence group must be unique."),
    ]


class DvClosureReason(models.Model):
    _name = "dv.closure.reason"
    _inherit = ["dv.code.mixin"]
    _description = "Closure Reason"

    description = fields.Text(translate=True)

    _sql_constraints = [
        ("code_unique", "unique(code)", "The code of a closure reason must be unique."),
    ]


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


class DvWaitingReason(models.Model):
    """Why a request waits on the intake office's waiting list."""

    _name = "dv.waiting.reason"
    _inherit = ["dv.code.mixin"]
    _description = "Waiting Reason"

    _sql_constraints = [
        ("code_unique", "unique(code)", "The code of a waiting reason must be unique."),
    ]


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
