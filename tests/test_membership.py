from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import DvCommon, JsonRpcMixin

# The German error a coordinator gets for another agency's members.
REFUSED_DE = "Nur die Verwaltung und die Koordination"


class MembershipCommon(DvCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_agency = cls._new_agency("Other Counselling A")
        cls.coordinator_2 = cls._new_member(
            "dv_test_membership_coord2", "coordinator", cls.agency_a
        )
        cls.other_caseworker = cls._new_member(
            "dv_test_membership_other", "caseworker", cls.other_agency
        )
        cls.dpo = new_test_user(
            cls.env,
            login="dv_test_membership_dpo",
            groups="dv_case_management.group_dv_dpo",
            company_id=cls.company_a.id,
            company_ids=[Command.set(cls.company_a.ids)],
        )
        cls.dpo_b = new_test_user(
            cls.env,
            login="dv_test_membership_dpo_b",
            groups="dv_case_management.group_dv_dpo",
            company_id=cls.company_b.id,
            company_ids=[Command.set(cls.company_b.ids)],
        )

    def _log(self, **domain):
        return self.env["dv.membership.log"].search(
            [(key, "=", value) for key, value in domain.items()]
        )

    def _members(self, user):
        return self.env["dv.agency.member"].with_user(user).with_context(lang="de_DE")


class TestMembershipChanges(MembershipCommon):
    def test_coordinator_cannot_join_another_agency(self):
        Member = self._members(self.coordinator)
        logged = self._log()
        for agency in (self.other_agency, self.agency_shared):
            with self.subTest(agency=agency.name):
                with self.assertRaisesRegex(AccessError, REFUSED_DE):
                    Member.create(
                        {"agency_id": agency.id, "user_id": self.coordinator.id}
                    )
        # Nor can she bring someone else in, move a member of hers there, or
        # remove a member of it.
        with self.assertRaisesRegex(AccessError, REFUSED_DE):
            Member.create(
                {"agency_id": self.other_agency.id, "user_id": self.network.id}
            )
        own = self.coordinator.dv_agency_member_ids
        with self.assertRaisesRegex(AccessError, REFUSED_DE):
            own.with_user(self.coordinator).with_context(lang="de_DE").write(
                {"agency_id": self.other_agency.id}
            )
        theirs = self.other_caseworker.dv_agency_member_ids
        with self.assertRaisesRegex(AccessError, REFUSED_DE):
            theirs.with_user(self.coordinator).with_context(lang="de_DE").unlink()
        # Nor through the agency's form.
        with self.assertRaises(AccessError):
            self.other_agency.with_user(self.coordinator).write(
                {
                    "member_ids": [
                        Command.create({"user_id": self.coordinator.id}),
                    ]
                }
            )
        self.assertEqual(self.coordinator.dv_agency_ids, self.agency_a)
        self.assertEqual(self._log(), logged)
        with self.assertRaises(AccessError):
            self.env["dv.case"].with_user(self.coordinator).browse(
                self._create_case(
                    user=self.other_caseworker, lead_agency_id=self.other_agency.id
                ).id
            ).read(["name"])

    def test_case_workers_change_no_members(self):
        for user in (self.caseworker, self.network, self.statistics, self.dpo):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self._members(user).create(
                        {"agency_id": self.agency_a.id, "user_id": self.network.id}
                    )

    def test_coordinator_of_the_agency_changes_members_logged_and_told(self):
        before = self.agency_a.activity_ids
        member = self._members(self.coordinator).create(
            {"agency_id": self.agency_a.id, "user_id": self.network.id}
        )
        self.assertEqual(self.network.dv_agency_ids, self.agency_a)
        entry = self._log(user_id=self.network.id, change="added")
        self.assertEqual(entry.agency_id, self.agency_a)
        self.assertEqual(entry.changed_by_id, self.coordinator)
        self.assertEqual(entry.company_id, self.company_a)
        # The agency's other coordinator is told, the one who did it is not.
        activities = self.agency_a.activity_ids - before
        self.assertEqual(activities.user_id, self.coordinator_2)
        self.assertIn(self.network.name, activities.note)
        self.assertIn(self.coordinator.name, activities.note)
        # The agency's chatter keeps it.
        notes = self.agency_a.message_ids.filtered(
            lambda message: self.network.name in (message.body or "")
        )
        self.assertTrue(notes)
        self.assertEqual(notes.author_id, self.coordinator.partner_id)

        member.with_user(self.coordinator).write({"user_id": self.statistics.id})
        changed = self._log(change="changed")
        self.assertEqual(changed.previous_user_id, self.network)
        self.assertEqual(changed.user_id, self.statistics)
        self.assertFalse(self.network.dv_agency_ids)

        member.with_user(self.coordinator).unlink()
        removed = self._log(change="removed")
        self.assertEqual(removed.user_id, self.statistics)
        self.assertEqual(len(self.agency_a.activity_ids - before), 3)

    def test_manager_changes_every_agency(self):
        member = self._members(self.manager).create(
            {"agency_id": self.other_agency.id, "user_id": self.coordinator.id}
        )
        self.assertEqual(
            self.coordinator.dv_agency_ids, self.agency_a | self.other_agency
        )
        self.assertTrue(self._log(changed_by_id=self.manager.id, change="added"))
        # The coordinator she now is there is told (of her own joining).
        self.assertEqual(self.other_agency.activity_ids.user_id, self.coordinator)
        member.with_user(self.manager).unlink()
        self.assertEqual(self.coordinator.dv_agency_ids, self.agency_a)
        # Deleting an agency logs its members leaving.
        agency = self._new_agency("Short-lived")
        self._members(self.manager).create(
            {"agency_id": agency.id, "user_id": self.caseworker.id}
        )
        agency.with_user(self.manager).unlink()
        entry = self._log(change="removed", user_id=self.caseworker.id)
        self.assertEqual(entry.agency_name, "Short-lived")
        self.assertFalse(entry.agency_id)

    def test_leaving_ends_responsibility_and_following(self):
        case = self._create_case(user=self.caseworker)
        case.with_user(self.caseworker).message_subscribe(
            partner_ids=self.caseworker.partner_id.ids
        )
        reminder = case.sudo().activity_schedule(
            "mail.mail_activity_data_todo", user_id=self.caseworker.id
        )
        self.caseworker.dv_agency_member_ids.with_user(self.coordinator).unlink()
        self.assertFalse(case.user_id)
        self.assertNotIn(self.caseworker.partner_id, case.message_partner_ids)
        self.assertIn(reminder.user_id, self.agency_a.member_ids.user_id)
        with self.assertRaises(AccessError):
            case.with_user(self.caseworker).read(["name"])


class TestMembershipLog(MembershipCommon):
    def test_read_by_dpo_and_managers_only_and_never_changed(self):
        self._members(self.manager).create(
            {"agency_id": self.agency_a.id, "user_id": self.network.id}
        )
        entry = self._log(user_id=self.network.id)
        self.assertEqual(entry.with_user(self.dpo).agency_id, self.agency_a)
        self.assertEqual(entry.with_user(self.manager).changed_by_id, self.manager)
        for user in (self.coordinator, self.caseworker, self.network, self.employee):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                entry.with_user(user).read(["agency_id"])
        # The other company's data protection officer sees none of it.
        self.assertFalse(
            self.env["dv.membership.log"]
            .with_user(self.dpo_b)
            .search([("id", "=", entry.id)])
        )
        with self.assertRaises(AccessError):
            entry.with_user(self.dpo_b).read(["agency_id"])
        for user in (self.dpo, self.manager):
            with self.subTest(user=user.login):
                with self.assertRaises(UserError):
                    entry.with_user(user).write({"change": "removed"})
                with self.assertRaises(UserError):
                    entry.with_user(user).unlink()
                with self.assertRaises(AccessError):
                    self.env["dv.membership.log"].with_user(user).create(
                        {
                            "changed_by_id": user.id,
                            "change": "added",
                            "agency_id": self.agency_a.id,
                        }
                    )
        admin = self.env.ref("base.user_admin")
        with self.assertRaises(UserError):
            entry.with_user(admin).write({"change": "removed"})


class TestAgencyChanges(MembershipCommon):
    def test_coordinators_change_their_own_agencies_only(self):
        self.agency_a.with_user(self.coordinator).write({"phone": "+49 30 111"})
        self.assertEqual(self.agency_a.phone, "+49 30 111")
        for agency in (self.other_agency, self.agency_shared):
            with self.subTest(agency=agency.name):
                with self.assertRaisesRegex(AccessError, REFUSED_DE):
                    agency.with_user(self.coordinator).with_context(lang="de_DE").write(
                        {"email": "intake@attacker.example"}
                    )
                with self.assertRaises(AccessError):
                    agency.with_user(self.coordinator).write({"reachability": "x"})
        self.other_agency.with_user(self.manager).write({"phone": "+49 30 222"})
        self.assertEqual(self.other_agency.phone, "+49 30 222")
        self.assertFalse(self.agency_shared.email)

    def test_agency_contact_changes_only_with_the_agency(self):
        police = self.agency_shared.partner_id
        police.write({"email": "inspection@police.example"})
        # Odoo's own "Contact Creation" right does not reach an agency's
        # contact; the coordinator has no right on contacts beyond creating.
        contacts = new_test_user(
            self.env,
            login="dv_test_membership_contacts",
            groups="base.group_user,base.group_partner_manager",
            company_id=self.company_a.id,
            company_ids=[Command.set(self.company_a.ids)],
        )
        for user in (contacts, self.coordinator, self.manager.browse()):
            if not user:
                continue
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    police.with_user(user).write({"email": "me@attacker.example"})
                with self.assertRaises(AccessError):
                    self.agency_a.partner_id.with_user(user).write({"street": "X"})
        with self.assertRaises(AccessError):
            police.with_user(contacts).unlink()
        self.assertEqual(police.email, "inspection@police.example")
        # Other contacts are theirs as before.
        other = self.env["res.partner"].with_user(contacts).create({"name": "Other"})
        other.write({"email": "other@example.org"})
        # Whoever may change the agency changes its contact with it.
        self.agency_shared.with_user(self.manager).write(
            {"email": "new@police.example"}
        )
        self.assertEqual(police.email, "new@police.example")
        with self.assertRaises(AccessError):
            self.agency_a.with_user(self.coordinator).write(
                {"partner_id": self.agency_shared.partner_id.id}
            )


@tagged("post_install", "-at_install")
class TestMembershipJsonRpc(JsonRpcMixin, HttpCase, MembershipCommon):
    """A coordinator logged in for real tries to join another agency through
    Odoo's JSON-RPC."""

    def _call(self, model, method, args, kwargs=None):
        """The result, or the error's message as the user reads it."""
        return self._rpc_or_message(model, method, args, kwargs)

    def test_coordinator_joins_no_other_agency(self):
        self.authenticate("dv_test_coordinator", "dv_test_coordinator")
        for agency in (self.other_agency, self.agency_shared):
            with self.subTest(agency=agency.name):
                result, error = self._call(
                    "dv.agency.member",
                    "create",
                    [{"agency_id": agency.id, "user_id": self.coordinator.id}],
                )
                self.assertIsNone(result)
                self.assertIn(REFUSED_DE, error)
        result, error = self._call(
            "dv.agency", "write", [self.agency_shared.ids, {"email": "me@x.example"}]
        )
        self.assertIsNone(result)
        self.assertIn(REFUSED_DE, error)
        result, error = self._call(
            "res.partner",
            "write",
            [self.agency_shared.partner_id.ids, {"email": "me@x.example"}],
        )
        self.assertIsNone(result)
        self.assertTrue(error)
        self.assertFalse(self.agency_shared.email)
        self.assertEqual(self.coordinator.dv_agency_member_ids.agency_id, self.agency_a)
        # Her own agency's members are hers to change.
        result, error = self._call(
            "dv.agency.member",
            "create",
            [{"agency_id": self.agency_a.id, "user_id": self.network.id}],
        )
        self.assertIsNone(error)
        self.assertEqual(self.network.dv_agency_ids, self.agency_a)
        self.assertTrue(self._log(user_id=self.network.id, change="added"))
