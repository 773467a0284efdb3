from unittest.mock import patch

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import freeze_time

from ..models.dv_erasable import DvErasableMixin
from .common import PrivacyCommon

# What counts as personal data for the erasure check below: the stored
# char, text, html and binary fields and the attachments (many2many and
# one2many to ir.attachment) of every model that holds a case's data, that is
# a model with a stored many2one to a case or a person, or with a required
# many2one to such a model (a referral's contact attempts, a safety plan's
# steps, an agenda item's actions). Related fields are left out: they copy
# a field of the record they point to, which is erased there. Database views
# hold nothing of their own. A conference (dv.conference) belongs to no
# case: its notes go when its minutes expire (dv.conference._erase_minutes).
# Staff's data (sign-in, membership and access logs) belongs to no case's
# people: the retention engine deletes the old entries of the logs whole.
PERSONAL_TYPES = ("char", "text", "html", "binary")
CASE_ROOTS = ("dv.case", "dv.person")

# Fields of such models that the case's erasure keeps, each with its reason.
# A model with a personal field not listed here must inherit
# dv.erasable.mixin and say in _dv_erase what it erases.
KEPT_FIELDS = {
    # The model that was read: a technical name.
    ("dv.access.log", "res_model"),
    # The emergency-access, disclosure and erasure logs are kept without an
    # automatic end (README, "Data protection"): they account for an access,
    # a disclosure or an erasure. Their free text justifies it and is to
    # name no one; norms and references name nobody.
    ("dv.break.glass", "reason"),
    ("dv.disclosure", "legal_norm"),
    ("dv.disclosure", "justification"),
    ("dv.disclosure", "source"),
    ("dv.erasure.log", "reference"),
    ("dv.erasure.log", "reason"),
}
# Models whose records go with the record they belong to, whose erasure
# deletes it: the required many2one deletes in cascade.
DELETED_WITH = {
    # An appointment's attendees (names, tokens) go with the appointment.
    "calendar.attendee": "event_id",
}

# Deadline reminders are activities of the record that owns the deadline
# (police measure, protection order, ...); ``dv_case_id`` only lists them on
# the case. They go whole with the traces of their record
# (``_dv_erase_traces``), checked in ``_assert_erased``.
TRACES = {"mail.activity"}


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
        measure = self.env["dv.police.measure"].create(
            {
                "case_id": case.id,
                "measure_type": "eviction",
                "date_start": "2026-03-17",
                "duration_days": 14,
            }
        )
        measure.activity_schedule(
            "mail.mail_activity_data_todo",
            summary="Call Vera at her sister's",
            dv_case_id=case.id,
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
            self.env["mail.activity"].search([("dv_case_id", "=", case.id)])
        )
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
        self.assertEqual(case.case_type, "partner")

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
        self.assertEqual(log.erasure_ground, "retention")
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

    def test_referral_declined_under_a_statute_that_erases_goes_now(self):
        """Schleswig-Holstein: the data the police pass under § 201a Abs. 6
        LVwG are erased as soon as the person declines the counselling, not
        after the office's waiting time; unreached, they wait as before."""
        self.company_a.dv_land_profile_id = self.env.ref(
            "dv_case_management.land_profile_sh"
        )
        office = self.env["dv.agency"].create(
            {
                "name": "Retention Office SH",
                "agency_type_id": self.type_intake.id,
                "company_id": self.company_a.id,
                "first_contact_deadline_unit": "hours",
            }
        )
        worker = self._new_member("dv_test_retention_sh", "caseworker", office)
        Referral = self.env["dv.referral"].with_user(worker)

        def referral(name, basis="statute"):
            values = {
                "to_agency_id": office.id,
                "company_id": self.company_a.id,
                "received_at": "2026-05-20 10:00:00",
                "legal_basis": basis,
                "victim_name": name,
                "victim_phone": "0170 999999",
            }
            if basis == "statute":
                values["legal_norm"] = "§ 201a Abs. 6 LVwG"
            else:
                values["consent_date"] = "2026-05-20"
            return Referral.create(values)

        declined = referral("Dora Declined")
        unreached = referral("Ulla Unreached")
        consented = referral("Carla Consent", basis="consent")
        # The case worker cannot mark one for erasure by writing the flag.
        with self.assertRaises(UserError):
            unreached.write({"erase_on_decline": True})
        self.env["dv.contact.attempt"].with_user(worker).create(
            {
                "referral_id": unreached.id,
                "channel_id": self.env.ref(
                    "dv_case_management.contact_channel_phone"
                ).id,
                "outcome": "no_answer",
            }
        )
        unreached.action_mark_unreachable()
        (declined | consented).action_mark_declined()
        self.assertEqual(
            (declined | unreached | consented).mapped("erase_on_decline"),
            [True, False, False],
        )
        Retention = self.env["dv.retention"]
        due = Retention._due_cases()
        self.assertIn(declined.case_id, due)
        self.assertNotIn(unreached.case_id, due)
        self.assertNotIn(consented.case_id, due)
        Retention._cron_erase()
        self.assertEqual(declined.case_id.victim_id.name, "Erased")
        log = self.env["dv.erasure.log"].search([("case_id", "=", declined.case_id.id)])
        self.assertEqual(log.erasure_ground, "retention")
        self.assertIn("§ 201a Abs. 6 LVwG", log.reason)
        # On the account of who recorded the decline: the chatter that said
        # so went with the case.
        self.assertEqual((declined.declined_by_id, log.user_id), (worker, worker))
        self.assertEqual(unreached.case_id.victim_id.name, "Ulla Unreached")
        self.assertEqual(consented.case_id.victim_id.name, "Carla Consent")

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
        self.assertEqual(
            (log.erasure_ground, log.user_id), ("request", self.lead_coordinator)
        )
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
        line = self.env["dv.conference.agenda.item"].create(
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


class TestErasureOnDecline(PrivacyCommon):
    """Referrals declined under a statute that requires the data erased
    without delay (Schleswig-Holstein): what the next run erases, and what it
    leaves to the retention rules."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.profile_sh = cls.env.ref("dv_case_management.land_profile_sh")
        cls.company_a.dv_land_profile_id = cls.profile_sh
        cls.office = cls.env["dv.agency"].create(
            {
                "name": "Decline Office SH",
                "agency_type_id": cls.type_intake.id,
                "company_id": cls.company_a.id,
                "first_contact_deadline_unit": "hours",
            }
        )
        cls.worker = cls._new_member("dv_test_decline_sh", "caseworker", cls.office)

    def _referral(self, name="Dora Declined", **values):
        vals = {
            "to_agency_id": self.office.id,
            "company_id": self.company_a.id,
            "received_at": "2026-05-20 10:00:00",
            "legal_basis": "statute",
            "legal_norm": "§ 201a Abs. 6 LVwG",
            "victim_name": name,
            "victim_phone": "0170 999999",
        }
        vals.update(values)
        return self.env["dv.referral"].with_user(self.worker).create(vals)

    def _declined(self, name="Dora Declined", **values):
        referral = self._referral(name, **values)
        referral.action_mark_declined()
        self.assertTrue(referral.erase_on_decline)
        return referral

    def test_the_log_names_the_profiles_statute_not_what_was_typed(self):
        """The norm of a referral is typed by a case worker and may name
        anyone; the erasure log, kept without end, gets the statute of the
        Land profile instead."""
        referral = self._declined(
            legal_norm="§ 201a LVwG (Frau Dora Declined, Hafenstr. 3, lehnt ab)"
        )
        case = referral.case_id
        self.env["dv.retention"]._cron_erase()
        log = self.env["dv.erasure.log"].search([("case_id", "=", case.id)])
        self.assertEqual(log.erasure_ground, "retention")
        self.assertIn("§ 201a Abs. 6 LVwG", log.reason)
        for personal in ("Dora", "Hafenstr", "lehnt"):
            self.assertNotIn(personal, log.reason)

    def test_a_basis_corrected_to_consent_waits_for_the_rules(self):
        """The office finds that the police passed the data with her consent
        after all and corrects the legal basis: no statute wants the data
        erased now, the retention rules apply."""
        # The form's Declined button asks first: the statute erases.
        self.assertTrue(self._referral("Dana Asked").decline_erases)
        referral = self._declined("Clara Corrected")
        referral.with_user(self.worker).write(
            {"legal_basis": "consent", "consent_date": "2026-05-20"}
        )
        self.assertNotIn(referral.case_id, self.env["dv.retention"]._due_cases())

    def test_a_company_that_no_longer_says_so_waits_for_its_rules(self):
        """The company's profile decides when the job runs, not when the
        referral was declined: a company whose manager corrected its
        profile since (another Land, or the flag taken off) keeps the case
        for its retention rules."""
        Retention = self.env["dv.retention"]
        moved = self._declined("Mia Moved").case_id
        self.company_a.dv_land_profile_id = self.profile_nw
        self.assertNotIn(moved, Retention._due_cases())
        self.company_a.dv_land_profile_id = self.profile_sh
        self.assertIn(moved, Retention._due_cases())
        self.profile_sh.with_user(self.manager).erase_on_decline = False
        self.assertNotIn(moved, Retention._due_cases())
        with freeze_time("2026-08-01"):
            # The retention rules of the company still apply.
            self.assertIn(moved, Retention._due_cases())

    def test_a_case_passed_to_another_office_is_not_the_referrals_to_erase(self):
        """The office that received the referral transferred the case to
        another agency, of its own company or of another one, which leads it
        now; the office declining its referral afterwards does not erase that
        agency's case at once."""
        for agency, user, company in (
            (self.agency_b, self.caseworker_b, self.company_b),
            (self.agency_a, self.caseworker, self.company_a),
        ):
            with self.subTest(agency=agency.name):
                referral = self._referral(f"Tina {agency.name}")
                case = referral.case_id.sudo()
                consent = self.env["dv.consent"].create(
                    {
                        "person_id": case.victim_id.id,
                        "agency_ids": [Command.set(agency.ids)],
                        "purpose_ids": [Command.set(self.purpose_referral.ids)],
                        "given_on": "2026-05-21",
                    }
                )
                transfer = (
                    self.env["dv.share"]
                    .with_user(self.worker)
                    .create(
                        {
                            "share_type": "transfer",
                            "case_id": case.id,
                            "to_agency_id": agency.id,
                            "legal_basis": "consent",
                            "consent_id": consent.id,
                            "reason": "She moved.",
                        }
                    )
                )
                transfer.with_user(user).action_accept()
                self.assertEqual(
                    (case.lead_agency_id, case.company_id, case.state),
                    (agency, company, "new"),
                )
                referral.action_mark_declined()
                self.assertTrue(referral.erase_on_decline)
                self.assertNotIn(case, self.env["dv.retention"]._due_cases())

    def test_a_referral_still_being_worked_keeps_the_case(self):
        """A second referral of the same victim joined the case and is
        being worked on: the case holds more than referrals never taken up."""
        first = self._referral("Rita Repeat", legal_norm="§ 201a Abs. 6 LVwG")
        second = self._referral("Rita Repeat", received_at="2026-05-25 10:00:00")
        self.assertEqual(second.sudo().proposed_case_id, first.case_id)
        second.with_user(self.worker).action_join_case()
        second.with_user(self.worker).action_start_contacting()
        first.action_mark_declined()
        self.assertNotIn(first.case_id, self.env["dv.retention"]._due_cases())
        second.with_user(self.worker).action_mark_declined()
        self.assertIn(first.case_id, self.env["dv.retention"]._due_cases())

    def test_a_repeat_awaiting_the_decision_takes_no_case_with_it(self):
        """A referral whose victim may be the victim of an older case of the
        office waits for a case worker's decision; declined before it, it
        gets a case of its own, which goes. The older case, being worked on,
        stays."""
        first = self._referral("Paula Proposed")
        older = first.case_id.sudo()
        first.with_user(self.worker).action_start_contacting()
        second = self._referral("Paula Proposed", received_at="2026-05-25 10:00:00")
        self.assertEqual(second.sudo().proposed_case_id, older)
        second.action_mark_declined()
        self.assertTrue(second.erase_on_decline)
        self.assertNotEqual(second.case_id, older)
        due = self.env["dv.retention"]._due_cases()
        self.assertIn(second.case_id.sudo(), due)
        self.assertNotIn(older, due)
        self.env["dv.retention"]._cron_erase()
        self.assertFalse(older.erased_on)
        self.assertEqual(older.victim_id.name, "Paula Proposed")

    def test_a_duplicate_merged_into_the_case_goes_with_it(self):
        """The office merged a duplicate of the victim's case into the
        referral's case: the duplicate keeps her people and consents. When
        the case is erased, so is the duplicate: the statute wants her data
        gone, not one copy of it."""
        referral = self._referral("Dana Double")
        kept = referral.case_id.sudo()
        duplicate = self._create_case(
            user=self.worker,
            lead_agency_id=self.office.id,
            person_ids=[
                Command.create(
                    {"role": "victim", "name": "Dana Double", "phone": "0170 999999"}
                )
            ],
        )
        kept.with_user(self.worker)._dv_merge(duplicate, "The same woman.")
        self.assertEqual(duplicate.merged_into_id, kept)
        referral.action_mark_declined()
        self.env["dv.retention"]._cron_erase()
        for case in (kept, duplicate):
            with self.subTest(case=case.name):
                self.assertTrue(case.erased_on)
                self.assertEqual(case.victim_id.name, "Erased")
                self.assertEqual(
                    self.env["dv.erasure.log"]
                    .search([("case_id", "=", case.id)])
                    .erasure_ground,
                    "retention",
                )

    def test_a_statute_case_comes_first(self):
        """Without delay: a case the statute requires erased comes before
        a backlog of cases whose periods are over, so the first batch takes
        it."""
        backlog = self._referral(
            "Bea Backlog", legal_basis="consent", consent_date="2026-05-20"
        )
        backlog.action_mark_declined()
        backlog = backlog.case_id
        with freeze_time("2026-08-01 08:00:00"):
            declined = self._declined("Dora Declined").case_id
            due = self.env["dv.retention"]._due_cases()
            self.assertEqual(due.ids, [declined.id, backlog.id])
            self.assertEqual(self.env["dv.retention"]._due_cases(limit=1), declined)


class TestErasureCoverage(PrivacyCommon):
    """Every model holding a case's personal data erases it: the check that
    fails when a new model (or a new field of a model that had none) is not
    erased with its case."""

    def _case_models(self):
        """The stored models holding a case's data (see PERSONAL_TYPES)."""

        def stored(model):
            return not (model._abstract or model._transient or not model._auto)

        def links(model, targets, required=False):
            return any(
                field.type == "many2one"
                and field.store
                and field.comodel_name in targets
                and (field.required or not required)
                for field in model._fields.values()
            )

        models = [self.env[name] for name in self.env.registry]
        found = {m._name for m in models if stored(m) and links(m, CASE_ROOTS)}
        grown = True
        while grown:
            grown = False
            for model in models:
                if (
                    model._name not in found
                    and stored(model)
                    and links(model, found, required=True)
                ):
                    found.add(model._name)
                    grown = True
        return found

    def _personal_fields(self, model_name):
        return {
            field.name
            for field in self.env[model_name]._fields.values()
            if field.store
            and not field.related
            and (
                field.type in PERSONAL_TYPES
                or (
                    field.type in ("many2many", "one2many")
                    and field.comodel_name == "ir.attachment"
                )
            )
        }

    def test_every_model_with_personal_fields_is_erased(self):
        erasable = self.env["dv.retention"]._erasable_models()
        unerased = {}
        for name in sorted(self._case_models()):
            personal = {
                fname
                for fname in self._personal_fields(name)
                if (name, fname) not in KEPT_FIELDS
            }
            if (
                personal
                and name not in erasable
                and name not in DELETED_WITH
                and name not in TRACES
            ):
                unerased[name] = sorted(personal)
        self.assertFalse(
            unerased,
            "These models hold personal data of a case's people but do not "
            "inherit dv.erasable.mixin; implement _dv_erase (or, for a field "
            "that is not personal, list it in KEPT_FIELDS with the reason).",
        )
        # The scan sees the models it must: those of the protection planning,
        # a model linked through a required parent only, one outside dv.*.
        for name in (
            "dv.person.protected",
            "dv.safety.plan",
            "dv.safety.plan.step",
            "dv.perpetrator.measure",
            "dv.youth.office.notice",
            "dv.conference.action",
            "dv.referral.original",
            "calendar.event",
        ):
            with self.subTest(model=name):
                self.assertIn(name, self._case_models())
                self.assertTrue(self._personal_fields(name))
                self.assertIn(name, erasable)
        for name, fname in DELETED_WITH.items():
            with self.subTest(model=name):
                field = self.env[name]._fields[fname]
                self.assertEqual((field.required, field.ondelete), (True, "cascade"))
                self.assertIn(field.comodel_name, erasable)
        # Staff's sign-in log belongs to no case; it expires whole.
        self.assertNotIn("dv.signin.log", self._case_models())
        # Every kept field exists and would be flagged without its entry.
        for name, fname in KEPT_FIELDS:
            with self.subTest(field=f"{name}.{fname}"):
                self.assertIn(name, self._case_models())
                self.assertIn(fname, self._personal_fields(name))
                self.assertNotIn(name, erasable)

    def test_every_erasable_model_says_what_it_erases(self):
        erasable = self.env["dv.retention"]._erasable_models()
        self.assertIn("dv.case", erasable)
        case = self._create_case()
        for name in erasable:
            with self.subTest(model=name):
                self.assertIsNot(
                    type(self.env[name])._dv_erase,
                    DvErasableMixin._dv_erase,
                    f"{name} inherits dv.erasable.mixin without _dv_erase",
                )
                # Its records of a case can be found.
                self.env[name]._dv_erasable_records(case)
        # A model that does not implement the hook refuses to erase.
        with self.assertRaises(NotImplementedError):
            DvErasableMixin._dv_erase(case)

    def test_erasure_asks_every_erasable_model(self):
        case = self._create_case()
        asked = {}
        patches = []
        for name in self.env["dv.retention"]._erasable_models():
            cls = type(self.env[name])
            original = cls._dv_erase

            def record(records, original=original):
                asked[records._name] = records
                return original(records)

            patches.append(patch.object(cls, "_dv_erase", record))
        for one in patches:
            one.start()
            self.addCleanup(one.stop)
        victim = case.victim_id
        case._erase("request", "test")
        self.assertEqual(set(asked), set(self.env["dv.retention"]._erasable_models()))
        self.assertEqual(asked["dv.case"], case)
        self.assertEqual(asked["dv.person"], victim)
        self.assertEqual(victim.name, "Erased")
