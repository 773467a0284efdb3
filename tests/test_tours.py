"""Browser tours (static/tests/tours/) as German-speaking users of an intake
office, its coordinator, a women's shelter and the statistics role, run in
headless Chromium; each test then checks what the tour left in the
database."""

import io
from datetime import timedelta
from unittest.mock import patch

import openpyxl

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged

from .common import GROUP, DvCommon

# Tours end in about a minute; two shared CPUs may need more.
TOUR_TIMEOUT = 300


@tagged("post_install", "-at_install")
class TestTours(HttpCase, DvCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("de_DE")
        cls.office = cls.env["dv.agency"].create(
            {
                "name": "Tour Interventionsstelle",
                "agency_type_id": cls.type_intake.id,
                "company_id": cls.company_a.id,
                "first_contact_deadline": 72,
                "first_contact_deadline_unit": "hours",
            }
        )
        cls.police = cls._new_agency("Tour Polizeiinspektion", cls.type_police)
        cls.shelter = cls._new_agency("Tour Frauenhaus", "shelter")
        cls.intake_worker = cls._tour_user("dv_tour_intake", "caseworker", cls.office)
        cls.tour_coordinator = cls._tour_user(
            "dv_tour_coordinator", "coordinator", cls.office
        )
        cls.shelter_worker = cls._tour_user(
            "dv_tour_shelter", "caseworker", cls.shelter
        )
        cls.tour_statistics = cls._tour_user("dv_tour_statistics", "statistics")

    @classmethod
    def _tour_user(cls, login, role, agency=None):
        """A German-speaking user in Berlin time (logins of eight characters
        or more, so that the password is the login). Made now, she is inside
        her grace period for two-factor sign-in (DvCommon._signin_for_tests):
        the web client tells her so and lets her work, as it does for a new
        colleague; tests/test_signin.py runs the tour of a user past it."""
        values = {
            "name": login.replace("_", " ").title(),
            "lang": "de_DE",
            "tz": "Europe/Berlin",
            "company_id": cls.company_a.id,
            "company_ids": [Command.set(cls.company_a.ids)],
        }
        if "odoobot_state" in cls.env["res.users"]._fields:
            values["odoobot_state"] = "disabled"
        user = new_test_user(cls.env, login=login, groups=GROUP % role, **values)
        if agency:
            cls.env["dv.agency.member"].create(
                {"agency_id": agency.id, "user_id": user.id}
            )
        return user

    def _tour(self, name, user):
        self.start_tour("/odoo", name, login=user.login, timeout=TOUR_TIMEOUT)

    def _today(self):
        return fields.Date.context_today(
            self.env["dv.case"].with_context(tz="Europe/Berlin")
        )

    def _assessed_high(self, case, **values):
        """``case`` assessed high risk (ODARA, completed) by the office's case
        worker."""
        self.env["dv.risk.assessment"].with_user(self.intake_worker).create(
            {
                "case_id": case.id,
                "instrument_id": self.env.ref(
                    "dv_case_management.risk_instrument_external"
                ).id,
                "external_tool": "odara",
                "external_level": "high",
                **values,
            }
        ).action_done()
        self.assertTrue(case.is_high_risk)

    def test_police_referral_contact_attempts_and_case(self):
        self._tour("dv_referral_tour", self.intake_worker)

        referral = self.env["dv.referral"].search(
            [("police_reference", "=", "TOUR-4711")]
        )
        self.assertEqual(len(referral), 1)
        self.assertEqual(referral.from_agency_id, self.police)
        self.assertEqual(referral.to_agency_id, self.office)
        self.assertEqual(referral.legal_basis, "statute")
        self.assertEqual(referral.state, "contacted")
        attempts = referral.contact_attempt_ids.sorted("id")
        self.assertEqual(attempts.mapped("outcome"), ["no_answer", "reached"])
        self.assertEqual([a.channel_id.code for a in attempts], ["phone", "phone"])
        self.assertEqual(attempts.user_id, self.intake_worker)
        self.assertEqual(referral.first_contact_at, attempts[1].attempted_at)
        self.assertTrue(referral.contacted_in_time)

        case = referral.case_id
        self.assertEqual(case.lead_agency_id, self.office)
        self.assertEqual(case.user_id, self.intake_worker)
        self.assertEqual(case.state, "in_progress")
        self.assertEqual(case.victim_id.name, "Tara Tour")
        self.assertEqual(
            case.victim_id.with_user(self.intake_worker).phone, "+49 170 4711000"
        )
        self.assertEqual(
            self.env["dv.case"].search_count([("lead_agency_id", "=", self.office.id)]),
            1,
        )
        # The second referral for her was proposed the case, and joined it
        # when the case worker confirmed.
        repeat = self.env["dv.referral"].search(
            [("police_reference", "=", "TOUR-4712")]
        )
        self.assertEqual(repeat.case_id, case)
        self.assertTrue(repeat.is_repeat)
        self.assertFalse(repeat.proposed_case_id)

    def test_high_risk_assessment_conference_and_action(self):
        case = self._create_case(
            user=self.intake_worker,
            lead_agency_id=self.office.id,
            person_ids=[
                Command.create(
                    {"role": "victim", "name": "Rita Risiko", "gender": "female"}
                )
            ],
        )
        self._tour("dv_risk_assessment_tour", self.intake_worker)

        assessment = case.assessment_ids
        self.assertEqual(len(assessment), 1)
        self.assertEqual(
            assessment.instrument_id,
            self.env.ref("dv_case_management.risk_instrument_screening"),
        )
        self.assertEqual(assessment.state, "done")
        self.assertEqual(assessment.assessor_id, self.intake_worker)
        self.assertEqual(assessment.person_id, case.victim_id)
        self.assertEqual((assessment.yes_count, assessment.red_flag_count), (11, 0))
        self.assertEqual(assessment.score, 11)
        self.assertEqual(assessment.final_level, "high")
        self.assertEqual(case.risk_level, "high")
        self.assertTrue(case.awaiting_conference)
        self.assertEqual(case.escalated_on, self._today())
        reminder = case.activity_ids.filtered(
            lambda a: (
                a.activity_type_id
                == self.env.ref("dv_case_management.mail_activity_type_conference")
            )
        )
        self.assertEqual(reminder.user_id, self.tour_coordinator)

        self._tour("dv_case_conference_tour", self.tour_coordinator)

        conference = self.env["dv.conference"].search(
            [("organizer_agency_id", "=", self.office.id)]
        )
        self.assertEqual(len(conference), 1)
        self.assertEqual(conference.chair_id, self.tour_coordinator)
        self.assertEqual(conference.held_on, self._today())
        self.assertEqual(
            set(conference.participant_ids.user_id.ids),
            {self.tour_coordinator.id, self.shelter_worker.id},
        )
        # Dates typed in the browser's time zone: a day either way.
        for participant in conference.participant_ids:
            self.assertAlmostEqual(
                participant.confidentiality_signed_on,
                self._today() - timedelta(days=7),
                delta=timedelta(days=1),
            )
        self.assertEqual(conference.sudo().line_ids.case_ref_id, case)
        action = conference.action_ids
        self.assertEqual(len(action), 1)
        self.assertEqual(action.owner_agency_id, self.shelter)
        self.assertAlmostEqual(
            action.due_date,
            self._today() + timedelta(days=14),
            delta=timedelta(days=1),
        )
        self.assertEqual(action.status, "open")
        german = self.env["dv.conference"].with_context(lang="de_DE").env
        self.assertEqual(
            action.with_user(self.shelter_worker).case_label,
            german._("Case %(letter)s", letter="A"),
        )
        self.assertEqual(case.last_conference_date, self._today())
        self.assertFalse(case.awaiting_conference)
        self.assertEqual(conference.state, "approved")
        self.assertTrue(conference.minutes_approved_on)
        # The shelter reports on its action and sets it done; its overdue
        # reminder, if any, is closed with it.
        action.activity_schedule(
            "mail.mail_activity_data_todo", user_id=self.shelter_worker.id
        )
        due = action.due_date
        self._tour("dv_action_report_tour", self.shelter_worker)
        self.assertEqual(action.status, "done")
        self.assertEqual(action.reported_on, self._today())
        self.assertIn("Sicherheitsplan", action.report)
        self.assertEqual(action.due_date, due)
        self.assertFalse(action.activity_ids)

    def test_high_risk_closure_with_four_eyes(self):
        case = self._create_case(
            user=self.intake_worker,
            lead_agency_id=self.office.id,
            person_ids=[
                Command.create(
                    {"role": "victim", "name": "Hanna Hoch", "gender": "female"}
                )
            ],
        )
        self._assessed_high(case)
        self._tour("dv_close_request_tour", self.intake_worker)

        approval = case.sudo().approval_ids
        self.assertEqual(approval.state, "pending")
        self.assertEqual(approval.requested_by_id, self.intake_worker)
        self.assertEqual(
            approval.closure_reason_id,
            self.env.ref("dv_case_management.closure_reason_moved"),
        )
        self.assertIn("Bundesland", approval.reason)
        self.assertEqual(case.state, "new", "nothing changes before the approval")

        self._tour("dv_approve_tour", self.tour_coordinator)
        self.assertEqual(approval.state, "approved")
        self.assertEqual(approval.decided_by_id, self.tour_coordinator)
        self.assertEqual(case.state, "closed")
        self.assertEqual(case.closure_reason_id, approval.closure_reason_id)
        self.assertEqual(
            (case.outcome_abuse, case.outcome_safety), ("stopped", "better")
        )

    def test_end_of_high_risk_with_four_eyes(self):
        """The coordinator asks for the end of the high-risk status at the
        held conference that decided it; another coordinator of the office
        approves it, and the case's badge says so."""
        case = self._create_case(
            user=self.intake_worker,
            lead_agency_id=self.office.id,
            person_ids=[
                Command.create(
                    {"role": "victim", "name": "Nora Netz", "gender": "female"}
                )
            ],
        )
        self._assessed_high(case, date=self._today() - timedelta(days=7))
        second = self._tour_user("dv_tour_coordinator_2", "coordinator", self.office)
        conference = (
            self.env["dv.conference"]
            .with_user(self.tour_coordinator)
            .create(
                {
                    "conference_type": "scheduled",
                    "start": fields.Datetime.now() - timedelta(days=1),
                    "duration": 2,
                    "place": "Rathaus, Raum 3",
                    "organizer_agency_id": self.office.id,
                    "chair_id": self.tour_coordinator.id,
                    "company_id": self.company_a.id,
                    "participant_ids": [
                        Command.create(
                            {
                                "agency_id": self.office.id,
                                "user_id": self.tour_coordinator.id,
                                "confidentiality_signed_on": self._today()
                                - timedelta(days=7),
                            }
                        )
                    ],
                }
            )
        )
        self.assertEqual(conference.sudo().line_ids.case_ref_id, case)
        conference.action_held()

        self._tour("dv_end_high_risk_request_tour", self.tour_coordinator)
        approval = case.sudo().approval_ids
        self.assertEqual(approval.request_type, "end_high_risk")
        self.assertEqual(approval.state, "pending")
        self.assertEqual(approval.requested_by_id, self.tour_coordinator)
        self.assertEqual(approval.conference_ref, conference.name)
        self.assertIn("Ausland", approval.reason)
        self.assertTrue(case.is_high_risk, "nothing changes before the approval")

        self._tour("dv_end_high_risk_approve_tour", second)
        self.assertEqual(approval.state, "approved")
        self.assertEqual(approval.decided_by_id, second)
        self.assertFalse(case.is_high_risk)
        self.assertEqual(case.high_risk_ended_on, self._today())
        self.assertEqual(case.risk_level, "high", "the assessment stays as made")

    def test_case_form_tabs(self):
        case = self._create_case(
            user=self.intake_worker,
            lead_agency_id=self.office.id,
            person_ids=[
                Command.create(
                    {"role": "victim", "name": "Clara Form", "gender": "female"}
                )
            ],
        )
        self._tour("dv_case_form_tour", self.intake_worker)

        incident = case.incident_ids
        self.assertEqual(len(incident), 1)
        self.assertTrue(incident.strangulation)
        self.assertTrue(incident.children_present)
        child = case.person_ids.filtered(lambda p: p.role == "child")
        self.assertEqual(child.name, "Kai Form")
        self.assertEqual(child.age_estimate, 6)
        self.assertTrue(case.has_children)
        session = case.session_ids
        self.assertEqual((session.mode, session.duration), ("phone", 45))
        self.assertEqual(session.person_id, case.victim_id)
        self.assertEqual(session.agency_id, self.office)
        consent = case.consent_ids
        self.assertEqual(consent.person_id, case.victim_id)
        self.assertEqual(consent.agency_ids, self.police)
        self.assertEqual(
            consent.purpose_ids,
            self.env.ref("dv_case_management.consent_purpose_referral"),
        )
        self.assertEqual(consent.state, "valid")
        # The form's onchanges read unsaved lines: only saved records are in
        # the access log, each with a real id.
        logs = self.env["dv.access.log"].search(
            [("user_id", "=", self.intake_worker.id)]
        )
        self.assertTrue(logs)
        self.assertFalse(logs.filtered(lambda log: not log.res_id))

    def test_menu_fits_for_every_role(self):
        """The browser of the tests is 1366 pixels wide."""
        manager = self._tour_user("dv_tour_manager", "manager", self.office)
        dpo = new_test_user(
            self.env,
            login="dv_tour_dpo",
            groups="dv_case_management.group_dv_dpo",
            lang="de_DE",
            company_id=self.company_a.id,
            company_ids=[Command.set(self.company_a.ids)],
        )
        for user in (
            self.intake_worker,
            self.tour_coordinator,
            self.shelter_worker,
            self._tour_user("dv_tour_partner", "network", self.shelter),
            self.tour_statistics,
            dpo,
            manager,
        ):
            with self.subTest(login=user.login):
                self._tour("dv_menu_tour", user)

    def test_statistics_workbook_download(self):
        now = fields.Datetime.now()
        self.env["dv.referral"].create(
            [
                {
                    "source_type": "police",
                    "from_agency_id": self.police.id,
                    "to_agency_id": self.office.id,
                    "company_id": self.company_a.id,
                    "received_at": now,
                    "police_reference": f"STAT-{number}",
                    "legal_basis": "statute",
                    "legal_norm": "§ 34a PolG NRW",
                }
                for number in range(6)
            ]
        )
        Report = type(self.env["ir.actions.report"])
        original = Report._render_xlsx
        rendered = []

        def render_xlsx(report, report_ref, docids, data=None):
            result = original(report, report_ref, docids, data)
            rendered.append((report.env.uid, report_ref, docids, result))
            return result

        with patch.object(Report, "_render_xlsx", render_xlsx):
            self._tour("dv_statistics_tour", self.tour_statistics)

        wizard = self.env["dv.statistics.wizard"].search(
            [("create_uid", "=", self.tour_statistics.id)]
        )
        self.assertEqual(len(wizard), 1)
        self.assertEqual(len(rendered), 1, "the browser downloaded one workbook")
        uid, report_ref, docids, (content, report_format) = rendered[0]
        self.assertEqual(uid, self.tour_statistics.id)
        self.assertEqual(report_ref, "dv_case_management.statistics_xlsx")
        self.assertEqual(list(docids), wizard.ids)
        self.assertEqual(report_format, "xlsx")
        downloaded = self._cells(content)

        # The same route, fetched again with the user's session.
        self.authenticate(self.tour_statistics.login, self.tour_statistics.login)
        response = self.url_open(
            f"/report/xlsx/dv_case_management.statistics_xlsx/{wizard.id}"
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response.headers["Content-Type"],
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        fetched = self._cells(response.content)

        german = self.env["dv.statistics.wizard"].with_context(lang="de_DE").env
        sheets = [
            "Overview",
            "Funder Report",
            "Lagebild",
            "Pro-active Approach",
            "High Risk",
            "Protection",
            "Outcomes",
            "Capacity",
        ]
        self.assertEqual(list(downloaded), [german._(name) for name in sheets])
        overview, _funder, _lagebild, proactive, *_others = downloaded.values()
        year = self._today().year
        self.assertEqual(
            overview[2], (german._("Period"), f"01.01.{year} - 31.12.{year}")
        )
        self.assertEqual(overview[3], (german._("Companies"), self.company_a.name))
        # Six police referrals: above the threshold, shown as they are.
        self.assertEqual(proactive[1][1], 6)
        for name in downloaded:
            # Everything but the generation time is the same.
            self.assertEqual(
                [row for row in downloaded[name] if row[0] != german._("Generated")],
                [row for row in fetched[name] if row[0] != german._("Generated")],
            )

    def test_protection_planning(self):
        """Weapons "yes" in a high-risk assessment, the proposed weapons check
        agreed, a safety plan with steps, a conference action on the
        perpetrator's side: all by the office's coordinator."""
        case = self._create_case(
            user=self.intake_worker,
            lead_agency_id=self.office.id,
            person_ids=[
                Command.create(
                    {"role": "victim", "name": "Paula Plan", "gender": "female"}
                ),
                Command.create({"role": "perpetrator", "name": "Tom Tat"}),
            ],
        )
        self._tour("dv_protection_tour", self.tour_coordinator)

        assessment = case.assessment_ids
        self.assertEqual(assessment.state, "done")
        self.assertEqual(assessment.final_level, "high")
        self.assertEqual(case.risk_level, "high")
        check = case.perpetrator_measure_ids
        self.assertEqual(len(check), 1)
        self.assertEqual(
            check.type_id,
            self.env.ref("dv_case_management.perpetrator_measure_weapons_check"),
        )
        self.assertEqual(check.assessment_id, assessment)
        self.assertEqual(check.status, "open")
        self.assertEqual(check.agency_id, self.police)
        self.assertEqual(check.person_id.name, "Tom Tat")
        plan = case.safety_plan_ids
        self.assertEqual(plan.state, "agreed")
        self.assertEqual(case.safety_plan_state, "agreed")
        self.assertEqual(
            plan.step_ids.step_type_id.mapped("code"),
            ["emergency_numbers", "documents", "protection_order"],
        )
        self.assertEqual(plan.step_ids[2].owner_agency_id, self.office)
        self.assertAlmostEqual(
            plan.review_date,
            self._today() + timedelta(days=28),
            delta=timedelta(days=1),
        )
        self.assertEqual(plan.agreed_on, self._today())
        conference = self.env["dv.conference"].search(
            [("organizer_agency_id", "=", self.office.id)]
        )
        self.assertEqual(conference.state, "held")
        action = conference.action_ids
        self.assertEqual(len(action), 1)
        self.assertEqual(
            action.perpetrator_measure_type_id,
            self.env.ref("dv_case_management.perpetrator_measure_warning_talk"),
        )
        self.assertEqual(action.owner_agency_id, self.police)
        self.assertEqual(conference.sudo().line_ids.case_ref_id, case)

    def test_information_returns_to_the_followup(self):
        """The coordinator invites and so asks for the returns; the shelter
        submits its own; the coordinator reads and shares it, records that
        the victim was told before and after, and holds the conference; the
        case worker records the follow-up three months on."""
        case = self._create_case(
            user=self.intake_worker,
            lead_agency_id=self.office.id,
            person_ids=[
                Command.create(
                    {"role": "victim", "name": "Rosa Rückmeldung", "gender": "female"}
                )
            ],
        )
        signed = self._today() - timedelta(days=7)
        conference = (
            self.env["dv.conference"]
            .with_user(self.tour_coordinator)
            .with_context(dv_no_agenda_proposal=True)
            .create(
                {
                    "start": fields.Datetime.now(),
                    "organizer_agency_id": self.office.id,
                    "company_id": self.company_a.id,
                    "participant_ids": [
                        Command.create(
                            {
                                "agency_id": agency.id,
                                "user_id": user.id,
                                "confidentiality_signed_on": signed,
                            }
                        )
                        for agency, user in (
                            (self.office, self.tour_coordinator),
                            (self.shelter, self.shelter_worker),
                        )
                    ],
                }
            )
        )
        self.env["dv.conference.agenda.item"].with_user(self.tour_coordinator).create(
            {"conference_id": conference.id, "case_id": case.id}
        )

        self._tour("dv_return_request_tour", self.tour_coordinator)
        returns = conference.sudo().return_ids
        self.assertEqual(returns.agency_id, self.office | self.shelter)
        self.assertEqual(set(returns.mapped("state")), {"requested"})
        todo = self.env.ref("dv_case_management.mail_activity_type_information_return")
        self.assertEqual(
            conference.activity_ids.filtered(
                lambda a: a.activity_type_id == todo
            ).user_id,
            self.tour_coordinator | self.shelter_worker,
        )

        self._tour("dv_return_submit_tour", self.shelter_worker)
        shelter_return = returns.filtered(lambda r: r.agency_id == self.shelter)
        self.assertEqual(shelter_return.state, "submitted")
        self.assertEqual(shelter_return.submitted_on, self._today())
        self.assertIn("März 2026", shelter_return.text)
        self.assertIn("neue Adresse", shelter_return.concerns)
        self.assertIn("Frauenhaus", shelter_return.offer)
        self.assertEqual(
            conference.activity_ids.filtered(
                lambda a: a.activity_type_id == todo
            ).user_id,
            self.tour_coordinator,
        )

        self._tour("dv_return_conference_tour", self.tour_coordinator)
        self.assertTrue(shelter_return.shared)
        self.assertEqual(conference.state, "held")
        notices = conference.sudo().line_ids.victim_notice_ids
        self.assertEqual(
            {(n.stage, n.outcome, n.channel) for n in notices},
            {("before", "informed", "phone"), ("after", "informed", "in_person")},
        )
        self.assertEqual(notices.user_id, self.tour_coordinator)
        self.assertFalse(
            case.activity_ids.filtered(
                lambda a: (
                    a.activity_type_id
                    == self.env.ref(
                        "dv_case_management.mail_activity_type_victim_informed"
                    )
                )
            ),
            "telling her the result ends the lead agency's to-do",
        )
        followups = case.followup_ids.sorted("due_date")
        self.assertEqual(followups.mapped("months"), ["3", "6", "12"])

        self._tour("dv_return_followup_tour", self.intake_worker)
        three = followups[0]
        self.assertEqual(three.state, "done")
        self.assertEqual(
            (three.new_incidents, three.police_callouts, three.safety_rating),
            ("no", "no", "better"),
        )
        self.assertEqual(followups[1:].mapped("state"), ["due", "due"])

    @staticmethod
    def _cells(content):
        book = openpyxl.load_workbook(io.BytesIO(content))
        return {
            sheet.title: list(sheet.iter_rows(values_only=True))
            for sheet in book.worksheets
        }

    def test_police_referral_declined_under_a_statute_that_erases(self):
        self.company_a.dv_land_profile_id = self.env.ref(
            "dv_case_management.land_profile_sh"
        )
        self._tour("dv_referral_declined_tour", self.intake_worker)

        referral = self.env["dv.referral"].search(
            [("police_reference", "=", "TOUR-SH-1")]
        )
        self.assertEqual(
            (referral.state, referral.legal_norm, referral.erase_on_decline),
            ("declined", "§ 201a Abs. 6 LVwG", True),
        )
        case = referral.case_id
        self.env["dv.retention"]._cron_erase()
        self.assertEqual(case.victim_id.name, "Erased")

    def test_triage_take_the_first_referral(self):
        """The intake case worker takes the top of the triage list at her
        caseload limit: warned, not stopped."""
        self.company_a.dv_caseload_limit = 1
        Referral = self.env["dv.referral"].with_user(self.intake_worker)
        values = {
            "source_type": "police",
            "from_agency_id": self.police.id,
            "to_agency_id": self.office.id,
            "company_id": self.company_a.id,
            "legal_basis": "statute",
            "legal_norm": "§ 34a PolG NRW",
        }
        plain = Referral.create(
            dict(values, police_reference="TRIAGE-1", victim_name="Paula Plain")
        )
        high = Referral.create(
            dict(values, police_reference="TRIAGE-2", victim_name="Hanna High")
        )
        self.assertEqual(plain.case_id.user_id, self.intake_worker)
        self._assessed_high(high.case_id)
        high.case_id.with_user(self.intake_worker).user_id = False
        self.assertEqual(high.triage_score, 4)

        self._tour("dv_triage_tour", self.intake_worker)

        self.assertEqual(high.case_id.user_id, self.intake_worker)
        self.assertEqual(
            self.env["dv.caseload"]
            .search(
                [
                    ("agency_id", "=", self.office.id),
                    ("user_id", "=", self.intake_worker.id),
                ]
            )
            .open_count,
            2,
        )
