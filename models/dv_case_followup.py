"""Follow-up after a case conference: 3, 6 and 12 months after a case's last
conference, its responsible person asks whether there were new incidents or
police call-outs and how the victim rates her safety now, and records the
answers here."""

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

FOLLOWUP_MONTHS = [("3", "3 Months"), ("6", "6 Months"), ("12", "12 Months")]
YES_NO_UNKNOWN = [("yes", "Yes"), ("no", "No"), ("unknown", "Unknown")]
SAFETY_RATINGS = [
    ("better", "Safer"),
    ("same", "Unchanged"),
    ("worse", "Less Safe"),
    ("unknown", "Unknown"),
]
# A follow-up's activity is given to the responsible person this many days
# before it falls due.
FOLLOWUP_LEAD_DAYS = 7


class DvCaseFollowup(models.Model):
    _name = "dv.case.followup"
    _inherit = ["dv.guard.mixin", "dv.erasable.mixin"]
    _description = "Follow-up after a Case Conference"
    _dv_immutable_fields = ("case_id",)
    _order = "due_date, id"

    case_id = fields.Many2one(
        "dv.case", required=True, ondelete="cascade", index=True, auto_join=True
    )
    company_id = fields.Many2one(related="case_id.company_id", store=True, index=True)
    conference_date = fields.Date(
        string="After the Conference of",
        required=True,
        readonly=True,
        help="The case conference the follow-up comes after.",
    )
    months = fields.Selection(
        FOLLOWUP_MONTHS, string="After", required=True, readonly=True
    )
    due_date = fields.Date(required=True, readonly=True, index=True)
    done_on = fields.Date(readonly=True, copy=False, index=True)
    new_incidents = fields.Selection(
        YES_NO_UNKNOWN,
        help="Were there new incidents since the conference?",
    )
    police_callouts = fields.Selection(
        YES_NO_UNKNOWN,
        string="Police Call-outs",
        help="Were the police called out since the conference?",
    )
    police_callout_count = fields.Integer(
        string="Number of Call-outs", help="How many, when known."
    )
    safety_rating = fields.Selection(
        SAFETY_RATINGS,
        string="Her Own Sense of Safety",
        help="How the victim herself rates her safety compared with the time of "
        "the conference.",
    )
    note = fields.Text()
    state = fields.Selection(
        [("due", "To Do"), ("done", "Done")],
        string="Status",
        compute="_compute_state",
        store=True,
        index=True,
    )

    _sql_constraints = [
        (
            "case_conference_months_unique",
            "unique(case_id, conference_date, months)",
            "A case has one follow-up per conference and interval.",
        ),
    ]

    @api.depends("done_on")
    def _compute_state(self):
        for followup in self:
            followup.state = "done" if followup.done_on else "due"

    @api.depends("months", "due_date")
    def _compute_display_name(self):
        labels = dict(self._fields["months"]._description_selection(self.env))
        for followup in self:
            followup.display_name = self.env._(
                "Follow-up after %(months)s", months=labels.get(followup.months, "")
            )

    @api.constrains("police_callout_count", "police_callouts")
    def _check_callouts(self):
        for followup in self:
            if followup.police_callout_count < 0:
                raise ValidationError(
                    self.env._("The number of police call-outs cannot be negative.")
                )
            if followup.police_callout_count and followup.police_callouts != "yes":
                raise ValidationError(
                    self.env._("A number of police call-outs goes with the answer Yes.")
                )

    # Actions

    def action_done(self):
        """Record the follow-up as done today; its activity is done too."""
        for followup in self:
            if followup.done_on:
                raise UserError(self.env._("The follow-up is already recorded."))
            missing = [
                followup._fields[name]._description_string(self.env)
                for name in ("new_incidents", "police_callouts", "safety_rating")
                if not followup[name]
            ]
            if missing:
                raise UserError(
                    self.env._(
                        "Answer every question of the follow-up (Unknown where "
                        "nobody knows): %(fields)s.",
                        fields=", ".join(missing),
                    )
                )
        self._dv_system_write({"done_on": fields.Date.context_today(self)})
        for followup in self:
            followup.case_id._dv_prompt_done(
                followup._activity_key(),
                self.env._("The follow-up was recorded."),
            )

    def action_reopen(self):
        """Correct a recorded follow-up: it is to do again."""
        for followup in self:
            if not followup.done_on:
                raise UserError(self.env._("The follow-up is not recorded yet."))
        self._dv_system_write({"done_on": False})

    # Business methods

    def _activity_key(self):
        self.ensure_one()
        return f"followup_{self.id}"

    @api.model
    def _plan_for_cases(self, cases):
        """Follow-ups 3, 6 and 12 months after the last conference of each
        open case: those still to do of an earlier conference give way."""
        values = []
        for case in cases.sudo().filtered(
            lambda c: c.last_conference_date and c.state != "closed"
        ):
            held = case.last_conference_date
            existing = case.followup_ids
            stale = existing.filtered(
                lambda f, held=held: not f.done_on and f.conference_date != held
            )
            stale._drop()
            existing -= stale
            planned = set(
                existing.filtered(
                    lambda f, held=held: f.conference_date == held
                ).mapped("months")
            )
            for key, _label in FOLLOWUP_MONTHS:
                if key not in planned:
                    values.append(
                        {
                            "case_id": case.id,
                            "conference_date": held,
                            "months": key,
                            "due_date": held + relativedelta(months=int(key)),
                        }
                    )
        if not values:
            return self.browse()
        return self.sudo().create(values)

    def _drop(self):
        """Follow-ups that will not be done, and their activities."""
        for followup in self:
            self.env["mail.activity"].sudo().search(
                [
                    ("res_model", "=", "dv.case"),
                    ("res_id", "=", followup.case_id.id),
                    ("dv_deadline_key", "=", followup._activity_key()),
                ]
            ).unlink()
        self.sudo().unlink()

    def _dv_erase(self):
        """The answers stay for the statistics (new incidents, call-outs, her
        rating); the note goes."""
        self.write({"note": False})

    @api.model
    def _cron_followup_due(self):
        """Open cases whose last conference has no follow-ups yet get them;
        follow-ups falling due within a week get an activity for the case's
        responsible person."""
        cases = (
            self.env["dv.case"]
            .sudo()
            .search([("state", "!=", "closed"), ("last_conference_date", "!=", False)])
        )
        self._plan_for_cases(
            cases.filtered(
                lambda c: (
                    c.last_conference_date
                    not in c.followup_ids.mapped("conference_date")
                )
            )
        )
        today = fields.Date.context_today(self)
        due = self.sudo().search(
            [
                ("done_on", "=", False),
                ("due_date", "<=", today + relativedelta(days=FOLLOWUP_LEAD_DAYS)),
                ("case_id.state", "!=", "closed"),
            ]
        )
        due._prompt()
        return len(due)

    def _prompt(self):
        """An activity for the case's responsible person per follow-up (its
        summary names no one)."""
        field = self._fields["months"]
        for followup in self:
            months = followup.months
            followup.case_id._dv_prompt(
                followup._activity_key(),
                lambda env, months=months: env._(
                    "Follow-up %(months)s after the case conference: new incidents, "
                    "police call-outs, her sense of safety",
                    months=dict(field._description_selection(env))[months],
                ),
                "dv_case_management.mail_activity_type_followup",
                deadline=followup.due_date,
            )
