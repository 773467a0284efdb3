from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form
from odoo.tools import mute_logger

from .common import DvCommon


class TestAgencyAccess(DvCommon):
    def _create_agency(self, user, **values):
        vals = {
            "name": "New Shelter",
            "agency_type_id": self.env.ref("dv_case_management.agency_type_shelter").id,
            "company_id": self.company_a.id,
            "street": "Hidden Street 1",
            "city": "A-Stadt",
            "phone": "+49 30 123456",
        }
        vals.update(values)
        return self.env["dv.agency"].with_user(user).create(vals)

    def test_coordinator_keeps_her_agency_but_creates_none(self):
        with self.assertRaises(AccessError):
            self._create_agency(self.coordinator)
        agency = self._create_agency(self.manager)
        self.assertTrue(agency.partner_id.is_company)
        self.assertEqual(agency.partner_id.street, "Hidden Street 1")
        self.assertEqual(agency.partner_id.company_id, self.company_a)
        self.env["dv.agency.member"].create(
            {"agency_id": agency.id, "user_id": self.coordinator.id}
        )
        agency = agency.with_user(self.coordinator)
        agency.write({"phone": "+49 30 654321", "available_24_7": True})
        self.assertEqual(agency.partner_id.phone, "+49 30 654321")
        agency.action_archive()
        self.assertFalse(agency.active)
        self.assertFalse(
            self.env["dv.agency"]
            .with_user(self.coordinator)
            .search([("id", "=", agency.id)])
        )
        agency.action_unarchive()
        self.assertTrue(agency.active)

    def test_manager_creates_and_deletes(self):
        agency = self._create_agency(self.manager)
        partner = agency.partner_id
        agency.unlink()
        self.assertFalse(agency.exists())
        self.assertTrue(partner.exists(), "the contact stays in the address book")

    def test_coordinator_cannot_delete(self):
        with self.assertRaises(AccessError):
            self.agency_a.with_user(self.coordinator).unlink()

    def test_roles_without_right_cannot_create_or_write(self):
        for user in (self.caseworker, self.network, self.statistics):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self._create_agency(user)
                with self.assertRaises(AccessError):
                    self.agency_a.with_user(user).write({"name": "Renamed"})
                with self.assertRaises(AccessError):
                    self.agency_a.with_user(user).action_archive()
                with self.assertRaises(AccessError):
                    self.agency_a.with_user(user).unlink()
                # but they can read the network
                self.assertEqual(
                    self.agency_a.with_user(user).name, "Test Counselling A"
                )

    def test_plain_employee_sees_no_agency(self):
        with self.assertRaises(AccessError):
            self.env["dv.agency"].with_user(self.employee).search([])
        with self.assertRaises(AccessError):
            self._create_agency(self.employee)

    def test_other_company_cannot_see_private_agency(self):
        Agency = self.env["dv.agency"]
        visible_b = Agency.with_user(self.caseworker_b).search([])
        self.assertIn(self.agency_b, visible_b)
        self.assertIn(self.agency_shared, visible_b)
        self.assertNotIn(self.agency_a, visible_b)
        with self.assertRaises(AccessError):
            self.agency_a.with_user(self.caseworker_b).read(["name"])
        with self.assertRaises(AccessError):
            self.agency_a.with_user(self.coordinator_b).write({"name": "Taken over"})
        # The contact behind a private agency is private to its company too.
        with self.assertRaises(AccessError):
            self.agency_a.partner_id.with_user(self.caseworker_b).read(["street"])
        visible_a = Agency.with_user(self.caseworker).search([])
        self.assertIn(self.agency_a, visible_a)
        self.assertIn(self.agency_shared, visible_a)
        self.assertNotIn(self.agency_b, visible_a)

    def test_company_change_follows_to_contact(self):
        self.agency_a.company_id = False
        self.assertFalse(self.agency_a.partner_id.company_id)
        self.assertIn(
            self.agency_a, self.env["dv.agency"].with_user(self.caseworker_b).search([])
        )

    def test_form_sets_intake_office_from_type(self):
        with Form(self.env["dv.agency"].with_user(self.manager)) as form:
            form.name = "Intake Office Form"
            form.agency_type_id = self.type_intake
            self.assertTrue(form.is_intake_office)
            form.first_contact_deadline_unit = "hours"
            form.first_contact_deadline = 48
        agency = form.record
        self.assertTrue(agency.is_intake_office)
        self.assertEqual(agency.first_contact_deadline, 48)


class TestAgencyMembers(DvCommon):
    def test_users_know_their_agencies(self):
        self.assertEqual(self.caseworker.dv_agency_ids, self.agency_a)
        self.assertEqual(self.caseworker_b.dv_agency_ids, self.agency_b)
        self.assertFalse(self.network.dv_agency_ids)
        self.env["dv.agency.member"].create(
            {"agency_id": self.agency_shared.id, "user_id": self.caseworker.id}
        )
        self.assertEqual(
            self.caseworker.dv_agency_ids, self.agency_a | self.agency_shared
        )

    def test_archived_agency_grants_nothing(self):
        self.agency_a.action_archive()
        self.assertFalse(self.caseworker.dv_agency_ids)
        self.agency_a.action_unarchive()
        self.assertEqual(self.caseworker.dv_agency_ids, self.agency_a)

    def test_member_needs_company_access(self):
        with self.assertRaises(ValidationError):
            self.env["dv.agency.member"].create(
                {"agency_id": self.agency_a.id, "user_id": self.caseworker_b.id}
            )

    def test_portal_user_cannot_be_member(self):
        portal = self.env["res.users"].create(
            {
                "name": "Portal",
                "login": "dv_portal",
                "groups_id": [(6, 0, [self.env.ref("base.group_portal").id])],
            }
        )
        with self.assertRaises(ValidationError):
            self.env["dv.agency.member"].create(
                {"agency_id": self.agency_shared.id, "user_id": portal.id}
            )

    @mute_logger("odoo.sql_db")
    def test_membership_is_unique(self):
        with self.assertRaises(IntegrityError):
            self.env["dv.agency.member"].create(
                {"agency_id": self.agency_a.id, "user_id": self.caseworker.id}
            )

    def test_coordinator_manages_members_caseworker_does_not(self):
        member = (
            self.env["dv.agency.member"]
            .with_user(self.coordinator)
            .create(
                {
                    "agency_id": self.agency_a.id,
                    "user_id": self.network.id,
                    "function": "Counsellor",
                }
            )
        )
        self.assertEqual(self.network.dv_agency_ids, self.agency_a)
        with self.assertRaises(AccessError):
            member.with_user(self.caseworker).write({"function": "Head"})
        with self.assertRaises(AccessError):
            self.env["dv.agency.member"].with_user(self.caseworker).create(
                {"agency_id": self.agency_a.id, "user_id": self.statistics.id}
            )
        self.assertEqual(member.with_user(self.caseworker).function, "Counsellor")
        member.with_user(self.coordinator).unlink()
        self.assertFalse(self.network.dv_agency_ids)

    def test_other_company_cannot_see_members(self):
        members_b = self.env["dv.agency.member"].with_user(self.caseworker_b).search([])
        self.assertFalse(members_b.filtered(lambda m: m.agency_id == self.agency_a))
        self.assertTrue(members_b.filtered(lambda m: m.agency_id == self.agency_b))


class TestAgencyConfiguration(DvCommon):
    def test_only_manager_configures_types_and_services(self):
        Type = self.env["dv.agency.type"]
        new_type = Type.with_user(self.manager).create(
            {"name": "Debt Counselling", "code": "debt"}
        )
        service = (
            self.env["dv.service"]
            .with_user(self.manager)
            .create({"name": "Debt advice"})
        )
        for user in (self.coordinator, self.caseworker, self.statistics):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    Type.with_user(user).create({"name": "X", "code": "x"})
                with self.assertRaises(AccessError):
                    new_type.with_user(user).write({"name": "Y"})
                with self.assertRaises(AccessError):
                    service.with_user(user).write({"name": "Y"})
                self.assertEqual(new_type.with_user(user).name, "Debt Counselling")

    @mute_logger("odoo.sql_db")
    def test_type_code_unique(self):
        with self.assertRaises(IntegrityError):
            self.env["dv.agency.type"].create({"name": "Police 2", "code": "police"})

    def test_type_counts_agencies(self):
        new_type = self.env["dv.agency.type"].create({"name": "Court", "code": "ct"})
        self.assertEqual(new_type.agency_count, 0)
        self.env["dv.agency"].create(
            [
                {"name": "Court 1", "agency_type_id": new_type.id},
                {"name": "Court 2", "agency_type_id": new_type.id},
            ]
        )
        new_type.invalidate_recordset(["agency_count"])
        self.assertEqual(new_type.agency_count, 2)
