from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .dv_guard import is_system_write
from .dv_mixins import schedule_for_users


class DvConferenceAction(models.Model):
    """An agreed action: what, which agency, who, by when. The owner agency
    sees and updates its actions without seeing more of the case than its
    own access allows."""

    _name = "dv.conference.action"
    _description = "Conference Action"
    _inherit = [
        "dv.guard.mixin",
        "dv.reported.status.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "dv.conference.line.mixin",
    ]
    _dv_immutable_fields = ("line_id",)
    _order = "due_date, id"

    case_label = fields.Char(string="Case", compute="_compute_case_label")
    name = fields.Char(string="Action", required=True, tracking=True)
    perpetrator_measure_type_id = fields.Many2one(
        "dv.perpetrator.measure.type",
        string="Perpetrator-side Measure",
        tracking=True,
        index=True,
        help="When the action is a measure on the perpetrator's side: which "
        "kind (warning talk, weapons check, perpetrator programme, ...).",
    )
    owner_agency_id = fields.Many2one(
        "dv.agency", required=True, index=True, tracking=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        domain="[('dv_agency_ids', 'in', owner_agency_id)]",
        tracking=True,
    )
    due_date = fields.Date(required=True, tracking=True)
    status = fields.Selection(tracking=True)
    reported_on = fields.Date(readonly=True, tracking=True)
    report = fields.Text()
    is_overdue = fields.Boolean(
        compute="_compute_is_overdue", search="_search_is_overdue"
    )
    done_in_time = fields.Boolean(compute="_compute_done_in_time", store=True)
    can_manage = fields.Boolean(
        compute="_compute_can_manage",
        help="The current user coordinates the organising agency: she changes "
        "what, who and by when.",
    )

    @api.depends_context("uid")
    def _compute_can_manage(self):
        agencies = self.env.user.dv_agency_ids
        coordinator = self.env.user.has_group("dv_case_management.group_dv_coordinator")
        for action in self:
            action.can_manage = coordinator and (
                action.conference_id.organizer_agency_id in agencies
            )

    @api.depends("line_id")
    @api.depends_context("uid")
    def _compute_case_label(self):
        """The reference and name for those who may read the case, else what
        every participant reads (the pseudonym unless discussed by name)."""
        for action in self:
            line = action.line_id.sudo()
            case = line.case_ref_id.with_env(self.env)
            visible = bool(case) and case.has_access("read")
            action.case_label = line._named_label() if visible else line._public_label()

    @api.depends("status", "due_date")
    @api.depends_context("uid")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for action in self:
            action.is_overdue = action.status == "open" and action.due_date < today

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on overdue actions."))
        domain = [
            ("status", "=", "open"),
            ("due_date", "<", fields.Date.context_today(self)),
        ]
        return domain if (operator == "=") == value else ["!", "&", *domain]

    @api.depends("status", "reported_on", "due_date")
    def _compute_done_in_time(self):
        for action in self:
            action.done_in_time = bool(
                action.status == "done"
                and action.reported_on
                and action.reported_on <= action.due_date
            )

    @api.constrains("user_id", "owner_agency_id")
    def _check_user(self):
        for action in self:
            if (
                action.user_id
                and action.owner_agency_id not in action.user_id.dv_agency_ids
            ):
                raise ValidationError(
                    self.env._(
                        "The responsible person must belong to the owner agency."
                    )
                )

    # CRUD

    # What the owner agency reports on an action agreed for it; everything
    # else of the action is the organising agency's.
    OWNER_FIELDS = frozenset({"report", "user_id"})

    def write(self, vals):
        if not is_system_write(self.env) and set(vals) - self.OWNER_FIELDS:
            organizers = self.env.user.dv_agency_ids
            if not self.env.user.has_group(
                "dv_case_management.group_dv_coordinator"
            ) or any(
                action.conference_id.organizer_agency_id not in organizers
                for action in self
            ):
                raise AccessError(
                    self.env._(
                        "The agency an action is agreed for reports on it; what, "
                        "who and by when are changed by the organising agency."
                    )
                )
        return super().write(vals)

    # Actions

    def _check_can_report(self):
        if self.env.su:
            return
        agencies = self.env.user.dv_agency_ids
        coordinator = self.env.user.has_group("dv_case_management.group_dv_coordinator")
        for action in self:
            organizer = coordinator and (
                action.conference_id.organizer_agency_id in agencies
            )
            if action.owner_agency_id not in agencies and not organizer:
                raise AccessError(
                    self.env._(
                        "Only %(agency)s or the organising agency reports on this "
                        "action.",
                        agency=action.owner_agency_id.display_name,
                    )
                )

    def _set_status(self, status, action):
        self._check_can_report()
        self.check_access("write")
        today = fields.Date.context_today(self)
        self._dv_move(
            status, action, {"reported_on": today if status != "open" else False}
        )
        if status != "open":
            # The action is reported: its to-dos (the overdue reminder) are
            # done.
            self.sudo().activity_ids.action_feedback(
                feedback=self.env._("Reported: %(status)s", status=self._status_label())
            )
        return True

    def _status_label(self):
        return ", ".join(sorted({action._state_label() for action in self}))

    @api.model
    def _cron_notify_overdue(self):
        """An activity for the owner of every overdue action (once)."""
        overdue = self.search([("is_overdue", "=", True)])
        for action in overdue:
            if action.activity_ids:
                continue
            schedule_for_users(
                action,
                action.user_id or action.owner_agency_id.member_ids.user_id,
                "mail.mail_activity_data_todo",
                lambda env: env._("Conference action overdue"),
            )
        return len(overdue)

    @api.model
    def action_export_tracker(self):
        """The tracker of every open action the user may read."""
        actions = self.search([("status", "=", "open")], order="due_date, id")
        if not actions:
            raise UserError(self.env._("There is no open action to export."))
        return self.env.ref(
            "dv_case_management.report_action_tracker_xlsx"
        ).report_action(actions)

    # Erasure

    def _dv_erase(self):
        """Owner agency, due date and status stay; what was agreed and the
        report go."""
        self.write({"name": self.env._("Erased"), "report": False})
