from odoo.tools import SQL

from ..models.dv_field_rename import (
    MODEL_RENAMES_1_6,
    RENAMES_1_6,
    rename_fields,
    rename_in_paths,
    rename_models,
)
from .common import ConferenceCommon


class TestFieldRename(ConferenceCommon):
    """A database of 18.0.1.5.0 named the fields ``kind`` and the agenda item
    ``dv.conference.case``: the pre-migration of 18.0.1.6.0 renames them with
    their values, field records, external ids and the saved filters, defaults,
    export lists and records that name them."""

    def _state(self, model, name):
        cr = self.env.cr
        table = model.replace(".", "_")
        cr.execute(
            "SELECT id FROM ir_model_fields WHERE model = %s AND name = %s",
            [model, name],
        )
        field_ids = [row[0] for row in cr.fetchall()]
        cr.execute(
            "SELECT name FROM ir_model_data WHERE module = 'dv_case_management' "
            "AND model IN ('ir.model.fields', 'ir.model.fields.selection') "
            "AND res_id IN (SELECT id FROM ir_model_fields WHERE id = ANY(%s) "
            "UNION SELECT id FROM ir_model_fields_selection "
            "WHERE field_id = ANY(%s)) ORDER BY name",
            [field_ids, field_ids],
        )
        xmlids = [row[0] for row in cr.fetchall()]
        values = None
        cr.execute(
            "SELECT 1 FROM information_schema.columns "
            "WHERE table_name = %s AND column_name = %s",
            [table, name],
        )
        if cr.fetchone():
            cr.execute(
                SQL(
                    "SELECT id, %s FROM %s ORDER BY id",
                    SQL.identifier(name),
                    SQL.identifier(table),
                )
            )
            values = cr.fetchall()
        return field_ids, xmlids, values

    def test_rename_from_kind(self):
        case = self._create_case(case_type="stalking")
        conference = self._conference(conference_type="adhoc")
        self.env["ir.default"].set("dv.conference", "conference_type", "adhoc")
        saved = self.env["ir.filters"].create(
            {
                "name": "Stalking",
                "model_id": "dv.case",
                "domain": "[('case_type', '=', 'stalking')]",
                "context": "{'group_by': ['case_type']}",
                "sort": '["case_type desc"]',
            }
        )
        export = self.env["ir.exports"].create(
            {
                "name": "Shares",
                "resource": "dv.share",
                "export_fields": [
                    (0, 0, {"name": "share_type"}),
                    (0, 0, {"name": "name"}),
                ],
            }
        )
        self.env.flush_all()
        before = {(m, new): self._state(m, new) for m, _old, new in RENAMES_1_6}
        for (model, new), (field_ids, xmlids, _values) in before.items():
            self.assertEqual(len(field_ids), 1, f"{model}.{new}")
            self.assertTrue(xmlids, f"{model}.{new}")
        # Back to the names of 18.0.1.5.0, as the database of an older
        # version has them (the same function, the other way round) ...
        rename_fields(self.env.cr, [(m, new, old) for m, old, new in RENAMES_1_6])
        self.env.invalidate_all()
        for model, old, new in RENAMES_1_6:
            field_ids, xmlids, values = self._state(model, old)
            self.assertEqual(field_ids, before[model, new][0])
            self.assertTrue(all(f"__{old}" in xmlid for xmlid in xmlids), xmlids)
            if self.env[model]._auto:
                self.assertEqual(values, before[model, new][2], f"{model}.{old}")
            else:
                # A database view: its model's init() makes it anew.
                self.assertIsNone(values)
        self.assertEqual(saved.domain, "[('kind', '=', 'stalking')]")
        self.assertEqual(saved.context, "{'group_by': ['kind']}")
        self.assertEqual(saved.sort, '["kind desc"]')
        self.assertEqual(export.export_fields.mapped("name"), ["kind", "name"])
        # ... and forward again: every record keeps its value, every field
        # its record (and with it its tracking and default values).
        rename_fields(self.env.cr, RENAMES_1_6)
        self.env.invalidate_all()
        for model, _old, new in RENAMES_1_6:
            self.assertEqual(self._state(model, new), before[model, new])
        self.assertEqual(saved.domain, "[('case_type', '=', 'stalking')]")
        self.assertEqual(saved.context, "{'group_by': ['case_type']}")
        self.assertEqual(saved.sort, '["case_type desc"]')
        self.assertEqual(export.export_fields.mapped("name"), ["share_type", "name"])
        self.assertEqual(case.case_type, "stalking")
        self.assertEqual(conference.conference_type, "adhoc")
        self.assertEqual(
            self.env["ir.default"]._get("dv.conference", "conference_type"), "adhoc"
        )
        # Twice does no harm.
        rename_fields(self.env.cr, RENAMES_1_6)
        self.env.invalidate_all()
        for model, _old, new in RENAMES_1_6:
            self.assertEqual(self._state(model, new), before[model, new])

    def _model_state(self, model):
        """Everything of ``model`` that the rename must keep, with the names
        that must change made independent of the model's name."""
        cr = self.env.cr
        table = model.replace(".", "_")
        cr.execute(
            "SELECT relkind FROM pg_class WHERE relname = %s AND relkind = 'r'",
            [table],
        )
        rows = None
        if cr.fetchone():
            cr.execute(
                SQL(
                    "SELECT id, conference_id, case_ref_id, reason FROM %s ORDER BY id",
                    SQL.identifier(table),
                )
            )
            rows = cr.fetchall()
        cr.execute("SELECT id FROM ir_model WHERE model = %s", [model])
        model_ids = [row[0] for row in cr.fetchall()]
        cr.execute(
            "SELECT id, name FROM ir_model_fields WHERE model = %s ORDER BY id",
            [model],
        )
        fields_ = cr.fetchall()
        cr.execute(
            "SELECT id, name FROM ir_model_fields WHERE relation = %s ORDER BY id",
            [model],
        )
        relations = cr.fetchall()
        cr.execute(
            "SELECT res_id, model, replace(name, %s, 'TABLE') FROM ir_model_data "
            "WHERE module = 'dv_case_management' AND name LIKE %s ORDER BY id",
            [table, f"%{table}%"],
        )
        xmlids = cr.fetchall()
        cr.execute(
            "SELECT res_id FROM ir_model_data WHERE model = %s ORDER BY id", [model]
        )
        records = [row[0] for row in cr.fetchall()]
        cr.execute(
            "SELECT replace(conname, %s, 'TABLE') FROM pg_constraint "
            "WHERE conrelid = (SELECT oid FROM pg_class WHERE relname = %s "
            "AND relkind = 'r') ORDER BY 1",
            [table, table],
        )
        constraints = [row[0] for row in cr.fetchall()]
        cr.execute(
            "SELECT replace(indexname, %s, 'TABLE') FROM pg_indexes "
            "WHERE tablename = %s ORDER BY 1",
            [table, table],
        )
        indexes = [row[0] for row in cr.fetchall()]
        cr.execute(
            "SELECT replace(name, %s, 'TABLE') FROM ir_model_constraint "
            "WHERE model = ANY(%s) ORDER BY 1",
            [table, model_ids],
        )
        reflected = [row[0] for row in cr.fetchall()]
        named = {}
        for db_table, column in (
            ("ir_attachment", "res_model"),
            ("ir_filters", "model_id"),
            ("ir_ui_view", "model"),
            ("dv_access_log", "res_model"),
        ):
            cr.execute(
                SQL(
                    "SELECT id FROM %s WHERE %s = %s ORDER BY id",
                    SQL.identifier(db_table),
                    SQL.identifier(column),
                    model,
                )
            )
            named[db_table] = [row[0] for row in cr.fetchall()]
        return {
            "rows": rows,
            "model": model_ids,
            "fields": fields_,
            "relations": relations,
            "xmlids": xmlids,
            "records": records,
            "constraints": constraints,
            "indexes": indexes,
            "reflected": reflected,
            "named": named,
        }

    def test_rename_through_other_fields(self):
        """Filters and actions that reach a renamed field through other
        fields take its new name; a path ending on another model's field of
        the same name, or on a field of another name, stays."""
        Filter = self.env["ir.filters"]
        on_referral = Filter.create(
            {
                "name": "Stalking referrals",
                "model_id": "dv.referral",
                "domain": "[('case_id.kind', '=', 'stalking')]",
                "sort": '["case_id.kind desc"]',
            }
        )
        on_item = Filter.create(
            {
                "name": "Ad-hoc agenda items",
                "model_id": "dv.conference.agenda.item",
                "domain": "[('conference_id.kind', '=', 'adhoc'),"
                " ('case_ref_id.lead_agency_id.kind', '=', 'x'),"
                " ('case_ref_id.kinder', '=', 1)]",
            }
        )
        action = self.env["ir.actions.act_window"].create(
            {
                "name": "Cases by approval",
                "res_model": "dv.case.approval",
                "domain": '[("case_id.kind", "=", "partner")]',
            }
        )
        for _run in range(2):
            rename_in_paths(self.env.cr, RENAMES_1_6)
            self.env.invalidate_all()
            self.assertEqual(
                (on_referral.domain, on_referral.sort),
                (
                    "[('case_id.case_type', '=', 'stalking')]",
                    '["case_id.case_type desc"]',
                ),
            )
            self.assertEqual(
                on_item.domain,
                "[('conference_id.conference_type', '=', 'adhoc'),"
                " ('case_ref_id.lead_agency_id.kind', '=', 'x'),"
                " ('case_ref_id.kinder', '=', 1)]",
            )
            self.assertEqual(action.domain, '[("case_id.case_type", "=", "partner")]')

    def test_rename_agenda_item_model(self):
        ((old, new),) = MODEL_RENAMES_1_6
        conference = self._conference()
        line = self._line(conference, self._create_case(), reason="review")
        self.env["ir.attachment"].create(
            {"name": "Notes", "res_model": new, "res_id": line.id}
        )
        self.env["ir.filters"].create(
            {
                "name": "Reviews",
                "model_id": new,
                "domain": "[('reason', '=', 'review')]",
            }
        )
        self.env.cr.execute(
            "INSERT INTO dv_access_log (accessed_at, user_id, access_right, "
            "res_model, res_id) VALUES (now(), %s, 'own', %s, %s)",
            [self.env.uid, new, line.id],
        )
        self.env.flush_all()
        before = self._model_state(new)
        self.assertEqual(len(before["model"]), 1)
        self.assertIn(line.id, [row[0] for row in before["rows"]])
        self.assertTrue(before["relations"])
        self.assertIn((before["model"][0], "ir.model", "model_TABLE"), before["xmlids"])
        self.assertIn("TABLE_pkey", before["constraints"])
        self.assertIn("TABLE__conference_id_index", before["indexes"])
        self.assertIn("TABLE_case_once_per_conference", before["reflected"])
        for db_table, ids in before["named"].items():
            self.assertTrue(ids, db_table)
        # Back to the name of 18.0.1.5.0 ...
        rename_models(self.env.cr, [(new, old)])
        self.assertEqual(self._model_state(old), before)
        gone = self._model_state(new)
        self.assertIsNone(gone["rows"])
        self.assertFalse(gone["model"] or gone["fields"] or gone["xmlids"])
        self.env.cr.execute(
            "SELECT 1 FROM pg_class WHERE relname LIKE %s",
            [f"{new.replace('.', '_')}%"],
        )
        self.assertFalse(self.env.cr.fetchall())
        # ... and forward again, twice.
        rename_models(self.env.cr, MODEL_RENAMES_1_6)
        self.assertEqual(self._model_state(new), before)
        rename_models(self.env.cr, MODEL_RENAMES_1_6)
        self.assertEqual(self._model_state(new), before)
        self.env.invalidate_all()
        self.assertEqual(line.reason, "review")
        self.assertEqual(conference.line_ids, line)
