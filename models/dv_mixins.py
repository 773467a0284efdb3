"""Behaviour shared by several models of the addon."""

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


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


class DvWorkflowMixin(models.AbstractModel):
    """A record whose ``state`` only moves along ``_state_transitions``
    (state -> states it may go to), however it is written, so that no
    RPC call skips a step of the workflow."""

    _name = "dv.workflow.mixin"
    _description = "Record with a Workflow"
    _state_transitions = {}

    def write(self, vals):
        if "state" in vals:
            self._check_transition(vals["state"])
        return super().write(vals)

    def _check_transition(self, new_state):
        """Refuse a state the workflow does not lead to from the current one."""
        states = dict(self._fields["state"]._description_selection(self.env))
        for record in self:
            if record.state != new_state and new_state not in (
                self._state_transitions.get(record.state, ())
            ):
                raise ValidationError(
                    self.env._(
                        "%(ref)s cannot go from %(old)s to %(new)s.",
                        ref=record.name,
                        old=states.get(record.state, record.state),
                        new=states.get(new_state, new_state),
                    )
                )


class DvCaseDeadlineMixin(models.AbstractModel):
    """A record of a case whose dates are deadlines of the case: each one
    keeps a reminder activity for the case's responsible person, moved when
    the date moves and removed with the record."""

    _name = "dv.case.deadline.mixin"
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

    def unlink(self):
        keys = [(record.case_id, key) for record in self for key in record._deadlines()]
        res = super().unlink()
        for case, key in keys:
            case._schedule_deadline(key, False, "")
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
                record.case_id._schedule_deadline(key, deadline, summary)


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
