"""Measures on the perpetrator's side, agreed alongside the victim's safety
plan: a police warning talk, checking and withdrawing weapons with the
weapons authority, a perpetrator programme, a criminal complaint, custody."""

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date

MEASURE_STATUSES = [
    ("proposed", "Proposed"),
    ("open", "Agreed"),
    ("done", "Done"),
    ("not_possible", "Not Possible (Circumstances Changed)"),
    ("not_done", "Not Done"),
    ("dismissed", "Not Pursued"),
]
# The statuses a measure moves to from each status.
MEASURE_TRANSITIONS = {
    "proposed": ("open", "dismissed"),
    "open": ("done", "not_possible", "not_done"),
    "done": ("open",),
    "not_possible": ("open",),
    "not_done": ("open",),
    "dismissed": ("proposed",),
}
OUTCOMES = [
    ("carried_out", "Carried Out"),
    ("weapons_withdrawn", "Weapons Withdrawn"),
    ("no_weapons", "No Weapons Held"),
    ("refused", "Refused or Evaded"),
    ("broken_off", "Broken Off"),
    ("other", "Other"),
]
# The catalogue entry a weapons check is, and the risk item whose yes
# proposes one.
WEAPONS_CHECK = "weapons_check"
WEAPONS_ITEM = "weapon"


class DvPerpetratorMeasure(models.Model):
    _name = "dv.perpetrator.measure"
    _inherit = [
        "dv.guard.mixin",
        "dv.workflow.mixin",
        "dv.case.deadline.mixin",
        "dv.erasable.mixin",
    ]
    _state_field = "status"
    _state_transitions = MEASURE_TRANSITIONS
    _description = "Perpetrator-side Measure"
    _dv_immutable_fields = ("case_id",)
    _order = "due_date, id"

    case_id = fields.Many2one(
        "dv.case", required=True, ondelete="cascade", index=True, auto_join=True
    )
    company_id = fields.Many2one(related="case_id.company_id", store=True, index=True)
    type_id = fields.Many2one(
        "dv.perpetrator.measure.type",
        string="Measure",
        required=True,
        ondelete="restrict",
        index=True,
    )
    type_code = fields.Char(related="type_id.code")
    person_id = fields.Many2one(
        "dv.person",
        string="Alleged Perpetrator",
        domain="[('case_id', '=', case_id), ('role', '=', 'perpetrator')]",
    )
    agency_id = fields.Many2one(
        "dv.agency",
        string="Responsible Agency",
        help="e.g. the police for a warning talk, the weapons authority for a "
        "weapons check, the perpetrator programme.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        domain="[('share', '=', False)]",
        default=lambda self: self.env.user,
    )
    due_date = fields.Date(required=True, default=fields.Date.context_today)
    status = fields.Selection(
        MEASURE_STATUSES,
        default="open",
        required=True,
        readonly=True,
        copy=False,
        index=True,
    )
    reported_on = fields.Date(readonly=True, copy=False)
    done_in_time = fields.Boolean(compute="_compute_done_in_time", store=True)
    outcome = fields.Selection(OUTCOMES, copy=False)
    outcome_note = fields.Text(string="Outcome Details", copy=False)
    assessment_id = fields.Many2one(
        "dv.risk.assessment",
        string="Proposed by Assessment",
        readonly=True,
        copy=False,
        ondelete="set null",
        help="The risk assessment whose answer proposed the measure.",
    )

    @api.depends("status", "reported_on", "due_date")
    def _compute_done_in_time(self):
        for measure in self:
            measure.done_in_time = bool(
                measure.status == "done"
                and measure.reported_on
                and measure.reported_on <= measure.due_date
            )

    def _compute_display_name(self):
        for measure in self:
            measure.display_name = measure.sudo().type_id.name or ""

    @api.constrains("person_id")
    def _check_person(self):
        for measure in self:
            if measure.person_id and measure.person_id.role != "perpetrator":
                raise ValidationError(
                    self.env._("The measure is aimed at the alleged perpetrator.")
                )

    # Actions

    def _move(self, status, action, values=None):
        self._dv_check_move(status, action)
        self.check_access("write")
        today = fields.Date.context_today(self)
        reported = status in ("done", "not_possible", "not_done")
        return self._dv_move(
            status, action, dict(values or {}, reported_on=today if reported else False)
        )

    def action_agree(self):
        result = self._move("open", self.env._("Agreeing"))
        self.case_id._dv_prompt_done(
            "weapons_check", self.env._("The weapons check was agreed.")
        )
        return result

    def action_dismiss(self):
        result = self._move("dismissed", self.env._("Not pursuing"))
        self.case_id._dv_prompt_done(
            "weapons_check", self.env._("The weapons check is not pursued.")
        )
        return result

    def action_mark_done(self):
        for measure in self:
            if not measure.outcome:
                raise UserError(self.env._("Record the outcome of the measure."))
        return self._move("done", self.env._("Marking as done"))

    def action_mark_not_possible(self):
        return self._move("not_possible", self.env._("Marking as not possible"))

    def action_mark_not_done(self):
        return self._move("not_done", self.env._("Marking as not done"))

    def action_reopen(self):
        for measure in self:
            if measure.status == "dismissed":
                measure._move("proposed", self.env._("Reopening"))
            else:
                measure._move("open", self.env._("Reopening"))
        return True

    # The due date of a measure still to be taken is a deadline of the case.

    def _deadlines(self):
        date = self.due_date if self.status in ("proposed", "open") else False
        return {
            "due": (
                date,
                self.env._(
                    "%(measure)s due on %(date)s",
                    measure=self.sudo().type_id.name or "",
                    date=format_date(self.env, date) if date else "",
                ),
            )
        }

    # Erasure

    def _dv_erase(self):
        """Type, agency, due date, status and outcome stay; the note on
        the outcome goes."""
        self.write({"outcome_note": False})
