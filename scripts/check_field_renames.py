#!/usr/bin/env python3
"""Prove that an update kept the values of renamed fields.

    check_field_renames.py snapshot DBNAME FILE   # before the update
    check_field_renames.py compare DBNAME FILE    # after it

For each renamed field (models/dv_field_rename.py) the snapshot records the
value of every record (read under the old or the new name, whichever the
database has), the id of the field's ``ir_model_fields`` row, how many
tracking values, default values, selection values and external ids point to
it. ``compare`` reads the same after the update and lists each field with its counts; it
exits with 1 when anything differs. Connects with the PG* environment
variables (scripts/lib.sh sets them).
"""

import json
import pathlib
import sys
from collections import Counter

import psycopg2
from psycopg2 import sql

# Read as a file: importing the addon's package would need Odoo's registry.
SOURCE = pathlib.Path(__file__).resolve().parents[1] / "models" / "dv_field_rename.py"


WHERE_FIELD = "WHERE field_id = ANY(%s)"


def renames():
    text = SOURCE.read_text()
    start = text.index("\nRENAMES_1_6 = (") + 1
    end = text.index("\n)\n", start) + 2
    scope = {}
    exec(text[start:end], scope)  # pylint: disable=exec-used
    return scope["RENAMES_1_6"]


def column_of(cr, table, old, new):
    cr.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = %s AND column_name IN (%s, %s)",
        [table, old, new],
    )
    names = [row[0] for row in cr.fetchall()]
    return names[0] if len(names) == 1 else None


def read(cr):
    result = {}
    for model, old, new in renames():
        table = model.replace(".", "_")
        entry = {}
        column = column_of(cr, table, old, new)
        if column:
            cr.execute(
                sql.SQL("SELECT id, {} FROM {} ORDER BY id").format(
                    sql.Identifier(column), sql.Identifier(table)
                )
            )
            entry["values"] = {str(i): v for i, v in cr.fetchall()}
            entry["column"] = column
        cr.execute(
            "SELECT id FROM ir_model_fields WHERE model = %s AND name IN (%s, %s)",
            [model, old, new],
        )
        ids = [row[0] for row in cr.fetchall()]
        entry["field_ids"] = ids
        for key, query in (
            ("tracking", f"SELECT count(*) FROM mail_tracking_value {WHERE_FIELD}"),
            ("defaults", f"SELECT count(*) FROM ir_default {WHERE_FIELD}"),
            (
                "selection_values",
                f"SELECT count(*) FROM ir_model_fields_selection {WHERE_FIELD}",
            ),
            (
                "xmlids",
                "SELECT count(*) FROM ir_model_data WHERE model = 'ir.model.fields' "
                "AND res_id = ANY(%s)",
            ),
            (
                "selection_xmlids",
                "SELECT count(*) FROM ir_model_data d "
                "JOIN ir_model_fields_selection s ON s.id = d.res_id "
                "WHERE d.model = 'ir.model.fields.selection' AND s.field_id = ANY(%s)",
            ),
        ):
            cr.execute(query, [ids])
            entry[key] = cr.fetchone()[0]
        result[f"{model}.{old}"] = entry
    return result


def main(argv):
    if len(argv) != 4 or argv[1] not in ("snapshot", "compare"):
        print(__doc__)
        return 2
    mode, database, path = argv[1:]
    with psycopg2.connect(dbname=database) as connection:
        data = read(connection.cursor())
    if mode == "snapshot":
        pathlib.Path(path).write_text(json.dumps(data, indent=1, sort_keys=True))
        for key, entry in data.items():
            values = Counter((entry.get("values") or {}).values())
            print(f"{key}: {dict(sorted(values.items(), key=str))}")
        return 0
    before = json.loads(pathlib.Path(path).read_text())
    new_names = {f"{model}.{old}": new for model, old, new in renames()}
    failed = False
    for key, old_entry in before.items():
        entry = data.get(key, {})
        values = old_entry.get("values")
        problems = [
            name
            for name in (
                "values",
                "field_ids",
                "tracking",
                "defaults",
                "selection_values",
                "xmlids",
                "selection_xmlids",
            )
            if old_entry.get(name) != entry.get(name)
        ]
        if values is not None and entry.get("column") != new_names[key]:
            problems.append(f"column is {entry.get('column')}")
        counts = dict(sorted(Counter((values or {}).values()).items(), key=str))
        print(
            f"{'DIFFERS' if problems else 'same   '} {key} -> {new_names[key]}: "
            f"{len(values) if values is not None else '-'} records {counts}, "
            f"field id {entry.get('field_ids')}, {entry.get('tracking')} tracking, "
            f"{entry.get('defaults')} defaults, "
            f"{entry.get('selection_values')} selection values, "
            f"{entry.get('xmlids')}+{entry.get('selection_xmlids')} external ids"
            + (f"; differs: {', '.join(problems)}" if problems else "")
        )
        failed = failed or bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
