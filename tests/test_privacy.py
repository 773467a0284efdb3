from contextlib import contextmanager
from datetime import datetime, timedelta
from unittest.mock import patch

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import freeze_time

from .common import GROUP, DvCommon, PrivacyCommon


class TestConsent(PrivacyCommon):
    def test_withdrawal_ends_access_at_once(self):
        consent = self._consent()
        referral = self._share(consent)
        self.assertEqual(
            self.case.with_user(self.shelter_worker).victim_id.name, "Vera Victim"
        )
        consent.with_user(self.caseworker).action_withdraw()
        self.assertEqual(consent.state, "withdrawn")
        self.assertEqual(referral.state, "revoked")
        with self.assertRaises(AccessError):
            self.case.with_user(self.shelter_worker).read(["name"])
        with self.assertRaises(UserError):
            consent.with_user(self.caseworker).action_withdraw()

    def test_expired_consent_ends_access_without_a_job(self):
        consent = self._consent(valid_until="2026-06-10")
        self._share(consent)
        self.case.with_user(self.shelter_worker).read(["name"])
        with freeze_time("2026-06-11 08:00:00"):
            consent.invalidate_recordset(["state"])
            self.assertEqual(consent.state, "expired")
            with self.assertRaises(AccessError):
                self.case.with_user(self.shelter_worker).read(["name"])

    def test_consent_must_cover_recipient_and_purpose(self):
        elsewhere = self._consent(agency_ids=[Command.set(self.agency_shared.ids)])
        with self.assertRaises(ValidationError):
            self._share(elsewhere)
        counselling_only = self._consent(
            purpose_ids=[
                Command.set(
                    self.env.ref("dv_case_management.consent_purpose_counselling").ids
                )
            ]
        )
        with self.assertRaises(ValidationError):
            self._share(counselling_only)
        self.assertFalse(self.case.share_ids)

    def test_bad_consents_are_refused(self):
        with self.assertRaises(ValidationError):
            self._consent(given_on="2026-07-01")
        with self.assertRaises(ValidationError):
            self._consent(valid_until="2026-05-01")
        with self.assertRaises(ValidationError):
            self._consent(form="signed_document")

    def test_share_is_logged_as_disclosure(self):
        consent = self._consent()
        self._share(consent)
        disclosure = self.env["dv.disclosure"].search([("case_id", "=", self.case.id)])
        self.assertEqual(disclosure.agency_id, self.shelter)
        self.assertEqual(disclosure.legal_basis, "consent")
        self.assertEqual(disclosure.consent_id, consent)
        self.assertEqual(disclosure.with_user(self.dpo).agency_id, self.shelter)
        with self.assertRaises(AccessError):
            disclosure.with_user(self.shelter_worker).read(["agency_id"])
        with self.assertRaises(UserError):
            disclosure.with_user(self.lead_coordinator).write({"legal_norm": "x"})


class TestProtectedFields(PrivacyCommon):
    def test_network_agency_never_gets_protected_details(self):
        export = self.env.ref("base.group_allow_export")
        (self.shelter_worker | self.caseworker).write(
            {"groups_id": [Command.link(export.id)]}
        )
        self._share(self._consent())
        victim = self.case.victim_id.with_user(self.shelter_worker)
        self.assertFalse(victim.phone)
        self.assertFalse(victim.read(["street", "phone", "email"])[0]["phone"])
        exported = victim.export_data(["name", "phone", "street"])["datas"]
        self.assertEqual(exported, [["Vera Victim", "", ""]])
        self.assertFalse(
            self.env["dv.person.protected"].with_user(self.shelter_worker).search([])
        )
        with self.assertRaises(AccessError):
            self.case.victim_id.protected_id.with_user(self.shelter_worker).read(
                ["phone"]
            )
        # The lead agency's case worker exports them.
        exported = self.case.victim_id.with_user(self.caseworker).export_data(
            ["name", "phone"]
        )["datas"]
        self.assertEqual(exported, [["Vera Victim", "+49 170 1234567"]])


class TestBreakGlass(PrivacyCommon):
    def _open(
        self, user, reason="Acute danger: police at the door, address needed now."
    ):
        return self.env["dv.break.glass"].with_user(user)._open(self.case.name, reason)

    def test_other_coordinators_do_not_read_emergency_accesses(self):
        access = self._open(self.other_coordinator)
        shelter_coordinator = self._new_member(
            "dv_test_privacy_shelter_coord", "coordinator", self.shelter
        )
        # The case is shared with the shelter: its coordinator reads the
        # case, not who else opened it in an emergency.
        self._share(self._consent())
        self.case.with_user(shelter_coordinator).read(["name"])
        BreakGlass = self.env["dv.break.glass"].with_user(shelter_coordinator)
        self.assertFalse(BreakGlass.search([("id", "=", access.id)]))
        with self.assertRaises(AccessError):
            access.with_user(shelter_coordinator).read(["reason"])
        self.assertFalse(
            self.case.with_user(shelter_coordinator).break_glass_ids.ids
            and access.with_user(shelter_coordinator).reason
        )
        # The lead agency's coordinators and the one who opened it do.
        self.assertTrue(access.with_user(self.lead_coordinator).reason)
        self.assertTrue(access.with_user(self.other_coordinator).reason)

    def test_emergency_access_for_a_limited_time(self):
        with self.assertRaises(AccessError):
            self.case.with_user(self.other_coordinator).read(["name"])
        with self.assertRaises(UserError):
            self._open(self.other_coordinator, "urgent")
        access = self._open(self.other_coordinator)
        self.assertEqual(access.expires_at, datetime(2026, 6, 2, 8, 0))
        case = self.case.with_user(self.other_coordinator)
        self.assertEqual(case.victim_id.name, "Vera Victim")
        # The case, not the protected details: they stay with the lead
        # agency's case workers.
        self.assertFalse(case.victim_id.phone)
        self.assertFalse(case.victim_id.street)
        with self.assertRaises(AccessError):
            case.victim_id.protected_id.read(["phone"])
        with self.assertRaises(AccessError):
            case.write({"case_type": "stalking"})
        # The lead agency's coordinators are told, without personal data.
        activity = self.case.activity_ids.filtered(
            lambda a: a.user_id == self.lead_coordinator
        )
        self.assertTrue(activity)
        self.assertNotIn("Vera", activity.summary)
        with freeze_time("2026-06-02 08:01:00"):
            with self.assertRaises(AccessError):
                self.case.with_user(self.other_coordinator).read(["name"])

    def test_only_coordinators_and_only_existing_cases(self):
        with self.assertRaises(AccessError):
            self._open(self.shelter_worker)
        with self.assertRaises(UserError):
            self.env["dv.break.glass"].with_user(self.other_coordinator)._open(
                "HG-1900-99999", "A long enough reason for the emergency."
            )
        with self.assertRaises(UserError):
            self.env["dv.break.glass"].with_user(self.coordinator_b)._open(
                self.case.name, "A long enough reason for the emergency."
            )

    def test_wizard_opens_the_case(self):
        wizard = (
            self.env["dv.break.glass.wizard"]
            .with_user(self.other_coordinator)
            .create(
                {
                    "reference": self.case.name,
                    "reason": "Acute danger, shelter place needed tonight.",
                }
            )
        )
        action = wizard.action_open()
        self.assertEqual(action["res_id"], self.case.id)


class TestAccessLog(PrivacyCommon):
    def _log(self):
        return self.env["dv.access.log"].search([("case_id", "=", self.case.id)])

    def test_opening_is_logged_with_its_right(self):
        self.case.with_user(self.caseworker).web_read({"victim_id": {}})
        self.case.victim_id.with_user(self.caseworker).web_read({"name": {}})
        # The reference alone names nobody.
        self.case.with_user(self.caseworker).web_read({"name": {}})
        self._share(self._consent())
        self.case.with_user(self.shelter_worker).web_read({"victim_id": {}})
        self.env["dv.break.glass"].with_user(self.other_coordinator)._open(
            self.case.name, "Acute danger: police at the door, address needed now."
        )
        self.case.with_user(self.other_coordinator).web_read({"victim_id": {}})
        log = self._log()
        self.assertEqual(
            sorted(
                (entry.user_id.login, entry.res_model, entry.access_right)
                for entry in log
            ),
            sorted(
                [
                    ("dv_test_caseworker", "dv.case", "own"),
                    ("dv_test_caseworker", "dv.person", "own"),
                    ("dv_test_privacy_shelter", "dv.case", "share"),
                    ("dv_test_privacy_other_coord", "dv.case", "break_glass"),
                ]
            ),
        )

    def _user_log(self):
        return self.env["dv.access.log"].search([("user_id", "=", self.caseworker.id)])

    def test_every_read_path_is_logged_in_one_insert(self):
        self.caseworker.groups_id += self.env.ref("base.group_allow_export")
        Person = self.env["dv.person"].with_user(self.caseworker)
        Case = self.env["dv.case"].with_user(self.caseworker)
        other = self._create_case(user=self.caseworker)
        people = (self.case | other).person_ids
        domain = [("id", "in", people.ids)]
        calls = {
            "search_read": lambda: Person.search_read(domain, ["name"]),
            "web_search_read": lambda: Person.web_search_read(
                domain, {"name": {}, "case_id": {"fields": {"display_name": {}}}}
            ),
            "read": lambda: people.with_user(self.caseworker).read(["birth_date"]),
            "name_search": lambda: Person.name_search("Vera"),
            "export_data": lambda: people.with_user(self.caseworker).export_data(
                ["name"]
            ),
            "case form with its people": lambda: Case.browse(self.case.id).web_read(
                {"case_type": {}, "person_ids": {"fields": {"name": {}}}}
            ),
        }
        for label, call in calls.items():
            with self.subTest(path=label):
                before = self._user_log()
                with self._inserts() as count:
                    call()
                new = self._user_log() - before
                self.assertTrue(new, f"{label} was not logged")
                self.assertEqual(count(), 1, f"{label}: one INSERT a request")
                self.assertEqual(set(new.user_id.ids), {self.caseworker.id})
        # Reading only the reference of a case names nobody.
        before = self._user_log()
        Case.search_read([("id", "=", self.case.id)], ["name", "display_name"])
        self.assertFalse(self._user_log() - before)

    @contextmanager
    def _inserts(self):
        statements = []
        original = type(self.env.cr).execute

        def execute(cr, query, params=None, log_exceptions=True):
            text = str(query.code if hasattr(query, "code") else query)
            if text.startswith("INSERT INTO dv_access_log"):
                statements.append(text)
            return original(cr, query, params, log_exceptions)

        with patch.object(type(self.env.cr), "execute", execute):
            yield lambda: len(statements)

    def test_log_is_append_only_and_readable_by_lead_and_dpo(self):
        self.case.with_user(self.caseworker).web_read({"victim_id": {}})
        entry = self._log()
        self.assertEqual(
            entry.with_user(self.lead_coordinator).user_id, self.caseworker
        )
        self.assertEqual(entry.with_user(self.dpo).access_right, "own")
        for user in (self.caseworker, self.shelter_worker, self.other_coordinator):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                entry.with_user(user).read(["user_id"])
        for user in (self.lead_coordinator, self.dpo):
            with self.subTest(user=user.login):
                with self.assertRaises(UserError):
                    entry.with_user(user).write({"access_right": "other"})
                with self.assertRaises(UserError):
                    entry.with_user(user).unlink()
        admin = self.env.ref("base.user_admin")
        with self.assertRaises(UserError):
            entry.with_user(admin).sudo(False).write({"access_right": "other"})
        # The data protection officer sees the log, never the case.
        with self.assertRaises(AccessError):
            self.case.with_user(self.dpo).read(["name"])

    def test_dpo_role_exists_apart_from_case_roles(self):
        group = self.env.ref(GROUP % "dpo")
        self.assertNotEqual(
            group.category_id, self.env.ref("dv_case_management.module_category_dv")
        )
        self.assertIn(self.env.ref(GROUP % "statistics"), group.implied_ids)
        self.assertEqual(timedelta(hours=24).total_seconds() / 3600, 24)


class TestRuleCache(DvCommon):
    """Time-limited grants expire within the minute for the addon's models;
    the rules of every other application keep Odoo's cache."""

    def test_only_the_addons_rules_are_recomputed_each_minute(self):
        Rule = self.env["ir.rule"].with_user(self.caseworker)
        calls = []
        original = type(Rule)._get_rules

        def counting(rule, model_name, mode="read"):
            calls.append(model_name)
            return original(rule, model_name, mode=mode)

        self.env.registry.clear_cache()
        with patch.object(type(Rule), "_get_rules", counting):
            with freeze_time("2026-06-01 08:00:10"):
                Rule._compute_domain("res.partner", "read")
                Rule._compute_domain("dv.case", "read")
            with freeze_time("2026-06-01 08:01:10"):
                Rule._compute_domain("res.partner", "read")
                Rule._compute_domain("dv.case", "read")
        self.assertEqual(calls.count("res.partner"), 1)
        self.assertEqual(calls.count("dv.case"), 2)


class TestGrantsSeenAtOnce(PrivacyCommon):
    """A grant that changes is seen by the very next access check of the same
    request, with no cache cleared by hand: every grant model clears the
    rule cache itself (dv.grant.mixin). Each check follows one that cached
    the rules as they were, in the same minute (the class's clock stands
    still), so a grant model that stopped clearing the cache fails here."""

    GRANT_MODELS = {
        "dv.agency",
        "dv.agency.member",
        "dv.break.glass",
        "dv.consent",
        "dv.share",
    }

    def _reads(self, user):
        return self.case.with_user(user).has_access("read")

    def test_every_grant_model_is_tested_here(self):
        names = {
            name
            for name in self.env.registry.descendants(["dv.grant.mixin"], "_inherit")
            if not self.env[name]._abstract
        }
        self.assertEqual(names, self.GRANT_MODELS)
        for name in names:
            with self.subTest(model=name):
                self.assertTrue(self.env[name]._dv_grant_fields)

    def test_share_accepted_and_revoked(self):
        share = (
            self.env["dv.share"]
            .with_user(self.caseworker)
            .create(
                {
                    "share_type": "share",
                    "case_id": self.case.id,
                    "to_agency_id": self.shelter.id,
                    "legal_basis": "consent",
                    "consent_id": self._consent().id,
                }
            )
        )
        self.assertFalse(self._reads(self.shelter_worker))
        share.with_user(self.shelter_worker).action_accept()
        self.assertTrue(self._reads(self.shelter_worker))
        share.with_user(self.caseworker).action_revoke()
        self.assertFalse(self._reads(self.shelter_worker))

    def test_consent_expired_and_withdrawn(self):
        consent = self._consent()
        share = self._share(consent)
        self.assertTrue(self._reads(self.shelter_worker))
        # The share stays accepted: only the consent changes.
        consent._dv_system_write({"valid_until": "2026-05-31"})
        self.assertFalse(self._reads(self.shelter_worker))
        consent._dv_system_write({"valid_until": False})
        self.assertTrue(self._reads(self.shelter_worker))
        consent._dv_system_write({"withdrawn_on": "2026-06-01"})
        self.assertEqual(share.state, "accepted")
        self.assertFalse(self._reads(self.shelter_worker))

    def test_membership_added_moved_and_removed(self):
        newcomer = self._new_member(
            "dv_test_grant_newcomer", "caseworker", self.shelter
        )
        self.assertFalse(self._reads(newcomer))
        self.assertFalse(self._reads(self.shelter_worker))
        member = self.env["dv.agency.member"].create(
            {"agency_id": self.agency_a.id, "user_id": newcomer.id}
        )
        self.assertTrue(self._reads(newcomer))
        member.write({"user_id": self.shelter_worker.id})
        self.assertFalse(self._reads(newcomer))
        self.assertTrue(self._reads(self.shelter_worker))
        elsewhere = self._new_agency("Grant Elsewhere")
        member.write({"agency_id": elsewhere.id})
        self.assertFalse(self._reads(self.shelter_worker))
        member.write({"agency_id": self.agency_a.id})
        self.assertTrue(self._reads(self.shelter_worker))
        member.unlink()
        self.assertFalse(self._reads(self.shelter_worker))

    def test_agency_archived_and_restored(self):
        self.assertTrue(self._reads(self.caseworker))
        self.agency_a.write({"active": False})
        self.assertFalse(self._reads(self.caseworker))
        self.agency_a.write({"active": True})
        self.assertTrue(self._reads(self.caseworker))

    def test_emergency_access_opened_and_ended(self):
        self.assertFalse(self._reads(self.other_coordinator))
        access = (
            self.env["dv.break.glass"]
            .with_user(self.other_coordinator)
            ._open(self.case.name, "Acute danger: police at the door, address now.")
        )
        self.assertTrue(self._reads(self.other_coordinator))
        access.write({"expires_at": "2026-06-01 07:59:00"})
        self.assertFalse(self._reads(self.other_coordinator))
        access.write({"expires_at": "2026-06-01 09:00:00"})
        self.assertTrue(self._reads(self.other_coordinator))
        access.unlink()
        self.assertFalse(self._reads(self.other_coordinator))

    def test_transfer_is_seen_at_once(self):
        """The lead agency is a condition of the rules the database checks,
        not a cached value: a transfer needs no cache of its own cleared."""
        transfer = (
            self.env["dv.share"]
            .with_user(self.caseworker)
            .create(
                {
                    "share_type": "transfer",
                    "case_id": self.case.id,
                    "to_agency_id": self.shelter.id,
                    "legal_basis": "statute",
                    "legal_norm": "§ 34a PolG NRW",
                }
            )
        )
        self.assertTrue(self._reads(self.caseworker))
        self.assertFalse(self._reads(self.shelter_worker))
        # Even with no cache cleared at all.
        with patch.object(type(self.env.registry), "clear_cache"):
            transfer.with_user(self.shelter_worker).action_accept()
        self.assertEqual(self.case.lead_agency_id, self.shelter)
        self.assertFalse(self._reads(self.caseworker))
        self.assertTrue(self._reads(self.shelter_worker))
