from odoo.tools import SQL

from ..models.dv_field_rename import RENAMES_1_6, rename_fields
from .common import ConferenceCommon


class TestFieldRename(ConferenceCommon):
    """A database of 18.0.1.5.0 named the fields ``kind``: the pre-migration
    of 18.0.1.6.0 renames them with their values, field records, external
    ids and the saved filters, defaults and export lists that name them."""

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
