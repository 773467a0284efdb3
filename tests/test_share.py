from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import freeze_time

from ..models.dv_share import migrate_outbound_referrals
from .common import ReferralCommon


@freeze_time("2026-12-28 09:00:00")
class TestShare(ReferralCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.shelter = cls._new_agency("Test Shelter", "shelter")
        cls.shelter_worker = cls._new_member(
            "dv_test_shelter", "caseworker", cls.shelter
        )
        cls.shelter_partner = cls._new_member(
            "dv_test_shelter_network", "network", cls.shelter
        )
        cls.case = cls._create_case(user=cls.caseworker)
        cls.env["dv.incident"].create(
            {"case_id": cls.case.id, "date": "2026-12-01 10:00:00"}
        )
        cls.consent = cls.env["dv.consent"].create(
            {
                "person_id": cls.case.victim_id.id,
                "agency_ids": [Command.set(cls.shelter.ids)],
                "purpose_ids": [
                    Command.set(
                        cls.env.ref("dv_case_management.consent_purpose_referral").ids
                    )
                ],
                "given_on": "2026-12-20",
            }
        )

    def _outbound(self, share_type="share", user=None, **values):
        vals = {
            "share_type": share_type,
            "case_id": self.case.id,
            "to_agency_id": self.shelter.id,
            "legal_basis": "consent",
            "consent_id": self.consent.id,
            "reason": "Shelter place needed.",
        }
        vals.update(values)
        return (
            self.env["dv.share"]
            .with_user(user or self.caseworker)
            .create(vals)
            .with_user(self.env.user)
        )

    def test_share_gives_read_access_while_accepted(self):
        referral = self._outbound()
        self.assertEqual(referral.state, "sent")
        # The receiving agency reads the referral, not yet the case.
        self.assertEqual(
            referral.with_user(self.shelter_partner).reason, "Shelter place needed."
        )
        with self.assertRaises(AccessError):
            self.case.with_user(self.shelter_partner).read(["name"])
        referral.with_user(self.shelter_partner).action_accept()
        self.assertEqual(referral.state, "accepted")
        case = self.case.with_user(self.shelter_partner)
        self.assertEqual(case.victim_id.name, "Vera Victim")
        self.assertFalse(case.victim_id.phone, "protected details stay with the lead")
        self.assertEqual(len(case.incident_ids), 1)
        self.assertEqual(self.case.shared_agency_ids, self.shelter)
        with self.assertRaises(AccessError):
            self.case.with_user(self.shelter_worker).write({"case_type": "stalking"})
        # Revoked: access ends at once.
        referral.with_user(self.caseworker).action_revoke()
        with self.assertRaises(AccessError):
            self.case.with_user(self.shelter_partner).read(["name"])

    def test_archived_share_in_force_is_not_restored(self):
        """Archiving an accepted share ends the access; restoring it would
        grant it anew without the recipient's acceptance: refused."""
        referral = self._outbound()
        referral.with_user(self.shelter_partner).action_accept()
        referral.with_user(self.caseworker).write({"active": False})
        with self.assertRaises(AccessError):
            self.case.with_user(self.shelter_partner).read(["name"])
        with self.assertRaises(UserError):
            referral.with_user(self.caseworker).write({"active": True})
        with self.assertRaises(AccessError):
            self.case.with_user(self.shelter_partner).read(["name"])
        # A share that grants nothing comes back to the lists.
        revoked = self._outbound()
        revoked.with_user(self.caseworker).action_revoke()
        revoked.with_user(self.caseworker).write({"active": False})
        revoked.with_user(self.caseworker).write({"active": True})
        self.assertTrue(revoked.active)

    def test_completed_share_ends_access(self):
        referral = self._outbound()
        referral.with_user(self.shelter_worker).action_accept()
        self.case.with_user(self.shelter_worker).read(["name"])
        referral.with_user(self.caseworker).action_complete()
        with self.assertRaises(AccessError):
            self.case.with_user(self.shelter_worker).read(["name"])

    def test_transfer_passes_the_lead(self):
        referral = self._outbound(share_type="transfer")
        referral.with_user(self.shelter_worker).action_accept()
        self.assertEqual(self.case.lead_agency_id, self.shelter)
        self.assertEqual(self.case.user_id, self.shelter_worker)
        self.case.with_user(self.shelter_worker).write({"case_type": "stalking"})
        self.assertEqual(
            self.case.victim_id.with_user(self.shelter_worker).phone, "+49 170 1234567"
        )
        with self.assertRaises(AccessError):
            self.case.with_user(self.caseworker).read(["name"])

    def test_rejection_needs_a_reason(self):
        referral = self._outbound().with_user(self.shelter_worker)
        with self.assertRaises(UserError):
            referral.action_reject()
        wizard = (
            self.env["dv.share.reject.wizard"]
            .with_user(self.shelter_worker)
            .create({"share_id": referral.id, "rejection_reason": "no_capacity"})
        )
        wizard.action_confirm()
        self.assertEqual(referral.state, "rejected")
        self.assertEqual(referral.rejection_reason, "no_capacity")
        self.assertEqual(referral.answered_by_id, self.shelter_worker)
        with self.assertRaises(AccessError):
            self.case.with_user(self.shelter_worker).read(["name"])

    def test_only_the_receiving_agency_answers(self):
        referral = self._outbound()
        with self.assertRaises(AccessError):
            referral.with_user(self.caseworker).action_accept()
        with self.assertRaises(AccessError):
            referral.with_user(self.caseworker_b).action_accept()
        self.assertEqual(referral.state, "sent")

    def test_share_needs_legal_basis_and_case(self):
        with self.assertRaises(ValidationError):
            self._outbound(legal_basis=False)
        with self.assertRaises(ValidationError):
            self._outbound(to_agency_id=self.agency_a.id)
        with self.assertRaises(ValidationError):
            self._outbound(legal_basis="acute_danger", justification="")
        self.assertFalse(self.case.share_ids)

    def test_unrelated_agency_cannot_read(self):
        referral = self._outbound()
        referral.with_user(self.shelter_worker).action_accept()
        for user in (self.other_user(), self.caseworker_b):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.case.with_user(user).read(["name"])

    def other_user(self):
        agency = self._new_agency("Unrelated")
        return self._new_member("dv_test_unrelated", "caseworker", agency)

    # Writes never widen reads (each test starts from a cold rule cache, as
    # the first request of a minute does).

    def _cold(self):
        self.env.invalidate_all()
        self.env.registry.clear_cache()

    def test_receiver_cannot_redirect_an_accepted_share(self):
        foreign = self._create_case(user=self.caseworker)
        share = self._outbound()
        share.with_user(self.shelter_partner).action_accept()
        for user in (self.shelter_partner, self.shelter_worker, self.caseworker):
            for values in (
                {"case_id": foreign.id},
                {"to_agency_id": self.agency_a.id},
                {"consent_id": False},
                {"legal_basis": "statute", "legal_norm": "x"},
                {"share_type": "transfer"},
                {"state": "sent"},
                {"from_agency_id": self.shelter.id},
                {"valid_until": "2027-12-31"},
            ):
                with self.subTest(user=user.login, values=values):
                    self._cold()
                    with self.assertRaises(UserError):
                        share.with_user(user).write(values)
        self._cold()
        self.assertEqual(share.case_id, self.case)
        self.assertEqual(share.consent_id, self.consent)
        with self.assertRaises(AccessError):
            foreign.with_user(self.shelter_partner).read(["name"])

    def test_receiver_cannot_create_shares_of_other_cases(self):
        foreign = self._create_case(user=self.caseworker)
        for user in (self.shelter_worker, self.shelter_partner):
            with self.subTest(user=user.login):
                self._cold()
                with self.assertRaises(AccessError):
                    self._outbound(
                        user=user,
                        share_type="transfer",
                        case_id=foreign.id,
                        legal_basis="acute_danger",
                        justification="Acute danger, see the police report.",
                        consent_id=False,
                    )
        self.assertEqual(foreign.lead_agency_id, self.agency_a)

    def test_state_cannot_be_written(self):
        share = self._outbound()
        for values in ({"state": "accepted"}, {"answered_at": fields.Datetime.now()}):
            with self.subTest(values=values), self.assertRaises(ValidationError):
                share.with_user(self.caseworker).write(values)
        with self.assertRaises(ValidationError):
            self._outbound(state="accepted")
        # A default from the context is the client's too.
        share = (
            self.env["dv.share"]
            .with_user(self.caseworker)
            .with_context(default_state="accepted")
            .create(
                {
                    "case_id": self.case.id,
                    "to_agency_id": self.shelter.id,
                    "legal_basis": "consent",
                    "consent_id": self.consent.id,
                }
            )
        )
        self.assertEqual(share.state, "sent")
        self._cold()
        with self.assertRaises(AccessError):
            self.case.with_user(self.shelter_worker).read(["name"])

    def test_withdrawn_or_expired_consent_grants_nothing(self):
        share = self._outbound()
        share.with_user(self.shelter_worker).action_accept()
        self.case.with_user(self.shelter_worker).read(["name"])
        # Withdrawn in the database only (as a restore or another process
        # would leave it): the grant query itself refuses it.
        self.env.cr.execute(
            "UPDATE dv_consent SET withdrawn_on = '2026-12-27' WHERE id = %s",
            [self.consent.id],
        )
        self._cold()
        with self.assertRaises(AccessError):
            self.case.with_user(self.shelter_worker).read(["name"])

    def test_consent_not_naming_the_recipient_grants_nothing(self):
        share = self._outbound()
        share.with_user(self.shelter_worker).action_accept()
        self.env.cr.execute(
            "DELETE FROM dv_agency_dv_consent_rel WHERE dv_consent_id = %s",
            [self.consent.id],
        )
        self._cold()
        with self.assertRaises(AccessError):
            self.case.with_user(self.shelter_worker).read(["name"])

    def test_share_ends_on_its_day(self):
        share = self._outbound(valid_until="2026-12-31")
        share.with_user(self.shelter_worker).action_accept()
        self.case.with_user(self.shelter_worker).read(["name"])
        with freeze_time("2027-01-01 09:00:00"):
            self._cold()
            with self.assertRaises(AccessError):
                self.case.with_user(self.shelter_worker).read(["name"])

    def test_transfer_needs_the_lead_it_was_sent_by(self):
        transfer = self._outbound(share_type="transfer")
        other = self._outbound(
            share_type="transfer",
            to_agency_id=self.agency_shared.id,
            consent_id=False,
            legal_basis="statute",
            legal_norm="§ 4 KKG",
        )
        transfer.with_user(self.shelter_worker).action_accept()
        self.assertEqual(self.case.lead_agency_id, self.shelter)
        police = self._new_member("dv_test_police_cw", "caseworker", self.agency_shared)
        with self.assertRaises(UserError):
            other.with_user(police).action_accept()
        self.assertEqual(self.case.lead_agency_id, self.shelter)
        with self.assertRaises(UserError):
            transfer.with_user(self.shelter_worker).action_revoke()


class TestShareMigration(ReferralCommon):
    """A database of 18.0.1.0.0 kept its shares in dv_referral."""

    def test_outbound_referrals_move_to_shares(self):
        cr = self.env.cr
        case = self._create_case(user=self.caseworker)
        cr.execute(
            """
            ALTER TABLE dv_referral
              ADD COLUMN direction varchar, ADD COLUMN kind varchar,
              ADD COLUMN reason text, ADD COLUMN rejection_reason varchar,
              ADD COLUMN rejection_note text, ADD COLUMN answered_at timestamp,
              ADD COLUMN consent_id integer
            """
        )
        cr.execute(
            """
            INSERT INTO dv_referral
                (name, company_id, case_id, from_agency_id, to_agency_id, state,
                 active, legal_basis, legal_norm, direction, kind, reason,
                 answered_at)
            VALUES ('VM-2026-00042', %s, %s, %s, %s, 'accepted', true,
                    'statute', '§ 4 KKG', 'outbound', 'share', 'Old message',
                    '2026-12-01 10:00:00')
            RETURNING id
            """,
            [self.company_a.id, case.id, self.agency_a.id, self.office.id],
        )
        old_id = cr.fetchone()[0]
        cr.execute(
            "INSERT INTO mail_message (model, res_id, message_type, body, date) "
            "VALUES ('dv.referral', %s, 'comment', '<p>kept</p>', now())",
            [old_id],
        )
        inbound = self.env["dv.referral"].create(
            {
                "from_agency_id": self.police.id,
                "to_agency_id": self.office.id,
                "legal_basis": "statute",
                "legal_norm": "§ 34a PolG NRW",
            }
        )
        self.env.invalidate_all()
        mapping = migrate_outbound_referrals(self.env)
        share = self.env["dv.share"].browse(mapping[old_id])
        self.assertEqual(share.name, "VM-2026-00042")
        self.assertEqual(
            (share.case_id, share.to_agency_id, share.state, share.share_type),
            (case, self.office, "accepted", "share"),
        )
        self.assertEqual(share.reason, "Old message")
        self.assertEqual(share.message_ids.mapped("body"), ["<p>kept</p>"])
        self.assertFalse(self.env["dv.referral"].browse(old_id).exists())
        self.assertTrue(inbound.exists())
        cr.execute(
            "SELECT 1 FROM information_schema.columns "
            "WHERE table_name = 'dv_referral' AND column_name = 'direction'"
        )
        self.assertFalse(cr.fetchone())
        self.assertEqual(migrate_outbound_referrals(self.env), {})
        # The office reads the case through the migrated share.
        self.env.registry.clear_cache()
        case.with_user(self.office_worker).read(["name"])
