from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date

from .dv_case_followup import FOLLOWUP_LEAD_DAYS
from .dv_constants import MINUTES_DUE_WORKING_DAYS
from .dv_mixins import schedule_for_users
from .dv_time import working_day_after, working_day_before

CONFERENCE_TYPES = [
    ("scheduled", "Scheduled Conference"),
    ("adhoc", "Ad-hoc Conference"),
]
CONFERENCE_STATES = [
    ("planned", "Planned"),
    ("invited", "Invited"),
    ("held", "Held"),
    ("approved", "Minutes Approved"),
    ("closed", "Closed"),
    ("cancelled", "Cancelled"),
]
# The states a conference may go to from each state; a closed one is final.
CONFERENCE_TRANSITIONS = {
    "planned": ("invited", "held", "cancelled"),
    "invited": ("held", "cancelled"),
    "held": ("approved",),
    "approved": ("closed",),
    "cancelled": ("planned",),
}


class DvConference(models.Model):
    _name = "dv.conference"
    _description = "Case Conference"
    _inherit = [
        "dv.guard.mixin",
        "dv.reference.mixin",
        "dv.workflow.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _state_transitions = CONFERENCE_TRANSITIONS
    _order = "start desc, id desc"
    _check_company_auto = True
    _reference_code = "dv.conference"
    _reference_prefix = "FK"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    conference_type = fields.Selection(
        CONFERENCE_TYPES, required=True, default="scheduled", tracking=True
    )
    state = fields.Selection(
        CONFERENCE_STATES,
        string="Status",
        required=True,
        default="planned",
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    start = fields.Datetime(required=True, tracking=True)
    duration = fields.Float(default=2.0, help="Hours")
    stop = fields.Datetime(compute="_compute_stop", store=True)
    place = fields.Char(tracking=True)
    organizer_agency_id = fields.Many2one(
        "dv.agency",
        string="Organising Agency",
        required=True,
        check_company=True,
        default=lambda self: self.env.user.dv_agency_ids[:1],
        tracking=True,
    )
    chair_id = fields.Many2one(
        "res.users", default=lambda self: self.env.user, tracking=True
    )
    participant_ids = fields.One2many(
        "dv.conference.participant", "conference_id", string="Participants", copy=True
    )
    participant_agency_ids = fields.Many2many(
        "dv.agency",
        "dv_conference_participant_agency_rel",
        "conference_id",
        "agency_id",
        string="Participating Agencies",
        compute="_compute_participant_agency_ids",
        store=True,
    )
    line_ids = fields.One2many(
        "dv.conference.agenda.item", "conference_id", string="Agenda", copy=False
    )
    action_ids = fields.One2many(
        "dv.conference.action", "conference_id", string="Actions", copy=False
    )
    return_ids = fields.One2many(
        "dv.conference.contribution",
        "conference_id",
        string="Information Returns",
        readonly=True,
        copy=False,
    )
    event_id = fields.Many2one("calendar.event", readonly=True, copy=False)
    held_on = fields.Date(readonly=True, copy=False)
    minutes_due = fields.Date(readonly=True, copy=False)
    minutes_approved_on = fields.Date(readonly=True, copy=False)
    note = fields.Html(string="General Notes")
    # Information returns and the victim told: counts for every participant.
    return_overdue_count = fields.Integer(
        string="Overdue Returns", compute="_compute_return_counts"
    )
    return_open_count = fields.Integer(
        string="Returns to Come", compute="_compute_return_counts"
    )
    victim_notice_missing_count = fields.Integer(
        string="Victim Not Yet Told",
        compute="_compute_victim_notice_missing_count",
        help="Agenda items without a record whether the victim was told (before "
        "the conference that her case is discussed, after it the result).",
    )
    minutes_erased = fields.Boolean(readonly=True, copy=False)

    @api.depends("start", "duration")
    def _compute_stop(self):
        for conference in self:
            conference.stop = (
                conference.start + timedelta(hours=conference.duration or 1)
                if conference.start
                else False
            )

    @api.depends("participant_ids.agency_id", "organizer_agency_id")
    def _compute_participant_agency_ids(self):
        for conference in self:
            conference.participant_agency_ids = (
                conference.participant_ids.agency_id | conference.organizer_agency_id
            )

    @api.depends("return_ids.state")
    def _compute_return_counts(self):
        for conference in self:
            states = conference.sudo().line_ids.contribution_ids.mapped("state")
            conference.return_overdue_count = states.count("overdue")
            conference.return_open_count = states.count("requested") + states.count(
                "overdue"
            )

    @api.depends("state", "line_ids.victim_notice_ids.stage")
    def _compute_victim_notice_missing_count(self):
        for conference in self:
            lines = conference.line_ids.sudo()
            field = (
                "victim_informed_after"
                if conference.state in ("held", "approved", "closed")
                else "victim_informed_before"
            )
            conference.victim_notice_missing_count = len(
                lines.filtered(lambda x, f=field: not x[f])
            )

    @api.constrains("duration")
    def _check_duration(self):
        for conference in self:
            if not 0 < conference.duration <= 24:
                raise ValidationError(
                    self.env._("A conference lasts between a few minutes and a day.")
                )

    # CRUD: the calendar event follows the conference.

    @api.model_create_multi
    def create(self, vals_list):
        conferences = super().create(vals_list)
        conferences._sync_event()
        # High-risk cases awaiting a conference, open actions and reviews
        # are proposed at once; the button adds what came up since.
        if not self.env.context.get("dv_no_agenda_proposal"):
            for conference in conferences:
                conference.action_propose_agenda()
        return conferences

    def write(self, vals):
        res = super().write(vals)
        if {
            "start",
            "duration",
            "place",
            "conference_type",
            "participant_ids",
            "chair_id",
        } & set(vals) or "state" in vals:
            self._sync_event()
        if "organizer_agency_id" in vals:
            # The former organiser reads the returns and notices no more, on
            # a replica neither.
            self.env["dv.replica"]._dv_access_withdrawn()
        return res

    def _event_partners(self):
        self.ensure_one()
        partners = (
            self.participant_ids.user_id.partner_id | self.participant_ids.partner_id
        )
        return partners | self.chair_id.partner_id

    def _sync_event(self):
        """One calendar event per conference, titled with the reference only:
        no case and no name of a person ever appears in it."""
        labels = dict(self._fields["conference_type"]._description_selection(self.env))
        for conference in self.sudo():
            if conference.state == "cancelled":
                conference.event_id.active = False
                continue
            values = {
                "active": True,
                "name": f"{labels[conference.conference_type]} {conference.name}",
                "start": conference.start,
                "stop": conference.stop,
                "location": conference.place or False,
                "description": False,
                "privacy": "private",
                "user_id": conference.chair_id.id,
                "partner_ids": [fields.Command.set(conference._event_partners().ids)],
            }
            if conference.event_id:
                conference.event_id.with_context(dont_notify=True).write(values)
            else:
                conference.event_id = (
                    self.env["calendar.event"]
                    .sudo()
                    .with_context(no_mail_to_attendees=True)
                    .create(values)
                )

    # Transitions

    def action_invite(self):
        self._dv_check_move("invited", self.env._("Inviting"))
        for conference in self:
            if not conference.participant_ids:
                raise UserError(self.env._("Add the participants before inviting."))
        self._dv_system_write({"state": "invited"})
        self.action_request_returns()
        invited = self.env["res.partner"]
        for conference in self.sudo():
            attendees = conference.event_id.attendee_ids
            attendees._send_invitation_emails()
            invited |= attendees.partner_id
        # Say whom: as Calendar lists its attendees.
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "title": self.env._("Invitations sent"),
                "message": self.env._(
                    "Invited: %(names)s. Their answers show under Participants.",
                    names=", ".join(sorted(invited.mapped("name"))),
                ),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def action_sign_all_present(self):
        """Every participant present signed the confidentiality statement
        today (as they do at the start of the meeting)."""
        self._dv_check_state(
            ("planned", "invited"), self.env._("Recording the signatures")
        )
        today = fields.Date.context_today(self)
        self.participant_ids.filtered(
            lambda p: p.attended and not p.confidentiality_signed_on
        ).write({"confidentiality_signed_on": today})
        return True

    def action_held(self):
        self._dv_check_move("held", self.env._("Marking as held"))
        today = fields.Date.context_today(self)
        for conference in self:
            day = fields.Date.context_today(self, conference.start)
            if day > today:
                raise UserError(
                    self.env._(
                        "Conference %(ref)s takes place on %(date)s; it can be marked "
                        "as held from that day. If it took place earlier, change its "
                        "date first.",
                        ref=conference.name,
                        date=format_date(self.env, day),
                    )
                )
            unsigned = conference.participant_ids.filtered(
                lambda p: p.attended and not p.confidentiality_signed_on
            )
            if unsigned:
                raise UserError(
                    self.env._(
                        "Every participant signs the confidentiality statement; "
                        "missing: %(names)s.",
                        names=", ".join(unsigned.mapped("display_name")),
                    )
                )
        for conference in self:
            due = conference._minutes_due_date()
            held = fields.Date.context_today(self, conference.start)
            conference._dv_system_write(
                {"state": "held", "held_on": held, "minutes_due": due}
            )
            cases = conference.sudo().line_ids.case_ref_id
            cases.write({"last_conference_date": held})
            conference.sudo().line_ids._apply_lead_institution()
            # The cases were discussed: their "put on the next conference"
            # to-dos are done.
            cases.activity_feedback(
                ["dv_case_management.mail_activity_type_conference"]
            )
            # Follow-ups 3, 6 and 12 months on; one due soon (a conference
            # recorded late) is asked for at once.
            followups = self.env["dv.case.followup"]._plan_for_cases(cases)
            followups.filtered(
                lambda f: f.due_date <= today + timedelta(days=FOLLOWUP_LEAD_DAYS)
            )._prompt()
            conference._log_disclosures()
            # Returns not in by now come too late for the meeting: their
            # to-dos go; the victim is to be told the result.
            conference.sudo().activity_ids.filtered(
                lambda a: (
                    a.activity_type_id
                    == self.env.ref(
                        "dv_case_management.mail_activity_type_information_return"
                    )
                )
            ).unlink()
            conference.line_ids._prompt_victim_result()
            schedule_for_users(
                conference,
                conference.chair_id or self.env.user,
                "dv_case_management.mail_activity_type_minutes",
                lambda env: env._("Minutes of the case conference due"),
                date_deadline=due,
            )

    def _log_disclosures(self):
        """A case discussed by name was disclosed to every participating
        agency other than its lead."""
        self.ensure_one()
        values = []
        for line in self.sudo().line_ids.filtered(lambda x: x.release_basis != "none"):
            case = line.case_ref_id
            for agency in self.participant_agency_ids - case.lead_agency_id:
                values.append(
                    {
                        "case_id": case.id,
                        "company_id": case.company_id.id,
                        "agency_id": agency.id,
                        "legal_basis": "release"
                        if line.release_basis == "release"
                        else "statute",
                        "legal_norm": line.legal_norm,
                        "source": self.name,
                    }
                )
        self.env["dv.disclosure"].sudo().create(values)

    def action_approve_minutes(self):
        self._dv_check_move("approved", self.env._("Approving the minutes"))
        self._dv_system_write(
            {
                "state": "approved",
                "minutes_approved_on": fields.Date.context_today(self),
            }
        )
        self.activity_feedback(["dv_case_management.mail_activity_type_minutes"])
        for conference in self:
            conference._notify_minutes()

    def action_close(self):
        self._dv_move("closed", self.env._("Closing"))

    def action_cancel(self):
        self._dv_move("cancelled", self.env._("Cancelling"))

    def action_reset(self):
        self._dv_move("planned", self.env._("Planning again"))

    # Agenda

    def action_propose_agenda(self):
        """Add the cases that practice puts on a conference, in its order:
        open actions from earlier conferences, new cases with children, new
        cases with adults only, cases due for their review."""
        self.ensure_one()
        self._dv_check_state(("planned", "invited"), self.env._("Proposing the agenda"))
        Case = self.env["dv.case"]
        listed = self.sudo().line_ids.case_ref_id
        open_actions = self.env["dv.conference.action"].search(
            [("status", "=", "open"), ("conference_id", "!=", self.id)]
        )
        candidates = [
            ("open_actions", open_actions.sudo().line_id.case_ref_id),
            (
                "new",
                Case.search([("awaiting_conference", "=", True)]),
            ),
            ("review", Case.search([("review_due", "=", True)])),
        ]
        values = []
        for reason, cases in candidates:
            for case in cases.with_env(self.env):
                if case in listed or not case.active:
                    continue
                listed |= case
                values.append(
                    {"conference_id": self.id, "case_ref_id": case.id, "reason": reason}
                )
        # In the order of practice, so that the pseudonyms (Case A, B, ...)
        # follow the agenda.
        Line = self.env["dv.conference.agenda.item"]
        values.sort(
            key=lambda vals: Line._agenda_rank(
                vals["reason"], Case.browse(vals["case_ref_id"]).sudo().has_children
            )
        )
        Line.create(values)
        return True

    # Information returns

    def action_request_returns(self):
        """Ask every participating agency for its information return on every
        case on the agenda, due some working days (the company's setting)
        before the conference; each agency's participants (or, without any,
        its members) get a to-do. Asked once per agency and agenda item, so
        the button asks only for what was added since."""
        self._dv_check_state(
            ("planned", "invited"), self.env._("Requesting information returns")
        )
        self.check_access("write")
        Return = self.env["dv.conference.contribution"].sudo()
        for conference in self:
            due = conference._returns_due_date()
            asked = {
                (contribution.line_id.id, contribution.agency_id.id)
                for contribution in conference.sudo().line_ids.contribution_ids
            }
            values = [
                {
                    "line_id": line.id,
                    "agency_id": agency.id,
                    "state": "requested",
                    "due_date": due,
                }
                for line in conference.sudo().line_ids
                for agency in conference.participant_agency_ids
                if (line.id, agency.id) not in asked
            ]
            for agency in Return.create(values).agency_id:
                conference._schedule_return_todo(agency, due)
        return True

    def _returns_due_date(self):
        """The company's number of working days before the conference, on
        the organising agency's calendar; today at the earliest."""
        self.ensure_one()
        day = fields.Date.context_today(self, self.start)
        count = self.company_id.dv_return_working_days
        calendar = self.organizer_agency_id.resource_calendar_id
        due = working_day_before(calendar, day, count) or working_day_before(
            None, day, count
        )
        return max(due, fields.Date.context_today(self))

    def _schedule_return_todo(self, agency, due):
        """A to-do for the agency's participants (or its members), unless
        they have one for this conference already."""
        todo = self.env.ref("dv_case_management.mail_activity_type_information_return")
        users = self.participant_ids.filtered(
            lambda p: p.agency_id == agency
        ).user_id or agency._members_in_role("network")
        users -= (
            self.sudo()
            .activity_ids.filtered(lambda a: a.activity_type_id == todo)
            .user_id
        )
        schedule_for_users(
            self,
            users,
            "dv_case_management.mail_activity_type_information_return",
            lambda env: env._(
                "Information returns for case conference %(ref)s", ref=self.name
            ),
            date_deadline=due,
        )

    # Minutes

    def _minutes_due_date(self):
        """Three working days after the conference, on the organising
        agency's working calendar when it has one."""
        self.ensure_one()
        day = fields.Date.context_today(self, self.start)
        calendar = self.organizer_agency_id.resource_calendar_id
        # A calendar with too few working days counts Monday to Friday.
        return working_day_after(
            calendar, day, MINUTES_DUE_WORKING_DAYS
        ) or working_day_after(None, day, MINUTES_DUE_WORKING_DAYS)

    def _notify_minutes(self):
        """Tell the participants that the minutes are approved: the message
        carries the conference's reference only, no personal data."""
        self.ensure_one()
        partners = self._event_partners().filtered(lambda p: p.email)
        for lang in set(partners.mapped("lang")) or {self.env.lang}:
            group = partners.filtered(lambda p, lang=lang: p.lang == lang)
            env = self.with_context(lang=lang).env
            self.with_context(lang=lang).message_post(
                subject=env._("Minutes approved: %(ref)s", ref=self.name),
                body=env._(
                    "The minutes of case conference %(ref)s are approved and can be "
                    "read in the application.",
                    ref=self.name,
                ),
                partner_ids=group.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )

    def _erase_minutes(self):
        """After the retention period of minutes: the free text of the
        agenda and the messages go; dates, agencies and counts remain."""
        for conference in self.sudo().with_context(tracking_disable=True):
            lines = conference.line_ids
            lines._dv_erase()
            lines.contribution_ids._dv_erase()
            lines.victim_notice_ids.with_context(dv_erasing=True)._dv_erase()
            lines.action_ids._dv_erase()
            self.env["mail.message"].search(
                [("model", "=", self._name), ("res_id", "=", conference.id)]
            ).unlink()
            conference.write({"note": False, "minutes_erased": True})
            self.env["dv.erasure.log"].create(
                {
                    "company_id": conference.company_id.id,
                    "reference": conference.name,
                    "erasure_ground": "minutes",
                    "user_id": self.env.user.id,
                }
            )

    def _minutes_lines(self):
        """The agenda as the minutes show it to every participant: cases by
        pseudonym unless discussed by name, shared contributions only."""
        self.ensure_one()
        reasons = dict(
            self.env["dv.conference.agenda.item"]
            ._fields["reason"]
            ._description_selection(self.env)
        )
        # The minutes name the cases discussed by name (and their victim):
        # whoever prints them read those cases.
        named = self.line_ids.filtered(lambda x: x.release_basis != "none")
        self.env["dv.access.log"]._log(named.sudo().case_ref_id)
        return [
            {
                "label": line._public_label(),
                "reason": reasons.get(line.reason),
                "facts": line.facts,
                "decisions": line.decisions,
                "lead": line.lead_agency_id.display_name,
                "actions": line.action_ids,
            }
            for line in self.line_ids.sorted(
                lambda x: (x.agenda_rank, x.sequence, x.id)
            )
        ]

    def action_print_minutes(self):
        self.ensure_one()
        return self.env.ref(
            "dv_case_management.action_report_conference_minutes"
        ).report_action(self)
