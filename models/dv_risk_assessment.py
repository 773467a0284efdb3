from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_date

from .dv_guard import is_case_merge
from .dv_perpetrator_measure import WEAPONS_ITEM
from .dv_risk_instrument import LEVEL_RANK, RISK_LEVELS, max_level

ANSWERS = [("yes", "Yes"), ("no", "No"), ("unknown", "Unknown")]
SOURCES = [
    ("victim", "Victim"),
    ("records", "Records"),
    ("agency", "Other Agency"),
]
EXTERNAL_TOOLS = [
    ("odara", "ODARA"),
    ("dyrias", "DyRiAS"),
    ("sara", "SARA"),
    ("danger_assessment", "Danger Assessment"),
    ("dash", "DASH RIC"),
    ("other", "Other"),
]
# A draft is completed; a coordinator reopens a completed assessment.
ASSESSMENT_TRANSITIONS = {"draft": ("done",), "done": ("draft",)}
# What the merge of two cases changes on a completed assessment: the case
# it belongs to and the person it was made with (see dv_case_merge.py).
MERGE_MOVED_FIELDS = {"case_id", "person_id"}
# Fields of a completed assessment that may still change.
UNLOCKED_FIELDS = {
    "state",
    "activity_ids",
    "message_follower_ids",
    "message_ids",
    "reopen_reason",
}


class DvRiskAssessment(models.Model):
    _name = "dv.risk.assessment"
    _description = "Risk Assessment"
    _inherit = [
        "dv.guard.mixin",
        "dv.workflow.mixin",
        "dv.case.deadline.mixin",
        "dv.erasable.mixin",
    ]
    _state_transitions = ASSESSMENT_TRANSITIONS
    _dv_immutable_fields = ("case_id",)
    _order = "date desc, id desc"
    _check_company_auto = True

    # No check_company: the company is the case's own, and on a new assessment
    # (still without company) it would restrict the choice to cases without
    # a company, i.e. to none.
    case_id = fields.Many2one(
        "dv.case",
        required=True,
        ondelete="cascade",
        index=True,
        auto_join=True,
    )
    company_id = fields.Many2one(related="case_id.company_id", store=True, index=True)
    person_id = fields.Many2one(
        "dv.person",
        string="Person Assessed",
        domain="[('case_id', '=', case_id)]",
        compute="_compute_person_id",
        store=True,
        readonly=False,
    )
    instrument_id = fields.Many2one(
        "dv.risk.instrument", required=True, ondelete="restrict", tracking=True
    )
    instrument_version = fields.Integer(related="instrument_id.version", store=True)
    instrument_type = fields.Selection(related="instrument_id.instrument_type")
    assessor_id = fields.Many2one(
        "res.users", default=lambda self: self.env.user, required=True, tracking=True
    )
    date = fields.Date(required=True, default=fields.Date.context_today)
    state = fields.Selection(
        [("draft", "Draft"), ("done", "Completed")],
        string="Status",
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
    )
    answer_ids = fields.One2many(
        "dv.risk.answer",
        "assessment_id",
        string="Answers",
        compute="_compute_answer_ids",
        store=True,
        readonly=False,
    )
    score = fields.Float(compute="_compute_result", store=True, digits=(6, 2))
    yes_count = fields.Integer(compute="_compute_result", store=True)
    unknown_count = fields.Integer(compute="_compute_result", store=True)
    answered_count = fields.Integer(
        compute="_compute_result",
        store=True,
        help="Items answered yes or no; without any, no level is shown yet.",
    )
    red_flag_count = fields.Integer(compute="_compute_result", store=True)
    band_level = fields.Selection(RISK_LEVELS, compute="_compute_result", store=True)
    computed_level = fields.Selection(
        RISK_LEVELS,
        compute="_compute_result",
        store=True,
        help="The level from the answers: the band of the score, at least high "
        "with a red flag; for external instruments the recorded result.",
    )
    override_level = fields.Selection(
        RISK_LEVELS,
        string="Professional Judgement",
        tracking=True,
        help="May raise the level, never lower it; needs written reasons.",
    )
    override_reason = fields.Text(string="Reasons for the Judgement")
    final_level = fields.Selection(
        RISK_LEVELS, compute="_compute_final_level", store=True, tracking=True
    )
    # External instruments
    external_tool = fields.Selection(EXTERNAL_TOOLS)
    external_level = fields.Selection(RISK_LEVELS, string="External Result")
    external_score = fields.Char()
    report_attachment_ids = fields.Many2many(
        "ir.attachment", string="Report", copy=False
    )
    reopen_reason = fields.Text(readonly=True, copy=False, tracking=True)
    note = fields.Text()

    # Computes

    @api.depends("case_id")
    def _compute_person_id(self):
        for assessment in self:
            if not assessment.person_id or assessment.person_id.case_id != (
                assessment.case_id
            ):
                assessment.person_id = assessment.case_id.victim_id

    @api.depends("instrument_id")
    def _compute_answer_ids(self):
        for assessment in self:
            if assessment.state != "draft":
                continue
            items = assessment.instrument_id.item_ids
            if assessment.answer_ids.item_id == items:
                continue
            assessment.answer_ids = [fields.Command.clear()] + [
                fields.Command.create({"item_id": item.id, "answer": "unknown"})
                for item in items
            ]

    @api.depends(
        "instrument_id.instrument_type",
        "instrument_id.band_ids",
        "answer_ids.answer",
        "answer_ids.item_id",
        "external_level",
    )
    def _compute_result(self):
        for assessment in self:
            instrument = assessment.instrument_id
            yes = assessment.answer_ids.filtered(lambda a: a.answer == "yes")
            assessment.yes_count = len(yes)
            assessment.unknown_count = len(
                assessment.answer_ids.filtered(lambda a: a.answer == "unknown")
            )
            assessment.answered_count = len(assessment.answer_ids) - (
                assessment.unknown_count
            )
            assessment.red_flag_count = len(yes.filtered("item_id.red_flag"))
            if instrument.instrument_type == "external":
                assessment.score = 0
                assessment.band_level = False
                assessment.computed_level = assessment.external_level
                continue
            if instrument.instrument_type == "weighted":
                assessment.score = sum(yes.mapped("item_id.weight"))
            else:
                assessment.score = len(yes)
            assessment.band_level = (
                instrument._level_for_score(assessment.score) if instrument else False
            )
            assessment.computed_level = max_level(
                assessment.band_level,
                "high" if assessment.red_flag_count else False,
            )

    @api.depends("computed_level", "override_level")
    def _compute_final_level(self):
        for assessment in self:
            assessment.final_level = max_level(
                assessment.computed_level, assessment.override_level
            )

    @api.depends("case_id.name", "date")
    def _compute_display_name(self):
        for assessment in self:
            assessment.display_name = self.env._(
                "Risk assessment %(case)s of %(date)s",
                case=assessment.sudo().case_id.name or "",
                date=format_date(self.env, assessment.date) if assessment.date else "",
            )

    # Constraints

    @api.constrains("override_level", "override_reason", "computed_level")
    def _check_override(self):
        for assessment in self.filtered("override_level"):
            if LEVEL_RANK[assessment.override_level] < LEVEL_RANK.get(
                assessment.computed_level, 0
            ):
                raise ValidationError(
                    self.env._(
                        "Professional judgement may raise the level of an "
                        "assessment, never lower it."
                    )
                )
            if not (assessment.override_reason or "").strip():
                raise ValidationError(
                    self.env._("Give written reasons for the professional judgement.")
                )

    @api.constrains("date")
    def _check_date(self):
        today = fields.Date.context_today(self)
        for assessment in self:
            if assessment.date > today:
                raise ValidationError(
                    self.env._("An assessment cannot be dated in the future.")
                )

    @api.constrains("person_id", "case_id")
    def _check_person(self):
        for assessment in self:
            if assessment.person_id and assessment.person_id.case_id != (
                assessment.case_id
            ):
                raise ValidationError(
                    self.env._("The person assessed must belong to the case.")
                )

    # CRUD

    @api.model_create_multi
    def create(self, vals_list):
        instruments = self.env["dv.risk.instrument"].browse(
            [vals["instrument_id"] for vals in vals_list if vals.get("instrument_id")]
        )
        instruments._check_complete()
        return super().create(vals_list)

    def write(self, vals):
        if (
            set(vals) - UNLOCKED_FIELDS
            # The erasure runs as the superuser; a client's context key alone
            # unlocks nothing.
            and not (self.env.su and self.env.context.get("dv_erasing"))
            and not (is_case_merge() and set(vals) <= MERGE_MOVED_FIELDS)
            and self.filtered(lambda a: a.state == "done")
        ):
            raise UserError(
                self.env._(
                    "A completed assessment is locked; a coordinator can reopen it."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        if self.filtered(lambda a: a.state == "done"):
            raise UserError(self.env._("A completed assessment cannot be deleted."))

    # Actions

    def action_done(self):
        self._dv_check_move("done", self.env._("Completing"))
        for assessment in self:
            if assessment.instrument_type == "external":
                if not (assessment.external_tool and assessment.external_level):
                    raise UserError(
                        self.env._(
                            "Record the tool and the result of the external assessment."
                        )
                    )
            elif not assessment.answer_ids or all(
                a.answer == "unknown" for a in assessment.answer_ids
            ):
                raise UserError(
                    self.env._("Answer the items before completing the assessment.")
                )
        self._dv_move("done", self.env._("Completing"))
        self.case_id._hold_high_risk()
        awaiting_before = {a.case_id.id: a.case_id.awaiting_conference for a in self}
        for assessment in self:
            assessment.case_id._refer_to_conference(assessment.date)
            if assessment.answer_ids.filtered(
                lambda answer: (
                    answer.answer == "yes" and answer.item_id.code == WEAPONS_ITEM
                )
            ):
                assessment.case_id._propose_weapons_check(assessment)
        listed = self.case_id.filtered(
            lambda case: case.awaiting_conference and not awaiting_before.get(case.id)
        )
        if listed:
            # Say so: the case is now on the list for the next conference.
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "warning",
                    "sticky": True,
                    "title": self.env._("High risk"),
                    "message": self.env._(
                        "Case %(cases)s is now on the list for the next case "
                        "conference; its lead agency's coordinators have a to-do.",
                        cases=", ".join(listed.mapped("name")),
                    ),
                    "next": {"type": "ir.actions.client", "tag": "soft_reload"},
                },
            }
        return True

    def action_open_reopen_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reopen Assessment"),
            "res_model": "dv.risk.reopen.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_assessment_id": self.id},
        }

    def _reopen(self, reason):
        self.ensure_one()
        if not self.env.user.has_group("dv_case_management.group_dv_coordinator"):
            raise AccessError(
                self.env._("Only a coordinator can reopen a completed assessment.")
            )
        self._dv_check_move("draft", self.env._("Reopening"))
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason for reopening the assessment."))
        # A case high risk now stays so: the draft counts for nothing, and
        # only the network ends the status (four eyes).
        self.case_id._hold_high_risk()
        self._dv_move("draft", self.env._("Reopening"), {"reopen_reason": reason})

    # A completed assessment is due for reassessment after the instrument's
    # interval: its reminder is an activity of the assessment.

    def _deadlines(self):
        days = self.instrument_id.reassessment_days
        due = self.state == "done" and days and self.date + timedelta(days=days)
        return {"reassess": (due or False, self.env._("Risk reassessment due"))}

    # Erasure

    def _dv_erase(self):
        """Instrument, answers, score and levels stay; notes, reasons and
        the attached report go. An override keeps a placeholder reason (it
        requires one)."""
        self.write(
            {
                "note": False,
                "override_reason": self.env._("Erased"),
                "reopen_reason": False,
            }
        )
        self.filtered(lambda a: not a.override_level).write({"override_reason": False})
        self.report_attachment_ids.sudo().unlink()
