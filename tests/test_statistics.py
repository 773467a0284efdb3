import io

import openpyxl

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import freeze_time

from .test_referral import ReferralCommon


@freeze_time("2026-12-28 09:00:00")
class TestStatisticsWorkbook(ReferralCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Eight referrals in December 2026: seven from the police (one of
        # them declined), one self-referral.
        for number in range(7):
            referral = cls.env["dv.referral"].create(
                {
                    "direction": "inbound",
                    "source_type": "police",
                    "from_agency_id": cls.police.id,
                    "to_agency_id": cls.office.id,
                    "company_id": cls.company_a.id,
                    "received_at": f"2026-12-0{number + 1} 08:00:00",
                    "police_reference": f"ST-{number}",
                    "legal_basis": "consent",
                    "consent_date": "2026-12-01",
                    "victim_name": f"Person {number}",
                }
            )
            if number == 0:
                referral.action_mark_declined()
        cls.env["dv.referral"].create(
            {
                "direction": "inbound",
                "source_type": "self",
                "to_agency_id": cls.office.id,
                "company_id": cls.company_a.id,
                "received_at": "2026-12-10 08:00:00",
                "legal_basis": "consent",
                "consent_date": "2026-12-10",
                "victim_name": "Self Referred",
            }
        )

    def _workbook(self, user, **values):
        vals = {
            "date_from": "2026-01-01",
            "date_to": "2026-12-31",
            "company_ids": [Command.set(self.company_a.ids)],
        }
        vals.update(values)
        wizard = self.env["dv.statistics.wizard"].with_user(user).create(vals)
        report = self.env.ref("dv_case_management.report_statistics_xlsx")
        content, file_type = (
            self.env["ir.actions.report"]
            .with_user(user)
            ._render_xlsx(report.report_name, wizard.ids, {})
        )
        self.assertEqual(file_type, "xlsx")
        return openpyxl.load_workbook(io.BytesIO(content))

    def _rows(self, sheet):
        return {
            row[0]: row[1]
            for row in sheet.iter_rows(values_only=True)
            if row and row[0] is not None
        }

    def test_statistics_role_gets_suppressed_aggregates(self):
        book = self._workbook(self.statistics)
        self.assertEqual(
            book.sheetnames, ["Overview", "Pro-active Approach", "High Risk"]
        )
        front = self._rows(book["Overview"])
        self.assertEqual(front["Period"], "2026-01-01 - 2026-12-31")
        self.assertEqual(front["Counts below this are shown as"], "<5")
        proactive = self._rows(book["Pro-active Approach"])
        self.assertEqual(proactive["Police"], 7)
        # One self-referral is hidden, and a second cell so that the total
        # does not give it away.
        self.assertEqual(proactive["Self-referral"], "<5")
        self.assertEqual(proactive["Another Agency"], "<5")
        self.assertEqual(proactive["Other"], 0)
        self.assertEqual(proactive["Total"], 8)
        self.assertEqual(proactive["Declined"], "<5")
        self.assertEqual(proactive["Unreachable"], 0)
        self.assertEqual(proactive["Consent rate"], 1.0)
        self.assertEqual(proactive["Median hours to first contact"], "—")
        high = self._rows(book["High Risk"])
        self.assertEqual(high["High-risk cases"], 0)
        self.assertEqual(high["Repeats within 12 months"], 0)
        # The statistics role reads no case.
        with self.assertRaises(AccessError):
            self.env["dv.case"].with_user(self.statistics).search([])

    def test_text_never_becomes_a_formula(self):
        self.office.name = '=HYPERLINK("http://evil")'
        book = self._workbook(
            self.statistics, agency_ids=[Command.set(self.office.ids)]
        )
        sheet = book["Overview"]
        cell = next(row[1] for row in sheet.iter_rows() if row[0].value == "Agencies")
        self.assertEqual(cell.data_type, "s")
        self.assertEqual(cell.value, '=HYPERLINK("http://evil")')

    def test_filter_by_agency_and_threshold(self):
        other = self.env["dv.agency"].create(
            {
                "name": "Empty Office",
                "agency_type_id": self.type_intake.id,
                "first_contact_deadline_unit": "hours",
            }
        )
        book = self._workbook(self.statistics, agency_ids=[Command.set(other.ids)])
        self.assertEqual(self._rows(book["Pro-active Approach"])["Total"], 0)
        book = self._workbook(self.statistics, threshold=1)
        proactive = self._rows(book["Pro-active Approach"])
        self.assertEqual(proactive["Self-referral"], 1)
        self.assertEqual(proactive["Declined"], 1)
