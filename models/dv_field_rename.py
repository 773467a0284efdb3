"""Renaming fields of the addon in a database made by an older version, before
the update loads the models (called by the pre-migrations, migrations/*/).

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
- the name in the saved filters and window actions of the model, and in the
  export lists.

OCA's openupgradelib does the same (``openupgrade.rename_fields``); for the
few fields of this addon a library the servers would need to have installed
for one update is not worth it."""

import re

from odoo.tools import SQL

MODULE = "dv_case_management"

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


def _table_kind(cr, table):
    """'r' for a table, 'v' for a view, None when there is none."""
    cr.execute(
        "SELECT relkind FROM pg_class WHERE relname = %s AND relkind IN ('r', 'v')",
        [table],
    )
    row = cr.fetchone()
    return row[0] if row else None


def _has_column(cr, table, column):
    cr.execute(
        "SELECT 1 FROM information_schema.columns "
        "WHERE table_name = %s AND column_name = %s",
        [table, column],
    )
    return bool(cr.fetchone())


def _rename_column(cr, table, old, new):
    if _table_kind(cr, table) != "r":
        return
    if not _has_column(cr, table, old) or _has_column(cr, table, new):
        return
    cr.execute(
        SQL(
            "ALTER TABLE %s RENAME COLUMN %s TO %s",
            SQL.identifier(table),
            SQL.identifier(old),
            SQL.identifier(new),
        )
    )
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


def _rename_in_texts(cr, model, old, new):
    """The name, quoted as in a domain, context or order (``'kind'``,
    ``"kind desc"``), in the filters and window actions of the model; export
    lists name it bare."""
    pattern = re.compile(
        r"""(['"])""" + re.escape(old) + r"""((?::\w+)?(?:\s+(?:asc|desc))?)\1""",
        re.IGNORECASE,
    )
    replacement = rf"\g<1>{new}\g<2>\g<1>"
    for table, model_column, columns in (
        ("ir_filters", "model_id", ("domain", "context", "sort")),
        ("ir_act_window", "res_model", ("domain", "context")),
    ):
        for column in columns:
            cr.execute(
                SQL(
                    "SELECT id, %s FROM %s WHERE %s = %s AND %s LIKE %s",
                    SQL.identifier(column),
                    SQL.identifier(table),
                    SQL.identifier(model_column),
                    model,
                    SQL.identifier(column),
                    f"%{old}%",
                )
            )
            for record_id, text in cr.fetchall():
                changed = pattern.sub(replacement, text)
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
    cr.execute(
        "UPDATE ir_exports_line line SET name = %s FROM ir_exports export "
        "WHERE export.id = line.export_id AND export.resource = %s "
        "AND line.name = %s",
        [new, model, old],
    )


def rename_fields(cr, renames):
    """Rename the fields ``(model, old name, new name)``; a field renamed
    already (or never there) is left alone, so running twice does no harm."""
    for model, old, new in renames:
        _rename_column(cr, model.replace(".", "_"), old, new)
        _rename_field_row(cr, model, old, new)
        _rename_in_texts(cr, model, old, new)
