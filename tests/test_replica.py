"""Reads served by a replica (models/dv_replica.py). CI has no replica: the
read-only transactions of Odoo's test mode stand in for it (read-only like a
hot standby's), and a lagging standby is played by its state as the check
reads it. The run against a real standby is ``scripts/load --replica``."""

import logging
from unittest.mock import patch

from odoo import Command
from odoo.tests import HttpCase, tagged

from ..models.dv_access_logged_mixin import DvAccessLoggedMixin
from .common import JsonRpcMixin, PrivacyCommon


class TestWithdrawalsFenceTheReplica(PrivacyCommon):
    """Every change that takes access away raises the grant generation in
    its own transaction: a replica without it serves nobody."""

    def _generation(self):
        return self.env["dv.replica"]._dv_generation()

    def assertRaisesGeneration(self, change, label):
        before = self._generation()
        change()
        self.assertGreater(self._generation(), before, label)

    def test_every_withdrawal_raises_the_generation(self):
        consent = self._consent()
        share = self._share(consent)
        self.assertRaisesGeneration(
            lambda: share.with_user(self.caseworker).action_revoke(), "share revoked"
        )
        share = self._share(self._consent())
        self.assertRaisesGeneration(
            lambda: share.consent_id.with_user(self.caseworker).action_withdraw(),
            "consent withdrawn",
        )
        self.assertRaisesGeneration(
            lambda: self.case.write(
                {"lead_agency_id": self.shelter.id, "user_id": self.shelter_worker.id}
            ),
            "case handed to another agency",
        )
        membership = self.shelter_worker.dv_agency_member_ids
        self.assertRaisesGeneration(
            lambda: membership.with_user(self.manager).unlink(), "membership ended"
        )
        self.assertRaisesGeneration(
            lambda: self.other_coordinator.write({"active": False}), "user deactivated"
        )
        self.assertRaisesGeneration(
            lambda: self.lead_coordinator.write(
                {
                    "groups_id": [
                        Command.unlink(
                            self.env.ref("dv_case_management.group_dv_coordinator").id
                        )
                    ]
                }
            ),
            "role taken away",
        )

    def test_leaving_a_company_or_a_conference_raises_the_generation(self):
        """A user taken out of a company, an agency taken off a conference
        (its agenda and information returns) or off an agenda item's lead
        (the victim informed) reads them no more: a lagging replica must not
        serve them to her the next moment. Found in review (the conference's
        withdrawals; leaving a company raised it already)."""
        self.shelter_worker.write({"company_ids": [Command.link(self.company_b.id)]})
        self.assertRaisesGeneration(
            lambda: self.shelter_worker.write(
                {"company_ids": [Command.unlink(self.company_b.id)]}
            ),
            "company taken away",
        )
        conference = self._conference(
            members=(
                (self.shelter, self.shelter_worker),
                (self.agency_a, self.caseworker),
            )
        )
        line = self.env["dv.conference.agenda.item"].create(
            {
                "conference_id": conference.id,
                "case_ref_id": self.case.id,
                "lead_agency_id": self.shelter.id,
            }
        )
        self.assertRaisesGeneration(
            lambda: line.write({"lead_agency_id": self.agency_a.id}),
            "agenda item's lead institution changed",
        )
        shelter = conference.participant_ids.filtered(
            lambda p: p.agency_id == self.shelter
        )
        self.assertRaisesGeneration(
            lambda: shelter.write(
                {"agency_id": self.agency_a.id, "user_id": self.lead_coordinator.id}
            ),
            "participant moved to another agency",
        )
        self.assertRaisesGeneration(
            lambda: conference.participant_ids[:1].unlink(), "participant removed"
        )
        self.assertRaisesGeneration(
            lambda: conference.write({"organizer_agency_id": self.shelter.id}),
            "conference handed to another organiser",
        )

    def test_reading_raises_nothing(self):
        before = self._generation()
        self.case.with_user(self.caseworker).read(["name"])
        self.env["dv.case"].with_user(self.caseworker).search([])
        self.assertEqual(self._generation(), before)


@tagged("post_install", "-at_install")
class TestReplicaRequests(JsonRpcMixin, HttpCase, PrivacyCommon):
    """Requests through Odoo's routes, as the web client sends them."""

    def _call(self, model, method, args, kwargs=None):
        response = self._rpc_response(model, method, args, kwargs, lang="de_DE")
        self.assertNotIn("error", response)
        return response["result"]

    def _logged(self, user, record):
        return self.env["dv.access.log"].search_count(
            [
                ("user_id", "=", user.id),
                ("res_model", "=", record._name),
                ("res_id", "=", record.id),
            ]
        )

    def test_read_on_a_read_only_cursor_is_logged_once(self):
        """A logged read that Odoo sends to the replica: the entry cannot be
        written there, so the request is served again by the primary, and
        the read is in the log exactly once."""
        self.authenticate("dv_test_caseworker", "dv_test_caseworker")
        before = self._logged(self.caseworker, self.case)
        with (
            patch.object(DvAccessLoggedMixin.read, "_readonly", True, create=True),
            self.assertLogs("odoo.http", logging.INFO) as logs,
        ):
            [row] = self._call("dv.case", "read", [self.case.ids, ["case_type"]])
        self.assertEqual(row["id"], self.case.id)
        self.assertTrue(
            any("logged read is served by the primary" in line for line in logs.output),
            logs.output,
        )
        self.assertEqual(self._logged(self.caseworker, self.case), before + 1)

    def test_revoked_share_is_refused_on_the_next_request(self):
        share = self._share(self._consent())
        self.authenticate("dv_test_privacy_shelter", "dv_test_privacy_shelter")
        domain = [("id", "=", self.case.id)]
        self.assertEqual(self._call("dv.case", "search", [domain]), self.case.ids)
        replica = type(self.env["dv.replica"])
        lagging = self.env["dv.replica"]._dv_generation()
        share.with_user(self.caseworker).action_revoke()
        self.env.flush_all()
        # A standby that has not replayed the revocation yet: its grant
        # generation is the one before. The request goes to the primary.
        state = replica._dv_replica_state

        def standby(self, lsn):
            _generation, _standby, replayed = state(self, lsn)
            return lagging, True, replayed

        with (
            patch.object(replica, "_dv_replica_state", standby),
            self.assertLogs("odoo.http", logging.INFO) as logs,
        ):
            self.assertEqual(self._call("dv.case", "search", [domain]), [])
            self.assertEqual(self._call("dv.case", "search_count", [domain]), 0)
        self.assertEqual(
            sum("lags behind a withdrawn access" in line for line in logs.output), 2
        )
        # Without lag, the read-only request is refused all the same.
        self.assertEqual(self._call("dv.case", "search", [domain]), [])

    def test_own_write_is_read_back_from_the_primary(self):
        """A standby that has not replayed the user's last write does not
        serve her next read-only request."""
        self.authenticate("dv_test_caseworker", "dv_test_caseworker")
        replica = type(self.env["dv.replica"])

        def behind(self, lsn):
            return replica._dv_generation(self), True, False

        with (
            patch.object(replica, "_dv_replica_state", behind),
            self.assertLogs("odoo.http", logging.INFO) as logs,
        ):
            count = self._call("dv.case", "search_count", [[("id", "=", self.case.id)]])
        self.assertEqual(count, 1)
        self.assertTrue(
            any("lags behind the user's last write" in line for line in logs.output)
        )
