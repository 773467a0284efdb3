from unittest.mock import patch

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import freeze_time

from .test_privacy import PrivacyCommon


class TestRetention(PrivacyCommon):
    def _full_case(self):
        """A case with something in every place identifying data can hide."""
        case = self._create_case()
        victim = case.victim_id
        victim.write(
            {"aliases": "V. V.", "birth_date": "1990-03-15", "disability_note": "deaf"}
        )
        self.env["dv.person"].create(
            {
                "case_id": case.id,
                "role": "perpetrator",
                "name": "Paul Perp",
                "relationship": "spouse",
                "gender": "male",
            }
        )
        self.env["dv.incident"].create(
            {
                "case_id": case.id,
                "date": "2026-03-17 21:30:00",
                "description": "Paul hit Vera in the kitchen.",
                "police_reference": "PR-77",
                "offence_group_ids": [
                    Command.set(
                        self.env.ref("dv_case_management.offence_group_bodily_harm").ids
                    )
                ],
            }
        )
        case.safety_plan = "<p>Vera goes to her sister in Lindenweg 4.</p>"
        case.message_post(body="Vera called from her new number.")
        self.env["ir.attachment"].create(
            {
                "name": "photo.txt",
                "raw": b"Vera",
                "res_model": "dv.case",
                "res_id": case.id,
            }
        )
        self.env["calendar.event"].create(
            {
                "name": "x",
                "start": "2026-03-20 09:00:00",
                "stop": "2026-03-20 10:00:00",
                "dv_case_id": case.id,
            }
        )
        case._close(
            self.env.ref("dv_case_management.closure_reason_completed"), "Vera is safe."
        )
        case.closed_on = "2026-03-31"
        return case

    def _assert_erased(self, case):
        self.assertTrue(case.erased_on)
        for person in case.person_ids:
            self.assertEqual(person.name, "Erased")
            self.assertFalse(
                person.aliases or person.birth_date or person.disability_note
            )
            self.assertFalse(person.protected_id)
        self.assertFalse(case.safety_plan)
        self.assertFalse(case.outcome)
        self.assertFalse(case.incident_ids.description)
        self.assertFalse(case.incident_ids.police_reference)
        self.assertFalse(case.event_ids)
        self.assertFalse(
            self.env["mail.message"].search(
                [("model", "=", "dv.case"), ("res_id", "=", case.id)]
            )
        )
        self.assertFalse(
            self.env["ir.attachment"].search(
                [("res_model", "=", "dv.case"), ("res_id", "=", case.id)]
            )
        )
        # The statistical skeleton remains.
        victim = case.person_ids.filtered(lambda p: p.role == "victim")
        self.assertEqual(victim.gender, "female")
        self.assertEqual(victim.age_at_opening, 36)
        self.assertTrue(victim.age_known)
        perpetrator = case.person_ids.filtered(lambda p: p.role == "perpetrator")
        self.assertEqual(perpetrator.relationship, "spouse")
        self.assertEqual(case.incident_ids.offence_group_ids.code, "bodily_harm")
        self.assertEqual(str(case.incident_ids.date), "2026-03-01 00:00:00")
        self.assertEqual(case.closure_reason_id.code, "completed")
        self.assertEqual(case.kind, "partner")

    def test_closed_case_erased_after_its_period(self):
        case = self._full_case()
        # Closed on 31 March 2026, kept 1095 days: due on 30 March 2029.
        with freeze_time("2029-03-29"):
            self.assertNotIn(case, self.env["dv.retention"]._due_cases())
        with freeze_time("2029-03-30"):
            self.assertIn(case, self.env["dv.retention"]._due_cases())
            preview = self.env["dv.erasure.preview"].with_user(self.dpo).create({})
            self.assertIn(case.name, preview.summary)
            self.assertNotIn("Vera", preview.summary)
            self.env["dv.retention"]._cron_erase()
        self._assert_erased(case)
        log = self.env["dv.erasure.log"].search([("case_id", "=", case.id)])
        self.assertEqual(log.kind, "retention")
        # Rerun: nothing more to do, nothing twice.
        with freeze_time("2029-04-01"):
            self.assertNotIn(case, self.env["dv.retention"]._due_cases())
            self.env["dv.retention"]._cron_erase()
        self.assertEqual(
            len(self.env["dv.erasure.log"].search([("case_id", "=", case.id)])), 1
        )

    def test_rule_per_closure_reason(self):
        case = self._full_case()
        self.env["dv.retention.rule"].create(
            {
                "record_type": "closed_case",
                "closure_reason_id": case.closure_reason_id.id,
                "days": 10,
            }
        )
        with freeze_time("2026-04-11"):
            self.assertIn(case, self.env["dv.retention"]._due_cases())

    def test_interrupted_run_leaves_whole_cases_and_rerun_finishes(self):
        cases = self._full_case() | self._full_case() | self._full_case()
        original = type(self.env["dv.case"])._erase_traces
        calls = {"n": 0}

        def crash_on_second(case_self, recordsets):
            calls["n"] += 1
            if calls["n"] == 2:
                raise RuntimeError("worker killed")
            return original(case_self, recordsets)

        with (
            freeze_time("2029-04-01"),
            patch.object(type(self.env["dv.case"]), "_erase_traces", crash_on_second),
        ):
            first, second, third = cases
            first._erase("retention", "test")
            with self.assertRaises(RuntimeError), self.env.cr.savepoint():
                second._erase("retention", "test")
            third._erase("retention", "test")
        with freeze_time("2029-04-01"):
            cases.invalidate_recordset()
            erased = cases.filtered("erased_on")
            self.assertEqual(len(erased), 2)
            half = cases - erased
            # The interrupted case was rolled back whole, not half-erased.
            self.assertEqual(half.victim_id.name, "Vera Victim")
            self.assertTrue(half.safety_plan)
            self.env["dv.retention"]._cron_erase()
        for case in cases:
            self._assert_erased(case)

    def test_referral_never_taken_up(self):
        office = self.env["dv.agency"].create(
            {
                "name": "Retention Office",
                "agency_type_id": self.type_intake.id,
                "company_id": self.company_a.id,
                "first_contact_deadline_unit": "hours",
                "unreached_retention_days": 0,
            }
        )
        worker = self._new_member("dv_test_retention_worker", "caseworker", office)
        referral = (
            self.env["dv.referral"]
            .with_user(worker)
            .create(
                {
                    "to_agency_id": office.id,
                    "company_id": self.company_a.id,
                    "received_at": "2026-05-20 10:00:00",
                    "legal_basis": "statute",
                    "legal_norm": "§ 34a PolG NRW",
                    "victim_name": "Ute Unreached",
                    "victim_phone": "0170 999999",
                }
            )
        )
        referral.with_user(worker).action_mark_declined()
        case = referral.case_id
        self.assertNotIn(case, self.env["dv.retention"]._due_cases())
        with freeze_time("2026-07-02"):
            self.assertIn(case, self.env["dv.retention"]._due_cases())
            self.env["dv.retention"]._cron_erase()
        self.assertEqual(case.victim_id.name, "Erased")
        self.assertFalse(case.victim_id.protected_id)

    def test_erase_now_on_request(self):
        case = self._full_case()
        wizard = (
            self.env["dv.erasure.wizard"]
            .with_user(self.lead_coordinator)
            .create(
                {
                    "case_id": case.id,
                    "reason": "Letter of 1 June",
                    "confirmation": "wrong",
                }
            )
        )
        with self.assertRaises(UserError):
            wizard.action_erase()
        self.assertFalse(case.erased_on)
        wizard.confirmation = case.name
        wizard.action_erase()
        self._assert_erased(case)
        log = self.env["dv.erasure.log"].search([("case_id", "=", case.id)])
        self.assertEqual((log.kind, log.user_id), ("request", self.lead_coordinator))
        with self.assertRaises(UserError):
            log.with_user(self.dpo).write({"reason": "x"})
        # Only someone who may change the case can erase it.
        other = self._full_case()
        wizard = (
            self.env["dv.erasure.wizard"]
            .with_user(self.other_coordinator)
            .create({"case_id": other.id, "reason": "x", "confirmation": other.name})
        )
        with self.assertRaises(AccessError):
            wizard.action_erase()

    def test_conference_minutes_expire(self):
        case = self._create_case()
        conference = self.env["dv.conference"].create(
            {
                "start": "2026-01-10 08:00:00",
                "organizer_agency_id": self.agency_a.id,
                "company_id": self.company_a.id,
            }
        )
        line = self.env["dv.conference.case"].create(
            {"conference_id": conference.id, "case_id": case.id, "facts": "Vera fled."}
        )
        conference.action_held()
        with freeze_time("2031-01-10"):
            self.assertIn(conference, self.env["dv.retention"]._due_conferences())
            self.env["dv.retention"]._cron_erase()
        self.assertTrue(conference.minutes_erased)
        self.assertFalse(line.facts)

    def test_access_log_expires(self):
        case = self._create_case()
        Log = self.env["dv.access.log"]
        # Entries are written by the access log's own insert; their dates
        # are set here as the log would have them two and a half years on.
        Log.with_user(self.caseworker)._log(case)
        Log.with_user(self.caseworker)._log(case)
        entries = Log.search([("case_id", "=", case.id)])
        self.assertEqual(len(entries), 2)
        entries[0].write({"accessed_at": "2024-01-01 10:00:00"})
        entries[1].write({"accessed_at": "2026-01-01 10:00:00"})
        with freeze_time("2026-06-01"):
            self.env["dv.retention"]._cron_erase()
        remaining = Log.search([("case_id", "=", case.id)])
        self.assertEqual(remaining, entries[1])
