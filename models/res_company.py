from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools.statistics_suppression import DEFAULT_MINIMUM
from .dv_constants import RETURNS_DUE_WORKING_DAYS


class ResCompany(models.Model):
    _inherit = "res.company"

    dv_land_profile_id = fields.Many2one(
        "dv.land.profile",
        string="Federal State Profile",
        help="Police-law durations used for the cases of this company.",
    )
    dv_eviction_practice_days = fields.Integer(
        string="Eviction: Practice (Days)",
        help="Where the federal state sets no longest duration for a police "
        "eviction, the duration proposed for this company's cases.",
    )
    dv_contact_ban_practice_days = fields.Integer(
        string="Contact Ban: Practice (Days)",
        help="Where the federal state sets no longest duration for a police "
        "contact ban, the duration proposed for this company's cases.",
    )
    dv_safety_plan_days = fields.Integer(
        string="Safety Plan Due After (Days)",
        default=7,
        help="A high-risk case without a safety plan this many days after it "
        "became high risk gets an activity for its responsible person.",
    )
    dv_return_working_days = fields.Integer(
        string="Information Returns Due (Working Days Before)",
        default=RETURNS_DUE_WORKING_DAYS,
        help="When a conference's invitations go out, each participating agency "
        "is asked for its information return on every case on the agenda, due "
        "this many working days before the conference.",
    )
    dv_suppression_minimum = fields.Integer(
        string="Minimum Suppression Threshold",
        default=DEFAULT_MINIMUM,
        groups="dv_case_management.group_dv_manager",
        help="Counts below this number are never shown in the statistics of "
        "this company: whoever makes the statistics workbook may raise the "
        "threshold, never lower it. Agree it with the data protection officer.",
    )

    dv_caseload_limit = fields.Integer(
        string="Caseload Limit",
        default=30,
        help="How many open cases one case worker of this company holds at most; "
        "giving her another shows a warning (0: no limit).",
    )

    @api.constrains("dv_caseload_limit")
    def _check_dv_caseload_limit(self):
        for company in self.sudo():
            if company.dv_caseload_limit < 0:
                raise ValidationError(
                    self.env._("The caseload limit cannot be negative.")
                )

    @api.constrains("dv_suppression_minimum")
    def _check_dv_suppression_minimum(self):
        for company in self.sudo():
            if company.dv_suppression_minimum < 1:
                raise ValidationError(
                    self.env._("The minimum suppression threshold is at least 1.")
                )

    @api.constrains(
        "dv_eviction_practice_days",
        "dv_contact_ban_practice_days",
        "dv_safety_plan_days",
        "dv_return_working_days",
    )
    def _check_dv_protection_days(self):
        for company in self.sudo():
            if (
                min(
                    company.dv_eviction_practice_days,
                    company.dv_contact_ban_practice_days,
                    company.dv_return_working_days,
                )
                < 0
                or company.dv_safety_plan_days < 1
            ):
                raise ValidationError(
                    self.env._(
                        "Durations and working days cannot be negative, and a safety "
                        "plan is due after one day at the earliest."
                    )
                )

    def _dv_suppression_minimum(self):
        """The strictest minimum of these companies (the default for none):
        a workbook over several companies honours each of them."""
        minimums = self.sudo().mapped("dv_suppression_minimum")
        return max(minimums or [DEFAULT_MINIMUM])
