from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError

from .common import ReferralCommon


class TestDashboard(ReferralCommon):
    """The overview is a database view that counts against the database's
    clock, so the data lies relative to today rather than a frozen date."""

    def test_cards_of_own_agencies_with_the_figures_of_the_year(self):
        today = fields.Date.today()
        self._create_case(opened_on=today.replace(month=1, day=1))
        self._create_case(opened_on=today.replace(year=today.year - 1))
        closed = self._create_case(opened_on=today.replace(month=1, day=2))
        closed.sudo().write(
            {
                "state": "closed",
                "closed_on": today,
                "closure_reason_id": self.env.ref(
                    "dv_case_management.closure_reason_completed"
                ).id,
            }
        )
        # A referral to the office, overdue since its deadline passed.
        received = fields.Datetime.now() - timedelta(days=10)
        self.env["dv.referral"].create(
            {
                "source_type": "police",
                "from_agency_id": self.police.id,
                "to_agency_id": self.office.id,
                "company_id": self.company_a.id,
                "received_at": received,
                "police_reference": "DB-1",
                "legal_basis": "consent",
                "consent_date": today - timedelta(days=10),
                "victim_name": "Dora Dashboard",
            }
        )
        self.env.flush_all()
        Dashboard = self.env["dv.dashboard"]
        card = Dashboard.with_user(self.caseworker).search(
            [("agency_id", "=", self.agency_a.id)]
        )
        self.assertEqual(len(card), 1)
        self.assertEqual(card.open_case_count, 2)
        self.assertEqual(card.year_case_count, 2)
        office = Dashboard.with_user(self.office_worker).search(
            [("agency_id", "=", self.office.id)]
        )
        self.assertEqual(office.year_referral_count, int(received.year == today.year))
        self.assertEqual(office.open_referral_count, 1)
        self.assertEqual(office.overdue_referral_count, 1)
        action = card.with_user(self.caseworker).action_open_cases()
        self.assertEqual(
            self.env["dv.case"]
            .with_user(self.caseworker)
            .search_count(action["domain"]),
            2,
        )
        # Only the cards of one's own agencies.
        visible = Dashboard.with_user(self.caseworker).search([])
        self.assertEqual(visible.agency_id, self.agency_a)
        self.assertFalse(
            Dashboard.with_user(self.caseworker_b).search(
                [("agency_id", "=", self.agency_a.id)]
            )
        )
        with self.assertRaises(AccessError):
            Dashboard.with_user(self.statistics).search([])

    def test_partner_agency_counts_what_was_shared_with_it(self):
        case = self._create_case()
        other = self._create_case()
        for shared in (case, other):
            self.env["dv.share"].with_user(self.caseworker).create(
                {
                    "case_id": shared.id,
                    "to_agency_id": self.office.id,
                    "legal_basis": "statute",
                    "legal_norm": "§ 8a SGB VIII",
                }
            )
        case.share_ids.with_user(self.office_worker).action_accept()
        self.env.flush_all()
        card = (
            self.env["dv.dashboard"]
            .with_user(self.office_worker)
            .search([("agency_id", "=", self.office.id)])
        )
        self.assertEqual(card.shared_case_count, 1)
        self.assertEqual(card.share_to_answer_count, 1)
        action = card.action_open_shared()
        shares = (
            self.env["dv.share"].with_user(self.office_worker).search(action["domain"])
        )
        self.assertEqual(shares.case_id, case | other)
