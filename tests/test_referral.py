from datetime import datetime

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, freeze_time

from .common import ReferralCommon


@freeze_time("2026-12-28 09:00:00")
class TestInboundReferral(ReferralCommon):
    def test_referral_opens_case_with_victim(self):
        referral = self._inbound()
        self.assertRegex(referral.name, r"^VM-2026-\d{5}$")
        self.assertEqual(referral.state, "received")
        case = referral.case_id
        self.assertEqual(case.lead_agency_id, self.office)
        self.assertEqual(case.user_id, self.office_worker)
        self.assertEqual(case.victim_id.name, "Vera Referred")
        self.assertEqual(
            case.victim_id.with_user(self.office_worker).phone, "+49 170 5550000"
        )

    def test_deadline_over_weekend_and_christmas(self):
        # Friday 18 December 2026, 18:00 in Berlin; three working days in NRW:
        # Mon 21, Tue 22, Wed 23 December.
        referral = self._inbound()
        self.assertEqual(
            referral.first_contact_deadline, datetime(2026, 12, 23, 22, 59, 59)
        )
        # Wednesday 23 December: Thu 24, (25, 26 holidays, 27 Sunday), Mon 28, Tue 29.
        later = self._inbound(
            received_at="2026-12-23 10:00:00", police_reference="PR-2"
        )
        self.assertEqual(
            later.first_contact_deadline, datetime(2026, 12, 29, 22, 59, 59)
        )

    def test_contact_attempts_drive_the_state(self):
        referral = self._inbound(received_at="2026-12-23 10:00:00")
        self._attempt(referral, "2026-12-23 11:00:00", "no_answer")
        self.assertEqual(referral.state, "contacting")
        self._attempt(referral, "2026-12-28 08:00:00", "reached")
        self.assertEqual(referral.state, "contacted")
        self.assertEqual(referral.attempt_count, 2)
        self.assertEqual(referral.first_contact_at, datetime(2026, 12, 28, 8))
        self.assertTrue(referral.contacted_in_time)
        self.assertEqual(
            referral.case_id.contact_attempt_ids, referral.contact_attempt_ids
        )

    def test_late_contact_is_not_in_time(self):
        referral = self._inbound()
        self._attempt(referral, "2026-12-28 08:00:00", "reached")
        self.assertFalse(referral.contacted_in_time)

    def test_unreachable_and_declined_keep_an_erasure_date(self):
        referral = self._inbound()
        with self.assertRaises(UserError):
            referral.with_user(self.office_worker).action_mark_unreachable()
        self._attempt(referral, "2026-12-21 10:00:00", "no_answer")
        referral.with_user(self.office_worker).action_mark_unreachable()
        self.assertEqual(referral.state, "unreachable")
        self.assertEqual(str(referral.erase_after), "2027-03-28")
        with self.assertRaises(ValidationError):
            self._attempt(referral, "2026-12-22 10:00:00", "reached")
        declined = self._inbound(police_reference="PR-3")
        self._attempt(declined, "2026-12-21 10:00:00", "declined")
        self.assertEqual(declined.state, "declined")
        self.assertTrue(declined.erase_after)

    def test_referrals_are_archived_not_deleted(self):
        referral = self._inbound().with_user(self.office_worker)
        with self.assertRaises(UserError):
            referral.unlink()
        referral.action_archive()
        self.assertFalse(referral.active)

    def test_transitions_out_of_order_are_refused(self):
        referral = self._inbound().with_user(self.office_worker)
        referral.action_start_contacting()
        with self.assertRaises(UserError):
            referral.action_start_contacting()
        referral.action_withdraw()
        for action in (
            referral.action_mark_declined,
            referral.action_withdraw,
            referral.action_mark_unreachable,
        ):
            with self.subTest(action=action.__name__), self.assertRaises(UserError):
                action()
        self.assertEqual(referral.state, "withdrawn")

    def test_overdue_referral_notifies_office(self):
        referral = self._inbound()
        self.assertTrue(referral.is_overdue)
        self.assertIn(
            referral, self.env["dv.referral"].search([("is_overdue", "=", True)])
        )
        contacted = self._inbound(police_reference="PR-4")
        self._attempt(contacted, "2026-12-21 10:00:00", "reached")
        self.assertFalse(contacted.is_overdue)
        self.env["dv.referral"]._cron_notify_overdue()
        activities = referral.activity_ids
        self.assertEqual(activities.user_id, self.office_worker)
        self.assertNotIn("Vera", activities.summary)
        self.assertFalse(contacted.activity_ids)
        # Once only.
        self.env["dv.referral"]._cron_notify_overdue()
        self.assertEqual(len(referral.activity_ids), 1)

    def test_bad_input_is_refused_and_nothing_half_saved(self):
        Case = self.env["dv.case"]
        cases_before = Case.search_count([])
        bad = [
            {"legal_basis": False},
            {"legal_basis": "statute", "legal_norm": False},
            {"legal_basis": "acute_danger", "justification": "  "},
            {"legal_basis": "consent", "consent_date": False},
            {"consent_date": "2027-01-05"},
            {"received_at": "2027-02-01 10:00:00"},
            {"from_agency_id": self.office.id},
        ]
        for values in bad:
            with self.subTest(values=values), self.assertRaises(ValidationError):
                with self.env.cr.savepoint():
                    self._inbound(police_reference=None, **values)
        self.assertEqual(Case.search_count([]), cases_before)

    def test_same_police_reference_twice_is_refused(self):
        self._inbound(police_reference="PR-77")
        with self.assertRaises(ValidationError):
            self._inbound(police_reference="PR-77")
        # Another source may use the same number.
        other_police = self.env["dv.agency"].create(
            {"name": "Other Police", "agency_type_id": self.type_police.id}
        )
        self._inbound(police_reference="PR-77", from_agency_id=other_police.id)

    def test_attempt_before_arrival_is_refused(self):
        referral = self._inbound()
        with self.assertRaises(ValidationError):
            self._attempt(referral, "2026-12-18 16:00:00", "no_answer")
        self.assertEqual(referral.state, "received")

    def test_police_sees_its_referral_but_not_the_case(self):
        referral = self._inbound()
        as_police = referral.with_user(self.police_officer)
        self.assertEqual(as_police.state, "received")
        self.assertFalse(as_police.victim_phone)
        with self.assertRaises(AccessError):
            referral.case_id.with_user(self.police_officer).read(["name"])
        with self.assertRaises(AccessError):
            as_police.write({"police_reference": "changed"})
        # Nothing of the case through the referral either: its state and type
        # are read with the police officer's own access.
        referral.case_id.sudo().case_type = "stalking"
        values = as_police.read(["case_state", "case_type", "victim_name"])[0]
        self.assertEqual(
            (values["case_state"], values["case_type"], values["victim_name"]),
            (False, False, False),
        )
        self.assertEqual(referral.with_user(self.office_worker).case_type, "stalking")

    def test_other_agency_and_company_see_nothing(self):
        referral = self._inbound()
        for user in (self.caseworker, self.caseworker_b):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    referral.with_user(user).read(["name"])
                self.assertFalse(
                    self.env["dv.referral"]
                    .with_user(user)
                    .search([("id", "=", referral.id)])
                )

    def test_form_creates_referral(self):
        with Form(self.env["dv.referral"].with_user(self.office_worker)) as form:
            form.from_agency_id = self.police
            form.to_agency_id = self.office
            form.received_at = datetime(2026, 12, 28, 7, 0)
            form.police_reference = "PR-FORM"
            form.legal_basis = "statute"
            form.legal_norm = "§ 34a PolG NRW"
            form.victim_name = "Form Victim"
        referral = form.record
        self.assertEqual(referral.case_id.victim_id.name, "Form Victim")


@freeze_time("2026-12-28 09:00:00")
class TestOneClickCalls(ReferralCommon):
    def test_calls_logged_with_one_click_start_the_case(self):
        referral = self._inbound(police_reference="CALL-1").with_user(
            self.office_worker
        )
        case = referral.case_id
        self.assertEqual(case.state, "new")
        with freeze_time("2026-12-21 09:00:00"):
            referral.action_call_not_reached()
        self.assertEqual(referral.state, "contacting")
        with freeze_time("2026-12-21 09:05:00"):
            referral.action_call_reached()
        self.assertEqual(referral.state, "contacted")
        attempts = referral.contact_attempt_ids.sorted("attempted_at")
        self.assertEqual(attempts.mapped("outcome"), ["no_answer", "reached"])
        self.assertEqual([a.channel_id.code for a in attempts], ["phone", "phone"])
        self.assertEqual(attempts.user_id, self.office_worker)
        # The victim was reached: the case is in progress.
        self.assertEqual(case.state, "in_progress")
        with self.assertRaises(UserError):
            referral.action_call_reached()

    def test_who_cannot_start_the_case_is_told_why(self):
        referral = self._inbound(police_reference="CALL-2")
        case = referral.case_id
        # The lead has passed to another agency: the office cannot start it.
        case.sudo().with_context(tracking_disable=True)._dv_system_write(
            {"lead_agency_id": self.agency_a.id, "user_id": False}
        )
        with freeze_time("2026-12-21 09:00:00"):
            referral.with_user(self.office_worker).action_call_reached()
        self.assertEqual(case.state, "new")
        self.assertIn(
            "stays new", referral.message_ids[:1].body or "", referral.message_ids
        )


@freeze_time("2026-12-21 10:00:00")
class TestDeadlines(ReferralCommon):
    def test_time_left_in_words_and_one_list(self):
        self.env["res.lang"]._activate_lang("de_DE")
        referral = self._inbound(police_reference="DL-1")
        german = referral.with_user(self.office_worker).with_context(lang="de_DE")
        # Received on Friday 18 December 17:00: three working days.
        self.assertEqual(str(referral.first_contact_deadline), "2026-12-23 22:59:59")
        self.assertEqual(german.first_contact_due, "in 3 Tagen")
        with freeze_time("2026-12-24 01:00:00"):
            german.invalidate_recordset(["first_contact_due"])
            self.assertEqual(german.first_contact_due, "überfällig seit 2 Std.")
        case = referral.case_id
        self.env["dv.police.measure"].create(
            {"case_id": case.id, "measure_type": "eviction", "date_start": "2026-12-20"}
        )
        Deadline = self.env["dv.deadline"].with_user(self.office_worker)
        rows = Deadline.search([("case_id", "=", case.id)])
        self.assertEqual(
            sorted(rows.mapped("deadline_type")), ["first_contact", "measure_end"]
        )
        # Each deadline once, whatever the number of coordinators.
        self.assertEqual(len(rows), 2)
        self.assertTrue(
            case.with_user(self.office_worker).with_context(lang="de_DE").next_deadline
        )
        # Nobody of another agency sees them.
        self.assertFalse(
            self.env["dv.deadline"]
            .with_user(self.caseworker_b)
            .search([("case_id", "=", case.id)])
        )
        self.assertFalse(
            self.env["dv.deadline"]
            .with_user(self.caseworker)
            .search([("id", "in", rows.ids)])
        )
        action = rows[:1].with_user(self.office_worker).action_open_source()
        self.assertEqual(action["res_model"], rows[:1].res_model)
