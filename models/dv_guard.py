"""Fields that nobody writes from outside.

A user of this addon can call ``create`` and ``write`` of every model she has
access rights on, over JSON-RPC, with any values. Record rules decide which
records she may write, but not which fields, and Odoo checks the write rules
before a write only. So the addon guards its records itself:

- *guarded* fields (the workflow's state, the fields the forms show read-only,
  stored computes without inverse, read-only related fields, links to
  protected records) are written only by the addon's own methods, inside
  :func:`system_write`; from outside they are refused, at creation too, and
  ``default_<field>`` keys of the context do not set them either;
- *immutable* fields (who, what, to whom, on which legal basis) are set at
  creation and never changed;
- after a write the records must still be writable by the user: nobody moves
  a record to a case or an agency she could not have written it in;
- a many2one to a record of a case points into the record's own case.

:func:`system_write` is a context manager on a context variable: nothing a
client sends (the context it passes is JSON) can open it.
"""

import contextlib
import contextvars

from odoo import api, models, tools
from odoo.exceptions import AccessError, ValidationError

_SYSTEM_WRITE = contextvars.ContextVar("dv_system_write", default=False)
_SAME_CASE_DEFERRED = contextvars.ContextVar("dv_same_case_deferred", default=False)

# Fields of every model that the ORM and the mail mixins keep themselves.
_ALWAYS_OPEN = {
    "display_name",
    "id",
    "create_uid",
    "create_date",
    "write_uid",
    "write_date",
    "activity_ids",
    "message_follower_ids",
    "message_ids",
    "message_main_attachment_id",
    "website_message_ids",
    "rating_ids",
}


@contextlib.contextmanager
def system_write():
    """Let the addon's own code write guarded and immutable fields."""
    token = _SYSTEM_WRITE.set(True)
    try:
        yield
    finally:
        _SYSTEM_WRITE.reset(token)


@contextlib.contextmanager
def same_case_deferred():
    """Let the addon's own code move records of one case to another one
    after the other (the merge of two cases): the same-case check of each
    write waits, and the caller runs ``_dv_check_same_case`` on every moved
    record once all are moved. Only inside :func:`system_write`."""
    token = _SAME_CASE_DEFERRED.set(True)
    try:
        yield
    finally:
        _SAME_CASE_DEFERRED.reset(token)


def is_case_merge():
    """Whether the addon's merge of two cases is moving records now."""
    return _SYSTEM_WRITE.get() and _SAME_CASE_DEFERRED.get()


def is_system_write(env):
    return env.su or _SYSTEM_WRITE.get()


def check_unique_parents(model, vals_list, names):
    """The records that the new records' unique keys hang on (``names``,
    many2one fields) are the user's to write. The database checks a unique
    key when the row is inserted, before the record rules: its answer would
    tell an outsider whether such a record exists there."""
    if is_system_write(model.env) or not names:
        return
    # Whoever may not create such records at all is told so first.
    model.browse().check_access("create")
    for name in names:
        ids = {
            vals.get(name) or model.env.context.get(f"default_{name}")
            for vals in vals_list
        } - {False, None}
        if ids:
            model.env[model._fields[name].comodel_name].browse(ids).check_access(
                "write"
            )


class DvGuardMixin(models.AbstractModel):
    _name = "dv.guard.mixin"
    _description = "Record with Guarded Fields"

    # Fields set when the record is created and never changed afterwards.
    _dv_immutable_fields = ()
    # Fields only the addon's methods write, beyond those found by
    # _dv_guarded_field_names (read-only, computed, related).
    _dv_guarded_fields = ()
    # Fields that look read-only to the ORM but are written by the client
    # (none by default).
    _dv_open_fields = ()
    # Many2one fields a unique key of the model hangs on: the records they
    # point to must be the user's to write (see check_unique_parents).
    _dv_unique_parents = ()

    @api.model
    @tools.ormcache()
    def _dv_guarded_field_names(self):
        """The fields nobody writes from outside."""
        guarded = set(self._dv_guarded_fields)
        if "state" in self._fields:
            guarded.add("state")
        for name, field in self._fields.items():
            if name in _ALWAYS_OPEN or name in self._dv_open_fields:
                continue
            if field.readonly:
                # Declared read-only, a compute without inverse or a
                # read-only related field.
                guarded.add(name)
        return frozenset(guarded)

    @api.model
    @tools.ormcache()
    def _dv_inverse_field_names(self):
        """The read-only related fields the ORM fills itself when a line is
        created through a one2many of another record (``case_id`` of a
        consent added in the case form, say). Their value follows from the
        record's other fields; what the caller gives must agree with it
        (see create)."""
        return frozenset(
            field.inverse_name
            for model in self.env.registry.values()
            for field in model._fields.values()
            if field.type == "one2many"
            and field.comodel_name == self._name
            and self._fields[field.inverse_name].related
        )

    def _dv_check_fields(self, vals, creating):
        if is_system_write(self.env):
            return
        guarded = self._dv_guarded_field_names()
        if creating:
            # Whatever such a field is given must agree with the rest
            # (_dv_check_same_case, the record rules after the creation).
            guarded = guarded - self._dv_inverse_field_names()
        refused = set(vals) & guarded
        if not creating:
            refused |= set(vals) & set(self._dv_immutable_fields)
        if refused:
            labels = ", ".join(
                sorted(
                    self._fields[name]._description_string(self.env)
                    for name in refused
                    if name in self._fields
                )
            )
            if refused & {"state", "status"}:
                raise ValidationError(
                    self.env._(
                        "The status changes only through the buttons of the form "
                        "(%(fields)s cannot be written directly).",
                        fields=labels,
                    )
                )
            raise ValidationError(
                self.env._(
                    "%(fields)s cannot be changed here: the application sets it.",
                    fields=labels,
                )
            )

    def _dv_check_same_case(self):
        """A many2one to a record that belongs to a case points into this
        record's own case."""
        if "case_id" not in self._fields:
            return
        for name, field in self._fields.items():
            if (
                field.type != "many2one"
                or name == "case_id"
                or not field.store
                or "case_id" not in self.env[field.comodel_name]._fields
                or field.comodel_name == self._name
            ):
                continue
            for record in self.sudo():
                target = record[name]
                if target and record.case_id and target.case_id != record.case_id:
                    raise ValidationError(
                        self.env._(
                            "%(field)s must belong to the same case.",
                            field=field._description_string(self.env),
                        )
                    )

    def _dv_check_access_first(self):
        """Odoo checks the constraints of a new record before its record
        rules, and those of a write before the check after it (see write). A
        constraint that looks beyond the record (other records, as the
        superuser) calls this first: whoever may not have the record gets
        the access error she would get anyway, and its answer tells her
        nothing of what she cannot read."""
        if not is_system_write(self.env):
            self.check_access("write")

    def _dv_system_write(self, vals):
        """Write guarded fields from the addon's own methods (state changes
        and the like), with the user's access rights."""
        with system_write():
            return self.write(vals)

    @api.model
    def _dv_prepare_create(self, vals_list):
        """Refuse the caller's values for guarded fields; return the model
        without the caller's ``default_`` values for them (defaults from the
        context are the client's too)."""
        if is_system_write(self.env):
            return self
        for vals in vals_list:
            self._dv_check_fields(vals, creating=True)
        guarded = self._dv_guarded_field_names()
        context = {
            key: value
            for key, value in self.env.context.items()
            if not (key.startswith("default_") and key[8:] in guarded)
        }
        if len(context) == len(self.env.context):
            return self
        return self.with_env(self.env(context=context))

    @api.model_create_multi
    def create(self, vals_list):
        model = self._dv_prepare_create(vals_list)
        check_unique_parents(self, vals_list, self._dv_unique_parents)
        records = super(DvGuardMixin, model).create(vals_list)
        records._dv_check_same_case()
        if not is_system_write(self.env):
            records._dv_check_given_inverses(vals_list)
        return records

    def _dv_check_given_inverses(self, vals_list):
        """A related field given at creation (by the ORM, for a line added
        through its parent's one2many) names what the record's own fields
        lead to."""
        inverses = self._dv_inverse_field_names()
        for record, vals in zip(self, vals_list, strict=True):
            for name in inverses & set(vals):
                field = self._fields[name]
                given = vals[name]
                actual = record.sudo()[name]
                if field.type == "many2one":
                    actual = actual.id
                if (given or False) != (actual or False):
                    raise ValidationError(
                        self.env._(
                            "%(field)s must belong to the same case.",
                            field=field._description_string(self.env),
                        )
                    )

    def write(self, vals):
        self._dv_check_fields(vals, creating=False)
        result = super().write(vals)
        if not is_case_merge():
            self._dv_check_same_case()
        if not is_system_write(self.env):
            # Odoo checks the write rules before the write: the records must
            # also be the user's to write after it.
            try:
                self.check_access("write")
            except AccessError as error:
                raise AccessError(
                    self.env._(
                        "The change would move the record out of your agencies' reach."
                    )
                ) from error
        return result
