"""Renaming models and fields of the addon in a database made by an older
version, before the update loads the models (called by the pre-migrations,
migrations/*/).

Odoo itself would take a renamed field for a new one: it adds an empty column
for the new name and, at the end of the update, deletes the old field with its
column, its tracking values and its default values. Renamed here first, the
update finds the old records under the new name:

- the column (stored fields of tables; database views are recreated by their
  model's ``init``) and its index;
- the field's row in ``ir_model_fields`` (so its id, and with it the tracking
  values, default values and selection values that point to it, stay) and its
  external ids ``field_<model>__<name>`` and
  ``selection__<model>__<name>__<value>``;
- the name in the saved filters and window actions of the model (also where
  they reach it through other fields, ``case_id.kind``), and in the export
  lists.

A renamed model would fare the same: a new empty table, and the old one
dropped with its records at the end of the update. ``rename_models`` renames
its table with the sequence, constraints and indexes named after the table,
its ``ir_model`` row (so the ids of its fields, rights and rules stay), the
external ids named after it, and the model name wherever a record names it
(messages, followers, activities, attachments, actions, views, filters, the
access log, ...).

OCA's openupgradelib does the same (``openupgrade.rename_fields``,
``rename_models``); for the
few fields of this addon a library the servers would need to have installed
for one update is not worth it."""

import re

from odoo.tools import SQL
from odoo.tools.sql import TableKind, column_exists, rename_column, table_kind

MODULE = "dv_case_management"

# 18.0.1.6.0: an agenda item of a conference is called so. (old, new)
MODEL_RENAMES_1_6 = (("dv.conference.case", "dv.conference.agenda.item"),)

# The columns that hold a model's name (table, column); those of modules not
# installed are skipped.
MODEL_NAME_COLUMNS = (
    ("ir_model_data", "model"),
    ("ir_model_fields", "model"),
    ("ir_model_fields", "relation"),
    ("ir_act_window", "res_model"),
    ("ir_act_client", "res_model"),
    ("ir_act_report_xml", "model"),
    ("ir_act_server", "model_name"),
    ("ir_embedded_actions", "parent_res_model"),
    ("ir_attachment", "res_model"),
    ("ir_exports", "resource"),
    ("ir_filters", "model_id"),
    ("ir_ui_view", "model"),
    ("base_import_mapping", "res_model"),
    ("mail_message", "model"),
    ("mail_followers", "res_model"),
    ("mail_activity", "res_model"),
    ("mail_activity_type", "res_model"),
    ("mail_activity_plan", "res_model"),
    ("mail_message_subtype", "res_model"),
    ("mail_template", "model"),
    ("mail_scheduled_message", "model"),
    ("calendar_event", "res_model"),
    ("rating_rating", "res_model"),
    ("sms_template", "model"),
    ("snailmail_letter", "model"),
    ("dv_access_log", "res_model"),
)

# 18.0.1.6.0: ``kind`` meant eight things; each field now says what it is.
# (model, old name, new name)
RENAMES_1_6 = (
    ("dv.case", "kind", "case_type"),
    ("dv.referral", "case_kind", "case_type"),
    ("dv.conference", "kind", "conference_type"),
    ("dv.share", "kind", "share_type"),
    ("dv.risk.instrument", "kind", "instrument_type"),
    ("dv.risk.assessment", "kind", "instrument_type"),
    ("dv.case.approval", "kind", "request_type"),
    ("dv.deadline", "kind", "deadline_type"),
    ("dv.erasure.log", "kind", "erasure_ground"),
    ("dv.triage", "kind", "source"),
    ("dv.case.intake.wizard", "kind", "decision"),
)


def _rename_column(cr, table, old, new):
    if table_kind(cr, table) != TableKind.Regular:
        return
    if not column_exists(cr, table, old) or column_exists(cr, table, new):
        return
    rename_column(cr, table, old, new)
    cr.execute(
        SQL(
            "ALTER INDEX IF EXISTS %s RENAME TO %s",
            SQL.identifier(f"{table}__{old}_index"),
            SQL.identifier(f"{table}__{new}_index"),
        )
    )


def _rename_field_row(cr, model, old, new):
    cr.execute(
        "SELECT 1 FROM ir_model_fields WHERE model = %s AND name = %s", [model, new]
    )
    if cr.fetchone():
        return
    cr.execute(
        "UPDATE ir_model_fields SET name = %s WHERE model = %s AND name = %s",
        [new, model, old],
    )
    prefix = model.replace(".", "_")
    cr.execute(
        "UPDATE ir_model_data SET name = %s "
        "WHERE module = %s AND model = 'ir.model.fields' AND name = %s",
        [f"field_{prefix}__{new}", MODULE, f"field_{prefix}__{old}"],
    )
    old_selection = f"selection__{prefix}__{old}__"
    cr.execute(
        "UPDATE ir_model_data SET name = %s || substr(name, %s) "
        "WHERE module = %s AND model = 'ir.model.fields.selection' "
        "AND starts_with(name, %s)",
        [
            f"selection__{prefix}__{new}__",
            len(old_selection) + 1,
            MODULE,
            old_selection,
        ],
    )


# The texts of saved filters and window actions that may name a field:
# (table, column of the model, text columns).
SAVED_TEXTS = (
    ("ir_filters", "model_id", ("domain", "context", "sort")),
    ("ir_act_window", "res_model", ("domain", "context")),
)


def _rewrite_saved_texts(cr, condition, rewrite):
    """Each text of the saved filters and window actions that matches the
    SQL ``condition(model column, text column)`` becomes ``rewrite(model,
    text)``."""
    for table, model_column, columns in SAVED_TEXTS:
        for column in columns:
            cr.execute(
                SQL(
                    "SELECT id, %s, %s FROM %s WHERE %s",
                    SQL.identifier(model_column),
                    SQL.identifier(column),
                    SQL.identifier(table),
                    condition(SQL.identifier(model_column), SQL.identifier(column)),
                )
            )
            for record_id, model, text in cr.fetchall():
                changed = rewrite(model, text)
                if changed != text:
                    cr.execute(
                        SQL(
                            "UPDATE %s SET %s = %s WHERE id = %s",
                            SQL.identifier(table),
                            SQL.identifier(column),
                            changed,
                            record_id,
                        )
                    )


def _rename_in_texts(cr, model, old, new):
    """The name, quoted as in a domain, context or order (``'kind'``,
    ``"kind desc"``), in the filters and window actions of the model; export
    lists name it bare."""
    pattern = re.compile(
        r"""(['"])""" + re.escape(old) + r"""((?::\w+)?(?:\s+(?:asc|desc))?)\1""",
        re.IGNORECASE,
    )
    replacement = rf"\g<1>{new}\g<2>\g<1>"
    _rewrite_saved_texts(
        cr,
        lambda model_column, column: SQL(
            "%s = %s AND %s LIKE %s", model_column, model, column, f"%{old}%"
        ),
        lambda _model, text: pattern.sub(replacement, text),
    )
    cr.execute(
        "UPDATE ir_exports_line line SET name = %s FROM ir_exports export "
        "WHERE export.id = line.export_id AND export.resource = %s "
        "AND line.name = %s",
        [new, model, old],
    )


def _relation(cr, model, field):
    """The model the relational ``field`` of ``model`` points to, or None."""
    cr.execute(
        "SELECT relation FROM ir_model_fields WHERE model = %s AND name = %s",
        [model, field],
    )
    row = cr.fetchone()
    return row and row[0]


def rename_in_paths(cr, renames):
    """A renamed field reached through other fields (``'case_id.kind'`` in a
    filter of the referrals, ``"case_ref_id.kind desc"`` in an action's
    order): each quoted dotted path is followed from the filter's or
    action's model through the fields' relations, and its last name is
    renamed where it ends on a renamed field."""
    by_old = {(model, old): new for model, old, new in renames}
    olds = sorted({old for _model, old in by_old})
    pattern = re.compile(
        r"""(['"])((?:\w+\.)+)("""
        + "|".join(map(re.escape, olds))
        + r""")((?::\w+)?(?:\s+(?:asc|desc))?)\1""",
        re.IGNORECASE,
    )

    def rename(model, match):
        target = model
        for field in match.group(2).rstrip(".").split("."):
            target = target and _relation(cr, target, field)
        new = target and by_old.get((target, match.group(3)))
        if not new:
            return match.group(0)
        quote = match.group(1)
        return f"{quote}{match.group(2)}{new}{match.group(4)}{quote}"

    _rewrite_saved_texts(
        cr,
        lambda _model_column, column: SQL(
            "%s ~ %s", column, r"\.(" + "|".join(olds) + r")\M"
        ),
        lambda model, text: pattern.sub(lambda match: rename(model, match), text),
    )


def rename_fields(cr, renames):
    """Rename the fields ``(model, old name, new name)``; a field renamed
    already (or never there) is left alone, so running twice does no harm."""
    for model, old, new in renames:
        _rename_column(cr, model.replace(".", "_"), old, new)
        _rename_field_row(cr, model, old, new)
        _rename_in_texts(cr, model, old, new)
    rename_in_paths(cr, renames)


def _rename_table(cr, old_table, new_table):
    """The table, its id sequence, and the constraints and indexes named
    after it (``<table>_pkey``, ``<table>_<column>_fkey``,
    ``<table>__<column>_index``, the SQL constraints): Odoo finds indexes and
    SQL constraints by name and would otherwise add them a second time."""
    if table_kind(cr, old_table) != TableKind.Regular or table_kind(cr, new_table):
        return
    cr.execute(
        SQL(
            "ALTER TABLE %s RENAME TO %s",
            SQL.identifier(old_table),
            SQL.identifier(new_table),
        )
    )
    cr.execute(
        SQL(
            "ALTER SEQUENCE IF EXISTS %s RENAME TO %s",
            SQL.identifier(f"{old_table}_id_seq"),
            SQL.identifier(f"{new_table}_id_seq"),
        )
    )
    prefix = f"{old_table}_"
    cr.execute(
        "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass "
        "AND starts_with(conname, %s)",
        [new_table, prefix],
    )
    for (name,) in cr.fetchall():
        cr.execute(
            SQL(
                "ALTER TABLE %s RENAME CONSTRAINT %s TO %s",
                SQL.identifier(new_table),
                SQL.identifier(name),
                SQL.identifier(new_table + name[len(old_table) :]),
            )
        )
    cr.execute(
        "SELECT indexname FROM pg_indexes WHERE tablename = %s "
        "AND starts_with(indexname, %s)",
        [new_table, prefix],
    )
    for (name,) in cr.fetchall():
        cr.execute(
            SQL(
                "ALTER INDEX %s RENAME TO %s",
                SQL.identifier(name),
                SQL.identifier(new_table + name[len(old_table) :]),
            )
        )


def _rename_model_rows(cr, old, new):
    old_table, new_table = old.replace(".", "_"), new.replace(".", "_")
    cr.execute("SELECT id FROM ir_model WHERE model = %s", [new])
    if cr.fetchone():
        return
    cr.execute("UPDATE ir_model SET model = %s WHERE model = %s", [new, old])
    for table, column in MODEL_NAME_COLUMNS:
        if table_kind(cr, table) != TableKind.Regular or not column_exists(
            cr, table, column
        ):
            continue
        cr.execute(
            SQL(
                "UPDATE %s SET %s = %s WHERE %s = %s",
                SQL.identifier(table),
                SQL.identifier(column),
                new,
                SQL.identifier(column),
                old,
            )
        )
    # The constraints Odoo recorded (renamed above), and the external ids
    # named after the model: model_<table>, field_<table>__<name>,
    # selection__<table>__..., model_inherit__<table>__..., the rights,
    # rules, views and constraints of the addon named after its table.
    cr.execute(
        "UPDATE ir_model_constraint SET name = %s || substr(name, %s) "
        "WHERE model = (SELECT id FROM ir_model WHERE model = %s) "
        "AND starts_with(name, %s)",
        [new_table, len(old_table) + 1, new, f"{old_table}_"],
    )
    cr.execute(
        "UPDATE ir_model_data SET name = regexp_replace(name, %s, %s) "
        "WHERE module = %s AND name ~ %s",
        [
            rf"(^|_){old_table}(_|$)",
            rf"\1{new_table}\2",
            MODULE,
            rf"(^|_){old_table}(_|$)",
        ],
    )


def rename_models(cr, renames):
    """Rename the models ``(old name, new name)`` with their tables and every
    record that names them; a model renamed already (or never there) is left
    alone, so running twice does no harm. Run before ``rename_fields``, which
    names the models by their new names."""
    for old, new in renames:
        _rename_table(cr, old.replace(".", "_"), new.replace(".", "_"))
        _rename_model_rows(cr, old, new)
