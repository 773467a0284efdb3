from datetime import timedelta
from itertools import pairwise

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .dv_constants import (
    ESCALATION_INCIDENTS,
    ESCALATION_WINDOW_DAYS,
    REPEAT_WINDOW_DAYS,
    REVIEW_AFTER_DAYS,
    WEAPONS_CHECK_DUE_DAYS,
)
from .dv_guard import system_write
from .dv_perpetrator_measure import WEAPONS_CHECK
from .dv_risk_instrument import LEVEL_RANK, RISK_LEVELS
from .dv_safety_plan import PLAN_STATES
from .dv_youth_office_notice import NOTICE_STATES

CASE_TYPES = [
    ("partner", "Partner Violence"),
    ("family", "Intra-family Violence"),
    ("stalking", "Stalking"),
]

CASE_STATES = [
    ("new", "New"),
    ("in_progress", "In Progress"),
    ("closed", "Closed"),
]
# The states a case may go to from each state (closing asks for a reason,
# reopening clears it).
CASE_TRANSITIONS = {
    "new": ("in_progress", "closed"),
    "in_progress": ("closed",),
    "closed": ("in_progress",),
}

ABUSE_OUTCOMES = [
    ("stopped", "Stopped"),
    ("reduced", "Reduced"),
    ("unchanged", "Unchanged"),
    ("unknown", "Unknown"),
]
SAFETY_OUTCOMES = [
    ("better", "Safer"),
    ("same", "Unchanged"),
    ("worse", "Less Safe"),
    ("unknown", "Unknown"),
]


class DvCase(models.Model):
    _name = "dv.case"
    _description = "Case"
    _inherit = [
        "dv.guard.mixin",
        "dv.access.logged.mixin",
        "dv.reference.mixin",
        "dv.workflow.mixin",
        "dv.erasable.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _state_transitions = CASE_TRANSITIONS
    # The lead passes only by an accepted transfer (dv.share); the company
    # follows the lead.
    _dv_immutable_fields = ("company_id", "lead_agency_id")
    # The reference alone (in a list of another record, say) names nobody.
    _dv_log_free_fields = frozenset({"id", "display_name", "name"})
    _order = "id desc"
    _check_company_auto = True
    _rec_names_search = ["name"]
    _reference_code = "dv.case"
    _reference_prefix = "HG"

    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        index=True,
    )
    case_type = fields.Selection(
        CASE_TYPES, required=True, default="partner", tracking=True, index=True
    )
    state = fields.Selection(
        CASE_STATES,
        string="Status",
        required=True,
        default="new",
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
        group_expand="_group_expand_states",
    )
    lead_agency_id = fields.Many2one(
        "dv.agency",
        required=True,
        tracking=True,
        index=True,
        check_company=True,
        default=lambda self: self._default_lead_agency(),
        domain="[('id', 'in', allowed_lead_agency_ids)]",
    )
    allowed_lead_agency_ids = fields.Many2many(
        "dv.agency", compute="_compute_allowed_lead_agency_ids"
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        tracking=True,
        index=True,
        default=lambda self: self.env.user,
        domain="[('dv_agency_ids', 'in', lead_agency_id)]",
    )
    opened_on = fields.Date(default=fields.Date.context_today, required=True)
    closed_on = fields.Date(readonly=True, copy=False)
    closure_reason_id = fields.Many2one(
        "dv.closure.reason", readonly=True, copy=False, tracking=True
    )
    outcome = fields.Text(readonly=True, copy=False)
    outcome_abuse = fields.Selection(
        ABUSE_OUTCOMES,
        string="Abuse at Closure",
        readonly=True,
        copy=False,
        tracking=True,
        help="Whether the abuse had stopped when the case was closed.",
    )
    outcome_safety = fields.Selection(
        SAFETY_OUTCOMES,
        string="Safety at Closure",
        readonly=True,
        copy=False,
        tracking=True,
        help="Whether the victim was safer when the case was closed than when "
        "it was opened.",
    )
    followup_ids = fields.One2many("dv.case.followup", "case_id", string="Follow-ups")
    flag_ids = fields.One2many(
        "dv.case.flag", "case_id", string="Handling Instructions"
    )
    flag_summary = fields.Char(
        string="Handling Instructions in Short",
        compute="_compute_flag_summary",
        help="The case's handling instructions, shown on top of the case.",
    )
    safety_plan = fields.Html(
        string="Safety Plan Notes",
        help="Free notes on the victim's safety beside the safety plan's steps.",
    )
    safety_plan_ids = fields.One2many("dv.safety.plan", "case_id")
    safety_plan_state = fields.Selection(
        [("none", "No Plan"), *PLAN_STATES],
        string="Safety Plan Status",
        compute="_compute_safety_plan_state",
        store=True,
        index=True,
    )
    perpetrator_measure_ids = fields.One2many(
        "dv.perpetrator.measure", "case_id", string="Perpetrator-side Measures"
    )
    youth_office_notice_ids = fields.One2many(
        "dv.youth.office.notice", "case_id", string="Youth Welfare Office"
    )
    youth_office_state = fields.Selection(
        [("none", "No Children"), *NOTICE_STATES],
        string="Youth Welfare Office Step",
        compute="_compute_youth_office_state",
        store=True,
        index=True,
    )
    person_ids = fields.One2many("dv.person", "case_id", string="People")
    victim_id = fields.Many2one("dv.person", compute="_compute_people", store=True)
    child_count = fields.Integer(compute="_compute_people", store=True)
    has_children = fields.Boolean(
        string="Children Involved", compute="_compute_people", store=True
    )
    incident_ids = fields.One2many("dv.incident", "case_id", string="Incidents")
    session_ids = fields.One2many(
        "dv.session", "case_id", string="Counselling Sessions"
    )
    incident_count = fields.Integer(compute="_compute_incidents", store=True)
    last_incident_date = fields.Datetime(compute="_compute_incidents", store=True)
    is_escalating = fields.Boolean(
        string="Escalating",
        compute="_compute_incidents",
        store=True,
        help="Three or more incidents within twelve months.",
    )
    measure_ids = fields.One2many(
        "dv.police.measure", "case_id", string="Police Measures"
    )
    protection_order_ids = fields.One2many(
        "dv.protection.order", "case_id", string="Protection Orders"
    )
    # auto_join: record rules follow these paths without the rules of the
    # models behind them (which would lead back to the case).
    referral_ids = fields.One2many(
        "dv.referral", "case_id", string="Referrals", auto_join=True
    )
    share_ids = fields.One2many(
        "dv.share", "case_id", string="Shares and Transfers", auto_join=True
    )
    is_repeat = fields.Boolean(
        string="Repeat",
        compute="_compute_is_repeat",
        store=True,
        help="A new referral or incident within twelve months of an earlier one.",
    )
    event_ids = fields.One2many("calendar.event", "dv_case_id", string="Appointments")
    consent_ids = fields.One2many("dv.consent", "case_id", string="Consents")
    erased_on = fields.Date(
        readonly=True,
        copy=False,
        index=True,
        help="When the identifying data was erased; the statistical skeleton remains.",
    )
    break_glass_ids = fields.One2many(
        "dv.break.glass", "case_id", string="Emergency Accesses", auto_join=True
    )
    assessment_ids = fields.One2many(
        "dv.risk.assessment", "case_id", string="Risk Assessments"
    )
    risk_level = fields.Selection(
        RISK_LEVELS,
        compute="_compute_risk",
        store=True,
        tracking=True,
        help="Final level of the latest completed risk assessment.",
    )
    is_high_risk = fields.Boolean(
        string="High Risk",
        compute="_compute_risk",
        store=True,
        index=True,
        help="A risk assessment found a high risk and the network has not ended "
        "the high-risk status since (a later, lower assessment alone does not).",
    )
    high_risk_held = fields.Boolean(
        string="High Risk Until Ended",
        readonly=True,
        copy=False,
        help="A completed assessment made the case high risk: it stays so until "
        "the network ends the status, whatever becomes of that assessment "
        "(reopened, changed or deleted).",
    )
    high_risk_ended_on = fields.Date(
        string="High-risk Status Ended On",
        readonly=True,
        copy=False,
        tracking=True,
        help="When the network's decision to end the high-risk status was approved.",
    )
    high_risk_end_reason = fields.Text(
        string="Why the High-risk Status Ended",
        readonly=True,
        copy=False,
    )
    high_risk_end_assessment_id = fields.Many2one(
        "dv.risk.assessment",
        string="Assessment the End Refers To",
        readonly=True,
        copy=False,
        help="The latest risk assessment when the high-risk status was ended; a "
        "new high assessment makes the case high risk again.",
    )
    lead_institution_id = fields.Many2one(
        "dv.agency",
        string="Agreed Lead Institution",
        tracking=True,
        index=True,
        check_company=True,
        help="The network agency that carries the agreed measures, from the "
        "case's latest conference decision.",
    )
    approval_ids = fields.One2many(
        "dv.case.approval", "case_id", string="Approvals", readonly=True
    )
    pending_approval_id = fields.Many2one(
        "dv.case.approval",
        string="Awaiting Approval",
        compute="_compute_pending_approval_id",
        help="The request of the case that awaits a coordinator's decision.",
    )
    pending_approval_can_decide = fields.Boolean(
        compute="_compute_pending_approval_id",
        help="The current user may approve or refuse the request awaiting approval.",
    )
    risk_trend = fields.Selection(
        [("up", "Rising"), ("same", "Unchanged"), ("down", "Falling")],
        compute="_compute_risk",
        store=True,
    )
    risk_assessed_on = fields.Date(compute="_compute_risk", store=True)
    escalated_on = fields.Date(
        readonly=True,
        copy=False,
        help="When the case last became high risk, a repeat or escalating.",
    )
    last_conference_date = fields.Date(
        string="Last Case Conference",
        readonly=True,
        tracking=True,
        help="When the case was last discussed at a case conference.",
    )
    review_due = fields.Boolean(
        compute="_compute_review_due",
        search="_search_review_due",
        help="Open, and its last case conference is twelve months old or more, or "
        "it became a repeat since.",
    )
    awaiting_conference = fields.Boolean(
        compute="_compute_awaiting_conference",
        store=True,
        help="High risk, a repeat or escalating, and not discussed at a case "
        "conference since.",
    )
    event_count = fields.Integer(compute="_compute_event_count")
    deadline_activity_ids = fields.One2many(
        "mail.activity",
        "dv_case_id",
        string="Reminders",
        readonly=True,
        help="The deadline reminders of the case's police measures, protection "
        "orders, risk assessments, safety plan and perpetrator-side measures.",
    )
    next_deadline = fields.Char(
        compute="_compute_next_deadline",
        help="The case's next running deadline and the time left.",
    )
    can_edit = fields.Boolean(
        compute="_compute_can_edit",
        help="The current user works the case: a case worker of its lead agency.",
    )
    contact_attempt_ids = fields.One2many(
        "dv.contact.attempt", "case_id", string="Contact Attempts"
    )
    shared_agency_ids = fields.Many2many(
        "dv.agency",
        string="Shared With",
        compute="_compute_shared_agency_ids",
        help="Agencies that read the case through an accepted share.",
    )

    # Defaults

    def _default_lead_agency(self):
        agencies = self.env.user.dv_agency_ids.filtered(
            lambda a: not a.company_id or a.company_id == self.env.company
        )
        return agencies[:1]

    @api.model
    def _group_expand_states(self, states, domain):
        return [key for key, _label in CASE_STATES]

    # Computes

    @api.depends_context("uid")
    def _compute_allowed_lead_agency_ids(self):
        agencies = self.env.user.dv_agency_ids
        for case in self:
            case.allowed_lead_agency_ids = agencies | case.lead_agency_id

    @api.depends("person_ids.role")
    def _compute_people(self):
        for case in self:
            case.victim_id = case.person_ids.filtered(lambda p: p.role == "victim")[:1]
            children = case.person_ids.filtered(lambda p: p.role == "child")
            case.child_count = len(children)
            case.has_children = bool(children)

    @api.depends("flag_ids.type_id", "flag_ids.note", "flag_ids.sequence")
    def _compute_flag_summary(self):
        for case in self:
            case.flag_summary = " · ".join(case.flag_ids.mapped("display_name"))

    @api.depends("safety_plan_ids.state")
    def _compute_safety_plan_state(self):
        for case in self:
            case.safety_plan_state = case.safety_plan_ids[:1].state or "none"

    @api.depends("youth_office_notice_ids.state", "has_children")
    def _compute_youth_office_state(self):
        for case in self:
            notice = case.youth_office_notice_ids.sorted("id", reverse=True)[:1]
            if notice:
                case.youth_office_state = notice.state
            else:
                case.youth_office_state = "pending" if case.has_children else "none"

    @api.depends("incident_ids.date")
    def _compute_incidents(self):
        window = timedelta(days=ESCALATION_WINDOW_DAYS)
        for case in self:
            dates = sorted(case.incident_ids.mapped("date"))
            case.incident_count = len(dates)
            case.last_incident_date = dates[-1] if dates else False
            case.is_escalating = any(
                len([d for d in dates if end - window < d <= end])
                >= ESCALATION_INCIDENTS
                for end in dates
            )

    @api.depends("share_ids.state", "share_ids.share_type")
    @api.depends_context("uid")
    def _compute_shared_agency_ids(self):
        for case in self:
            case.shared_agency_ids = (
                case.sudo()
                .share_ids.filtered(
                    lambda s: s.share_type == "share" and s.state == "accepted"
                )
                .to_agency_id
            )

    @api.depends("referral_ids.is_repeat", "incident_ids.date")
    def _compute_is_repeat(self):
        for case in self:
            dates = sorted(case.incident_ids.mapped("date"))
            case.is_repeat = any(case.referral_ids.mapped("is_repeat")) or any(
                later - earlier <= timedelta(days=REPEAT_WINDOW_DAYS)
                for earlier, later in pairwise(dates)
            )

    @api.depends(
        "assessment_ids.state",
        "assessment_ids.final_level",
        "assessment_ids.date",
        "high_risk_ended_on",
        "high_risk_end_assessment_id",
        "high_risk_held",
    )
    def _compute_risk(self):
        for case in self:
            done = case._done_assessments()
            latest = done[:1]
            case.risk_level = latest.final_level or False
            # A high risk once assessed holds until the network ends it (four
            # eyes, see dv.case.approval): a later, lower assessment alone
            # does not end it. The end holds until a high risk is assessed
            # after it.
            considered = done
            if case.high_risk_ended_on:
                end = case.high_risk_end_assessment_id
                considered = done.filtered(
                    lambda a, end=end, on=case.high_risk_ended_on: (
                        (a.date, a.id) > (end.date, end.id) if end else a.date > on
                    )
                )
            # Once high, a case stays so (high_risk_held, see _hold_high_risk)
            # even if the assessment that made it so is reopened: a draft
            # counts for nothing, and a reopened assessment must not end the
            # status past the four eyes.
            high = any(a.final_level == "high" for a in considered)
            case.is_high_risk = high or case.high_risk_held
            case.risk_assessed_on = latest.date or False
            trend = False
            if len(done) > 1:
                now, before = (LEVEL_RANK[a.final_level] for a in done[:2])
                trend = "up" if now > before else "down" if now < before else "same"
            case.risk_trend = trend

    def _hold_high_risk(self):
        """The cases that are high risk now stay so until the network ends
        the status (see _end_high_risk): called when an assessment is
        completed and before one is reopened."""
        held = self.sudo().filtered(lambda c: c.is_high_risk and not c.high_risk_held)
        if held:
            held._dv_system_write({"high_risk_held": True})

    def _done_assessments(self):
        """The completed risk assessments, the latest first."""
        self.ensure_one()
        return self.assessment_ids.filtered(lambda a: a.state == "done").sorted(
            lambda a: (a.date, a.id), reverse=True
        )

    def _latest_assessment(self):
        return self.sudo()._done_assessments()[:1].with_env(self.env)

    @api.depends("approval_ids.state")
    @api.depends_context("uid")
    def _compute_pending_approval_id(self):
        for case in self:
            pending = case.approval_ids.filtered(lambda a: a.state == "pending")[:1]
            case.pending_approval_id = pending
            case.pending_approval_can_decide = pending.can_decide

    @api.depends("escalated_on", "last_conference_date", "state")
    def _compute_awaiting_conference(self):
        for case in self:
            case.awaiting_conference = bool(
                case.state != "closed"
                and case.escalated_on
                and (
                    not case.last_conference_date
                    or case.last_conference_date < case.escalated_on
                )
            )

    @api.depends(
        "last_conference_date",
        "escalated_on",
        "is_repeat",
        "state",
        "is_high_risk",
        "high_risk_ended_on",
    )
    @api.depends_context("uid")
    def _compute_review_due(self):
        due = self.filtered_domain(self._review_due_domain())
        for case in self:
            case.review_due = case in due

    def _search_review_due(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on cases due for review."))
        domain = self._review_due_domain()
        return domain if (operator == "=") == value else ["!", *domain]

    def _review_due_domain(self):
        year_ago = fields.Date.context_today(self) - timedelta(days=REVIEW_AFTER_DAYS)
        return [
            ("state", "!=", "closed"),
            # Not while the network's end of the high-risk status holds.
            "|",
            ("high_risk_ended_on", "=", False),
            ("is_high_risk", "=", True),
            ("last_conference_date", "!=", False),
            "|",
            ("last_conference_date", "<=", year_ago),
            "&",
            ("is_repeat", "=", True),
            ("awaiting_conference", "=", True),
        ]

    @api.depends_context("uid", "lang")
    def _compute_next_deadline(self):
        cases = self.filtered("id")
        upcoming = self.env["dv.deadline"]._next_for_cases(cases) if cases else {}
        for case in self:
            deadline = upcoming.get(case.id)
            case.next_deadline = (
                f"{deadline.label}: {deadline.remaining}" if deadline else False
            )

    @api.depends("lead_agency_id")
    @api.depends_context("uid")
    def _compute_can_edit(self):
        writable = self._filtered_access("write") if self.ids else self
        for case in self:
            case.can_edit = case in writable

    @api.depends("event_ids")
    def _compute_event_count(self):
        for case in self:
            case.event_count = len(case.event_ids)

    # Constraints

    @api.constrains("user_id", "lead_agency_id")
    def _check_user_in_lead_agency(self):
        for case in self:
            if case.user_id and case.lead_agency_id not in case.user_id.dv_agency_ids:
                raise ValidationError(
                    self.env._(
                        "The responsible person of case %(case)s must be a member of "
                        "its lead agency %(agency)s.",
                        case=case.name,
                        agency=case.lead_agency_id.display_name,
                    )
                )

    @api.constrains("opened_on")
    def _check_opened_on(self):
        today = fields.Date.context_today(self)
        for case in self:
            if case.opened_on > today:
                raise ValidationError(
                    self.env._("A case cannot be opened on a future date.")
                )

    @api.constrains("state", "closure_reason_id", "closed_on")
    def _check_closure(self):
        for case in self:
            closed = case.state == "closed"
            if closed != bool(case.closure_reason_id) or closed != bool(case.closed_on):
                raise ValidationError(
                    self.env._(
                        "A closed case has a reason and a date of closing, an open "
                        "one has neither: close and reopen case %(case)s with its "
                        "buttons.",
                        case=case.name,
                    )
                )

    # CRUD

    def write(self, vals):
        result = super().write(vals)
        if "lead_agency_id" in vals:
            # The agency the case leaves reads it no more, on a replica neither.
            self.env["dv.replica"]._dv_access_withdrawn()
        if vals.get("user_id"):
            # The prompts and the deadline reminders of the case's records go
            # to the new responsible person.
            self.env["mail.activity"].sudo().search(
                [
                    ("dv_deadline_key", "!=", False),
                    "|",
                    ("dv_case_id", "in", self.ids),
                    "&",
                    ("res_model", "=", self._name),
                    ("res_id", "in", self.ids),
                ]
            ).write({"user_id": vals["user_id"]})
        return result

    def _reminder_user(self):
        """Who gets the case's deadline reminders: the responsible person;
        without one, the current user if they work for the lead agency (not
        the mail gateway, say), else the lead agency's coordinators' first."""
        self.ensure_one()
        if self.user_id:
            return self.user_id
        agency = self.lead_agency_id
        if self.env.user in agency.member_ids.user_id:
            return self.env.user
        return (
            agency._members_in_role("coordinator")[:1]
            or agency._members_in_role("caseworker")[:1]
            or self.env.user
        )

    # Actions

    def action_start(self):
        self._dv_move("in_progress", self.env._("Starting"), from_states=("new",))

    def action_open_close_wizard(self):
        self.ensure_one()
        # Only who works the case closes it: say so before any wizard opens.
        self.check_access("write")
        self._dv_check_move("closed", self.env._("Closing"))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Close Case"),
            "res_model": "dv.case.close.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_case_id": self.id},
        }

    def _close(self, reason, outcome, abuse=False, safety=False, approval=None):
        """Close the cases with ``reason``, the text ``outcome`` and the
        outcome at closure (``abuse``: ABUSE_OUTCOMES, ``safety``:
        SAFETY_OUTCOMES); their follow-ups still to do are dropped. A
        high-risk case closes only through ``approval``, the four-eyes
        request to close it being approved (whatever path asks: the close
        wizard, recording a request as not served, ...)."""
        self._dv_check_move("closed", self.env._("Closing"))
        for case in self.filtered("is_high_risk"):
            if not (
                approval
                and approval.case_id == case
                and approval.request_type == "close"
                and approval.state == "pending"
            ):
                raise UserError(
                    self.env._(
                        "Case %(case)s is a high-risk case: it is closed only with "
                        "the approval of a second coordinator. Ask for it with "
                        "Close.",
                        case=case.name,
                    )
                )
        if not reason:
            raise UserError(self.env._("Give the reason for closing the case."))
        self._dv_move(
            "closed",
            self.env._("Closing"),
            {
                "closure_reason_id": reason.id,
                "outcome": outcome,
                "outcome_abuse": abuse,
                "outcome_safety": safety,
                "closed_on": fields.Date.context_today(self),
            },
        )
        self.sudo().followup_ids.filtered(lambda f: not f.done_on)._drop()

    def action_withdraw_approval(self):
        """Take back the case's request awaiting approval."""
        self.ensure_one()
        return self._pending_approval().action_withdraw()

    def action_approve_pending(self):
        self.ensure_one()
        return self._pending_approval().action_approve()

    def action_refuse_pending(self):
        self.ensure_one()
        return self._pending_approval().action_open_refuse_wizard()

    def _pending_approval(self):
        approval = self.pending_approval_id
        if not approval:
            raise UserError(self.env._("No request of the case awaits approval."))
        return approval

    def action_open_approvals(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Approvals"),
            "res_model": "dv.case.approval",
            "view_mode": "list,form",
            "domain": [("case_id", "=", self.id)],
        }

    def _end_high_risk(self, approval):
        """The network's approved decision ``approval`` ends the high-risk
        status of the case: it no longer counts as high risk (lists, the
        dashboard, conference reminders, reviews) until a high risk is
        assessed again."""
        self.ensure_one()
        self._dv_system_write(
            {
                "high_risk_ended_on": fields.Date.context_today(self),
                "high_risk_end_reason": approval.reason,
                "high_risk_end_assessment_id": approval.assessment_id.id,
                "high_risk_held": False,
            }
        )
        # Nothing left to put on a conference for being high risk.
        if not (self.is_repeat or self.is_escalating):
            self.sudo().activity_unlink(
                ["dv_case_management.mail_activity_type_conference"]
            )
        self.env["mail.activity"].sudo().search(
            [
                ("res_model", "=", self._name),
                ("res_id", "=", self.id),
                ("dv_deadline_key", "=", "safety_plan_due"),
            ]
        ).unlink()

    def action_reopen(self):
        self._dv_move(
            "in_progress",
            self.env._("Reopening"),
            {
                "closed_on": False,
                "closure_reason_id": False,
                "outcome": False,
                "outcome_abuse": False,
                "outcome_safety": False,
            },
            from_states=("closed",),
        )
        self.env["dv.case.followup"]._plan_for_cases(self)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            self.env._(
                "Cases are archived, not deleted; personal data is erased by the "
                "retention rules."
            )
        )

    def action_open_access_log(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Who Has Seen This Case"),
            "res_model": "dv.access.log",
            "view_mode": "list",
            "domain": [("case_id", "=", self.id)],
        }

    def _notify_break_glass(self, access):
        """Tell the lead agency's coordinators that someone opened the case
        in an emergency (no personal data in the message)."""
        self.ensure_one()
        self.lead_agency_id._dv_schedule_for_role(
            "coordinator",
            self.sudo(),
            "mail.mail_activity_data_todo",
            lambda env: env._("Emergency access by %(user)s", user=access.user_id.name),
            note=lambda env: env._("Reason given: %(reason)s", reason=access.reason),
        )

    def action_open_safety_plan(self):
        """The case's safety plan; a new one in preparation when it has
        none yet."""
        self.ensure_one()
        plan = self.safety_plan_ids[:1]
        if not plan:
            self.check_access("write")
            plan = self.env["dv.safety.plan"].create({"case_id": self.id})
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Safety Plan"),
            "res_model": "dv.safety.plan",
            "view_mode": "form",
            "res_id": plan.id,
        }

    def action_new_assessment(self):
        """A new risk assessment of the case, on the shipped screening
        checklist, in its own form."""
        self.ensure_one()
        self.check_access("write")
        screening = self.env.ref(
            "dv_case_management.risk_instrument_screening", raise_if_not_found=False
        )
        action = {
            "type": "ir.actions.act_window",
            "name": self.env._("Risk Assessment"),
            "res_model": "dv.risk.assessment",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": {"default_case_id": self.id},
        }
        if screening and screening.active:
            # A draft on the screening checklist, its items ready to answer
            # with one click each.
            assessment = self.env["dv.risk.assessment"].create(
                {"case_id": self.id, "instrument_id": screening.id}
            )
            action["res_id"] = assessment.id
        return action

    def action_open_events(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Appointments"),
            "res_model": "calendar.event",
            "view_mode": "calendar,list,form",
            "domain": [("dv_case_id", "=", self.id)],
            "context": {
                "default_dv_case_id": self.id,
                "default_privacy": "private",
                "default_partner_ids": [self.env.user.partner_id.id],
            },
        }

    # Business methods

    def action_open_erasure_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Erase Now"),
            "res_model": "dv.erasure.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_case_id": self.id},
        }

    def _erase(self, ground, reason, user=None):
        """Erase the identifying data of the cases (names, addresses,
        contact data, free text, attachments, messages, appointments) and
        keep the statistical skeleton (age, sex, relationship, offence
        groups, month, outcome, risk level). Every model inheriting
        ``dv.erasable.mixin`` (the case among them) erases its own records
        of the case, then their messages, activities and attachments go.
        Each case is done whole, marked and logged; erased cases are
        skipped."""
        erasable = self.env["dv.retention"]._erasable_models()
        for case in self.sudo().with_context(
            dv_erasing=True, tracking_disable=True, active_test=False
        ):
            if case.erased_on:
                continue
            # Found before any is erased: erasing may delete records whose
            # traces go afterwards.
            records = [case.env[name]._dv_erasable_records(case) for name in erasable]
            for recordset in records:
                recordset._dv_erase()
            case._erase_traces(records)
            case.write({"erased_on": fields.Date.context_today(case)})
            self.env["dv.erasure.log"].sudo().create(
                {
                    "case_id": case.id,
                    "company_id": case.company_id.id,
                    "reference": case.name,
                    "erasure_ground": ground,
                    "user_id": (user or self.env.user).id,
                    "reason": reason,
                }
            )

    def _erase_traces(self, recordsets):
        """Messages, activities and attachments of the given records."""
        for records in recordsets:
            records._dv_erase_traces()

    @api.model
    def _dv_erasable_domain(self, cases):
        return [("id", "in", cases.ids)]

    def _dv_erase(self):
        """The free text goes, dates keep their month; the reference stays
        (it names nobody and keys the erasure log)."""
        for case in self:
            case.write(
                {
                    "safety_plan": False,
                    "outcome": False,
                    "high_risk_end_reason": False,
                    "opened_on": case.opened_on.replace(day=1),
                    "closed_on": case.closed_on and case.closed_on.replace(day=1),
                }
            )

    def _refer_to_conference(self, when=None):
        """A case that is high risk, a repeat or escalating goes to the next
        case conference: its lead agency's coordinators get an activity.
        ``when`` is the day of the event that made it so (default today)."""
        today = fields.Date.context_today(self)
        when = min(when or today, today)
        for case in self.sudo():
            triggered = case.state != "closed" and (
                case.is_high_risk or case.is_repeat or case.is_escalating
            )
            if not triggered or case.awaiting_conference:
                continue
            if case.last_conference_date and case.last_conference_date >= when:
                continue
            case.escalated_on = when
            case.lead_agency_id._dv_schedule_for_role(
                "coordinator",
                case,
                "dv_case_management.mail_activity_type_conference",
                lambda env: env._("Put the case on the next case conference"),
                date_deadline=today,
            )

    # Prompts: one activity per case and purpose, for the responsible person

    def _dv_prompt(self, key, summary, activity_xmlid, deadline=None):
        """Keep one activity ``key`` on each case (created once, reassigned
        with the responsible person). ``summary(env)`` gives its summary in
        the language of ``env``; it names no one."""
        activity_type = self.env.ref(activity_xmlid)
        Activity = self.env["mail.activity"].sudo()
        today = fields.Date.context_today(self)
        for case in self.sudo():
            if case.state == "closed" or Activity.search_count(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "=", case.id),
                    ("dv_deadline_key", "=", key),
                ],
                limit=1,
            ):
                continue
            user = case._reminder_user()
            case = case.with_context(lang=user.lang or self.env.lang)
            Activity.create(
                {
                    "res_model_id": self.env["ir.model"]._get_id(self._name),
                    "res_id": case.id,
                    "activity_type_id": activity_type.id,
                    "dv_deadline_key": key,
                    "date_deadline": deadline or today,
                    "summary": summary(case.env),
                    "user_id": user.id,
                    "automated": True,
                }
            )

    def _dv_prompt_done(self, key, feedback):
        """The cases' activity ``key`` is done (when there is one)."""
        if not self:
            return
        self.env["mail.activity"].sudo().search(
            [
                ("res_model", "=", self._name),
                ("res_id", "in", self.ids),
                ("dv_deadline_key", "=", key),
            ]
        ).action_feedback(feedback=feedback)

    @api.model
    def _cron_safety_plan_due(self):
        """High-risk cases without a safety plan some days (the company's
        setting) after they became high risk get an activity for their
        responsible person."""
        today = fields.Date.context_today(self)
        cases = self.sudo().search(
            [
                ("state", "!=", "closed"),
                ("is_high_risk", "=", True),
                ("safety_plan_state", "=", "none"),
                ("risk_assessed_on", "!=", False),
            ]
        )
        due = cases.filtered(
            lambda case: (
                case.risk_assessed_on
                + timedelta(days=case.company_id.dv_safety_plan_days)
                <= today
            )
        )
        due._dv_prompt(
            "safety_plan_due",
            lambda env: env._("Make a safety plan with the victim"),
            "dv_case_management.mail_activity_type_safety_plan",
        )
        return len(due)

    def _prompt_youth_office(self):
        """A case with children gets the youth welfare office step, to decide
        and record, and an activity for its responsible person."""
        for case in self.sudo().filtered(
            lambda c: c.has_children and c.state != "closed"
        ):
            children = case.person_ids.filtered(lambda p: p.role == "child")
            notice = case.youth_office_notice_ids.sorted("id")[-1:]
            if not notice:
                self.env["dv.youth.office.notice"].sudo().create(
                    {
                        "case_id": case.id,
                        "child_ids": [fields.Command.set(children.ids)],
                    }
                )
            elif notice.state == "pending" and children - notice.child_ids:
                # A child entered later joins the step still to decide.
                notice.child_ids = [fields.Command.set(children.ids)]
            if case.youth_office_state == "pending":
                case._dv_prompt(
                    "youth_office",
                    lambda env: env._("Decide on informing the youth welfare office"),
                    "dv_case_management.mail_activity_type_youth_office",
                )

    def _propose_weapons_check(self, assessment):
        """A yes on the weapons item of ``assessment``: a weapons check of the
        alleged perpetrator is proposed (unless one is under way) and the
        responsible person asked to decide on it."""
        self.ensure_one()
        if self.state == "closed":
            return self.env["dv.perpetrator.measure"]
        measure_type = (
            self.env["dv.perpetrator.measure.type"]
            .sudo()
            .search([("code", "=", WEAPONS_CHECK)], limit=1)
        )
        if not measure_type:
            return self.env["dv.perpetrator.measure"]
        Measure = self.env["dv.perpetrator.measure"]
        pending = Measure.sudo().search(
            [
                ("case_id", "=", self.id),
                ("type_id", "=", measure_type.id),
                ("status", "in", ("proposed", "open")),
            ],
            limit=1,
        )
        if pending:
            return pending
        perpetrator = self.person_ids.filtered(lambda p: p.role == "perpetrator")[:1]
        with system_write():
            measure = Measure.create(
                {
                    "case_id": self.id,
                    "type_id": measure_type.id,
                    "person_id": perpetrator.id,
                    "user_id": self._reminder_user().id,
                    "due_date": fields.Date.context_today(self)
                    + timedelta(days=WEAPONS_CHECK_DUE_DAYS),
                    "status": "proposed",
                    "assessment_id": assessment.id,
                }
            )
        self._dv_prompt(
            "weapons_check",
            lambda env: env._("Decide on the proposed weapons check"),
            "dv_case_management.mail_activity_type_weapons_check",
        )
        return measure

    def _last_activity(self):
        """When anything last happened in the case (naive UTC)."""
        self.ensure_one()
        moments = [fields.Datetime.to_datetime(self.opened_on)]
        if self.closed_on:
            moments.append(fields.Datetime.to_datetime(self.closed_on))
        moments += self.incident_ids.mapped("date")
        moments += [r.received_at for r in self.referral_ids if r.received_at]
        return max(moments)
