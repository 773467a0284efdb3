"""Follow-up after a case conference, the outcome at closure and the
handling instructions of a case."""

from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import freeze_time

from .common import DvCommon


@freeze_time("2026-06-01 08:00:00")
class FollowupCommon(DvCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.coordinator_a = cls._new_member(
            "dv_test_fu_coordinator", "coordinator", cls.agency_a
        )
        cls.other_agency = cls._new_agency("Follow-up Other Counselling")
        cls.other_worker = cls._new_member(
            "dv_test_fu_other", "caseworker", cls.other_agency
        )
        cls.case = cls._create_case()
        cls.other_case = cls._create_case(
            user=cls.other_worker, lead_agency_id=cls.other_agency.id
        )
        cls.case_b = cls._create_case(
            user=cls.caseworker_b,
            lead_agency_id=cls.agency_b.id,
            company_id=cls.company_b.id,
        )

    def _hold(self, cases, day="2026-06-01"):
        """A conference of agency A held on ``day`` discussing ``cases``."""
        with freeze_time(f"{day} 08:00:00"):
            conference = (
                self.env["dv.conference"]
                .with_context(dv_no_agenda_proposal=True)
                .create(
                    {
                        "start": f"{day} 07:00:00",
                        "organizer_agency_id": self.agency_a.id,
                        "chair_id": self.coordinator_a.id,
                        "company_id": self.company_a.id,
                    }
                )
            )
            for case in cases:
                self.env["dv.conference.agenda.item"].create(
                    {"conference_id": conference.id, "case_ref_id": case.id}
                )
            conference.with_user(self.coordinator_a).action_held()
        return conference

    def _activities(self, case):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "dv.case"),
                ("res_id", "=", case.id),
                ("activity_type_id", "=", self.activity_type.id),
            ]
        )

    @property
    def activity_type(self):
        return self.env.ref("dv_case_management.mail_activity_type_followup")


class TestFollowup(FollowupCommon):
    def test_conference_plans_three_followups(self):
        self._hold(self.case)
        followups = self.case.followup_ids
        self.assertEqual(
            sorted((f.months, f.due_date) for f in followups),
            [
                ("12", date(2027, 6, 1)),
                ("3", date(2026, 9, 1)),
                ("6", date(2026, 12, 1)),
            ],
        )
        self.assertEqual(set(followups.mapped("state")), {"due"})
        self.assertFalse(self._activities(self.case), "none is due yet")
        # They show among the case's deadlines.
        deadlines = (
            self.env["dv.deadline"]
            .with_user(self.caseworker)
            .search(
                [("case_id", "=", self.case.id), ("deadline_type", "=", "followup_due")]
            )
        )
        self.assertEqual(len(deadlines), 3)
        self.assertEqual(deadlines.mapped("res_id"), followups.sorted("due_date").ids)

    def test_cron_asks_the_responsible_person_and_done_closes_it(self):
        self._hold(self.case)
        Followup = self.env["dv.case.followup"]
        with freeze_time("2026-08-20"):
            Followup._cron_followup_due()
        self.assertFalse(self._activities(self.case), "not due within a week")
        with freeze_time("2026-08-26"):
            Followup._cron_followup_due()
            Followup._cron_followup_due()
        activity = self._activities(self.case)
        self.assertEqual(len(activity), 1, "asked once")
        self.assertEqual(activity.user_id, self.caseworker)
        self.assertEqual(activity.date_deadline, date(2026, 9, 1))
        self.assertNotIn("Vera", activity.summary)
        three = self.case.followup_ids.filtered(lambda f: f.months == "3")
        three = three.with_user(self.caseworker)
        with freeze_time("2026-09-02"):
            with self.assertRaises(UserError):
                three.action_done()
            three.write({"new_incidents": "no", "police_callouts": "unknown"})
            with self.assertRaises(UserError):
                three.action_done()
            self.assertFalse(three.done_on, "nothing was half-saved")
            three.write({"safety_rating": "better", "note": "Feels safer"})
            three.action_done()
        self.assertEqual(three.done_on, date(2026, 9, 2))
        self.assertEqual(three.state, "done")
        self.assertFalse(self._activities(self.case), "the activity is done")
        with self.assertRaises(UserError):
            three.action_done()

    def test_callout_count_goes_with_yes(self):
        self._hold(self.case)
        followup = self.case.followup_ids[:1].with_user(self.caseworker)
        with self.assertRaises(ValidationError):
            followup.write({"police_callouts": "no", "police_callout_count": 2})
        with self.assertRaises(ValidationError):
            followup.write({"police_callouts": "yes", "police_callout_count": -1})
        followup.write({"police_callouts": "yes", "police_callout_count": 2})
        self.assertEqual(followup.police_callout_count, 2)

    def test_a_new_conference_replaces_the_followups_to_do(self):
        self._hold(self.case)
        three = self.case.followup_ids.filtered(lambda f: f.months == "3")
        with freeze_time("2026-09-01"):
            three.with_user(self.caseworker).write(
                {
                    "new_incidents": "yes",
                    "police_callouts": "no",
                    "safety_rating": "worse",
                }
            )
            three.with_user(self.caseworker).action_done()
        self._hold(self.case, day="2026-10-01")
        followups = self.case.followup_ids
        self.assertIn(three, followups, "what was recorded stays")
        self.assertEqual(len(followups), 4)
        self.assertEqual(
            set((followups - three).mapped("conference_date")), {date(2026, 10, 1)}
        )

    def test_late_recorded_conference_asks_at_once(self):
        with freeze_time("2026-09-01"):
            self.case.last_conference_date = "2026-05-01"
        self._hold(self.case, day="2026-06-01")
        self.assertFalse(self._activities(self.case))
        # A case whose conference was recorded before follow-ups existed gets
        # them from the scheduled job.
        with freeze_time("2026-09-01"):
            self.other_case.sudo().last_conference_date = "2026-05-20"
            self.env["dv.case.followup"]._cron_followup_due()
        self.assertEqual(len(self.other_case.followup_ids), 3)
        self.assertEqual(len(self._activities(self.other_case)), 1)

    def test_guarded_fields(self):
        self._hold(self.case)
        followup = self.case.followup_ids[:1].with_user(self.caseworker)
        for vals in (
            {"done_on": "2026-06-02"},
            {"due_date": "2026-06-02"},
            {"months": "12"},
            {"conference_date": "2026-01-01"},
            {"state": "done"},
            {"case_id": self.other_case.id},
        ):
            with self.subTest(vals=vals), self.assertRaises(ValidationError):
                followup.write(vals)
        with self.assertRaises(AccessError):
            self.env["dv.case.followup"].with_user(self.caseworker).create(
                {"case_id": self.case.id}
            )

    def test_other_agency_and_company_neither_read_nor_write(self):
        self._hold(self.case)
        followups = self.case.followup_ids
        for user in (self.other_worker, self.caseworker_b, self.coordinator_b):
            with self.subTest(user=user.login):
                Followup = self.env["dv.case.followup"].with_user(user)
                self.assertFalse(Followup.search([("id", "in", followups.ids)]))
                with self.assertRaises(AccessError):
                    followups.with_user(user).read(["note"])
                with self.assertRaises(AccessError):
                    followups[:1].with_user(user).write({"note": "mine"})
                with self.assertRaises(AccessError):
                    followups[:1].with_user(user).action_done()
                deadlines = (
                    self.env["dv.deadline"]
                    .with_user(user)
                    .search([("res_model", "=", "dv.case.followup")])
                )
                self.assertFalse(
                    deadlines
                    & self.env["dv.deadline"].search([("case_id", "=", self.case.id)])
                )

    def test_closing_drops_the_followups_to_do(self):
        self._hold(self.case)
        with freeze_time("2026-08-28"):
            self.env["dv.case.followup"]._cron_followup_due()
        self.assertTrue(self._activities(self.case))
        self.case.with_user(self.caseworker)._close(
            self.env.ref("dv_case_management.closure_reason_completed"),
            "",
            abuse="stopped",
            safety="better",
        )
        self.assertFalse(self.case.followup_ids)
        self.assertFalse(self._activities(self.case))
        self.assertEqual(self.case.outcome_abuse, "stopped")
        self.assertEqual(self.case.outcome_safety, "better")
        with self.assertRaises(ValidationError):
            self.case.with_user(self.caseworker).write({"outcome_abuse": "unknown"})

    def test_erasure_clears_the_notes(self):
        self._hold(self.case)
        self.case.followup_ids[:1].with_user(self.caseworker).note = "She moved"
        flag = (
            self.env["dv.case.flag"]
            .with_user(self.caseworker)
            .create(
                {
                    "case_id": self.case.id,
                    "type_id": self.env.ref(
                        "dv_case_management.case_flag_type_interpreter"
                    ).id,
                    "note": "Arabic",
                }
            )
        )
        self.case._erase("request", "test")
        self.assertFalse(any(self.case.followup_ids.mapped("note")))
        self.assertFalse(flag.note)
        self.assertEqual(flag.type_id.code, "interpreter", "the skeleton stays")


class TestFlags(FollowupCommon):
    def _flag(self, case, user, note="not before 18:00"):
        return (
            self.env["dv.case.flag"]
            .with_user(user)
            .create(
                {
                    "case_id": case.id,
                    "type_id": self.env.ref(
                        "dv_case_management.case_flag_type_contact_times"
                    ).id,
                    "note": note,
                }
            )
        )

    def test_summary_on_the_case(self):
        self._flag(self.case, self.caseworker)
        self.env["dv.case.flag"].with_user(self.caseworker).create(
            {
                "case_id": self.case.id,
                "type_id": self.env.ref(
                    "dv_case_management.case_flag_type_perpetrator_authority"
                ).id,
                "sequence": 20,
            }
        )
        self.assertEqual(
            self.case.with_user(self.caseworker).flag_summary,
            "Contact only at agreed times: not before 18:00 · "
            "Alleged perpetrator works at an authority",
        )

    def test_readers_of_the_case_read_its_flags(self):
        flag = self._flag(self.case, self.caseworker)
        # The network partner of the lead agency reads, never writes.
        partner = self._new_member("dv_test_fu_partner", "network", self.agency_a)
        self.assertEqual(flag.with_user(partner).note, "not before 18:00")
        with self.assertRaises(AccessError):
            flag.with_user(partner).write({"note": "any time"})

    def test_other_agency_and_company_neither_read_nor_use(self):
        flag = self._flag(self.case, self.caseworker)
        own_flag_b = self._flag(self.case_b, self.caseworker_b, "own")
        for user in (self.other_worker, self.caseworker_b):
            with self.subTest(user=user.login):
                self.assertFalse(
                    self.env["dv.case.flag"]
                    .with_user(user)
                    .search([("id", "=", flag.id)])
                )
                with self.assertRaises(AccessError):
                    flag.with_user(user).read(["note"])
                with self.assertRaises(AccessError):
                    flag.with_user(user).write({"note": "changed"})
                with self.assertRaises(AccessError):
                    self._flag(self.case, user)
        # A flag cannot move to another case, and a case reads only its own.
        with self.assertRaises(ValidationError):
            own_flag_b.with_user(self.caseworker_b).write({"case_id": self.case.id})
        with self.assertRaises(AccessError):
            self.case_b.with_user(self.caseworker_b).write(
                {"flag_ids": [Command.link(flag.id)]}
            )
        self.assertEqual(flag.case_id, self.case)

    def test_catalogue_is_the_managers(self):
        Type = self.env["dv.case.flag.type"]
        with self.assertRaises(AccessError):
            Type.with_user(self.coordinator).create({"name": "Mine", "code": "mine"})
        Type.with_user(self.manager).create({"name": "Mine", "code": "mine"})
