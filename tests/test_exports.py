import io

import openpyxl

from odoo.exceptions import AccessError, UserError
from odoo.tests import freeze_time

from .common import ConferenceCommon


def render(env, user, report_name, records):
    content, file_type = (
        env["ir.actions.report"]
        .with_user(user)
        ._render_xlsx(report_name, records.ids, {})
    )
    assert file_type == "xlsx"
    return openpyxl.load_workbook(io.BytesIO(content))


def table(sheet):
    """The rows of a list sheet as dicts keyed by the heading row."""
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


@freeze_time("2026-06-30 09:00:00")
class TestCaseListExport(ConferenceCommon):
    def test_pseudonymised_by_default_and_formula_text_stays_text(self):
        self.case.user_id.name = "=cmd|' /C calc'!A0"
        self.case.lead_institution_id = self.shelter
        cases = self.env["dv.case"].with_user(self.caseworker).search([])
        book = render(
            self.env, self.caseworker, "dv_case_management.case_list_xlsx", cases
        )
        sheet = book["Cases"]
        rows = table(sheet)
        self.assertEqual({row["Reference"] for row in rows}, set(cases.mapped("name")))
        self.assertNotIn("Victim", rows[0])
        # No name anywhere in the pseudonymised list.
        values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
        self.assertNotIn("Vera Secret", values)
        row = next(row for row in rows if row["Reference"] == self.case.name)
        self.assertEqual(row["Children"], 1)
        self.assertEqual(row["Lead Agency"], self.agency_a.name)
        self.assertEqual(row["Agreed Lead Institution"], self.shelter.name)
        self.assertEqual(row["High Risk"], "No")
        cell = next(
            cell
            for line in sheet.iter_rows()
            for cell in line
            if cell.value == "=cmd|' /C calc'!A0"
        )
        self.assertEqual(cell.data_type, "s")

    def test_list_with_names_is_logged_and_for_case_workers_only(self):
        book = render(
            self.env,
            self.caseworker,
            "dv_case_management.case_list_named_xlsx",
            self.case,
        )
        self.assertEqual(table(book["Cases"])[0]["Victim"], "Vera Secret")
        log = self.env["dv.access.log"].search(
            [("case_id", "=", self.case.id), ("user_id", "=", self.caseworker.id)]
        )
        self.assertTrue(log)
        with self.assertRaises(AccessError):
            render(
                self.env,
                self.network,
                "dv_case_management.case_list_named_xlsx",
                self.case,
            )

    def test_other_agency_cannot_export_the_case(self):
        with self.assertRaises(AccessError):
            render(
                self.env,
                self.caseworker_b,
                "dv_case_management.case_list_xlsx",
                self.case,
            )


@freeze_time("2026-06-30 09:00:00")
class TestActionTracker(ConferenceCommon):
    def test_open_and_overdue_actions_per_agency(self):
        conference = self._conference()
        line = self._line(conference, self.case)
        Action = self.env["dv.conference.action"].with_user(self.coordinator_a)

        def action(name, owner, due, status="open"):
            created = Action.create(
                {
                    "line_id": line.id,
                    "name": name,
                    "owner_agency_id": owner.id,
                    "due_date": due,
                }
            )
            if status != "open":
                getattr(created, f"action_mark_{status}")()
            return created

        action("+Safety plan", self.shelter, "2026-06-20")
        action("Call school", self.shelter, "2026-07-20")
        action("Court application", self.agency_a, "2026-06-01")
        action("Done already", self.agency_a, "2026-06-01", status="done")
        result = Action.action_export_tracker()
        self.assertEqual(
            result["report_name"], "dv_case_management.action_tracker_xlsx"
        )
        actions = Action.browse(result["context"]["active_ids"])
        book = render(
            self.env,
            self.coordinator_a,
            "dv_case_management.action_tracker_xlsx",
            actions,
        )
        summary = {row["Owner Agency"]: row for row in table(book["Per Agency"])}
        self.assertEqual(summary[self.shelter.name]["Open"], 2)
        self.assertEqual(summary[self.shelter.name]["Overdue"], 1)
        self.assertEqual(summary[self.agency_a.name]["Open"], 1)
        self.assertEqual(summary[self.agency_a.name]["Overdue"], 1)
        rows = table(book["Open Actions"])
        self.assertEqual(len(rows), 3)
        first = next(row for row in rows if row["Action"] == "+Safety plan")
        self.assertEqual(first["Days Overdue"], 10)
        self.assertEqual(first["Case"], line.pseudonym)
        self.assertNotIn("Vera Secret", str(rows))
        cell = next(
            cell
            for row in book["Open Actions"].iter_rows()
            for cell in row
            if cell.value == "+Safety plan"
        )
        self.assertEqual(cell.data_type, "s")

    def test_nothing_to_export(self):
        with self.assertRaises(UserError):
            self.env["dv.conference.action"].with_user(
                self.shelter_worker
            ).action_export_tracker()
