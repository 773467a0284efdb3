from datetime import date
from unittest.mock import patch

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, TransactionCase

from ..models.dv_case_merge import KEPT_MODELS, MOVED_MODELS
from ..tools.duplicate_score import DEFAULT_MIN_SCORE, score_pair
from .common import DvCommon


class TestDuplicateScore(TransactionCase):
    """The score of two people, pure Python."""

    def person(self, name, aliases=(), birth_date=None, phone=None):
        return {
            "name": name,
            "aliases": list(aliases),
            "birth_date": birth_date,
            "phone": phone,
        }

    def test_same_name_and_birth_date(self):
        score, reasons = score_pair(
            self.person("anna mueller", birth_date=date(1990, 5, 1)),
            self.person("anna mueller", birth_date=date(1990, 5, 1)),
        )
        self.assertEqual(reasons, ["same_name", "same_birth_date"])
        self.assertEqual(score, 85)

    def test_reordered_name(self):
        score, reasons = score_pair(
            self.person("mueller anna"), self.person("anna mueller")
        )
        self.assertEqual(reasons, ["same_name_reordered"])
        self.assertEqual(score, 45)
        self.assertLess(score, DEFAULT_MIN_SCORE)

    def test_alias_and_phone(self):
        score, reasons = score_pair(
            self.person("anna schmidt", aliases=["anna mueller"], phone="+491701"),
            self.person("anna mueller", phone="+491701"),
        )
        self.assertEqual(reasons, ["alias", "same_phone"])
        self.assertEqual(score, 70)

    def test_similar_name(self):
        score, reasons = score_pair(
            self.person("anna meier", birth_date=date(1990, 5, 1)),
            self.person("anna maier", birth_date=date(1990, 5, 1)),
        )
        self.assertEqual(reasons, ["similar_name", "same_birth_date"])
        self.assertEqual(score, 65)

    def test_other_birth_date_lowers(self):
        score, reasons = score_pair(
            self.person("anna mueller", birth_date=date(1990, 5, 1)),
            self.person("anna mueller", birth_date=date(1971, 2, 3)),
        )
        self.assertEqual(reasons, ["same_name", "other_birth_date"])
        self.assertEqual(score, 10)

    def test_nothing_in_common(self):
        self.assertEqual(
            score_pair(self.person("anna mueller"), self.person("berta schulz")),
            (0, []),
        )

    def test_capped_at_hundred(self):
        score, _reasons = score_pair(
            self.person("anna mueller", birth_date=date(1990, 5, 1), phone="+4917"),
            self.person("anna mueller", birth_date=date(1990, 5, 1), phone="+4917"),
        )
        self.assertEqual(score, 100)


class DuplicateCommon(DvCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("de_DE")
        cls.instrument = cls.env.ref("dv_case_management.risk_instrument_screening")
        cls.kept = cls._victim_case(
            "Anna Müller", birth_date="1990-05-01", phone="0170 1234567"
        )
        cls.duplicate = cls._victim_case(
            "Anna Mueller",
            birth_date="1990-05-01",
            phone=False,
            aliases="Anna Schmidt",
            extra=[
                Command.create({"role": "child", "name": "Lena Mueller"}),
                Command.create({"role": "perpetrator", "name": "Karl Mueller"}),
            ],
        )
        cls.stranger = cls._victim_case("Berta Schulz", birth_date="1985-01-01")
        cls.office_b_case = cls._create_case(
            user=cls.caseworker_b,
            lead_agency_id=cls.agency_b.id,
            company_id=cls.company_b.id,
            person_ids=[
                Command.create(
                    {
                        "role": "victim",
                        "name": "Anna Müller",
                        "birth_date": "1990-05-01",
                    }
                )
            ],
        )
        cls.other_agency = cls.env["dv.agency"].create(
            {
                "name": "Test Shelter A",
                "agency_type_id": cls.type_counselling.id,
                "company_id": cls.company_a.id,
            }
        )
        cls.shelter_worker = cls._new_member(
            "dv_test_dup_shelter", "caseworker", cls.other_agency
        )
        cls.other_agency_case = cls._create_case(
            user=cls.shelter_worker,
            lead_agency_id=cls.other_agency.id,
            person_ids=[
                Command.create(
                    {
                        "role": "victim",
                        "name": "Anna Müller",
                        "birth_date": "1990-05-01",
                    }
                )
            ],
        )

    @classmethod
    def _victim_case(cls, name, birth_date=None, phone=False, aliases=False, extra=()):
        return cls._create_case(
            person_ids=[
                Command.create(
                    {
                        "role": "victim",
                        "name": name,
                        "aliases": aliases,
                        "birth_date": birth_date,
                        "phone": phone,
                        "gender": "female",
                    }
                ),
                *extra,
            ]
        )

    def _find(self, user=None, agency=None, **values):
        finder = (
            self.env["dv.duplicate.finder"]
            .with_user(user or self.caseworker)
            .create(dict(values, agency_id=(agency or self.agency_a).id))
        )
        finder.action_search()
        return finder

    def _merge(self, kept=None, duplicate=None, user=None, reason="Same woman"):
        kept = (kept or self.kept).with_user(user or self.caseworker)
        duplicate = (duplicate or self.duplicate).with_user(user or self.caseworker)
        return kept._dv_merge(duplicate, reason)


class TestDuplicateFinder(DuplicateCommon):
    def test_finds_the_pair_of_the_office_with_reasons(self):
        finder = self._find()
        lines = finder.line_ids
        self.assertEqual(len(lines), 1)
        self.assertEqual(
            lines.case_id | lines.duplicate_case_id, self.kept | self.duplicate
        )
        self.assertEqual(lines.score, 85)
        self.assertEqual(
            lines.reasons, "Same name, Same birth date", "the reasons are shown"
        )
        german = self._find().with_context(lang="de_DE").line_ids
        self.assertEqual(
            self.env["dv.case"]
            .with_context(lang="de_DE")
            ._dv_reason_text(["same_name", "same_birth_date"]),
            "Gleicher Name, Gleiches Geburtsdatum",
        )
        self.assertTrue(german)

    def test_alias_and_phone_are_found(self):
        self.stranger.victim_id.write(
            {"aliases": "Anna Müller", "phone": "+49 170 1234567", "birth_date": False}
        )
        lines = self._find().line_ids
        pair = lines.filtered(
            lambda line: (
                self.stranger in (line.case_id | line.duplicate_case_id)
                and self.kept in (line.case_id | line.duplicate_case_id)
            )
        )
        self.assertTrue(pair)
        self.assertIn("Name matches another name", pair.reasons)
        self.assertIn("Same phone number", pair.reasons)

    def test_never_across_offices_or_companies(self):
        cases = self._find().line_ids.mapped(
            lambda line: line.case_id | line.duplicate_case_id
        )
        for case in cases:
            self.assertEqual(case.lead_agency_id, self.agency_a)
        # The shelter's search finds nothing of agency A's victims.
        self.assertFalse(
            self._find(user=self.shelter_worker, agency=self.other_agency).line_ids
        )

    def test_only_own_office_searched(self):
        for user in (self.caseworker_b, self.shelter_worker, self.network):
            with self.assertRaises(UserError):
                self._find(user=user, agency=self.agency_a)

    def test_merged_and_erased_cases_left_out(self):
        self._merge()
        self.assertFalse(self._find().line_ids)

    def test_only_readable_cases_listed(self):
        with patch.object(
            type(self.env["dv.case"]),
            "_filtered_access",
            lambda records, operation: records - self.duplicate,
        ):
            self.assertFalse(self._find().line_ids)

    def test_searching_is_logged(self):
        Log = self.env["dv.access.log"]
        domain = [("user_id", "=", self.caseworker.id), ("res_model", "=", "dv.person")]
        before = Log.search(domain)
        self._find()
        logged = Log.search(domain) - before
        self.assertEqual(
            set(logged.mapped("res_id")),
            {self.kept.victim_id.id, self.duplicate.victim_id.id},
        )

    def test_scoring_reads_the_people_at_once(self):
        """The finder's queries do not grow with the pairs it scores."""
        finder = self._find()

        def run():
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            pairs = finder._find_pairs()
            return len(pairs), self.env.cr.sql_log_count - before

        run()  # the rules and caches warmed up
        few_pairs, few_queries = run()
        for _i in range(4):
            self._victim_case(
                "Anna Müller", birth_date="1990-05-01", phone="0170 1234567"
            )
        many_pairs, many_queries = run()
        self.assertGreater(many_pairs, few_pairs + 5)
        self.assertEqual(many_queries, few_queries)

    def test_line_opens_merge_wizard(self):
        line = self._find().line_ids
        action = line.action_open_merge_wizard()
        wizard = Form(
            self.env["dv.case.merge.wizard"]
            .with_user(self.caseworker)
            .with_context(**action["context"])
        )
        self.assertTrue(wizard.allowed)
        self.assertEqual(wizard.score, 85)


class TestCaseMerge(DuplicateCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        dup = cls.duplicate
        cls.incident = env["dv.incident"].create(
            {"case_id": dup.id, "date": "2026-10-03 10:00:00"}
        )
        cls.session = env["dv.session"].create(
            {
                "case_id": dup.id,
                "person_id": dup.victim_id.id,
                "agency_id": cls.agency_a.id,
            }
        )
        cls.assessment = env["dv.risk.assessment"].create(
            {
                "case_id": dup.id,
                "instrument_id": cls.instrument.id,
                "person_id": dup.victim_id.id,
            }
        )
        cls.assessment.answer_ids.write({"answer": "no"})
        cls.assessment.action_done()
        cls.perpetrator = dup.person_ids.filtered(lambda p: p.role == "perpetrator")
        cls.measure = env["dv.perpetrator.measure"].create(
            {
                "case_id": dup.id,
                "type_id": env.ref(
                    "dv_case_management.perpetrator_measure_weapons_check"
                ).id,
                "person_id": cls.perpetrator.id,
                "agency_id": cls.agency_shared.id,
            }
        )
        cls.consent = env["dv.consent"].create(
            {
                "person_id": dup.victim_id.id,
                "agency_ids": [Command.set(cls.other_agency.ids)],
                "purpose_ids": [
                    Command.set(
                        env.ref("dv_case_management.consent_purpose_referral").ids
                    )
                ],
                "given_on": "2026-01-02",
            }
        )

    def test_merge_moves_history_and_keeps_the_duplicate(self):
        trail = self._merge()
        kept, dup = self.kept, self.duplicate.with_context(active_test=False)
        for record in (self.incident, self.session, self.assessment, self.measure):
            self.assertEqual(record.case_id, kept)
        # Linked to the kept case's people.
        self.assertEqual(self.session.person_id, kept.victim_id)
        self.assertEqual(self.assessment.person_id, kept.victim_id)
        self.assertEqual(self.measure.person_id.case_id, kept)
        self.assertEqual(self.measure.person_id.name, "Karl Mueller")
        # The kept case has the people it lacked; her names and details.
        self.assertEqual(
            sorted(kept.person_ids.mapped("role")),
            ["child", "perpetrator", "victim"],
        )
        self.assertEqual(kept.victim_id.aliases, "Anna Schmidt")
        self.assertEqual(kept.victim_id.phone, "0170 1234567")
        self.assertTrue(kept.has_children)
        self.assertEqual(kept.incident_count, 1)
        self.assertEqual(kept.risk_level, self.assessment.final_level)
        # The duplicate: archived, linked, its people and consent stay.
        self.assertFalse(dup.active)
        self.assertEqual(dup.merged_into_id, kept)
        self.assertEqual(kept.merged_case_ids, dup)
        self.assertEqual(len(dup.person_ids), 3)
        self.assertEqual(self.consent.case_id, dup)
        self.assertEqual(dup.incident_count, 0)
        # The trail.
        self.assertEqual(trail.case_id, kept)
        self.assertEqual(trail.merged_case_id, dup)
        self.assertEqual(trail.user_id, self.caseworker)
        self.assertEqual(trail.agency_id, self.agency_a)
        self.assertEqual(trail.reason, "Same woman")
        self.assertEqual(trail.moved_records["dv.incident"], self.incident.ids)
        self.assertIn(self.session.id, trail.moved_records["dv.session"])
        self.assertEqual(
            trail.moved_records["people"][str(self.duplicate.victim_id.id)],
            kept.victim_id.id,
        )
        self.assertIn("Incident: 1", trail.moved_summary)
        Trail = self.env["dv.case.merge"]
        self.assertEqual(
            Trail.with_user(self.caseworker).search([]),
            trail,
            "the office's case workers read the trail",
        )
        for user in (self.caseworker_b, self.shelter_worker):
            self.assertFalse(Trail.with_user(user).search([]))
        with self.assertRaises(UserError):
            trail.with_user(self.caseworker).write({"reason": "changed"})
        # Chatter on both, no name in it.
        for case, ref in ((kept, dup.name), (dup, kept.name)):
            body = case.message_ids[:1].body
            self.assertIn(ref, body)
            self.assertIn("Same woman", body)
            self.assertNotIn("Anna", body)

    def test_trail_goes_with_the_lead(self):
        """The office that merged reads the trail (its free-text reason may
        name the victim) only while it leads the kept case: once the lead
        passed to another agency it reads the case no more, nor its trail.
        Found in review."""
        trail = self._merge()
        Trail = self.env["dv.case.merge"]
        self.assertEqual(Trail.with_user(self.caseworker).search([]), trail)
        self.kept.write(
            {"lead_agency_id": self.other_agency.id, "user_id": self.shelter_worker.id}
        )
        self.assertFalse(Trail.with_user(self.caseworker).search([]))
        with self.assertRaises(AccessError):
            trail.with_user(self.caseworker).read(["reason", "case_id"])
        self.assertFalse(
            Trail.with_user(self.shelter_worker).search([]),
            "the new lead did not merge: the trail is not hers either",
        )

    def test_records_alike_move_in_one_write(self):
        """The duplicate's incidents (alike but for their dates) move in one
        write, not one write each."""
        Incident = self.env["dv.incident"]
        more = Incident.create(
            [
                {"case_id": self.duplicate.id, "date": f"2026-10-0{day} 10:00:00"}
                for day in (4, 5, 6)
            ]
        )
        incidents = self.incident | more
        original = type(Incident).write
        moves = []

        def write(records, vals):
            if records._name == "dv.incident" and "case_id" in vals:
                moves.append(sorted(records.ids))
            return original(records, vals)

        with patch.object(type(Incident), "write", write):
            self._merge()
        self.assertEqual(moves, [incidents.ids])
        self.assertEqual(incidents.case_id, self.kept)

    def test_merge_with_a_referral_and_its_attempts(self):
        referral = self.env["dv.referral"].create(
            {
                "from_agency_id": self.agency_shared.id,
                "to_agency_id": self.agency_a.id,
                "company_id": self.company_a.id,
                "legal_basis": "statute",
                "legal_norm": "§ 34a PolG NRW",
                "received_at": "2026-10-03 11:00:00",
            }
        )
        referral._dv_system_write({"case_id": self.duplicate.id})
        attempt = self.env["dv.contact.attempt"].create(
            {
                "referral_id": referral.id,
                "attempted_at": "2026-10-03 12:00:00",
                "channel_id": self.env.ref(
                    "dv_case_management.contact_channel_phone"
                ).id,
                "outcome": "no_answer",
            }
        )
        self._merge()
        self.assertEqual(referral.case_id, self.kept)
        self.assertEqual(attempt.case_id, self.kept)

    def test_refused_with_german_error(self):
        cases = {
            "other office": (self.kept, self.other_agency_case, self.caseworker),
            "other company": (self.kept, self.office_b_case, self.caseworker),
            "user of the other company": (self.kept, self.duplicate, self.caseworker_b),
            "user of another agency": (self.kept, self.duplicate, self.shelter_worker),
            "network partner": (self.kept, self.duplicate, self.network),
        }
        for label, (kept, duplicate, user) in cases.items():
            with self.subTest(label):
                with self.assertRaises(ValidationError) as caught:
                    self._merge(
                        kept.with_context(lang="de_DE"),
                        duplicate,
                        user=user,
                    )
                self.assertIn("zusammengeführt", str(caught.exception))
                self.assertTrue(self.duplicate.active)
                self.assertEqual(self.incident.case_id, self.duplicate)
        with self.assertRaises(ValidationError):
            self._merge(self.kept, self.kept)
        with self.assertRaises(ValidationError):
            self._merge(reason="  ")

    def test_refused_while_shared(self):
        share = self.env["dv.share"].create(
            {
                "case_id": self.kept.id,
                "to_agency_id": self.other_agency.id,
                "legal_basis": "statute",
                "legal_norm": "§ 8a SGB VIII",
            }
        )
        with self.assertRaisesRegex(ValidationError, "shared"):
            self._merge()
        share.action_accept()
        with self.assertRaisesRegex(ValidationError, "shared"):
            self._merge()
        # Shared the other way round too.
        with self.assertRaisesRegex(ValidationError, "shared"):
            self._merge(self.duplicate, self.kept)
        share.with_user(self.caseworker).action_revoke()
        self._merge()
        self.assertEqual(self.incident.case_id, self.kept)

    def test_refused_while_a_four_eyes_decision_is_pending(self):
        """A request to close the duplicate (or the kept case) is about that
        case: the merge waits until it is decided or withdrawn."""
        request = self.env["dv.case.approval"].create(
            {
                "case_id": self.duplicate.id,
                "request_type": "close",
                "reason": "Moved away.",
                "closure_reason_id": self.env.ref(
                    "dv_case_management.closure_reason_completed"
                ).id,
                "requested_by_id": self.caseworker.id,
            }
        )
        with self.assertRaisesRegex(ValidationError, "four-eyes"):
            self._merge()
        with self.assertRaisesRegex(ValidationError, "four-eyes"):
            self._merge(self.duplicate, self.kept)
        self.assertTrue(self.duplicate.active)
        request.state = "withdrawn"
        self._merge()
        self.assertEqual(request.case_id, self.duplicate)

    def test_kept_case_takes_the_duplicates_high_risk(self):
        """The duplicate is high risk by an assessment since reopened (a
        draft counts for nothing): the kept case takes the status over, and
        only the network ends it."""
        high = (
            self.env["dv.risk.assessment"]
            .with_user(self.caseworker)
            .create(
                {
                    "case_id": self.duplicate.id,
                    "instrument_id": self.env.ref(
                        "dv_case_management.risk_instrument_external"
                    ).id,
                    "external_tool": "odara",
                    "external_level": "high",
                }
            )
        )
        high.action_done()
        high.with_user(self.coordinator)._reopen("Entered on the wrong day.")
        self.assertTrue(self.duplicate.is_high_risk)
        self.assertFalse(self.kept.is_high_risk)
        self._merge()
        self.assertEqual(high.case_id, self.kept)
        self.assertEqual(high.state, "draft")
        self.assertTrue(self.kept.is_high_risk)

    def test_merge_ends_no_high_risk(self):
        """The network ended the kept case's high-risk status after a later
        assessment; the duplicate is high risk by an earlier one. The merge
        moves that assessment behind the end: the kept case is high risk all
        the same (a merge ends nothing past the four eyes)."""

        def assess(case, level, day):
            assessment = (
                self.env["dv.risk.assessment"]
                .with_user(self.caseworker)
                .create(
                    {
                        "case_id": case.id,
                        "instrument_id": self.env.ref(
                            "dv_case_management.risk_instrument_external"
                        ).id,
                        "external_tool": "odara",
                        "external_level": level,
                        "date": day,
                    }
                )
            )
            assessment.action_done()
            return assessment

        assess(self.duplicate, "high", "2026-09-01")
        later = assess(self.kept, "standard", "2026-10-01")
        self.kept.sudo().write(
            {
                "high_risk_ended_on": "2026-10-02",
                "high_risk_end_assessment_id": later.id,
            }
        )
        self.assertFalse(self.kept.is_high_risk)
        self.assertTrue(self.duplicate.is_high_risk)
        self._merge()
        self.assertTrue(self.kept.is_high_risk)

    def test_consents_and_shares_are_not_widened(self):
        """The duplicate's consent (for the shelter) and its earlier share stay
        with it: after the merge the shelter reads nothing of the kept
        case, and the consent cannot carry a share of the kept case."""
        share = self.env["dv.share"].create(
            {
                "case_id": self.duplicate.id,
                "to_agency_id": self.other_agency.id,
                "legal_basis": "consent",
                "consent_id": self.consent.id,
            }
        )
        share.with_user(self.shelter_worker).action_accept()
        self.assertTrue(
            self.duplicate.with_user(self.shelter_worker).victim_id.name,
            "the shelter reads the shared duplicate",
        )
        share.with_user(self.caseworker).action_revoke()
        self._merge()
        shelter = self.shelter_worker
        self.env.registry.clear_cache()
        self.env.invalidate_all()
        for model, records in (
            ("dv.case", self.kept),
            ("dv.incident", self.incident),
            ("dv.person", self.kept.person_ids),
            ("dv.risk.assessment", self.assessment),
        ):
            self.assertFalse(
                self.env[model].with_user(shelter).search([("id", "in", records.ids)]),
                f"{model} of the kept case is not the shelter's to read",
            )
        self.assertEqual(self.consent.case_id, self.duplicate)
        with self.assertRaisesRegex(ValidationError, "does not cover"):
            self.env["dv.share"].with_user(self.caseworker).create(
                {
                    "case_id": self.kept.id,
                    "to_agency_id": self.other_agency.id,
                    "legal_basis": "consent",
                    "consent_id": self.consent.id,
                }
            )

    def test_atomic(self):
        """A failure half-way leaves both cases as they were."""
        Case = type(self.env["dv.case"])
        with (
            patch.object(
                Case,
                "_dv_people_values",
                side_effect=UserError("boom"),
                autospec=True,
            ),
            self.assertRaises(UserError),
        ):
            self._merge()
        self.env.invalidate_all()
        self.assertTrue(self.duplicate.active)
        self.assertFalse(self.duplicate.merged_into_id)
        self.assertEqual(self.incident.case_id, self.duplicate)
        self.assertEqual(len(self.kept.person_ids), 1)
        self.assertFalse(self.kept.victim_id.aliases)
        self.assertFalse(self.env["dv.case.merge"].search([]))

    def test_closed_kept_case_refused(self):
        self.kept.with_user(self.caseworker)._close(
            self.env["dv.closure.reason"].search([], limit=1), "done"
        )
        with self.assertRaisesRegex(ValidationError, "reopen it"):
            self._merge()
        # The closed case may be the one merged into an open one.
        self._merge(self.duplicate, self.kept)
        self.assertEqual(
            self.kept.with_context(active_test=False).merged_into_id, self.duplicate
        )

    def test_merged_case_stays_archived(self):
        self._merge()
        merged = self.duplicate.with_user(self.caseworker).with_context(
            active_test=False
        )
        with self.assertRaisesRegex(ValidationError, "stays archived"):
            merged.write({"active": True})
        with self.assertRaisesRegex(ValidationError, "stays archived"):
            merged.action_unarchive()
        self.assertFalse(self.duplicate.active)
        self.assertEqual(self.kept.merged_case_count, 1)
        action = self.kept.with_user(self.caseworker).action_open_merged_cases()
        self.assertEqual(
            self.env["dv.case"]
            .with_user(self.caseworker)
            .with_context(**action["context"])
            .search(action["domain"]),
            self.duplicate,
        )

    def test_merged_case_cannot_be_merged_again(self):
        self._merge()
        with self.assertRaises(ValidationError):
            self._merge(self.stranger, self.duplicate.with_context(active_test=False))
        with self.assertRaises(ValidationError):
            self._merge(self.duplicate.with_context(active_test=False), self.stranger)

    def test_wizard(self):
        wizard = Form(
            self.env["dv.case.merge.wizard"]
            .with_user(self.caseworker)
            .with_context(default_case_id=self.kept.id)
        )
        wizard.duplicate_case_id = self.duplicate
        self.assertTrue(wizard.allowed)
        self.assertEqual(wizard.victim_name, "Anna Müller")
        self.assertEqual(wizard.duplicate_victim_name, "Anna Mueller")
        self.assertIn("Same birth date", wizard.reasons)
        wizard.reason = "Same woman, two police referrals"
        record = wizard.save()
        record.action_swap()
        self.assertEqual(record.case_id, self.duplicate)
        record.action_swap()
        action = record.action_merge()
        self.assertEqual(action["res_id"], self.kept.id)
        self.assertEqual(
            self.duplicate.with_context(active_test=False).merged_into_id, self.kept
        )

    def test_wizard_refuses_foreign_cases(self):
        Wizard = self.env["dv.case.merge.wizard"]
        for user, case in (
            (self.caseworker_b, self.kept),
            (self.shelter_worker, self.kept),
            (self.caseworker, self.office_b_case),
            (self.caseworker, self.other_agency_case),
        ):
            with self.subTest(user=user.login, case=case.id):
                with self.assertRaises(UserError):
                    Wizard.with_user(user).create(
                        {
                            "case_id": case.id,
                            "duplicate_case_id": self.duplicate.id,
                            "reason": "x",
                        }
                    )
                # An onchange (a new record) computes nothing of them.
                new = Wizard.with_user(user).new(
                    {"case_id": case.id, "duplicate_case_id": self.duplicate.id}
                )
                self.assertFalse(new.allowed)
                self.assertFalse(new.victim_name)
                self.assertFalse(new.duplicate_victim_name)
                self.assertFalse(new.reasons)

    def test_every_case_model_is_placed(self):
        """Each model linked to a case by a case field of its own either moves
        with a merge or stays with the merged case: a new model must say."""
        placed = set(MOVED_MODELS) | set(KEPT_MODELS)
        for name, model in self.env.items():
            if (
                model._abstract
                or model._transient
                or not model._auto
                or not name.startswith("dv.")
            ):
                continue
            field = model._fields.get("case_id")
            if (
                field
                and field.type == "many2one"
                and field.store
                and not field.related
                and field.comodel_name == "dv.case"
            ):
                self.assertIn(name, placed, f"{name}: moves with a merge or stays?")
