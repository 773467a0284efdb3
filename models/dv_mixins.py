"""Behaviour shared by several models of the addon."""

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .dv_constants import DEADLINE_REMINDER_DAYS, POLICE_REFERENCE_MAX_LENGTH
from .dv_guard import system_write


def free_transitions(selection):
    """Transitions of a status that is reported and corrected freely: from
    each value to every value, the same one again included."""
    values = tuple(value for value, _label in selection)
    return dict.fromkeys(values, values)


def schedule_for_users(
    record, users, activity_type, summary, note=None, date_deadline=None
):
    """Give each of ``users`` an activity of ``activity_type`` (an xml id)
    on ``record``, written in her own language: ``summary(env)`` and
    ``note(env)`` return the texts in the language of ``env``. Due today
    unless ``date_deadline`` says otherwise. Texts carry no personal data of
    the case."""
    for user in users:
        translated = record.with_context(lang=user.lang)
        translated.activity_schedule(
            activity_type,
            date_deadline=date_deadline,
            summary=summary(translated.env),
            note=note(translated.env) if note else "",
            user_id=user.id,
        )


class DvCodeMixin(models.AbstractModel):
    """A small coded table: a translatable name, a stable code for reports
    and integrations, an order and an archive flag."""

    _name = "dv.code.mixin"
    _description = "Coded Table"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)


class DvReferenceMixin(models.AbstractModel):
    """A reference such as HG-2026-00042 from a sequence of the record's
    company, made on first use, counting anew each year."""

    _name = "dv.reference.mixin"
    _description = "Referenced Record"
    _reference_code = None
    _reference_prefix = None

    name = fields.Char(
        string="Reference",
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: self.env._("New"),
        index="trigram",
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("name") or vals["name"] == self.env._("New"):
                company = self.env["res.company"].browse(
                    vals.get("company_id") or self.env.company.id
                )
                vals["name"] = self._next_reference(company)
        return super().create(vals_list)

    def _next_reference(self, company):
        Sequence = self.env["ir.sequence"].sudo()
        sequence = Sequence.search(
            [("code", "=", self._reference_code), ("company_id", "=", company.id)],
            limit=1,
        )
        if not sequence:
            sequence = Sequence.create(
                {
                    "name": f"{self._description} ({company.name})",
                    "code": self._reference_code,
                    "company_id": company.id,
                    "prefix": f"{self._reference_prefix}-%(year)s-",
                    "padding": 5,
                    "use_date_range": True,
                }
            )
        return sequence.next_by_id()


class DvPoliceReferenceMixin(models.AbstractModel):
    """A record that carries a police reference: at most
    POLICE_REFERENCE_MAX_LENGTH characters, checked before the database sees
    it (an over-long text would fail in an index with a message nobody
    understands), and, where ``_police_reference_unique_by`` names fields,
    unique per value of those fields (a referral's per source and receiving
    agency). Those fields must keep the check within records the user reads:
    its answer is given before the record rules are checked."""

    _name = "dv.police.reference.mixin"
    _description = "Record with a Police Reference"
    _police_reference_unique_by = ()

    police_reference = fields.Char()

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_police_reference_length(vals)
            if self._police_reference_unique_by and vals.get("police_reference"):
                # Checked before the insert, so the user gets this message
                # rather than the database's.
                self._refuse_duplicate_police_reference(
                    {
                        name: vals.get(name) or self.env.context.get(f"default_{name}")
                        for name in self._police_reference_unique_by
                    },
                    vals["police_reference"],
                )
        return super().create(vals_list)

    def write(self, vals):
        self._check_police_reference_length(vals)
        return super().write(vals)

    @api.model
    def _check_police_reference_length(self, vals):
        reference = vals.get("police_reference")
        if reference and len(reference) > POLICE_REFERENCE_MAX_LENGTH:
            raise ValidationError(
                self.env._(
                    "A police reference has at most %(max)s characters.",
                    max=POLICE_REFERENCE_MAX_LENGTH,
                )
            )

    @api.constrains(
        lambda self: (
            ("police_reference", *self._police_reference_unique_by)
            if self._police_reference_unique_by
            else ()
        )
    )
    def _check_police_reference_unique(self):
        # A record moved where the user may not have it gets the access
        # error, not an answer about the records there.
        if hasattr(self, "_dv_check_access_first"):
            self._dv_check_access_first()
        for record in self.filtered("police_reference"):
            self._refuse_duplicate_police_reference(
                {name: record[name].id for name in self._police_reference_unique_by},
                record.police_reference,
                record.id,
            )

    @api.model
    def _police_reference_taken(self, scope, reference, own_id=0):
        """Whether another record (archived ones included) with the values
        ``scope`` ({field: id}) of ``_police_reference_unique_by`` carries
        ``reference``."""
        return bool(
            self.sudo()
            .with_context(active_test=False)
            .search_count(
                [
                    ("id", "!=", own_id),
                    ("police_reference", "=", reference),
                    *(
                        (name, "=", scope.get(name) or False)
                        for name in self._police_reference_unique_by
                    ),
                ],
                limit=1,
            )
        )

    @api.model
    def _refuse_duplicate_police_reference(self, scope, reference, own_id=0):
        if self._police_reference_taken(scope, reference, own_id):
            raise ValidationError(
                self.env._(
                    "A referral with the police reference %(ref)s from this source "
                    "already exists.",
                    ref=reference,
                )
            )


class DvWorkflowMixin(models.AbstractModel):
    """A record whose workflow field (``_state_field``) only moves along
    ``_state_transitions`` (state -> states it may go to), however it is
    written, so that no RPC call skips a step of the workflow. The actions
    check their step with :meth:`_dv_check_move` (or, for a step that does
    not move, :meth:`_dv_check_state`): one guard and one message for every
    model with a workflow."""

    _name = "dv.workflow.mixin"
    _description = "Record with a Workflow"
    _state_field = "state"
    _state_transitions = {}

    def write(self, vals):
        if self._state_field in vals:
            new_state = vals[self._state_field]
            # Writing the state a record has is no step.
            moving = self.filtered(lambda rec: rec[self._state_field] != new_state)
            if moving:
                moving._dv_check_move(
                    new_state,
                    self.env._(
                        "Changing the status to %(state)s",
                        state=self._state_label(new_state),
                    ),
                    error=ValidationError,
                )
        return super().write(vals)

    def _state_label(self, state=None):
        """The label of ``state`` (the record's own by default)."""
        if state is None:
            self.ensure_one()
            state = self[self._state_field]
        labels = dict(self._fields[self._state_field]._description_selection(self.env))
        return labels.get(state, state)

    def _dv_check_state(self, allowed, action, error=UserError):
        """Refuse ``action`` (a label such as "Withdrawing") on a record
        whose state is not one of ``allowed``."""
        for record in self:
            if record[self._state_field] not in allowed:
                raise error(
                    self.env._(
                        "%(action)s is not possible: %(ref)s is %(state)s.",
                        action=action,
                        ref=record.display_name,
                        state=record._state_label(),
                    )
                )

    def _dv_check_move(self, new_state, action, from_states=None, error=UserError):
        """Refuse ``action`` unless the workflow leads every record to
        ``new_state``; ``from_states`` narrows the states the action starts
        from (reopening and starting a case both lead to "in progress")."""
        sources = [
            state
            for state, targets in self._state_transitions.items()
            if new_state in targets and (from_states is None or state in from_states)
        ]
        self._dv_check_state(sources, action, error=error)

    def _dv_move(self, new_state, action, values=None, from_states=None):
        """Check the step, then write the new state (and ``values``)."""
        self._dv_check_move(new_state, action, from_states=from_states)
        with system_write():
            return self.write(dict(values or {}, **{self._state_field: new_state}))


REPORT_STATUSES = [
    ("open", "Open"),
    ("done", "Done"),
    ("not_possible", "Not Possible (Circumstances Changed)"),
    ("not_done", "Not Done"),
]


class DvReportedStatusMixin(models.AbstractModel):
    """Work that whoever carries it out reports (a conference action, a step
    of a safety plan): open until reported done, not possible or not done;
    the report is corrected freely, the same status again included. The
    model says in :meth:`_set_status` what a report writes besides the
    status and who may give it."""

    _name = "dv.reported.status.mixin"
    _inherit = ["dv.workflow.mixin"]
    _description = "Reported Work"
    _state_field = "status"
    _state_transitions = free_transitions(REPORT_STATUSES)

    status = fields.Selection(
        REPORT_STATUSES,
        default="open",
        required=True,
        readonly=True,
        copy=False,
        index=True,
    )

    def _set_status(self, status, action):
        """Report ``status``; ``action`` names the step in messages."""
        raise NotImplementedError

    def action_mark_done(self):
        return self._set_status("done", self.env._("Marking as done"))

    def action_mark_not_possible(self):
        return self._set_status("not_possible", self.env._("Marking as not possible"))

    def action_mark_not_done(self):
        return self._set_status("not_done", self.env._("Marking as not done"))

    def action_reopen(self):
        return self._set_status("open", self.env._("Reopening"))


class DvCaseDeadlineMixin(models.AbstractModel):
    """A record of a case whose dates are deadlines: each one keeps a
    reminder activity on the record itself (``dv_deadline_key`` names which
    of its deadlines), for the case's responsible person, moved when the
    date moves and removed with the record or once the case is closed. The
    case lists the reminders of its records (``deadline_activity_ids``).
    The reminders follow the record's need-to-know (see dv.thread.mixin,
    which every model with this mixin gets in dv_thread.py)."""

    _name = "dv.case.deadline.mixin"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Case Record with Deadlines"

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records._sync_deadlines()
        return records

    def write(self, vals):
        res = super().write(vals)
        self._sync_deadlines()
        return res

    def _deadlines(self):
        """Return {key: (date or False, summary)} for one record, in the
        language of the reminder's recipient. Summaries carry no personal
        data."""
        raise NotImplementedError

    def _sync_deadlines(self):
        for record in self:
            # The reminder speaks the language of the person who gets it.
            record = record.with_context(
                lang=record.case_id.user_id.lang or self.env.lang
            )
            for key, (deadline, summary) in record._deadlines().items():
                record._schedule_deadline(key, deadline, summary)

    def _schedule_deadline(self, key, deadline, summary):
        """Keep one reminder activity for the deadline ``key`` of this
        record: it falls due a few days before ``deadline`` and is assigned
        to the case's responsible person. Without a deadline, or once the
        case is closed, the reminder is removed. ``summary`` must not
        contain personal data."""
        self.ensure_one()
        Activity = self.env["mail.activity"].sudo()
        existing = Activity.search(
            [
                ("res_model", "=", self._name),
                ("res_id", "=", self.id),
                ("dv_deadline_key", "=", key),
            ]
        )
        case = self.sudo().case_id
        today = fields.Date.context_today(self)
        if not deadline or deadline < today or case.state == "closed":
            existing.unlink()
            return existing.browse()
        values = {
            "date_deadline": max(
                today, deadline - timedelta(days=DEADLINE_REMINDER_DAYS)
            ),
            "summary": summary,
            "user_id": case._reminder_user().id,
        }
        if existing:
            existing.write(values)
            return existing
        return Activity.create(
            dict(
                values,
                res_model_id=self.env["ir.model"]._get_id(self._name),
                res_id=self.id,
                activity_type_id=self.env.ref(
                    "dv_case_management.mail_activity_type_deadline"
                ).id,
                dv_deadline_key=key,
                dv_case_id=case.id,
                automated=True,
            )
        )


class DvAppendOnlyMixin(models.AbstractModel):
    """A log that nobody but the superuser changes or deletes."""

    _name = "dv.append.only.mixin"
    _description = "Append-only Log"

    def write(self, vals):
        if not self.env.is_superuser():
            raise UserError(self.env._("This log cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=True)
    def _unlink_superuser_only(self):
        if not self.env.is_superuser():
            raise UserError(self.env._("This log cannot be changed."))
