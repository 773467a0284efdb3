from datetime import date, datetime, timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, freeze_time

from ..models.mail_activity import move_case_deadline_reminders
from .common import DvCommon


class TestCaseWorkflow(DvCommon):
    def test_reference_per_company_and_year(self):
        with freeze_time("2026-03-01"):
            first = self._create_case()
            second = self._create_case()
        self.assertRegex(first.name, r"^HG-2026-\d{5}$")
        self.assertEqual(int(second.name[-5:]), int(first.name[-5:]) + 1)
        county = self._create_case(
            user=self.caseworker_b,
            lead_agency_id=self.agency_b.id,
            company_id=self.company_b.id,
        )
        self.assertEqual(county.name[-5:], "00001", "each company counts on its own")

    def test_transitions(self):
        case = self._create_case().with_user(self.caseworker)
        self.assertEqual(case.state, "new")
        case.action_start()
        self.assertEqual(case.state, "in_progress")
        action = case.action_open_close_wizard()
        reason = self.env.ref("dv_case_management.closure_reason_completed")
        with Form(
            self.env[action["res_model"]]
            .with_user(self.caseworker)
            .with_context(**action["context"])
        ) as form:
            form.closure_reason_id = reason
            form.outcome_abuse = "reduced"
            form.outcome_safety = "better"
            form.outcome = "Safe housing found."
        form.record.action_confirm()
        self.assertEqual(case.state, "closed")
        self.assertEqual(case.closure_reason_id, reason)
        self.assertTrue(case.closed_on)
        self.assertEqual(case.outcome_abuse, "reduced")
        self.assertEqual(case.outcome_safety, "better")
        case.action_reopen()
        self.assertEqual(case.state, "in_progress")
        self.assertFalse(case.closure_reason_id)
        self.assertFalse(case.closed_on)
        self.assertFalse(case.outcome_abuse)
        self.assertFalse(case.outcome_safety)

    def test_transitions_out_of_order_are_refused(self):
        case = self._create_case().with_user(self.caseworker)
        with self.assertRaises(UserError):
            case.action_reopen()
        case.action_start()
        with self.assertRaises(UserError):
            case.action_start()
        with self.assertRaises(UserError):
            case._close(self.env["dv.closure.reason"], "no reason")
        self.assertEqual(case.state, "in_progress", "nothing was half-saved")
        case._close(self.env.ref("dv_case_management.closure_reason_declined"), "")
        with self.assertRaises(UserError):
            case.action_open_close_wizard()
        with self.assertRaises(UserError):
            case.action_start()

    def test_cases_are_archived_not_deleted(self):
        case = self._create_case()
        with self.assertRaises(UserError):
            case.with_user(self.caseworker).unlink()
        case.with_user(self.caseworker).action_archive()
        self.assertFalse(case.active)

    def test_responsible_must_belong_to_lead_agency(self):
        with self.assertRaises(ValidationError):
            self._create_case(user=self.caseworker, user_id=self.network.id)

    def test_case_cannot_open_in_the_future(self):
        with self.assertRaises(ValidationError):
            self._create_case(opened_on=date(2999, 1, 1))

    def test_people_and_children(self):
        case = self._create_case()
        self.assertEqual(case.victim_id.name, "Vera Victim")
        self.assertFalse(case.has_children)
        case.with_user(self.caseworker).write(
            {
                "person_ids": [
                    Command.create(
                        {"role": "child", "name": "Kim", "birth_date": "2020-01-01"}
                    ),
                    Command.create(
                        {
                            "role": "perpetrator",
                            "name": "Paul",
                            "relationship": "former_partner",
                            "shared_household": False,
                        }
                    ),
                ]
            }
        )
        self.assertTrue(case.has_children)
        self.assertEqual(case.child_count, 1)
        case.invalidate_recordset(["person_ids"])
        self.assertEqual(
            case.person_ids.mapped("role"), ["victim", "perpetrator", "child"]
        )

    def test_bad_person_data_is_refused(self):
        case = self._create_case()
        Person = self.env["dv.person"].with_user(self.caseworker)
        with self.assertRaises(ValidationError):
            Person.create(
                {"case_id": case.id, "name": "Future", "birth_date": "2999-01-01"}
            )
        with self.assertRaises(ValidationError):
            Person.create({"case_id": case.id, "name": "Old", "age_estimate": 130})
        self.assertEqual(len(case.person_ids), 1, "nothing was half-saved")

    def test_age_from_birth_date_or_estimate(self):
        case = self._create_case()
        with freeze_time("2026-06-15"):
            person = self.env["dv.person"].create(
                {"case_id": case.id, "name": "A", "birth_date": "1990-06-16"}
            )
            self.assertEqual(person.age, 35)
            estimate = self.env["dv.person"].create(
                {"case_id": case.id, "name": "B", "age_estimate": 50}
            )
            self.assertEqual(estimate.age, 50)


class TestIncidents(DvCommon):
    def test_incident_in_the_future_is_refused(self):
        case = self._create_case()
        with self.assertRaises(ValidationError):
            self.env["dv.incident"].with_user(self.caseworker).create(
                {"case_id": case.id, "date": datetime(2999, 1, 1)}
            )
        self.assertFalse(case.incident_ids)

    def test_escalation_three_incidents_within_twelve_months(self):
        case = self._create_case()
        Incident = self.env["dv.incident"].with_user(self.caseworker)
        for day in ("2025-01-10", "2025-09-01"):
            Incident.create({"case_id": case.id, "date": f"{day} 20:00:00"})
        self.assertFalse(case.is_escalating)
        # Fourteen months after the first: only two within twelve months.
        Incident.create({"case_id": case.id, "date": "2026-03-10 20:00:00"})
        self.assertFalse(case.is_escalating)
        Incident.create({"case_id": case.id, "date": "2026-04-01 20:00:00"})
        self.assertTrue(case.is_escalating)
        self.assertEqual(case.incident_count, 4)

    def test_breach_of_protection_order(self):
        case = self._create_case()
        order = self.env["dv.protection.order"].create(
            {"case_id": case.id, "section": "s1", "act_date": "2026-01-01"}
        )
        incident = self.env["dv.incident"].create(
            {
                "case_id": case.id,
                "date": "2026-02-01 10:00:00",
                "protection_order_id": order.id,
            }
        )
        self.assertTrue(incident.is_order_breach)
        self.assertEqual(order.breach_count, 1)
        other = self._create_case()
        with self.assertRaises(ValidationError):
            self.env["dv.incident"].create(
                {
                    "case_id": other.id,
                    "date": "2026-02-01 10:00:00",
                    "protection_order_id": order.id,
                }
            )


class TestMeasuresAndOrders(DvCommon):
    def _deadline_activities(self, case):
        """The case's deadline reminders: activities of its records (not of
        the case), which the case lists."""
        reminders = self.env["mail.activity"].search(
            [("dv_case_id", "=", case.id), ("dv_deadline_key", "!=", False)]
        )
        case.invalidate_recordset(["deadline_activity_ids"])
        self.assertEqual(case.deadline_activity_ids, reminders)
        self.assertFalse(
            self.env["mail.activity"].search(
                [
                    ("res_model", "=", "dv.case"),
                    ("res_id", "=", case.id),
                    (
                        "activity_type_id",
                        "=",
                        self.env.ref(
                            "dv_case_management.mail_activity_type_deadline"
                        ).id,
                    ),
                ]
            ),
            "no deadline reminder sits on the case itself",
        )
        return reminders

    @freeze_time("2026-05-04")
    def test_update_moves_reminders_from_the_case_to_their_records(self):
        """Before 18.0.1.4.0 the reminders sat on the case, keyed
        "model,id[:name]": the update moves each to its record and the case
        lists it; the case's prompts stay; one whose record is gone goes."""
        case = self._create_case()
        measure = self.env["dv.police.measure"].create(
            {"case_id": case.id, "measure_type": "eviction", "date_start": "2026-05-02"}
        )
        order = self.env["dv.protection.order"].create(
            {"case_id": case.id, "section": "s2", "act_date": "2026-04-30"}
        )
        # As the former version kept them.
        (measure.activity_ids | order.activity_ids).unlink()
        Activity = self.env["mail.activity"].sudo()

        def old(key, activity_type="deadline"):
            return Activity.create(
                {
                    "res_model_id": self.env["ir.model"]._get_id("dv.case"),
                    "res_id": case.id,
                    "activity_type_id": self.env.ref(
                        f"dv_case_management.mail_activity_type_{activity_type}"
                    ).id,
                    "dv_deadline_key": key,
                    "user_id": self.caseworker.id,
                    "date_deadline": "2026-05-10",
                }
            )

        ends = old(f"dv.police.measure,{measure.id}")
        claim = old(f"dv.protection.order,{order.id}:claim")
        orphan = old("dv.police.measure,999999999")
        other_case = self._create_case()
        other_order = self.env["dv.protection.order"].create(
            {
                "case_id": other_case.id,
                "section": "s2",
                "act_date": "2026-04-30",
            }
        )
        foreign = old(f"dv.protection.order,{other_order.id}:claim")
        prompt = old("weapons_check", "weapons_check")
        cases = case | other_case
        self.assertEqual(move_case_deadline_reminders(self.env, cases), 2)
        self.assertEqual(
            (ends.res_model, ends.res_id, ends.dv_deadline_key, ends.dv_case_id),
            ("dv.police.measure", measure.id, "end", case),
        )
        self.assertEqual(
            (claim.res_model, claim.res_id, claim.dv_deadline_key, claim.dv_case_id),
            ("dv.protection.order", order.id, "claim", case),
        )
        self.assertEqual(
            (ends.user_id, ends.date_deadline), (self.caseworker, date(2026, 5, 10))
        )
        self.assertFalse(orphan.exists())
        self.assertFalse(foreign.exists())
        self.assertEqual(
            (prompt.res_model, prompt.res_id, prompt.dv_deadline_key),
            ("dv.case", case.id, "weapons_check"),
        )
        self.assertEqual(self._deadline_activities(case), ends | claim)
        self.assertEqual(move_case_deadline_reminders(self.env, cases), 0)
        # The moved reminder follows its deadline as a new one does.
        measure.duration_days = 7
        self.assertEqual(ends.date_deadline, date(2026, 5, 7))
        self.assertEqual(self._deadline_activities(case), ends | claim)

    @freeze_time("2026-05-04")
    def test_reminders_without_responsible_go_to_the_lead_agency(self):
        """A case made by the mail gateway (the superuser here) has nobody
        responsible: its reminders go to the lead agency's coordinator, and
        move to the responsible person once there is one."""
        case = self._create_case(user=self.env.user, user_id=False)
        self.env["dv.police.measure"].create(
            {"case_id": case.id, "measure_type": "eviction", "date_start": "2026-05-02"}
        )
        reminder = self._deadline_activities(case)
        self.assertIn(reminder.user_id, self.agency_a._members_in_role("coordinator"))
        case.user_id = self.caseworker
        self.assertEqual(reminder.user_id, self.caseworker)

    @freeze_time("2026-05-04")
    def test_eviction_end_from_state_profile(self):
        case = self._create_case()
        measure = (
            self.env["dv.police.measure"]
            .with_user(self.caseworker)
            .create(
                {
                    "case_id": case.id,
                    "measure_type": "eviction",
                    "date_start": "2026-05-02",
                }
            )
        )
        self.assertEqual(measure.duration_days, 14, "NRW: up to 14 days")
        self.assertEqual(measure.date_end, date(2026, 5, 16))
        (activity,) = self._deadline_activities(case)
        self.assertEqual(
            (activity.res_model, activity.res_id, activity.dv_deadline_key),
            ("dv.police.measure", measure.id, "end"),
        )
        self.assertEqual(activity.user_id, self.caseworker)
        self.assertEqual(activity.date_deadline, date(2026, 5, 14))
        self.assertNotIn("Vera", activity.summary, "no personal data in reminders")
        # The reminder follows the deadline.
        measure.duration_days = 7
        self.assertEqual(measure.date_end, date(2026, 5, 9))
        self.assertEqual(activity.date_deadline, date(2026, 5, 7))
        measure.unlink()
        self.assertFalse(activity.exists())

    @freeze_time("2026-05-04")
    def test_other_state_profile(self):
        self.company_a.dv_land_profile_id = self.env.ref(
            "dv_case_management.land_profile_sh"
        )
        case = self._create_case()
        measure = self.env["dv.police.measure"].create(
            {"case_id": case.id, "measure_type": "eviction", "date_start": "2026-05-02"}
        )
        self.assertEqual(measure.duration_days, 28)
        talk = self.env["dv.police.measure"].create(
            {"case_id": case.id, "measure_type": "perpetrator_talk"}
        )
        self.assertFalse(talk.date_end)

    @freeze_time("2026-05-04")
    def test_application_extends_eviction_until_decision(self):
        case = self._create_case()
        measure = self.env["dv.police.measure"].create(
            {"case_id": case.id, "measure_type": "eviction", "date_start": "2026-05-02"}
        )
        order = self.env["dv.protection.order"].create(
            {
                "case_id": case.id,
                "section": "s1",
                "act_date": "2026-05-01",
                "application_date": "2026-05-05",
            }
        )
        # No decision yet: at most fourteen more days (NRW).
        self.assertEqual(measure.extended_until, date(2026, 5, 30))
        self.assertEqual(measure.effective_end, date(2026, 5, 30))
        order.write({"decision": "granted", "decision_date": "2026-05-20"})
        self.assertEqual(measure.extended_until, date(2026, 5, 20))

    def test_measure_ending_before_start_is_refused(self):
        case = self._create_case()
        with self.assertRaises(ValidationError):
            self.env["dv.police.measure"].create(
                {
                    "case_id": case.id,
                    "measure_type": "custody",
                    "date_start": "2026-05-02",
                    "date_end": "2026-05-01",
                }
            )

    @freeze_time("2026-05-04")
    def test_home_claim_deadline_three_months_after_act(self):
        case = self._create_case()
        order = (
            self.env["dv.protection.order"]
            .with_user(self.caseworker)
            .create({"case_id": case.id, "section": "s2", "act_date": "2026-04-30"})
        )
        self.assertEqual(order.claim_deadline, date(2026, 7, 30))
        (activity,) = self._deadline_activities(case)
        self.assertEqual(
            (activity.res_model, activity.res_id, activity.dv_deadline_key),
            ("dv.protection.order", order.id, "claim"),
        )
        self.assertEqual(activity.date_deadline, date(2026, 7, 28))
        # Once the claim is made, the reminder goes.
        order.application_date = "2026-05-04"
        self.assertFalse(activity.exists())
        order.write(
            {
                "decision": "granted",
                "decision_date": "2026-05-04",
                "order_end": "2026-11-04",
            }
        )
        (end_activity,) = self._deadline_activities(case)
        self.assertEqual(
            (end_activity.res_model, end_activity.dv_deadline_key),
            ("dv.protection.order", "end"),
        )
        self.assertEqual(end_activity.date_deadline, date(2026, 11, 2))

    @freeze_time("2026-05-04")
    def test_bad_order_dates_are_refused(self):
        case = self._create_case()
        Order = self.env["dv.protection.order"]
        bad = [
            {"act_date": "2026-06-01"},
            {"act_date": "2026-04-01", "application_date": "2026-03-01"},
            {"act_date": "2026-04-01", "decision_date": "2026-04-02"},
            {
                "act_date": "2026-04-01",
                "application_date": "2026-04-02",
                "decision_date": "2026-04-01",
            },
            {
                "act_date": "2026-04-01",
                "application_date": "2026-04-02",
                "decision_date": "2026-04-03",
                "order_end": "2026-04-02",
            },
        ]
        for values in bad:
            with self.subTest(values=values), self.assertRaises(ValidationError):
                Order.create(dict(values, case_id=case.id))
        self.assertFalse(case.protection_order_ids)


class TestCaseAccess(DvCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.case = cls._create_case()
        cls.incident = cls.env["dv.incident"].create(
            {"case_id": cls.case.id, "date": "2026-01-01 10:00:00"}
        )
        # A network user who is a member of the lead agency, and a case
        # worker of another agency of the same company.
        cls.env["dv.agency.member"].create(
            {"agency_id": cls.agency_a.id, "user_id": cls.network.id}
        )
        cls.other_agency = cls._new_agency("Other Agency A")
        cls.other_caseworker = cls._new_member(
            "dv_test_other_caseworker", "coordinator", cls.other_agency
        )

    def test_lead_agency_caseworker_works_the_case(self):
        case = self.case.with_user(self.caseworker)
        self.assertEqual(case.victim_id.phone, "+49 170 1234567")
        self.assertTrue(case.victim_id.protected_visible)
        case.write({"case_type": "stalking"})
        case.victim_id.write({"phone": "+49 170 7654321"})
        self.assertEqual(case.victim_id.protected_id.phone, "+49 170 7654321")
        # Writing one detail keeps the others.
        self.assertEqual(case.victim_id.protected_id.street, "Safe Street 1")
        self.assertTrue(case.victim_id.protected_id.safe_to_call)
        self.assertIn(case, self.env["dv.case"].with_user(self.caseworker).search([]))

    def test_network_member_reads_without_protected_details(self):
        case = self.case.with_user(self.network)
        self.assertEqual(case.victim_id.name, "Vera Victim")
        self.assertFalse(case.victim_id.phone)
        self.assertFalse(case.victim_id.street)
        self.assertFalse(case.victim_id.protected_visible)
        with self.assertRaises(AccessError):
            case.victim_id.protected_id.read(["phone"])
        with self.assertRaises(AccessError):
            case.write({"case_type": "stalking"})
        with self.assertRaises(AccessError):
            self.incident.with_user(self.network).write({"weapon": True})

    def test_other_agency_sees_nothing(self):
        for user in (self.other_caseworker, self.caseworker_b, self.coordinator_b):
            with self.subTest(user=user.login):
                Case = self.env["dv.case"].with_user(user)
                self.assertNotIn(self.case, Case.search([]))
                with self.assertRaises(AccessError):
                    self.case.with_user(user).read(["name"])
                with self.assertRaises(AccessError):
                    self.case.with_user(user).write({"case_type": "stalking"})
                with self.assertRaises(AccessError):
                    self.case.victim_id.with_user(user).read(["name"])
                with self.assertRaises(AccessError):
                    self.incident.with_user(user).read(["date"])
                self.assertFalse(
                    self.env["dv.person"]
                    .with_user(user)
                    .search([("name", "ilike", "Vera")])
                )

    def test_roles_without_agency_see_nothing(self):
        for user in (self.manager, self.statistics, self.employee):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self.case.with_user(user).read(["name"])

    def test_cannot_create_a_case_for_another_agency(self):
        with self.assertRaises(AccessError):
            self._create_case(
                user=self.other_caseworker,
                user_id=False,
            )

    def test_network_user_cannot_create_cases(self):
        with self.assertRaises(AccessError):
            self.env["dv.case"].with_user(self.network).create(
                {"lead_agency_id": self.agency_a.id, "company_id": self.company_a.id}
            )

    def test_case_views_load_for_each_role(self):
        for user in (self.network, self.caseworker, self.coordinator):
            with self.subTest(user=user.login):
                views = (
                    self.env["dv.case"]
                    .with_user(user)
                    .get_views(
                        [
                            (False, "kanban"),
                            (False, "list"),
                            (False, "form"),
                            (False, "search"),
                            (False, "activity"),
                        ]
                    )
                )
                self.assertIn("person_ids", views["views"]["form"]["arch"])
                self.env["dv.person"].with_user(user).get_views([(False, "form")])


class TestCaseForm(DvCommon):
    """The case form's tabs as the web client drives them: every line added
    runs the form's onchange, which reads the unsaved records."""

    def test_adding_lines_in_every_tab(self):
        case = self._create_case().with_user(self.caseworker)
        victim = case.victim_id
        Log = self.env["dv.access.log"]
        logged = Log.search_count([("case_id", "=", case.id)])
        purpose = self.env["dv.consent.purpose"].search([], limit=1)
        with Form(case) as form:
            with form.incident_ids.new() as incident:
                incident.date = fields.Datetime.now() - timedelta(days=1)
                incident.strangulation = True
            with form.person_ids.new() as person:
                person.role = "child"
                person.name = "Kim Child"
                person.age_estimate = 6
            with form.session_ids.new() as session:
                session.person_id = victim
                session.mode = "phone"
            with form.consent_ids.new() as consent:
                consent.person_id = victim
                consent.agency_ids.add(self.agency_shared)
                consent.purpose_ids.add(purpose)
        self.assertEqual(len(case.incident_ids), 1)
        self.assertTrue(case.incident_ids.strangulation)
        self.assertEqual(case.child_count, 1)
        self.assertEqual(case.session_ids.mode, "phone")
        self.assertEqual(case.consent_ids.agency_ids, self.agency_shared)
        # Editing logged nothing for records that were not saved yet.
        self.assertFalse(Log.search([("res_id", "=", 0)]))
        self.assertGreaterEqual(Log.search_count([("case_id", "=", case.id)]), logged)

    def test_new_case_in_the_form(self):
        Case = self.env["dv.case"].with_user(self.caseworker)
        with Form(Case) as form:
            form.case_type = "stalking"
            with form.person_ids.new() as person:
                person.name = "Nora New"
                person.gender = "female"
        case = form.save()
        self.assertEqual(case.victim_id.name, "Nora New")
