"""Whether the victim was told: before the conference that her case is
discussed there, after it what was agreed (or, each time, why not)."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .dv_guard import is_system_write

NOTICE_STAGES = [
    ("before", "Before the Conference"),
    ("after", "Result of the Conference"),
]
NOTICE_OUTCOMES = [
    ("informed", "Informed"),
    ("not_informed", "Not Informed"),
]
NOTICE_CHANNELS = [
    ("in_person", "In Person"),
    ("phone", "By Phone"),
    ("letter", "By Letter"),
    ("other_agency", "Through Another Agency"),
]
HELD_STATES = ("held", "approved", "closed")


class DvConferenceVictimNotice(models.Model):
    """One per agenda item and stage. Recorded by the organising agency or
    the agency leading the case, and read by them only: why she was not told
    may say more about her than the agenda does."""

    _name = "dv.conference.victim.notice"
    _inherit = ["dv.guard.mixin", "dv.conference.line.mixin"]
    _description = "Victim Informed about a Case Conference"
    _dv_immutable_fields = ("line_id", "stage")
    _order = "line_id, stage desc, id"

    case_label = fields.Char(string="Case", related="line_id.label")
    stage = fields.Selection(NOTICE_STAGES, string="About", required=True)
    outcome = fields.Selection(NOTICE_OUTCOMES, required=True, default="informed")
    date = fields.Date(string="On", default=fields.Date.context_today)
    user_id = fields.Many2one(
        "res.users", string="By Whom", default=lambda self: self.env.user
    )
    agency_id = fields.Many2one(
        "dv.agency", default=lambda self: self._default_agency()
    )
    channel = fields.Selection(NOTICE_CHANNELS, string="How")
    reason = fields.Text(
        string="Why Not", help="Why she was not told (unreachable, danger, ...)."
    )

    _sql_constraints = [
        (
            "line_stage_unique",
            "unique(line_id, stage)",
            "Whether the victim was told is recorded once per agenda item and stage.",
        ),
    ]

    @api.constrains(
        "stage",
        "outcome",
        "date",
        "channel",
        "reason",
        "line_id",
        "agency_id",
        "user_id",
    )
    def _check_notice(self):
        # Which agencies take part or lead the case is not told to whoever
        # may not record the notice.
        self._dv_check_access_first()
        today = fields.Date.context_today(self)
        for notice in self:
            if notice.outcome == "informed" and not (notice.date and notice.channel):
                raise ValidationError(self.env._("Say when and how she was told."))
            if (
                notice.outcome == "not_informed"
                and not (notice.reason or "").strip()
                # The erasure of minutes runs as the superuser; a client's
                # context key alone excuses nothing.
                and not (self.env.su and self.env.context.get("dv_erasing"))
            ):
                raise ValidationError(self.env._("Say why she was not told."))
            if notice.date and notice.date > today:
                raise ValidationError(
                    self.env._("She cannot have been told in the future.")
                )
            if (
                notice.stage == "after"
                and notice.line_id.conference_id.sudo().state not in HELD_STATES
            ):
                raise ValidationError(
                    self.env._(
                        "She is told the result once the conference has been held."
                    )
                )
            if notice.agency_id and notice.agency_id not in notice._dv_agencies():
                raise ValidationError(
                    self.env._(
                        "She is told by an agency of the conference or the agency "
                        "leading her case."
                    )
                )
            if not notice.user_id:
                continue
            # Who told her works for the agency named, or without one for an
            # agency that may have told her.
            members = notice.user_id.sudo().dv_agency_ids
            if notice.agency_id and notice.agency_id not in members:
                raise ValidationError(
                    self.env._(
                        "%(user)s is not a member of %(agency)s.",
                        user=notice.user_id.name,
                        agency=notice.agency_id.display_name,
                    )
                )
            if not notice.agency_id and not members & notice._dv_agencies().sudo():
                raise ValidationError(
                    self.env._(
                        "%(user)s works for no agency of the conference nor for "
                        "the agency leading her case.",
                        user=notice.user_id.name,
                    )
                )

    @api.model
    def _default_agency(self):
        """The user's agency, of those that may have told her when the form
        is opened from an agenda item."""
        agencies = self.env.user.dv_agency_ids
        line = self.env["dv.conference.agenda.item"].browse(
            self.env.context.get("default_line_id")
        )
        if isinstance(line.id, int) and line.id:
            allowed = self.new({"line_id": line.id})._dv_agencies()
            agencies = (agencies & allowed) or agencies
        return agencies[:1]

    def _dv_agencies(self):
        """The agencies that may have told her: the conference's organiser
        and participants, the agreed lead and the case's lead agency."""
        self.ensure_one()
        line = self.line_id.sudo()
        return (
            line.conference_id.participant_agency_ids
            | line.conference_id.organizer_agency_id
            | line.lead_agency_id
            | line.case_ref_id.lead_agency_id
        ).with_env(self.env)

    @api.depends("stage", "outcome")
    def _compute_display_name(self):
        stages = dict(self._fields["stage"]._description_selection(self.env))
        outcomes = dict(self._fields["outcome"]._description_selection(self.env))
        for notice in self:
            notice.display_name = (
                f"{stages.get(notice.stage, '')}: {outcomes.get(notice.outcome, '')}"
            )

    # CRUD: telling her the result ends the lead agency's to-do.

    @api.model_create_multi
    def create(self, vals_list):
        if not is_system_write(self.env):
            default = self.env.context.get("default_line_id")
            self._dv_check_lines(
                self.env["dv.conference.agenda.item"].browse(
                    {vals.get("line_id", default) for vals in vals_list} - {False, None}
                )
            )
        notices = super().create(vals_list)
        notices._close_todos()
        return notices

    def _dv_check_lines(self, lines):
        """Notices only on agenda items the user reads or whose case her
        agency leads: the database's answer (one notice per item and stage)
        comes before the record rules and would tell an outsider whether one
        exists."""
        agencies = self.env.user.dv_agency_ids
        others = (lines - lines._filtered_access("read")).sudo()
        others.filtered(
            lambda line: (
                not (
                    line.lead_agency_id in agencies
                    or line.case_ref_id.lead_agency_id in agencies
                )
            )
        ).with_env(self.env).check_access("read")

    def _close_todos(self):
        for notice in self.sudo().filtered(lambda n: n.stage == "after"):
            line = notice.line_id
            line.case_ref_id._dv_prompt_done(
                line._victim_result_key(),
                self.env._("Recorded whether she was told the result."),
            )

    # Erasure

    def _dv_erase(self):
        """Whether, when and how stay for the statistics; why not goes."""
        self.write({"reason": False})
