import logging

from odoo.tests import freeze_time
from odoo.tools import mute_logger

from .test_referral import ReferralCommon

MAIL = """From: {sender}
To: meldungen@example.org
Subject: {subject}
Message-ID: <{msgid}@police.example.org>
Date: Sun, 22 Nov 2026 08:00:00 +0000
Content-Type: text/plain; charset="utf-8"

{body}
"""

COMPLETE = """Aktenzeichen: PR-2026-4711
Tatzeit: 20.11.2026 23:10
Name: Maria Mustermann
Geburtsdatum: 01.02.1985
Telefon: 0170 1234567
Einwilligung: ja
Massnahmen: Wohnungsverweisung
Tatverdaechtiger: Max Mustermann
"""


@freeze_time("2026-11-22 09:00:00")
class TestReferralIntake(ReferralCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.police.email = "wache@police.example.org"
        cls.office.alias_name = "meldungen"

    def _deliver(self, body, msgid, sender="wache@police.example.org"):
        message = MAIL.format(sender=sender, subject="Meldung", msgid=msgid, body=body)
        with mute_logger("odoo.addons.mail.models.mail_thread"):
            referral_id = self.env["mail.thread"].message_process(
                "dv.referral",
                message.encode(),
                custom_values={"to_agency_id": self.office.id},
            )
        return self.env["dv.referral"].browse(referral_id)

    def test_alias_routes_to_referrals(self):
        alias = self.office.alias_id
        self.assertEqual(alias.alias_model_id.model, "dv.referral")
        self.assertIn(str(self.office.id), alias.alias_defaults)
        self.assertEqual(alias.alias_contact, "partners")

    def test_complete_message(self):
        referral = self._deliver(COMPLETE, "complete")
        self.assertFalse(referral.needs_completion)
        self.assertRegex(referral.name, r"^VM-")
        self.assertEqual(referral.from_agency_id, self.police)
        self.assertEqual(referral.police_reference, "PR-2026-4711")
        self.assertEqual(referral.legal_basis, "consent")
        case = referral.case_id
        self.assertEqual(case.lead_agency_id, self.office)
        self.assertEqual(case.victim_id.name, "Maria Mustermann")
        self.assertEqual(str(case.victim_id.birth_date), "1985-02-01")
        self.assertEqual(case.victim_id.protected_id.phone, "+491701234567")
        self.assertEqual(case.measure_ids.measure_type, "eviction")
        self.assertEqual(
            case.person_ids.filtered(lambda p: p.role == "perpetrator").name,
            "Max Mustermann",
        )
        self.assertEqual(len(case.incident_ids), 1)
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", "dv.referral"), ("res_id", "=", referral.id)]
        )
        self.assertIn("original-message.txt", attachment.mapped("name"))
        self.assertTrue(referral.first_contact_deadline)

    def test_partial_message_is_kept_for_completion(self):
        referral = self._deliver(
            "Name: Eva Beispiel\nTelefon: 0171 7654321\n", "partial"
        )
        self.assertTrue(referral.needs_completion)
        # No consent stated: the state's statute for referrals applies (NRW).
        self.assertEqual(referral.legal_basis, "statute")
        self.assertEqual(referral.legal_norm, self.profile_nw.proactive_statute)
        self.assertEqual(referral.case_id.victim_id.name, "Eva Beispiel")

    def test_garbage_message_still_becomes_a_referral(self):
        referral = self._deliver("Bitte rufen Sie zurück!!! <<<>>>", "garbage")
        self.assertTrue(referral.needs_completion)
        self.assertFalse(referral.case_id)
        self.assertEqual(referral.to_agency_id, self.office)
        self.assertTrue(
            self.env["ir.attachment"].search_count(
                [("res_model", "=", "dv.referral"), ("res_id", "=", referral.id)]
            )
        )

    def test_unknown_sender_and_duplicate_are_marked(self):
        first = self._deliver(COMPLETE, "first")
        second = self._deliver(COMPLETE, "second")
        self.assertFalse(first.needs_completion)
        self.assertTrue(second.needs_completion, "sent twice")
        self.assertFalse(second.police_reference)
        stranger = self._deliver(
            COMPLETE.replace("PR-2026-4711", "PR-9"), "stranger", "x@unknown.example"
        )
        self.assertTrue(stranger.needs_completion)
        self.assertFalse(stranger.from_agency_id)

    def test_no_personal_data_in_log(self):
        records = []
        handler = logging.Handler(level=logging.DEBUG)
        handler.emit = records.append
        logger = logging.getLogger("odoo.addons.dv_case_management")
        old_level = logger.level
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
        try:
            self._deliver(COMPLETE, "logged")
        finally:
            logger.removeHandler(handler)
            logger.setLevel(old_level)
        text = "\n".join(record.getMessage() for record in records)
        self.assertIn("created from e-mail", text)
        for secret in ("Maria", "Mustermann", "1234567", "PR-2026-4711"):
            self.assertNotIn(secret, text)


@freeze_time("2026-12-28 09:00:00")
class TestRepeats(ReferralCommon):
    def test_same_victim_within_twelve_months_joins_the_case(self):
        first = self._inbound(
            received_at="2026-03-01 10:00:00",
            consent_date="2026-03-01",
            police_reference="R-1",
            victim_birth_date="1985-02-01",
        )
        second = self._inbound(
            received_at="2026-11-20 10:00:00",
            police_reference="R-2",
            victim_name="vera  REFERRED",
            victim_birth_date="1985-02-01",
        )
        self.assertTrue(second.is_repeat)
        self.assertEqual(second.case_id, first.case_id)
        self.assertTrue(first.case_id.is_repeat)
        self.assertEqual(len(first.case_id.person_ids), 1, "no duplicate person")

    def test_match_by_alias_and_phone(self):
        first = self._inbound(
            police_reference="R-3",
            received_at="2026-10-01 10:00:00",
            consent_date="2026-10-01",
        )
        first.case_id.victim_id.aliases = "Vera Müller, V. M."
        second = self._inbound(
            police_reference="R-4",
            received_at="2026-11-01 10:00:00",
            consent_date="2026-11-01",
            victim_name="Vera Mueller",
            victim_phone="0170 5550000",
        )
        self.assertTrue(second.is_repeat)
        self.assertEqual(second.case_id, first.case_id)

    def test_older_than_twelve_months_is_a_new_case(self):
        first = self._inbound(
            received_at="2025-06-01 10:00:00",
            consent_date="2025-06-01",
            police_reference="R-5",
            victim_birth_date="1985-02-01",
        )
        second = self._inbound(
            received_at="2026-11-20 10:00:00",
            police_reference="R-6",
            victim_birth_date="1985-02-01",
        )
        self.assertFalse(second.is_repeat)
        self.assertNotEqual(second.case_id, first.case_id)

    def test_same_name_different_person_is_no_repeat(self):
        first = self._inbound(police_reference="R-7", victim_birth_date="1985-02-01")
        second = self._inbound(
            police_reference="R-8",
            victim_birth_date="1990-07-07",
            victim_phone="0151 000000",
        )
        self.assertFalse(second.is_repeat)
        self.assertNotEqual(second.case_id, first.case_id)

    def test_other_agencies_cases_are_not_matched(self):
        other_office = self.env["dv.agency"].create(
            {
                "name": "Other Office",
                "agency_type_id": self.type_intake.id,
                "company_id": self.company_a.id,
                "first_contact_deadline_unit": "hours",
            }
        )
        first = self._inbound(police_reference="R-9", victim_birth_date="1985-02-01")
        other_worker = self._new_member(
            "dv_test_other_office", "caseworker", other_office
        )
        second = self._inbound(
            user=other_worker,
            to_agency_id=other_office.id,
            police_reference="R-10",
            victim_birth_date="1985-02-01",
        )
        self.assertFalse(second.is_repeat)
        self.assertNotEqual(second.case_id, first.case_id)

    def test_separate_and_reopen(self):
        first = self._inbound(police_reference="R-11", victim_birth_date="1985-02-01")
        case = first.case_id
        case._close(self.env.ref("dv_case_management.closure_reason_completed"), "")
        second = self._inbound(police_reference="R-12", victim_birth_date="1985-02-01")
        self.assertEqual(second.case_id, case)
        second.with_user(self.office_worker).action_reopen_case()
        self.assertEqual(case.state, "in_progress")
        second.with_user(self.office_worker).action_separate_case()
        self.assertNotEqual(second.case_id, case)
        self.assertFalse(second.is_repeat)
        self.assertEqual(second.case_id.victim_id.name, "Vera Referred")
        self.assertEqual(case.referral_ids, first)

    def test_incidents_within_twelve_months_make_a_repeat(self):
        case = self._create_case()
        Incident = self.env["dv.incident"]
        Incident.create({"case_id": case.id, "date": "2025-01-01 10:00:00"})
        Incident.create({"case_id": case.id, "date": "2026-03-01 10:00:00"})
        self.assertFalse(case.is_repeat)
        Incident.create({"case_id": case.id, "date": "2026-11-01 10:00:00"})
        self.assertTrue(case.is_repeat)


class TestAppointments(ReferralCommon):
    def test_appointment_carries_reference_not_names(self):
        case = self._create_case()
        action = case.with_user(self.caseworker).action_open_events()
        event = (
            self.env["calendar.event"]
            .with_user(self.caseworker)
            .with_context(**action["context"])
            .create(
                {
                    "name": "Meeting with Vera Victim",
                    "start": "2026-12-01 09:00:00",
                    "stop": "2026-12-01 10:00:00",
                    "dv_purpose": "counselling",
                }
            )
        )
        self.assertEqual(event.dv_case_id, case)
        self.assertNotIn("Vera", event.name)
        # The stored title is the purpose; the case's readers see the
        # reference before it.
        self.assertEqual(event.name, "Counselling")
        self.assertEqual(
            event.with_user(self.caseworker).display_name, f"{case.name} - Counselling"
        )
        self.assertEqual(event.privacy, "private")
        event.write({"name": "Vera again"})
        self.assertNotIn("Vera", event.name)
        self.assertEqual(case.event_count, 1)
