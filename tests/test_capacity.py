import io

import openpyxl

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, freeze_time

from .common import ReferralCommon


@freeze_time("2026-12-18 18:00:00")
class TestCapacity(ReferralCommon):
    """The intake office's triage list, caseload, waiting list, reasons not
    served and the capacity survey sheet of the statistics workbook."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.colleague = cls._new_member(
            "dv_test_office_colleague", "caseworker", cls.office
        )
        cls.office_coordinator = cls._new_member(
            "dv_test_office_coordinator", "coordinator", cls.office
        )
        cls.external = cls.env.ref("dv_case_management.risk_instrument_external")
        cls.wait_capacity = cls.env.ref("dv_case_management.waiting_reason_capacity")
        cls.away_area = cls.env.ref("dv_case_management.turnaway_reason_out_of_area")
        cls.away_declined = cls.env.ref("dv_case_management.turnaway_reason_declined")

    # Helpers

    def _referral(self, number, received, **values):
        vals = {
            "police_reference": f"TR-{number}",
            "received_at": received,
            "victim_name": f"Triage Person {number}",
            "victim_phone": f"+49 170 55501{number:02d}",
        }
        vals.update(values)
        return self._inbound(**vals)

    def _high_risk(self, case):
        assessment = (
            self.env["dv.risk.assessment"]
            .with_user(self.office_worker)
            .create(
                {
                    "case_id": case.id,
                    "instrument_id": self.external.id,
                    "external_tool": "odara",
                    "external_level": "high",
                }
            )
        )
        assessment.action_done()
        self.assertEqual(case.risk_level, "high")

    def _child(self, case):
        self.env["dv.person"].with_user(self.office_worker).create(
            {"case_id": case.id, "role": "child", "name": "Kim Child"}
        )
        self.assertTrue(case.has_children)

    def _office_case(self, user=None, **values):
        user = user or self.office_worker
        values.setdefault("user_id", user.id)
        return self._create_case(user=user, lead_agency_id=self.office.id, **values)

    def _triage(self, user=None):
        return self.env["dv.triage"].with_user(user or self.office_worker).search([])

    # Triage

    def test_triage_list_is_ordered_as_documented(self):
        """4 points for high risk, 2 for children, 1 for a repeat; then the
        first-contact deadline (earliest first, none last); then arrival."""
        plain_late = self._referral(1, "2026-12-18 11:00:00")
        plain_early = self._referral(2, "2026-12-18 09:00:00")
        children = self._referral(3, "2026-12-18 12:00:00")
        self._child(children.case_id)
        high = self._referral(4, "2026-12-18 13:00:00")
        self._high_risk(high.case_id)
        both = self._referral(5, "2026-12-18 14:00:00")
        self._high_risk(both.case_id)
        self._child(both.case_id)
        # A repeat: the same victim again within twelve months is proposed
        # her earlier case (1 point while a case worker decides).
        first = self._referral(6, "2026-12-17 08:00:00", victim_birth_date="1990-01-01")
        repeat = self._referral(
            7,
            "2026-12-18 15:00:00",
            victim_name="Triage Person 6",
            victim_birth_date="1990-01-01",
        )
        self.assertEqual(repeat.proposed_case_id, first.case_id)
        # A new case that came without a referral: no deadline.
        walk_in = self._office_case(user_id=False)
        # A closed referral is no longer on the list.
        done = self._referral(8, "2026-12-18 08:00:00")
        done.action_withdraw()

        self.assertEqual(
            [
                (both.triage_score, high.triage_score),
                (children.triage_score, repeat.triage_score),
                plain_early.triage_score,
            ],
            [(6, 4), (2, 1), 0],
        )
        lines = self._triage()
        self.assertEqual(
            lines.mapped("reference"),
            [
                both.name,
                high.name,
                children.name,
                repeat.name,
                first.name,
                plain_early.name,
                plain_late.name,
                walk_in.name,
            ],
        )
        self.assertEqual(lines[:4].mapped("priority"), [6, 4, 2, 1])
        self.assertEqual(
            [(line.high_risk, line.has_children, line.is_repeat) for line in lines[:4]],
            [
                (True, True, False),
                (True, False, False),
                (False, True, False),
                (False, False, True),
            ],
        )
        self.assertEqual(lines[-1].source, "case")
        self.assertFalse(lines[-1].deadline)
        # The order is the database's: the same through a grouped read.
        groups = (
            self.env["dv.triage"]
            .with_user(self.office_worker)
            .read_group([], ["priority"], ["priority"], orderby="priority desc")
        )
        self.assertEqual([g["priority"] for g in groups], [6, 4, 2, 1, 0])

    def test_triage_overdue(self):
        late = self._referral(1, "2026-12-10 09:00:00")
        fresh = self._referral(2, "2026-12-18 13:00:00")
        Triage = self.env["dv.triage"].with_user(self.office_worker)
        overdue = Triage.search([("is_overdue", "=", True)])
        self.assertEqual(overdue.referral_id, late)
        self.assertTrue(overdue.is_overdue)
        self.assertEqual(overdue.remaining[:8], "overdue ")
        on_time = Triage.search([("is_overdue", "!=", True)])
        self.assertEqual(on_time.referral_id, fresh)
        self.assertFalse(on_time.is_overdue)
        self.assertEqual(on_time.remaining[:3], "in ")
        self.assertEqual(Triage.search([("is_overdue", "=", False)]), on_time)
        with self.assertRaises(UserError):
            Triage.search([("is_overdue", "in", [True])])

    def test_triage_shows_nothing_of_a_case_led_elsewhere(self):
        """Found in review: once the lead of a referral's case had passed to
        another agency, the office's triage list (and the referral's
        priority) still showed that agency's case: its risk, children,
        waiting reason and responsible person."""
        referral = self._referral(1, "2026-12-18 13:00:00")
        case = referral.case_id
        self._high_risk(case)
        self._child(case)
        # The lead passes to agency A (as a transfer does), the referral is
        # still open at the office.
        case.sudo().write(
            {"lead_agency_id": self.agency_a.id, "user_id": self.caseworker.id}
        )
        self.assertFalse(case.with_user(self.office_worker).has_access("read"))
        line = self._triage().filtered(lambda t: t.referral_id == referral)
        self.assertEqual(
            line.read(["high_risk", "has_children", "user_id", "priority"])[0],
            {
                "id": line.id,
                "high_risk": False,
                "has_children": False,
                "user_id": False,
                "priority": 0,
            },
        )
        self.assertEqual(referral.with_user(self.office_worker).triage_score, 0)

    def test_take_the_first_line(self):
        high = self._referral(1, "2026-12-18 13:00:00")
        self._high_risk(high.case_id)
        high.case_id.with_user(self.office_worker).user_id = False
        line = self._triage(self.colleague)[:1]
        self.assertEqual(line.referral_id, high)
        action = line.action_take()
        self.assertEqual(high.case_id.user_id, self.colleague)
        self.assertEqual(action["res_model"], "dv.case")
        self.assertEqual(line.action_open()["res_model"], "dv.referral")
        # A possible repeat has no case yet: nothing to take.
        self._referral(
            2, "2026-12-18 14:00:00", victim_name="Rita Repeat", victim_birth_date=None
        )
        pending = self._referral(
            3,
            "2026-12-18 15:00:00",
            victim_name="Rita Repeat",
            victim_phone="+49 170 5550102",
        )
        self.assertTrue(pending.proposed_case_id)
        line = self._triage(self.colleague).filtered(lambda t: t.referral_id == pending)
        with self.assertRaises(UserError):
            line.action_take()

    def test_only_the_office_sees_its_triage_list_and_caseload(self):
        self._referral(1, "2026-12-18 13:00:00")
        self._office_case()
        self.assertEqual(len(self._triage()), 2)
        for user in (self.caseworker, self.coordinator, self.caseworker_b):
            Triage = self.env["dv.triage"].with_user(user)
            self.assertFalse(Triage.search([]))
            self.assertFalse(Triage.search_count([]))
            self.assertEqual(
                Triage.read_group([], ["priority:sum"], [])[0]["__count"], 0
            )
            Caseload = self.env["dv.caseload"].with_user(user)
            self.assertFalse(Caseload.search([("agency_id", "=", self.office.id)]))
            self.assertFalse(
                Caseload.read_group(
                    [("agency_id", "=", self.office.id)], ["open_count:sum"], []
                )[0]["__count"]
            )
            line = self._triage().with_user(user)[:1]
            with self.assertRaises(AccessError):
                line.action_take()
        # The police at the other end of the referral see neither.
        for model in ("dv.triage", "dv.caseload"):
            with self.assertRaises(AccessError):
                self.env[model].with_user(self.police_officer).search([])

    # Caseload

    def test_caseload_warning_is_a_warning_not_a_block(self):
        settings = (
            self.env["dv.capacity.settings"]
            .with_user(self.manager)
            .create({"company_id": self.company_a.id, "caseload_limit": 2})
        )
        settings.action_apply()
        self.assertEqual(self.company_a.dv_caseload_limit, 2)
        with self.assertRaises(AccessError):
            self.env["dv.capacity.settings"].with_user(self.office_coordinator).create(
                {"company_id": self.company_a.id, "caseload_limit": 99}
            ).action_apply()
        self._office_case(user=self.colleague)
        self._office_case(user=self.colleague)
        third = self._office_case(user=self.office_worker)
        # Assigning in the form warns ...
        with self.assertLogs("odoo.tests.form.onchange", "WARNING") as logs:
            with Form(third.with_user(self.office_worker)) as form:
                form.user_id = self.colleague
        self.assertIn("already holds 2 open cases, the limit is 2", logs.output[0])
        # ... and does not refuse.
        self.assertEqual(third.user_id, self.colleague)
        load = (
            self.env["dv.caseload"]
            .with_user(self.office_worker)
            .search(
                [
                    ("agency_id", "=", self.office.id),
                    ("user_id", "=", self.colleague.id),
                ]
            )
        )
        self.assertEqual((load.open_count, load.caseload_limit), (3, 2))
        self.assertTrue(load.at_limit)
        # Taking a case at the limit: a warning, then the case.
        fourth = self._office_case(user=self.office_worker, user_id=False)
        action = fourth.with_user(self.colleague).action_take()
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(action["params"]["type"], "warning")
        self.assertEqual(action["params"]["next"]["res_id"], fourth.id)
        self.assertEqual(fourth.user_id, self.colleague)
        # Below the limit nothing is said.
        fifth = self._office_case(user=self.office_worker, user_id=False)
        action = fifth.with_user(self.office_worker).action_take()
        self.assertEqual(action["res_model"], "dv.case")
        self.assertFalse(fifth._dv_caseload_warning(self.office_worker))

    def test_capacity_settings_read_no_other_company(self):
        """Found in review: the settings' onchange (JSON-RPC) with another
        company gave that company's caseload limit, read as the superuser."""
        self.company_b.sudo().dv_caseload_limit = 17
        self.assertNotIn(self.company_b, self.manager.company_ids)
        result = (
            self.env["dv.capacity.settings"]
            .with_user(self.manager)
            .onchange(
                {"company_id": self.company_b.id},
                ["company_id"],
                {"company_id": {}, "caseload_limit": {}},
            )
        )
        self.assertNotEqual(result["value"].get("caseload_limit"), 17)
        # Neither the other settings of a company (one mechanism for all).
        self.company_b.sudo().write(
            {
                "dv_suppression_minimum": 17,
                "dv_safety_plan_days": 17,
                "dv_land_profile_id": self.profile_nw.id,
            }
        )
        others = {
            "dv.statistics.settings": ["suppression_minimum"],
            "dv.protection.settings": ["safety_plan_days", "land_profile_id"],
        }
        for model, fnames in others.items():
            result = (
                self.env[model]
                .with_user(self.manager)
                .onchange(
                    {"company_id": self.company_b.id},
                    ["company_id"],
                    {key: {} for key in ["company_id", *fnames]},
                )
            )
            for fname in fnames:
                with self.subTest(model=model, field=fname):
                    self.assertNotIn(
                        result["value"].get(fname), (17, self.profile_nw.id)
                    )
                    if fname == "land_profile_id":
                        self.assertFalse(result["value"].get(fname))

    def test_caseload_warning_tells_no_other_agency_a_count(self):
        """Found in review: a case worker of another agency asked the case
        form's onchange (JSON-RPC) about a case of the office for one of its
        case workers and was told how many open cases she holds."""
        self.company_a.sudo().dv_caseload_limit = 1
        self._office_case(user=self.colleague)
        self._office_case(user=self.colleague)
        values = {"lead_agency_id": self.office.id, "user_id": self.colleague.id}
        spec = {"lead_agency_id": {}, "user_id": {}}
        result = (
            self.env["dv.case"]
            .with_user(self.caseworker)
            .onchange(values, ["user_id"], spec)
        )
        self.assertNotIn("warning", result)
        self.assertFalse(
            self.env["dv.case"]
            .with_user(self.caseworker)
            .new(values)
            ._dv_caseload_warning(self.colleague)
        )
        # The office itself is warned.
        result = (
            self.env["dv.case"]
            .with_user(self.office_worker)
            .onchange(values, ["user_id"], spec)
        )
        self.assertIn("already holds 2 open cases", result["warning"]["message"])

    # Waiting list and not served

    def _wizard(self, case, decision, **values):
        action = getattr(
            case.with_user(self.office_worker),
            "action_open_waiting_wizard"
            if decision == "waiting"
            else "action_open_turnaway_wizard",
        )()
        wizard = (
            self.env["dv.case.intake.wizard"]
            .with_user(self.office_worker)
            .with_context(**action["context"])
            .create(values)
        )
        return wizard.action_confirm()

    def test_waiting_list_and_not_served(self):
        case = self._office_case()
        self._wizard(case, "waiting", waiting_reason_id=self.wait_capacity.id)
        self.assertEqual(case.waiting_reason_id, self.wait_capacity)
        self.assertEqual(str(case.waiting_since), "2026-12-18")
        self.assertEqual(case.intake_status, "waiting")
        waiting = (
            self.env["dv.case"]
            .with_user(self.office_worker)
            .search([("waiting_reason_id", "!=", False)])
        )
        self.assertEqual(waiting, case)
        # Nobody writes the reason directly, nor moves the request on past
        # the buttons: not when writing the case, not when creating one.
        with self.assertRaises(UserError):
            case.with_user(self.office_worker).write(
                {"turnaway_reason_id": self.away_area.id}
            )
        moves = {
            "waiting_reason_id": False,
            "waiting_since": "2026-01-01",
            "started_on": "2026-12-18",
            "intake_status": "served",
            "triage_score": 7,
        }
        for field, value in moves.items():
            with self.subTest(field=field), self.assertRaises(UserError):
                case.with_user(self.office_worker).write({field: value})
            with self.subTest(field=field), self.assertRaises(UserError):
                self._office_case(**{field: value})
        self.assertEqual(case.waiting_reason_id, self.wait_capacity)
        self.assertEqual(case.intake_status, "waiting")
        self.assertFalse(case.started_on)
        # Starting the work ends the waiting: served.
        case.with_user(self.office_worker).action_start()
        self.assertFalse(case.waiting_reason_id)
        self.assertEqual(case.intake_status, "served")
        self.assertEqual(str(case.started_on), "2026-12-18")
        # Not served: closed with the reason.
        other = self._office_case()
        with self.assertRaises(UserError):
            self._wizard(other, "turnaway")
        self.assertFalse(other.turnaway_reason_id)
        self._wizard(other, "turnaway", turnaway_reason_id=self.away_area.id)
        self.assertEqual(other.state, "closed")
        self.assertEqual(other.turnaway_reason_id, self.away_area)
        self.assertEqual(other.closure_reason_id.code, "not_served")
        self.assertEqual(other.intake_status, "turned_away")
        # Another agency's case worker cannot put the office's case anywhere.
        third = self._office_case()
        with self.assertRaises(AccessError):
            third.with_user(self.caseworker).action_open_waiting_wizard()
        with self.assertRaises(AccessError):
            third.with_user(self.caseworker)._dv_put_on_waiting_list(self.wait_capacity)
        # Nor point the wizard at it (its form would show the case's name).
        for decision in ("waiting", "turnaway"):
            with self.assertRaises(UserError):
                self.env["dv.case.intake.wizard"].with_user(self.caseworker).create(
                    {"case_id": third.id, "decision": decision}
                )
        self.assertFalse(third.waiting_reason_id)

    def test_end_waiting(self):
        case = self._office_case()
        self._wizard(case, "waiting", waiting_reason_id=self.wait_capacity.id)
        with self.assertRaises(AccessError):
            case.with_user(self.caseworker).action_end_waiting()
        self.assertEqual(case.waiting_reason_id, self.wait_capacity)
        case.with_user(self.office_worker).action_end_waiting()
        self.assertFalse(case.waiting_reason_id)
        self.assertFalse(case.waiting_since)
        self.assertEqual(case.intake_status, "open")
        with self.assertRaises(UserError):
            case.with_user(self.office_worker).action_end_waiting()

    def test_declined_referral_counts_as_not_served(self):
        referral = self._referral(1, "2026-12-18 13:00:00")
        referral.with_user(self.office_worker).action_mark_declined()
        self.assertEqual(referral.case_id.turnaway_reason_id, self.away_declined)
        self.assertEqual(referral.case_id.intake_status, "turned_away")
        self.assertFalse(self._triage())

    # Staff hours

    def test_staff_hours_are_the_office_coordinators(self):
        Period = self.env["dv.capacity.period"]
        period = Period.with_user(self.office_coordinator).create(
            {
                "agency_id": self.office.id,
                "date_from": "2026-12-01",
                "date_to": "2026-12-31",
                "staff_hours": 320,
            }
        )
        with self.assertRaises(UserError):
            Period.with_user(self.office_coordinator).create(
                {
                    "agency_id": self.office.id,
                    "date_from": "2026-12-15",
                    "date_to": "2027-01-15",
                    "staff_hours": 10,
                }
            )
        self.assertEqual(Period.with_user(self.office_worker).search([]), period)
        with self.assertRaises(AccessError):
            period.with_user(self.office_worker).staff_hours = 1
        for user in (self.coordinator, self.caseworker_b):
            self.assertFalse(Period.with_user(user).search([]))
            with self.assertRaises(AccessError):
                Period.with_user(user).create(
                    {
                        "agency_id": self.office.id,
                        "date_from": "2026-11-01",
                        "date_to": "2026-11-30",
                        "staff_hours": 1,
                    }
                )

    def test_staff_hours_stay_with_their_office(self):
        """The office's coordinator moves no period to another agency or
        company (it would count in their survey): not the office, not the
        stored company written over it."""
        period = (
            self.env["dv.capacity.period"]
            .with_user(self.office_coordinator)
            .create(
                {
                    "agency_id": self.office.id,
                    "date_from": "2026-12-01",
                    "date_to": "2026-12-31",
                    "staff_hours": 320,
                }
            )
        )
        mine = period.with_user(self.office_coordinator)
        for other in (self.agency_a, self.agency_b):
            with self.assertRaises(AccessError):
                mine.write({"agency_id": other.id})
            self.assertEqual(period.agency_id, self.office)
        with self.assertRaises(UserError):
            mine.write({"company_id": self.company_b.id})
        self.assertEqual(period.company_id, self.company_a)
        # Created with another company over it, neither.
        self.office_coordinator.company_ids |= self.company_b
        with self.assertRaises(UserError):
            self.env["dv.capacity.period"].with_user(self.office_coordinator).create(
                {
                    "agency_id": self.office.id,
                    "company_id": self.company_b.id,
                    "date_from": "2026-11-01",
                    "date_to": "2026-11-30",
                    "staff_hours": 1,
                }
            )

    # The capacity survey

    def _workbook(self, user, companies, threshold=None):
        vals = {
            "date_from": "2026-10-01",
            "date_to": "2026-12-31",
            "company_ids": [Command.set(companies.ids)],
        }
        if threshold:
            vals["threshold"] = threshold
        wizard = self.env["dv.statistics.wizard"].with_user(user).create(vals)
        content, _type = (
            self.env["ir.actions.report"]
            .with_user(user)
            ._render_xlsx("dv_case_management.statistics_xlsx", wizard.ids, {})
        )
        return openpyxl.load_workbook(io.BytesIO(content))

    def _block(self, sheet, title):
        """{label: value} of the block under the heading ``title``."""
        rows = list(sheet.iter_rows(values_only=True))
        start = next(i for i, row in enumerate(rows) if row[0] == title)
        block = {}
        for row in rows[start + 1 :]:
            if row[0] is None:
                break
            block[row[0]] = row[1:] if len(row) > 2 and row[2] is not None else row[1]
        return block

    def _survey_world(self):
        served = self._office_case()
        served.with_user(self.office_worker).action_start()
        waiting = self._office_case()
        self._wizard(waiting, "waiting", waiting_reason_id=self.wait_capacity.id)
        away = self._office_case()
        self._wizard(away, "turnaway", turnaway_reason_id=self.away_area.id)
        referral = self._referral(1, "2026-12-18 13:00:00")
        referral.with_user(self.office_worker).action_mark_declined()
        self._office_case()
        self.env["dv.capacity.period"].with_user(self.office_coordinator).create(
            {
                "agency_id": self.office.id,
                "date_from": "2026-12-01",
                "date_to": "2026-12-31",
                "staff_hours": 320.5,
            }
        )

    def test_capacity_survey_sheet(self):
        self._survey_world()
        self.company_a.dv_suppression_minimum = 1
        book = self._workbook(self.statistics, self.company_a, threshold=1)
        sheet = book["Capacity"]
        status = self._block(sheet, "Requests (cases opened), by status")
        self.assertEqual(
            status,
            {
                "Not Yet Decided": 1,
                "Waiting": 1,
                "Served": 1,
                "Not Served": 2,
                "Total": 5,
            },
        )
        months = self._block(sheet, "Requests per month")
        self.assertEqual(months["2026-10"], (0, 0, 0, 0, 0))
        self.assertEqual(months["2026-12"], (1, 1, 1, 2, 5))
        away = self._block(sheet, "Not served, by reason")
        self.assertEqual(away["Out of area"], 1)
        self.assertEqual(away["Declined"], 1)
        self.assertEqual(away["No capacity"], 0)
        self.assertEqual(away["Total"], 2)
        waiting = self._block(sheet, "Waiting, by reason")
        self.assertEqual(waiting["No free capacity"], 1)
        self.assertEqual(waiting["Total"], 1)
        hours = next(
            row for row in sheet.iter_rows() if row[0].value == "Staff hours recorded"
        )
        self.assertEqual(hours[1].value, 320.5)
        # Labels are text, never formulas.
        self.assertEqual(hours[0].data_type, "s")

    def test_capacity_survey_totals_give_no_hidden_count_away(self):
        """Found in review: the totals row of the requests per month showed
        every status's total but one, and the grand total; subtracting gave
        the one hidden (a single request not served)."""
        for _index in range(3):
            self._office_case()
            self._office_case().with_user(self.office_worker).action_start()
            waiting = self._office_case()
            self._wizard(waiting, "waiting", waiting_reason_id=self.wait_capacity.id)
        away = self._office_case()
        self._wizard(away, "turnaway", turnaway_reason_id=self.away_area.id)
        book = self._workbook(self.statistics, self.company_a, threshold=3)
        months = self._block(book["Capacity"], "Requests per month")
        *column_totals, total = months["Total"]
        self.assertEqual(total, 10)
        self.assertEqual(months["2026-12"][3], "<3")
        self.assertNotEqual(column_totals.count("<3"), 1, column_totals)

    def test_capacity_survey_reasons_give_no_hidden_status_away(self):
        """Found in review: the status breakdown hid a single request not
        served and, secondarily, the waiting ones; the total of the waiting
        by reason showed how many wait, and subtracting gave the one."""
        for _index in range(5):
            self._office_case()
            self._office_case().with_user(self.office_worker).action_start()
        for _index in range(3):
            waiting = self._office_case()
            self._wizard(waiting, "waiting", waiting_reason_id=self.wait_capacity.id)
        away = self._office_case()
        self._wizard(away, "turnaway", turnaway_reason_id=self.away_area.id)
        sheet = self._workbook(self.statistics, self.company_a, threshold=3)["Capacity"]
        status = self._block(sheet, "Requests (cases opened), by status")
        self.assertEqual(
            [status[label] for label in ("Waiting", "Not Served", "Total")],
            ["<3", "<3", 14],
        )
        waiting = self._block(sheet, "Waiting, by reason")
        self.assertEqual(waiting["Total"], "<3")
        # With the total hidden, a reason as well (else the total is the sum).
        self.assertGreater(list(waiting.values()).count("<3"), 1)
        away = self._block(sheet, "Not served, by reason")
        self.assertEqual(away["Total"], "<3")

    def test_capacity_survey_suppresses_and_stays_in_the_company(self):
        self._survey_world()
        book = self._workbook(self.statistics, self.company_a)
        status = self._block(book["Capacity"], "Requests (cases opened), by status")
        self.assertEqual(status["Served"], "<5")
        self.assertEqual(status["Total"], 5)
        # Another company's user sees none of it.
        book = self._workbook(self.caseworker_b, self.company_b)
        sheet = book["Capacity"]
        status = self._block(sheet, "Requests (cases opened), by status")
        self.assertEqual(status["Total"], 0)
        self.assertEqual(self._block(sheet, "Not served, by reason")["Total"], 0)
        hours = next(
            row for row in sheet.iter_rows() if row[0].value == "Staff hours recorded"
        )
        self.assertEqual(hours[1].value, "Not recorded")
        with self.assertRaises(UserError):
            self._workbook(self.caseworker_b, self.company_a)
