"""Safety planning as tracked work: a plan per case, with steps from a
catalogue, each with someone responsible, a due date and a status, a review
date and a copy for the victim that names nobody and no address."""

import re

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

PLAN_STATES = [
    ("draft", "In Preparation"),
    ("agreed", "Agreed"),
    ("closed", "Closed"),
]
# The states a plan goes to from each state.
PLAN_TRANSITIONS = {
    "draft": ("agreed", "closed"),
    "agreed": ("draft", "closed"),
    "closed": ("draft",),
}
STEP_OWNERS = [
    ("victim", "The Victim Herself"),
    ("agency", "An Agency"),
    ("person", "A Person Close to Her"),
]


class DvSafetyPlan(models.Model):
    _name = "dv.safety.plan"
    _inherit = [
        "dv.guard.mixin",
        "dv.workflow.mixin",
        "dv.case.deadline.mixin",
        "dv.erasable.mixin",
    ]
    _state_transitions = PLAN_TRANSITIONS
    _description = "Safety Plan"
    # Nobody learns from the unique key what exists beyond her reach.
    _dv_unique_parents = ("case_id",)
    _dv_immutable_fields = ("case_id",)
    _order = "id desc"

    case_id = fields.Many2one(
        "dv.case", required=True, ondelete="cascade", index=True, auto_join=True
    )
    company_id = fields.Many2one(related="case_id.company_id", store=True, index=True)
    state = fields.Selection(
        PLAN_STATES,
        string="Status",
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        index=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
    )
    agreed_on = fields.Date(
        readonly=True, copy=False, help="When the plan was agreed with the victim."
    )
    review_date = fields.Date(
        help="When the plan is looked at again with the victim; a reminder "
        "falls due two days before."
    )
    reviewed_on = fields.Date(string="Last Reviewed On", readonly=True, copy=False)
    closed_on = fields.Date(readonly=True, copy=False)
    step_ids = fields.One2many("dv.safety.plan.step", "plan_id", string="Steps")
    step_count = fields.Integer(compute="_compute_step_counts")
    open_step_count = fields.Integer(compute="_compute_step_counts")
    note = fields.Text(
        string="Notes",
        help="Internal notes of the lead agency; never on the victim's copy.",
    )

    _sql_constraints = [
        ("case_unique", "unique(case_id)", "A case has one safety plan."),
    ]

    @api.depends("step_ids.status")
    def _compute_step_counts(self):
        for plan in self:
            plan.step_count = len(plan.step_ids)
            plan.open_step_count = len(
                plan.step_ids.filtered(lambda step: step.status == "open")
            )

    def _compute_display_name(self):
        for plan in self:
            plan.display_name = self.env._(
                "Safety plan of %(case)s", case=plan.sudo().case_id.name or ""
            )

    # CRUD

    @api.model_create_multi
    def create(self, vals_list):
        plans = super().create(vals_list)
        # The case has its plan now: the reminder that it lacks one is done.
        plans.case_id._dv_prompt_done(
            "safety_plan_due", self.env._("A safety plan was started.")
        )
        return plans

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        if any(plan.state != "draft" for plan in self):
            raise UserError(self.env._("An agreed safety plan is closed, not deleted."))

    # Actions

    def action_agree(self):
        for plan in self:
            if not plan.step_ids:
                raise UserError(
                    self.env._("Add the steps agreed with the victim first.")
                )
            if not plan.review_date:
                raise UserError(self.env._("Set the date the plan is reviewed."))
        return self._dv_move(
            "agreed",
            self.env._("Agreeing"),
            {"agreed_on": fields.Date.context_today(self)},
        )

    def action_revise(self):
        return self._dv_move("draft", self.env._("Revising"))

    def action_close(self):
        return self._dv_move(
            "closed",
            self.env._("Closing"),
            {"closed_on": fields.Date.context_today(self)},
        )

    def action_reopen(self):
        return self._dv_move("draft", self.env._("Reopening"), {"closed_on": False})

    def action_mark_reviewed(self):
        self._dv_check_state(("agreed",), self.env._("Marking as reviewed"))
        self.check_access("write")
        self._dv_system_write({"reviewed_on": fields.Date.context_today(self)})
        return True

    def action_print_victim_copy(self):
        self.ensure_one()
        self.check_access("write")
        return self.env.ref(
            "dv_case_management.report_safety_plan_victim"
        ).report_action(self)

    # The review date is a deadline of the case.

    def _deadlines(self):
        date = self.review_date if self.state != "closed" else False
        return {
            "review": (
                date,
                self.env._(
                    "Safety plan review on %(date)s",
                    date=format_date(self.env, date) if date else "",
                ),
            )
        }

    # The victim's copy

    def _victim_copy(self):
        """What the victim's copy shows: dates, the steps and the lead
        agency's name and phone (an office's, never hers)."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        office = self.sudo().case_id.lead_agency_id
        return {
            "date": format_date(self.env, self.agreed_on or today),
            "review": format_date(self.env, self.review_date)
            if self.review_date
            else "",
            "steps": self._victim_copy_steps(),
            "office": office.name or "",
            "phone": office.phone or "",
        }

    def _victim_copy_steps(self):
        """The steps to print: what, how, who, by when, done; nothing of the
        internal notes, and no word of the victim's protected details."""
        self.ensure_one()
        hidden = self._protected_words()
        rows = []
        for step in self.step_ids.sorted(lambda s: (s.sequence, s.id)):
            if step.status in ("not_possible", "not_done"):
                continue
            if step.owner == "agency":
                who = step.owner_agency_id.name or ""
            elif step.owner == "victim" or step.owner_person_id.role == "victim":
                who = self.env._("You")
            else:
                who = step.owner_person_id.name or self.env._("A person close to you")
            rows.append(
                {
                    "what": _redact(step.name, hidden),
                    "how": _redact(step.step_type_id.description or "", hidden),
                    "who": _redact(who, hidden),
                    "due": format_date(self.env, step.due_date)
                    if step.due_date
                    else "",
                    "done": step.status == "done",
                }
            )
        return rows

    def _protected_words(self):
        """Address, phone and e-mail of the case's people: never on paper."""
        words = set()
        for protected in self.sudo().case_id.person_ids.protected_id:
            for fname in ("street", "zip", "city", "phone", "email", "school"):
                value = (protected[fname] or "").strip()
                if len(value) >= 3:
                    words.add(value)
        return words

    # Erasure

    def _dv_erase(self):
        """State and dates stay; the note goes."""
        self.write({"note": False})


def _redact(text, words):
    """``text`` without any of ``words`` (case-insensitive)."""
    for word in sorted(words, key=len, reverse=True):
        text = re.sub(re.escape(word), "…", text or "", flags=re.IGNORECASE)
    return text or ""
