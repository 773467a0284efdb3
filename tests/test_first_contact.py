from datetime import datetime

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form

from .common import DvCommon


class TestFirstContactDeadline(DvCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls.env["resource.calendar"].create(
            {
                "name": "Office Mon-Fri",
                "tz": "Europe/Berlin",
                "company_id": cls.company_a.id,
            }
        )
        # Saxony's holidays of 2026: 1 May (Friday), 25/26 December, ...
        cls.loaded = cls.calendar._dv_load_public_holidays("SN", [2026])
        cls.office = cls.env["dv.agency"].create(
            {
                "name": "Test Intake Office",
                "agency_type_id": cls.type_intake.id,
                "company_id": cls.company_a.id,
                "resource_calendar_id": cls.calendar.id,
                "holiday_state": "SN",
                "first_contact_deadline": 3,
                "first_contact_deadline_unit": "working_days",
            }
        )

    def test_holidays_loaded_once(self):
        # Saxony has 11 statutory holidays in 2026 (incl. Reformation Day
        # and Repentance Day).
        self.assertEqual(self.loaded, 11)
        self.assertEqual(self.calendar._dv_load_public_holidays("SN", [2026]), 0)
        leaves = self.env["resource.calendar.leaves"].search(
            [("calendar_id", "=", self.calendar.id)]
        )
        self.assertEqual(len(leaves), 11)

    def test_working_days_skip_weekend(self):
        # Friday 18 December 2026, 18:00 Berlin = 17:00 UTC: Mon, Tue, Wed.
        deadline = self.office._get_first_contact_deadline(datetime(2026, 12, 18, 17))
        # End of Wednesday 23 December in Berlin is 22:59:59 UTC.
        self.assertEqual(deadline, datetime(2026, 12, 23, 22, 59, 59))

    def test_working_days_skip_public_holidays(self):
        # Wednesday 23 December: Thu 24 counts, Fri 25 and Sat 26 are
        # holidays, Sun 27 is weekend, then Mon 28 and Tue 29.
        deadline = self.office._get_first_contact_deadline(datetime(2026, 12, 23, 9))
        self.assertEqual(deadline, datetime(2026, 12, 29, 22, 59, 59))

    def test_working_hours_skip_holiday_and_weekend(self):
        # Thursday 30 April 2026, 20:00 Berlin (18:00 UTC), 24 hours on
        # working days: 4 hours on Thursday, Friday 1 May is a holiday, the
        # weekend does not count, 20 hours on Monday: Monday 20:00 Berlin.
        self.office.write(
            {
                "first_contact_deadline": 24,
                "first_contact_deadline_unit": "working_hours",
            }
        )
        deadline = self.office._get_first_contact_deadline(datetime(2026, 4, 30, 18))
        self.assertEqual(deadline, datetime(2026, 5, 4, 18))

    def test_clock_hours(self):
        self.office.write(
            {"first_contact_deadline": 48, "first_contact_deadline_unit": "hours"}
        )
        deadline = self.office._get_first_contact_deadline(datetime(2026, 12, 24, 10))
        self.assertEqual(deadline, datetime(2026, 12, 26, 10))

    def test_policy_needs_calendar_and_positive_deadline(self):
        with self.assertRaises(ValidationError):
            self.office.resource_calendar_id = False
        with self.assertRaises(ValidationError):
            self.office.first_contact_deadline = 0
        # Clock hours need no calendar.
        self.office.write(
            {"first_contact_deadline_unit": "hours", "resource_calendar_id": False}
        )
        self.assertFalse(self.office.resource_calendar_id)

    def test_calendar_without_working_days_is_refused(self):
        empty = self.env["resource.calendar"].create(
            {
                "name": "Never",
                "tz": "Europe/Berlin",
                "company_id": self.company_a.id,
                "attendance_ids": [(5, 0, 0)],
            }
        )
        self.office.resource_calendar_id = empty
        with self.assertRaises(ValidationError):
            self.office._get_first_contact_deadline(datetime(2026, 6, 1, 8))


class TestHolidayWizard(DvCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls.env["resource.calendar"].create(
            {
                "name": "Wizard Calendar",
                "tz": "Europe/Berlin",
                "company_id": cls.company_a.id,
            }
        )
        cls.office = cls.env["dv.agency"].create(
            {
                "name": "Wizard Office",
                "agency_type_id": cls.type_intake.id,
                "company_id": cls.company_a.id,
                "resource_calendar_id": cls.calendar.id,
            }
        )
        # The office's coordinator keeps its calendar.
        cls.env["dv.agency.member"].create(
            {"agency_id": cls.office.id, "user_id": cls.coordinator.id}
        )

    def _wizard(self, user):
        action = self.office.with_user(user).action_load_public_holidays()
        return Form(
            self.env[action["res_model"]]
            .with_user(user)
            .with_context(**action["context"])
        )

    def test_coordinator_loads_holidays(self):
        form = self._wizard(self.coordinator)
        form.holiday_state = "BY"
        form.year_from = 2027
        form.year_to = 2027
        wizard = form.save()
        result = wizard.action_load()
        self.assertEqual(result["params"]["type"], "success")
        leaves = self.env["resource.calendar.leaves"].search(
            [("calendar_id", "=", self.calendar.id)]
        )
        # Bavaria: 12 holidays state-wide in 2027 (Assumption Day and
        # Augsburg's Peace Festival are local only).
        self.assertEqual(len(leaves), 12)
        self.assertEqual(self.office.holiday_state, "BY")
        # Running it again for the same year adds nothing.
        form = self._wizard(self.coordinator)
        form.year_from = 2027
        form.year_to = 2027
        self.assertEqual(form.holiday_state, "BY", "the state is remembered")
        result = form.save().action_load()
        self.assertIn("0", result["params"]["message"])
        self.assertEqual(
            self.env["resource.calendar.leaves"].search_count(
                [("calendar_id", "=", self.calendar.id)]
            ),
            12,
        )

    def test_bad_years_refused(self):
        form = self._wizard(self.coordinator)
        form.holiday_state = "BY"
        form.year_from = 2030
        form.year_to = 2029
        with self.assertRaises(ValidationError):
            form.save()

    def test_calendar_required(self):
        self.office.first_contact_deadline_unit = "hours"
        self.office.resource_calendar_id = False
        wizard = (
            self.env["dv.holiday.wizard"]
            .with_user(self.coordinator)
            .create({"agency_id": self.office.id, "holiday_state": "BY"})
        )
        with self.assertRaises(UserError):
            wizard.action_load()

    def test_coordinator_of_another_agency_cannot_load(self):
        stranger = self._new_member(
            "dv_test_wizard_stranger", "coordinator", self.agency_a
        )
        form = self._wizard(stranger)
        form.holiday_state = "BY"
        form.year_from = 2027
        form.year_to = 2027
        with self.assertRaises(AccessError):
            form.save().action_load()

    def test_caseworker_cannot_load(self):
        with self.assertRaises(AccessError):
            self.env["dv.holiday.wizard"].with_user(self.caseworker).create(
                {"agency_id": self.office.id, "holiday_state": "BY"}
            )
