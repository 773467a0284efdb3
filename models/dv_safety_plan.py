"""Safety planning as tracked work: a plan per case, with steps from a
catalogue, each with someone responsible, a due date and a status, a review
date and a copy for the victim that names nobody and no address."""

import re

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date

from .dv_mixins import free_transitions

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
STEP_STATUSES = [
    ("open", "Open"),
    ("done", "Done"),
    ("not_possible", "Not Possible (Circumstances Changed)"),
    ("not_done", "Not Done"),
]
# A step's status (like a conference action's) is reported and corrected
# freely, the same status again included.
STEP_TRANSITIONS = free_transitions(STEP_STATUSES)
STEP_OWNERS = [
    ("victim", "The Victim Herself"),
    ("agency", "An Agency"),
    ("person", "A Person Close to Her"),
]


class DvSafetyStepType(models.Model):
    """The catalogue of safety-plan steps, written in our own words; an
    office adds its own."""

    _name = "dv.safety.step.type"
    _inherit = ["dv.code.mixin"]
    _description = "Safety Plan Step Type"

    description = fields.Text(
        translate=True,
        help="What the step means, in plain words: printed on the victim's copy.",
    )
    default_owner = fields.Selection(
        STEP_OWNERS, default="victim", required=True, string="Usually Done By"
    )

    _sql_constraints = [
        ("code_unique", "unique(code)", "The code of a step type must be unique."),
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


class DvSafetyPlanStep(models.Model):
    _name = "dv.safety.plan.step"
    _inherit = ["dv.guard.mixin", "dv.workflow.mixin", "dv.erasable.mixin"]
    _state_field = "status"
    _state_transitions = STEP_TRANSITIONS
    _description = "Safety Plan Step"
    _dv_immutable_fields = ("plan_id",)
    _order = "plan_id, sequence, id"

    plan_id = fields.Many2one(
        "dv.safety.plan", required=True, ondelete="cascade", index=True
    )
    case_id = fields.Many2one(
        related="plan_id.case_id", store=True, index=True, auto_join=True
    )
    company_id = fields.Many2one(related="plan_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    step_type_id = fields.Many2one(
        "dv.safety.step.type", string="Step", required=True, ondelete="restrict"
    )
    name = fields.Char(
        string="What",
        compute="_compute_from_type",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        help="The step in the victim's own situation; printed on her copy.",
    )
    owner = fields.Selection(
        STEP_OWNERS,
        string="Done By",
        compute="_compute_from_type",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
    )
    owner_agency_id = fields.Many2one("dv.agency", string="Agency")
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        domain="[('dv_agency_ids', 'in', owner_agency_id)]",
    )
    owner_person_id = fields.Many2one(
        "dv.person",
        string="Person",
        domain="[('case_id', '=', case_id)]",
        help="Someone of the case who takes the step on (a trusted person).",
    )
    due_date = fields.Date()
    status = fields.Selection(
        STEP_STATUSES,
        default="open",
        required=True,
        readonly=True,
        copy=False,
        index=True,
    )
    done_on = fields.Date(readonly=True, copy=False)
    done_in_time = fields.Boolean(compute="_compute_done_in_time", store=True)
    is_overdue = fields.Boolean(compute="_compute_is_overdue")
    note = fields.Text(help="Internal; never on the victim's copy.")

    @api.depends("step_type_id")
    def _compute_from_type(self):
        """The catalogue's wording and usual owner, until the user says
        otherwise."""
        for step in self:
            if step.step_type_id:
                step.name = step.step_type_id.name
                step.owner = step.step_type_id.default_owner
            elif not step.owner:
                step.owner = "victim"

    @api.depends("status", "done_on", "due_date")
    def _compute_done_in_time(self):
        for step in self:
            step.done_in_time = bool(
                step.status == "done"
                and step.done_on
                and (not step.due_date or step.done_on <= step.due_date)
            )

    @api.depends_context("uid")
    @api.depends("status", "due_date")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for step in self:
            step.is_overdue = bool(
                step.status == "open" and step.due_date and step.due_date < today
            )

    @api.constrains("owner", "owner_agency_id", "owner_person_id", "user_id")
    def _check_owner(self):
        for step in self:
            if step.owner == "agency" and not step.owner_agency_id:
                raise ValidationError(
                    self.env._("Name the agency that takes the step on.")
                )
            if step.owner == "person" and not step.owner_person_id:
                raise ValidationError(
                    self.env._("Name the person who takes the step on.")
                )
            if (
                step.user_id
                and step.owner_agency_id
                and step.owner_agency_id not in step.user_id.dv_agency_ids
            ):
                raise ValidationError(
                    self.env._(
                        "The responsible person must belong to the agency of the step."
                    )
                )

    # Actions

    def _set_status(self, status, action):
        self.check_access("write")
        return self._dv_move(
            status,
            action,
            {"done_on": fields.Date.context_today(self) if status == "done" else False},
        )

    def action_mark_done(self):
        return self._set_status("done", self.env._("Marking as done"))

    def action_mark_not_possible(self):
        return self._set_status("not_possible", self.env._("Marking as not possible"))

    def action_mark_not_done(self):
        return self._set_status("not_done", self.env._("Marking as not done"))

    def action_reopen(self):
        return self._set_status("open", self.env._("Reopening"))

    # Erasure

    def _dv_erase(self):
        """The step keeps its catalogue wording, type, state and dates; the
        note and a wording of one's own go."""
        self.write({"note": False})
        for step in self:
            step.name = step.step_type_id.name or self.env._("Erased")
