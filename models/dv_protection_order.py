from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_date

SECTIONS = [
    ("s1", "§ 1 GewSchG: Protection Order"),
    ("s2", "§ 2 GewSchG: Allocation of the Home"),
]

DECISIONS = [
    ("pending", "Pending"),
    ("granted", "Granted"),
    ("rejected", "Rejected"),
    ("settled", "Settled"),
    ("withdrawn", "Withdrawn"),
]


class DvProtectionOrder(models.Model):
    _name = "dv.protection.order"
    _inherit = ["dv.guard.mixin", "dv.case.deadline.mixin", "dv.erasable.mixin"]
    _description = "Protection Order Proceedings (Gewaltschutzgesetz)"
    _dv_immutable_fields = ("case_id",)
    _order = "act_date desc, id desc"

    case_id = fields.Many2one(
        "dv.case", required=True, ondelete="cascade", index=True, auto_join=True
    )
    company_id = fields.Many2one(related="case_id.company_id", store=True, index=True)
    section = fields.Selection(SECTIONS, required=True, default="s1")
    act_date = fields.Date(
        string="Date of the Act",
        required=True,
        default=lambda self: self._default_act_date(),
    )
    claim_deadline = fields.Date(
        string="§ 2 Claim Deadline",
        compute="_compute_claim_deadline",
        store=True,
        help="Under § 2 GewSchG the victim must claim the home in writing within "
        "three months of the act.",
    )
    application_date = fields.Date()
    decision = fields.Selection(DECISIONS, default="pending", required=True)
    decision_date = fields.Date()
    order_end = fields.Date(string="Order Ends")
    court_reference = fields.Char()
    breach_ids = fields.One2many(
        "dv.incident", "protection_order_id", string="Breaches (§ 4 GewSchG)"
    )
    breach_count = fields.Integer(compute="_compute_breach_count")
    note = fields.Text()

    def _default_act_date(self):
        case = self.env["dv.case"].browse(self.env.context.get("default_case_id"))
        if case.exists() and case.last_incident_date:
            return case.last_incident_date.date()
        return fields.Date.context_today(self)

    @api.depends("section", "act_date")
    def _compute_claim_deadline(self):
        for order in self:
            if order.section == "s2" and order.act_date:
                order.claim_deadline = order.act_date + relativedelta(months=3)
            else:
                order.claim_deadline = False

    @api.depends("breach_ids")
    def _compute_breach_count(self):
        for order in self:
            order.breach_count = len(order.breach_ids)

    def _compute_display_name(self):
        labels = dict(self._fields["section"]._description_selection(self.env))
        for order in self:
            order.display_name = labels.get(order.section, "")

    @api.constrains("act_date", "application_date", "decision_date", "order_end")
    def _check_dates(self):
        today = fields.Date.context_today(self)
        for order in self:
            if order.act_date > today:
                raise ValidationError(self.env._("The act cannot lie in the future."))
            if order.application_date and order.application_date < order.act_date:
                raise ValidationError(
                    self.env._("The application cannot precede the act.")
                )
            if order.decision_date and (
                not order.application_date
                or order.decision_date < order.application_date
            ):
                raise ValidationError(
                    self.env._("A decision needs an application made before it.")
                )
            if (
                order.order_end
                and order.decision_date
                and (order.order_end < order.decision_date)
            ):
                raise ValidationError(
                    self.env._("An order cannot end before it was decided.")
                )

    # The § 2 claim deadline and the end of a granted order are deadlines of
    # the case.

    def _deadlines(self):
        claim_open = self.section == "s2" and not self.application_date
        return {
            "claim": (
                self.claim_deadline if claim_open else False,
                self.env._(
                    "Claim for the home (§ 2 GewSchG) due by %(date)s",
                    date=format_date(self.env, self.claim_deadline),
                ),
            ),
            "end": (
                self.order_end if self.decision == "granted" else False,
                self.env._(
                    "Protection order ends on %(date)s",
                    date=format_date(self.env, self.order_end),
                ),
            ),
        }

    # Erasure

    def _dv_erase(self):
        """Section, dates and decision stay; the court's reference and the
        note go."""
        self.write({"court_reference": False, "note": False})
