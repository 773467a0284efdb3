from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

RETURN_STATES = [
    ("requested", "Requested"),
    ("submitted", "Submitted"),
    ("overdue", "Overdue"),
]
# A requested return is submitted, or falls overdue at its deadline and is
# submitted late; a submitted one is corrected in place.
RETURN_TRANSITIONS = {
    "requested": ("submitted", "overdue"),
    "overdue": ("submitted",),
}


class DvConferenceContribution(models.Model):
    """An agency's information return on a case on the agenda (the
    Osnabrück model's written contribution, SafeLives' research form): the
    facts it knows, apart from its concerns, and what it can offer. Asked of
    every participating agency when the invitations go out, due some working
    days before the conference; an agency may also contribute unasked."""

    _name = "dv.conference.contribution"
    _inherit = ["dv.guard.mixin", "dv.workflow.mixin", "dv.conference.line.mixin"]
    _description = "Information Return for a Case Conference"
    _dv_immutable_fields = ("line_id", "agency_id")
    _state_transitions = RETURN_TRANSITIONS
    _order = "line_id, id"
    _check_company_auto = True

    case_label = fields.Char(string="Case", related="line_id.label")
    agency_id = fields.Many2one(
        "dv.agency",
        required=True,
        default=lambda self: self.env.user.dv_agency_ids[:1],
        # No agency of another company: its name would show on the return.
        check_company=True,
    )
    # The column of the contributions before returns were structured: what
    # they said are facts.
    text = fields.Text(
        string="Facts",
        help="What happened and what the agency knows (dates, incidents, "
        "measures, contacts), without opinions.",
    )
    concerns = fields.Text(
        string="Concerns and Risk",
        help="The agency's assessment of the risk and what worries it: opinion, "
        "kept apart from the facts.",
    )
    offer = fields.Text(
        string="What We Can Offer",
        help="Support, measures or information the agency can contribute.",
    )
    state = fields.Selection(
        RETURN_STATES,
        string="Status",
        required=True,
        default="submitted",
        readonly=True,
        index=True,
    )
    due_date = fields.Date(string="Due", readonly=True)
    submitted_on = fields.Date(readonly=True)
    shared = fields.Boolean(
        readonly=True,
        help="Shared by the coordinator with all participants; before that only "
        "the coordinator and the contributing agency read it.",
    )

    @api.constrains("state", "text", "concerns", "offer")
    def _check_content(self):
        for contribution in self:
            if contribution.state == "submitted" and not contribution._has_content():
                raise ValidationError(
                    self.env._(
                        "A return says what the agency knows, its concerns or what "
                        "it can offer."
                    )
                )

    def _has_content(self):
        self.ensure_one()
        return any(
            (value or "").strip() for value in (self.text, self.concerns, self.offer)
        )

    @api.depends("agency_id", "case_label")
    def _compute_display_name(self):
        for contribution in self:
            contribution.display_name = self.env._(
                "Return of %(agency)s on %(case)s",
                agency=contribution.agency_id.short_name
                or contribution.agency_id.name
                or "",
                case=contribution.case_label or "",
            )

    # CRUD

    @api.model_create_multi
    def create(self, vals_list):
        contributions = super().create(vals_list)
        # Contributed unasked: submitted today.
        contributions.filtered(
            lambda c: c.state == "submitted" and not c.submitted_on
        )._dv_system_write({"submitted_on": fields.Date.context_today(self)})
        return contributions

    # Actions

    def action_submit(self):
        """The agency hands in its return; the coordinator reads it at once,
        the other participants once it is shared."""
        self._dv_check_move("submitted", self.env._("Submitting the return"))
        self.check_access("write")
        for contribution in self:
            if not contribution._has_content():
                raise UserError(
                    self.env._(
                        "Write what your agency knows, its concerns or what it can "
                        "offer before submitting the return."
                    )
                )
        self._dv_move(
            "submitted",
            self.env._("Submitting the return"),
            {"submitted_on": fields.Date.context_today(self)},
        )
        self._close_todos()
        return True

    def action_share(self):
        agencies = self.env.user.dv_agency_ids
        for contribution in self:
            if contribution.conference_id.organizer_agency_id not in agencies:
                raise UserError(
                    self.env._("Only the organising agency shares contributions.")
                )
            if contribution.state != "submitted":
                raise UserError(
                    self.env._("A return is shared once it has been submitted.")
                )
        self._dv_system_write({"shared": True})

    # Business methods

    def _close_todos(self):
        """An agency's to-do for the returns of a conference is done once it
        has no return of that conference left to submit."""
        Activity = self.env["mail.activity"].sudo()
        todo = self.env.ref("dv_case_management.mail_activity_type_information_return")
        for conference in self.conference_id:
            returns = conference.sudo().line_ids.contribution_ids
            for agency in (self & returns).agency_id:
                if returns.filtered(
                    lambda c, a=agency: c.agency_id == a and c.state != "submitted"
                ):
                    continue
                Activity.search(
                    [
                        ("res_model", "=", "dv.conference"),
                        ("res_id", "=", conference.id),
                        ("activity_type_id", "=", todo.id),
                        ("user_id", "in", agency.member_ids.user_id.ids),
                    ]
                ).action_feedback(
                    feedback=self.env._("All information returns submitted.")
                )

    @api.model
    def _cron_mark_overdue(self):
        """Requested returns past their deadline are overdue."""
        overdue = self.sudo().search(
            [
                ("state", "=", "requested"),
                ("due_date", "<", fields.Date.context_today(self)),
            ]
        )
        overdue._dv_move("overdue", self.env._("Marking as overdue"))
        return len(overdue)

    # Erasure

    def _dv_erase(self):
        """A contribution is nothing but what an agency knows: it goes."""
        self.unlink()
