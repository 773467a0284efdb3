from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .dv_safety_plan import STEP_OWNERS


class DvSafetyPlanStep(models.Model):
    _name = "dv.safety.plan.step"
    _inherit = ["dv.guard.mixin", "dv.reported.status.mixin", "dv.erasable.mixin"]
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

    # Erasure

    def _dv_erase(self):
        """The step keeps its catalogue wording, type, state and dates; the
        note and a wording of one's own go."""
        self.write({"note": False})
        for step in self:
            step.name = step.step_type_id.name or self.env._("Erased")
