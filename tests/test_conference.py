from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import freeze_time

from .common import ConferenceCommon


class TestConferenceCycle(ConferenceCommon):
    def test_whole_cycle(self):
        conference = self._conference()
        self.assertRegex(conference.name, r"^FK-2026-\d{5}$")
        event = conference.event_id
        self.assertTrue(event)
        self.assertEqual(
            event.partner_ids,
            (self.coordinator_a | self.shelter_worker).partner_id,
        )
        self.assertNotIn("Vera", event.name)
        self.assertEqual(event.privacy, "private")
        line = self._line(conference, self.case, facts="Threats with a knife.")
        conference.action_invite()
        self.assertEqual(conference.state, "invited")
        line.write(
            {
                "decisions": "Safety conference with police.",
                "lead_agency_id": self.agency_a.id,
            }
        )
        self.env["dv.conference.action"].with_user(self.coordinator_a).create(
            {
                "line_id": line.id,
                "name": "Apply for a protection order",
                "owner_agency_id": self.shelter.id,
                "user_id": self.shelter_worker.id,
                "due_date": "2026-06-20",
            }
        )
        self._held(conference)
        self.assertEqual(conference.state, "held")
        self.assertEqual(str(self.case.last_conference_date), "2026-06-10")
        self.assertFalse(self.case.awaiting_conference)
        # Minutes due three working days later (Wed 10 June -> Mon 15 June).
        self.assertEqual(str(conference.minutes_due), "2026-06-15")
        activity = conference.activity_ids
        self.assertEqual(activity.user_id, self.coordinator_a)
        conference.action_approve_minutes()
        self.assertEqual(conference.state, "approved")
        self.assertFalse(conference.activity_ids, "minutes activity done")
        message = conference.message_ids.filtered(lambda m: m.subject)[:1]
        self.assertIn(conference.name, message.subject)
        for text in (message.subject, message.body):
            self.assertNotIn("Vera", text)
            self.assertNotIn(self.case.name, text)
        self.assertIn(self.shelter_worker.partner_id, message.partner_ids)
        conference.action_close()
        self.assertEqual(conference.state, "closed")

    def test_held_conference_ends_the_escalation_todos(self):
        # Three incidents within twelve months: the case escalates and the
        # lead agency's coordinator is asked to put it on a conference.
        for day in ("2026-03-01", "2026-04-01", "2026-05-01"):
            self.env["dv.incident"].create(
                {"case_id": self.adult_case.id, "date": f"{day} 10:00:00"}
            )
        conference_type = self.env.ref(
            "dv_case_management.mail_activity_type_conference"
        )

        def todos():
            return self.adult_case.activity_ids.filtered(
                lambda a: a.activity_type_id == conference_type
            )

        self.assertIn(self.coordinator_a, todos().user_id)
        conference = self._conference()
        # The escalated case is proposed for the agenda.
        self.assertIn(self.adult_case, conference.sudo().line_ids.case_ref_id)
        self._held(conference)
        self.assertFalse(todos())

    def test_transitions_out_of_order(self):
        conference = self._conference()
        for action in (
            conference.action_approve_minutes,
            conference.action_close,
            conference.action_reset,
        ):
            with self.subTest(action=action.__name__), self.assertRaises(UserError):
                action()
        self._held(conference)
        with self.assertRaises(UserError):
            conference.action_invite()
        with self.assertRaises(UserError):
            conference.action_cancel()

    def test_unsigned_participant_blocks_holding(self):
        conference = self._conference()
        shelter = conference.participant_ids.filtered(
            lambda p: p.user_id == self.shelter_worker
        )
        shelter.confidentiality_signed_on = False
        with self.assertRaises(UserError):
            self._held(conference)
        shelter.attended = False
        self._held(conference)

    def test_calendar_follows_date_change_and_cancellation(self):
        conference = self._conference()
        event = conference.event_id
        conference.write({"start": "2026-06-12 09:00:00", "duration": 1.5})
        self.assertEqual(str(event.start), "2026-06-12 09:00:00")
        self.assertEqual(str(event.stop), "2026-06-12 10:30:00")
        self.env["dv.conference.participant"].with_user(self.coordinator_a).create(
            {
                "conference_id": conference.id,
                "user_id": self.caseworker.id,
                "agency_id": self.agency_a.id,
            }
        )
        self.assertIn(self.caseworker.partner_id, event.partner_ids)
        conference.action_cancel()
        self.assertFalse(event.active)
        conference.action_reset()
        self.assertTrue(conference.event_id.active)

    def test_bad_input(self):
        with self.assertRaises(ValidationError):
            self._conference(duration=0)
        with self.assertRaises(ValidationError):
            self._conference(
                participant_ids=[Command.create({"agency_id": self.shelter.id})]
            )
        with self.assertRaises(ValidationError):
            self._conference(
                participant_ids=[
                    Command.create(
                        {"agency_id": self.shelter.id, "user_id": self.caseworker.id}
                    )
                ]
            )


class TestAgenda(ConferenceCommon):
    def test_propose_agenda_in_the_order_of_practice(self):
        earlier = self._conference(start="2026-05-01 08:00:00")
        review_case = self._create_case()
        old_line = self._line(earlier, review_case)
        self.env["dv.conference.action"].with_user(self.coordinator_a).create(
            {
                "line_id": old_line.id,
                "name": "Still open",
                "owner_agency_id": self.agency_a.id,
                "due_date": "2026-05-20",
            }
        )
        self._held(earlier)
        # Both new cases become awaiting a conference.
        for case in (self.case, self.adult_case):
            for day in ("2026-01-01", "2026-02-01", "2026-03-01"):
                self.env["dv.incident"].create(
                    {"case_id": case.id, "date": f"{day} 10:00:00"}
                )
        self.assertTrue(self.adult_case.awaiting_conference)
        conference = self._conference()
        conference.action_propose_agenda()
        lines = conference.line_ids.sorted(lambda x: (x.agenda_rank, x.sequence, x.id))
        self.assertEqual(
            [line.case_id for line in lines],
            [review_case, self.case, self.adult_case],
        )
        self.assertEqual(lines[0].reason, "open_actions")
        self.assertTrue(lines[1].has_children)
        # Running it again adds nothing twice.
        conference.action_propose_agenda()
        self.assertEqual(len(conference.line_ids), 3)

    def test_pseudonym_for_participants_without_access(self):
        conference = self._conference()
        line = self._line(conference, self.case, facts="Threats with a knife.")
        self.assertEqual(line.pseudonym, "Case A")
        as_shelter = line.with_user(self.shelter_worker)
        self.assertFalse(as_shelter.case_visible)
        self.assertFalse(as_shelter.case_id)
        self.assertEqual(as_shelter.label, "Case A")
        self.assertEqual(as_shelter.facts, "Threats with a knife.")
        with self.assertRaises(AccessError):
            as_shelter.read(["case_ref_id"])
        with self.assertRaises(UserError):
            as_shelter.action_open_case()
        # The lead agency sees the case behind it.
        as_lead = line.with_user(self.coordinator_a)
        self.assertEqual(as_lead.case_id, self.case)
        # On the agenda (shown on a projector) it is its pseudonym.
        self.assertEqual(as_lead.label, as_lead.pseudonym)
        # Agencies not taking part see nothing.
        with self.assertRaises(AccessError):
            line.with_user(self.outsider).read(["label"])

    def test_cases_added_at_once_get_different_pseudonyms(self):
        conference = self._conference()
        self._line(conference, self.case)
        lines = (
            self.env["dv.conference.agenda.item"]
            .with_user(self.coordinator_a)
            .create(
                [
                    {"conference_id": conference.id, "case_id": case.id}
                    for case in (self.adult_case, self._create_case())
                ]
            )
        )
        self.assertEqual(lines.mapped("pseudonym"), ["Case B", "Case C"])

    def test_by_name_only_with_release(self):
        conference = self._conference()
        line = self._line(conference, self.case)
        with self.assertRaises(ValidationError):
            line.write({"release_basis": "release"})
        line.write({"release_basis": "release", "release_date": "2026-05-30"})
        self.assertIn("Vera Secret", line.with_user(self.shelter_worker).label)

    def test_cannot_put_an_inaccessible_case_on_the_agenda(self):
        conference = self._conference()
        foreign = self._create_case(
            user=self.caseworker_b,
            lead_agency_id=self.agency_b.id,
            company_id=self.company_b.id,
        )
        with self.assertRaises(AccessError):
            self._line(conference, foreign)
        with self.assertRaises(AccessError):
            self.env["dv.conference.agenda.item"].with_user(self.shelter_worker).create(
                {"conference_id": conference.id, "case_id": self.case.id}
            )

    def test_contributions_visible_to_coordinator_and_author_until_shared(self):
        conference = self._conference()
        line = self._line(conference, self.case)
        contribution = self._contribute(line, "She stayed with us in 2025.")
        self.assertEqual(
            contribution.with_user(self.coordinator_a).text,
            "She stayed with us in 2025.",
        )
        self.env["dv.conference.participant"].with_user(self.coordinator_a).create(
            {
                "conference_id": conference.id,
                "user_id": self.caseworker.id,
                "agency_id": self.agency_a.id,
            }
        )
        third = self._new_member(
            "dv_test_conf_third",
            "network",
            self._new_agency("Third"),
        )
        self.env["dv.conference.participant"].with_user(self.coordinator_a).create(
            {
                "conference_id": conference.id,
                "user_id": third.id,
                "agency_id": third.dv_agency_ids.id,
            }
        )
        with self.assertRaises(AccessError):
            contribution.with_user(third).read(["text"])
        with self.assertRaises(UserError):
            contribution.with_user(self.shelter_worker).action_share()
        contribution.with_user(self.coordinator_a).action_share()
        self.assertEqual(
            contribution.with_user(third).text, "She stayed with us in 2025."
        )


class TestActions(ConferenceCommon):
    def _action(self, conference, owner, **values):
        line = conference.line_ids[:1] or self._line(conference, self.case)
        return (
            self.env["dv.conference.action"]
            .with_user(self.coordinator_a)
            .create(
                dict(
                    {
                        "line_id": line.id,
                        "name": "Do something",
                        "owner_agency_id": owner.id,
                        "due_date": "2026-06-20",
                    },
                    **values,
                )
            )
        )

    def test_owner_agency_sees_and_updates_its_actions_only(self):
        conference = self._conference()
        mine = self._action(conference, self.shelter, user_id=self.shelter_worker.id)
        other = self._action(conference, self.agency_a)
        as_shelter = self.env["dv.conference.action"].with_user(self.shelter_worker)
        visible = as_shelter.search([])
        self.assertIn(mine, visible)
        self.assertNotIn(other, visible)
        self.assertEqual(mine.with_user(self.shelter_worker).case_label, "Case A")
        mine.with_user(self.shelter_worker).write({"report": "Filed."})
        mine.with_user(self.shelter_worker).action_mark_done()
        self.assertEqual(mine.status, "done")
        self.assertEqual(str(mine.reported_on), "2026-06-01")
        self.assertTrue(mine.done_in_time)
        # Only the report is hers: not what, who or by when, nor the status
        # by a write.
        for values in (
            {"due_date": "2026-12-31"},
            {"name": "Something else"},
            {"owner_agency_id": self.agency_a.id},
            {"status": "open"},
        ):
            with self.subTest(values=values), self.assertRaises(UserError):
                mine.with_user(self.shelter_worker).write(values)
        with self.assertRaises(AccessError):
            other.with_user(self.shelter_worker).action_mark_done()
        with self.assertRaises(AccessError):
            self.case.with_user(self.shelter_worker).read(["name"])
        with self.assertRaises(AccessError):
            mine.with_user(self.outsider).read(["name"])

    def test_overdue_actions_become_activities(self):
        conference = self._conference()
        late = self._action(
            conference,
            self.shelter,
            user_id=self.shelter_worker.id,
            due_date="2026-05-20",
        )
        on_time = self._action(conference, self.shelter)
        self.assertTrue(late.is_overdue)
        self.assertFalse(on_time.is_overdue)
        self.env["dv.conference.action"]._cron_notify_overdue()
        self.assertEqual(late.activity_ids.user_id, self.shelter_worker)
        self.assertFalse(on_time.activity_ids)
        self.env["dv.conference.action"]._cron_notify_overdue()
        self.assertEqual(len(late.activity_ids), 1)

    def test_responsible_must_belong_to_owner(self):
        conference = self._conference()
        with self.assertRaises(ValidationError):
            self._action(conference, self.shelter, user_id=self.caseworker.id)


class TestMinutesAndReview(ConferenceCommon):
    def test_minutes_pdf_has_no_name_for_anonymous_case(self):
        conference = self._conference()
        line = self._line(
            conference,
            self.case,
            facts="Threats with a knife.",
            decisions="Police informed.",
        )
        self.env["dv.conference.action"].with_user(self.coordinator_a).create(
            {
                "line_id": line.id,
                "name": "Call back",
                "owner_agency_id": self.shelter.id,
                "due_date": "2026-06-20",
            }
        )
        self._held(conference)
        report = self.env.ref("dv_case_management.action_report_conference_minutes")
        html, _type = report.with_user(self.coordinator_a)._render_qweb_html(
            report.report_name, conference.ids
        )
        html = html.decode()
        self.assertIn(conference.name, html)
        self.assertIn("Case A", html)
        self.assertIn("Police informed.", html)
        self.assertIn("Call back", html)
        self.assertNotIn("Vera", html)
        self.assertNotIn(self.case.name, html)
        pdf, file_type = (
            report.with_user(self.coordinator_a)
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(report.report_name, conference.ids)
        )
        self.assertEqual(file_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))

    def test_minutes_naming_a_case_are_in_its_access_log(self):
        conference = self._conference()
        line = self._line(conference, self.case)
        self._line(conference, self.adult_case)
        line.with_user(self.coordinator_a).write(
            {"release_basis": "release", "release_date": "2026-06-01"}
        )
        self._held(conference)
        Log = self.env["dv.access.log"]
        report = self.env.ref("dv_case_management.action_report_conference_minutes")
        html, _type = report.with_user(self.shelter_worker)._render_qweb_html(
            report.report_name, conference.ids
        )
        self.assertIn(self.case.name, html.decode())
        logged = Log.search([("user_id", "=", self.shelter_worker.id)])
        # The case discussed by name, not the anonymous one.
        self.assertEqual(logged.case_id, self.case)

    def test_review_due_after_twelve_months(self):
        self.case.last_conference_date = "2025-05-01"
        self.adult_case.last_conference_date = "2025-12-01"
        due = self.env["dv.case"].search([("review_due", "=", True)])
        self.assertIn(self.case, due)
        self.assertNotIn(self.adult_case, due)
        self.assertTrue(self.case.review_due)


@freeze_time("2026-06-01 09:00:00")
class TestConferenceDay(ConferenceCommon):
    def test_held_not_before_its_day_and_dated_on_it(self):
        conference = self._conference(start="2026-06-10 08:00:00")
        self._line(conference, self.case)
        with self.assertRaises(UserError):
            conference.with_user(self.coordinator_a).action_held()
        self.assertEqual(conference.state, "planned")
        self.assertFalse(self.case.last_conference_date)
        with freeze_time("2026-06-12 09:00:00"):
            conference.with_user(self.coordinator_a).action_held()
        self.assertEqual(str(conference.held_on), "2026-06-10")
        self.assertEqual(str(self.case.last_conference_date), "2026-06-10")

    def test_sign_all_present_at_once_and_invitation_answers(self):
        conference = self._conference(start="2026-06-01 08:00:00")
        conference.participant_ids.write({"confidentiality_signed_on": False})
        conference.participant_ids[:1].attended = False
        conference.with_user(self.coordinator_a).action_sign_all_present()
        signed = conference.participant_ids.filtered("confidentiality_signed_on")
        self.assertEqual(signed, conference.participant_ids.filtered("attended"))
        self.assertEqual(str(signed.confidentiality_signed_on), "2026-06-01")
        result = conference.with_user(self.coordinator_a).action_invite()
        self.assertEqual(result["tag"], "display_notification")
        self.assertIn(self.shelter_worker.name, result["params"]["message"])
        shelter = conference.participant_ids.filtered(
            lambda p: p.user_id == self.shelter_worker
        )
        # The shelter has yet to answer; the chair organises it.
        self.assertEqual(shelter.invitation_state, "needsAction")

    def test_agenda_shows_the_pseudonym_first(self):
        conference = self._conference()
        line = self._line(conference, self.case).with_user(self.coordinator_a)
        # The coordinator reads the case, yet the agenda names it by its
        # pseudonym unless it is discussed by name.
        self.assertEqual(line.label, line.pseudonym)
        self.assertNotIn(self.case.name, line.label)
        line.write({"release_basis": "release", "release_date": "2026-05-30"})
        line.invalidate_recordset(["label"])
        self.assertTrue(line.label.startswith(f"{line.pseudonym}: {self.case.name}"))

    def test_pseudonyms_follow_the_agenda(self):
        self.case.sudo()._dv_system_write({"escalated_on": "2026-05-01"})
        self.adult_case.sudo()._dv_system_write({"escalated_on": "2026-05-01"})
        conference = self._conference()
        lines = conference.sudo().line_ids.sorted(
            lambda x: (x.agenda_rank, x.sequence, x.id)
        )
        self.assertEqual(lines.mapped("pseudonym"), sorted(lines.mapped("pseudonym")))
