"""Four-eyes approval of closing a high-risk case and of ending a case's
high-risk status, the network's end of the high-risk status and the lead
institution of a case."""

from lxml import etree

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, freeze_time
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger
from odoo.tools.safe_eval import safe_eval

from .common import ConferenceCommon, JsonRpcMixin


@freeze_time("2026-06-01 08:00:00")
class ApprovalCommon(ConferenceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.completed = cls.env.ref("dv_case_management.closure_reason_completed")
        cls.coordinator_shelter = cls._new_member(
            "dv_test_appr_shelter_coord", "coordinator", cls.shelter
        )
        cls.external = cls.env.ref("dv_case_management.risk_instrument_external")
        cls._assess_case(cls.case, "high")

    def _ended_cases(self):
        """The cases of the search view's filter *High-risk Status Ended*."""
        view = self.env.ref("dv_case_management.dv_case_view_search")
        node = etree.fromstring(view.arch).find(".//filter[@name='high_risk_ended']")
        domain = safe_eval(node.get("domain"))
        return self.env["dv.case"].with_user(self.coordinator_a).search(domain)

    @classmethod
    def _assess_case(cls, case, level, date="2026-05-30"):
        assessment = (
            cls.env["dv.risk.assessment"]
            .with_user(cls.caseworker)
            .create(
                {
                    "case_id": case.id,
                    "instrument_id": cls.external.id,
                    "external_tool": "odara",
                    "external_level": level,
                    "date": date,
                }
            )
        )
        assessment.action_done()
        return assessment

    def _request_close(self, user=None, case=None, reason="Moved away, safe now."):
        wizard = Form(
            self.env["dv.case.close.wizard"]
            .with_user(user or self.caseworker)
            .with_context(default_case_id=(case or self.case).id)
        )
        wizard.closure_reason_id = self.completed
        wizard.outcome_abuse = "stopped"
        wizard.outcome_safety = "better"
        wizard.outcome = "She lives in another town."
        if wizard.needs_approval:
            wizard.request_reason = reason
        wizard.save().action_confirm()
        return (case or self.case).sudo().approval_ids.sorted("id")[-1:]

    def _approval_activities(self, case):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "dv.case"),
                ("res_id", "=", case.id),
                (
                    "activity_type_id",
                    "=",
                    self.env.ref("dv_case_management.mail_activity_type_approval").id,
                ),
            ]
        )

    def _held_conference_with(self, case, **line_values):
        conference = self._conference()
        line = conference.line_ids.filtered(
            lambda x: x.sudo().case_ref_id == case
        ) or self._line(conference, case)
        if line_values:
            line.write(line_values)
        self._held(conference)
        return conference, line


class TestCloseApproval(ApprovalCommon):
    def test_high_risk_case_closes_only_after_another_coordinator_approves(self):
        self.assertTrue(self.case.is_high_risk)
        approval = self._request_close()
        self.assertEqual(approval.state, "pending")
        self.assertEqual(approval.requested_by_id, self.caseworker)
        self.assertEqual(self.case.state, "new", "nothing changes before the approval")
        self.assertFalse(self.case.closure_reason_id)
        self.assertEqual(
            self._approval_activities(self.case).user_id,
            self.coordinator | self.coordinator_a,
            "the lead agency's coordinators are asked, nobody else",
        )
        self.assertIn(
            "Moved away, safe now.", self.case.message_ids[:1].body, "reason tracked"
        )
        self.assertEqual(
            self.case.with_user(self.caseworker).pending_approval_id, approval
        )

        # A case worker is no coordinator.
        with self.assertRaises(UserError):
            approval.with_user(self.caseworker).action_approve()
        approval.with_user(self.coordinator_a).action_approve()
        self.assertEqual(self.case.state, "closed")
        self.assertEqual(self.case.closure_reason_id, self.completed)
        self.assertEqual(self.case.outcome_abuse, "stopped")
        self.assertEqual(self.case.outcome_safety, "better")
        self.assertEqual(self.case.outcome, "She lives in another town.")
        self.assertEqual(approval.state, "approved")
        self.assertEqual(approval.decided_by_id, self.coordinator_a)
        self.assertFalse(self._approval_activities(self.case))
        self.assertIn("Approved", self.case.message_ids[:1].body)

    def test_no_other_path_closes_a_high_risk_case(self):
        """Recording a high-risk request as not served closes its case: that
        needs the four eyes too, whatever the context of the call says."""
        self.assertEqual(self.case.state, "new")
        wizard = (
            self.env["dv.case.intake.wizard"]
            .with_user(self.caseworker)
            .with_context(dv_approved_close=True, dv_system_write=True)
            .create(
                {
                    "case_id": self.case.id,
                    "decision": "turnaway",
                    "turnaway_reason_id": self.env.ref(
                        "dv_case_management.turnaway_reason_out_of_area"
                    ).id,
                }
            )
        )
        with self.assertRaisesRegex(UserError, "second coordinator"):
            wizard.action_confirm()
        self.assertEqual(self.case.state, "new")
        self.assertFalse(self.case.turnaway_reason_id, "nothing half-saved")
        # Nor a request of another case, approved.
        with self.assertRaisesRegex(UserError, "second coordinator"):
            self.case.with_user(self.caseworker)._close(
                self.completed, "", approval=self.env["dv.case.approval"]
            )

    def test_requester_never_approves_her_own_request(self):
        approval = self._request_close(user=self.coordinator)
        self.assertEqual(
            self._approval_activities(self.case).user_id,
            self.coordinator_a,
            "the requester gets no to-do to approve herself",
        )
        self.assertFalse(approval.with_user(self.coordinator).can_decide)
        self.assertTrue(approval.with_user(self.coordinator_a).can_decide)
        with self.assertRaisesRegex(UserError, "other than the one who asked"):
            approval.with_user(self.coordinator).action_approve()
        with self.assertRaises(UserError):
            approval.with_user(self.coordinator).action_open_refuse_wizard()
        with self.assertRaises(UserError):
            self.case.with_user(self.coordinator).action_approve_pending()
        self.assertEqual(self.case.state, "new")
        self.case.with_user(self.coordinator_a).action_approve_pending()
        self.assertEqual(self.case.state, "closed")

    def test_refusal_needs_a_reason_and_changes_nothing(self):
        approval = self._request_close()
        with self.assertRaises(UserError):
            approval.with_user(self.coordinator_a)._refuse("  ")
        action = approval.with_user(self.coordinator_a).action_open_refuse_wizard()
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(self.coordinator_a)
            .with_context(**action["context"])
        )
        wizard.note = "Threats in court last week: not yet."
        wizard.save().action_confirm()
        self.assertEqual(approval.state, "refused")
        self.assertEqual(approval.decision_note, "Threats in court last week: not yet.")
        self.assertEqual(self.case.state, "new")
        self.assertIn("Threats in court", self.case.message_ids[:1].body)
        with self.assertRaises(UserError):
            approval.with_user(self.coordinator).action_approve()
        # Asked anew.
        again = self._request_close()
        self.assertNotEqual(again, approval)
        self.assertEqual(again.state, "pending")

    def test_one_request_at_a_time_and_withdrawal(self):
        approval = self._request_close()
        with self.assertRaisesRegex(UserError, "already has a request"):
            self._request_close()
        self.case.with_user(self.caseworker).action_withdraw_approval()
        self.assertEqual(approval.state, "withdrawn")
        self.assertFalse(self._approval_activities(self.case))
        with self.assertRaises(UserError):
            approval.with_user(self.coordinator_a).action_approve()

    def test_request_needs_a_reason(self):
        with self.assertRaisesRegex(UserError, "reason"):
            self.env["dv.case.approval"].with_user(self.caseworker)._request(
                self.case, "close", " ", {"closure_reason_id": self.completed.id}
            )
        self.assertFalse(self.case.sudo().approval_ids)

    def test_new_assessment_asks_for_a_new_decision(self):
        approval = self._request_close()
        self._assess_case(self.case, "high", date="2026-05-31")
        with self.assertRaisesRegex(UserError, "assessed anew"):
            approval.with_user(self.coordinator_a).action_approve()
        self.assertEqual(self.case.state, "new")
        self.assertEqual(approval.state, "pending")

    def test_case_without_high_risk_closes_at_once(self):
        self.assertFalse(self.adult_case.is_high_risk)
        self.assertFalse(self._request_close(case=self.adult_case))
        self.assertEqual(self.adult_case.state, "closed")
        with self.assertRaisesRegex(UserError, "not a high-risk case"):
            self.env["dv.case.approval"].with_user(self.caseworker)._request(
                self._create_case(), "close", "x", {}
            )

    def test_other_agencies_and_companies_neither_read_nor_decide(self):
        approval = self._request_close()
        for user in (
            self.coordinator_shelter,
            self.shelter_worker,
            self.outsider,
            self.coordinator_b,
            self.caseworker_b,
            self.network,
            self.statistics,
        ):
            with self.subTest(user=user.login):
                Approval = self.env["dv.case.approval"].with_user(user)
                if Approval.has_access("read"):
                    self.assertFalse(Approval.search([]))
                with self.assertRaises(AccessError):
                    approval.with_user(user).read(["reason", "state"])
                with self.assertRaises(AccessError):
                    approval.with_user(user).action_approve()
                with self.assertRaises(AccessError):
                    approval.with_user(user).action_withdraw()
        self.assertEqual(approval.state, "pending")
        self.assertEqual(self.case.state, "new")

    def test_no_wizard_names_another_agencys_request_or_case(self):
        """A case worker of another agency or company who points the reason
        wizard at a request, or the close wizard at a case, she cannot read
        (over JSON-RPC, say) learns nothing: reading the wizard back would
        show the request's name, the reference of a high-risk case being
        closed. Found in review."""
        approval = self._request_close()
        for user in (self.shelter_worker, self.outsider, self.caseworker_b):
            with self.subTest(user=user.login):
                with self.assertRaises(UserError):
                    self.env["dv.case.approval.wizard"].with_user(user).create(
                        {"mode": "refuse", "approval_id": approval.id, "note": "x"}
                    ).read(["approval_id"])
                with self.assertRaises(UserError):
                    self.env["dv.case.close.wizard"].with_user(user).create(
                        {
                            "case_id": self.case.id,
                            "closure_reason_id": self.completed.id,
                            "outcome_abuse": "stopped",
                            "outcome_safety": "better",
                        }
                    ).read(["case_id"])

    def test_nobody_writes_creates_or_deletes_a_request_directly(self):
        approval = self._request_close(user=self.coordinator)
        for values in (
            {"state": "approved"},
            {"decided_by_id": self.coordinator_a.id},
            {"requested_by_id": self.coordinator_a.id},
            {"reason": "changed"},
        ):
            with self.subTest(values=values), self.assertRaises(UserError):
                approval.with_user(self.coordinator).write(values)
        with self.assertRaises(AccessError):
            self.env["dv.case.approval"].with_user(self.coordinator).create(
                {
                    "case_id": self.case.id,
                    "request_type": "close",
                    "reason": "x",
                    "closure_reason_id": self.completed.id,
                }
            )
        with self.assertRaises(AccessError):
            approval.with_user(self.coordinator).unlink()
        self.assertEqual(approval.state, "pending")
        self.assertEqual(approval.requested_by_id, self.coordinator)

    def test_erasure_blanks_the_texts(self):
        approval = self._request_close()
        approval.with_user(self.coordinator_a).action_approve()
        self.case._erase("retention", "test")
        self.assertFalse(approval.reason)
        self.assertFalse(approval.outcome)
        self.assertEqual(approval.state, "approved")


class TestEndOfHighRisk(ApprovalCommon):
    def test_a_lower_assessment_alone_ends_no_high_risk(self):
        """Only the network ends the high-risk status: a later assessment
        with a lower result keeps the case high risk, and closing it still
        needs the four eyes."""
        self._assess_case(self.case, "medium", date="2026-05-31")
        self.assertEqual(self.case.risk_level, "medium")
        self.assertTrue(self.case.is_high_risk)
        approval = self._request_close()
        self.assertEqual(approval.state, "pending")
        self.assertEqual(self.case.state, "new")

    def test_conference_ends_high_risk_status_after_approval(self):
        _conference, line = self._held_conference_with(self.case)
        line = line.with_user(self.caseworker)
        self.assertTrue(line.can_end_high_risk)
        action = line.action_end_high_risk()
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(self.caseworker)
            .with_context(**action["context"])
        )
        wizard.note = "No contact for months, perpetrator moved abroad."
        wizard.save().action_confirm()
        approval = self.case.sudo().approval_ids
        self.assertEqual(approval.request_type, "end_high_risk")
        self.assertEqual(approval.conference_ref, line.conference_id.name)
        self.assertTrue(self.case.is_high_risk, "nothing changes before the approval")
        self.assertFalse(line.can_end_high_risk, "one request at a time")

        approval.with_user(self.coordinator_a).action_approve()
        self.assertFalse(self.case.is_high_risk)
        self.assertTrue(self.case.high_risk_ended_on)
        self.assertIn(self.case, self._ended_cases())
        self.assertEqual(self.case.risk_level, "high", "the assessment stays as made")
        self.assertEqual(str(self.case.high_risk_ended_on), "2026-06-01")
        self.assertEqual(
            self.case.high_risk_end_reason,
            "No contact for months, perpetrator moved abroad.",
        )
        Case = self.env["dv.case"].with_user(self.coordinator_a)
        self.assertNotIn(self.case, Case.search([("is_high_risk", "=", True)]))
        self.assertNotIn(self.case, Case.search([("review_due", "=", True)]))
        dashboard = (
            self.env["dv.dashboard"]
            .with_user(self.coordinator_a)
            .search([("agency_id", "=", self.agency_a.id)])
        )
        self.assertEqual(dashboard.high_risk_count, 0)
        # No conference reminder and no safety plan prompt for being high risk.
        self.case.sudo().last_conference_date = False
        self.case.sudo().escalated_on = False
        self.case._refer_to_conference()
        self.assertFalse(self.case.awaiting_conference)
        self.case.company_id.sudo().dv_safety_plan_days = 1
        self.env["dv.case"]._cron_safety_plan_due()
        prompt = self.env.ref("dv_case_management.mail_activity_type_safety_plan")
        self.assertFalse(
            self.case.sudo().activity_ids.filtered(
                lambda a: a.activity_type_id == prompt
            )
        )

        # A new high assessment makes it high risk again.
        self._assess_case(self.case, "medium", date="2026-06-01")
        self.assertFalse(self.case.is_high_risk)
        self.assertIn(self.case, self._ended_cases())
        self._assess_case(self.case, "high", date="2026-06-01")
        self.assertTrue(self.case.is_high_risk)
        self.assertNotIn(self.case, self._ended_cases())
        self.assertTrue(self.case.awaiting_conference)

    def test_decision_only_at_a_held_conference_that_discussed_the_case(self):
        conference = self._conference()
        line = conference.line_ids.filtered(
            lambda x: x.sudo().case_ref_id == self.case
        ) or self._line(conference, self.case)
        self.assertFalse(line.with_user(self.caseworker).can_end_high_risk)
        Approval = self.env["dv.case.approval"].with_user(self.caseworker)
        with self.assertRaisesRegex(UserError, "held"):
            Approval._request(self.case, "end_high_risk", "x", {"line_id": line.id})
        other_line = self._line(conference, self.adult_case)
        with self.assertRaisesRegex(UserError, "discussed the case"):
            Approval._request(
                self.case, "end_high_risk", "x", {"line_id": other_line.id}
            )
        self.assertFalse(self.case.sudo().approval_ids)

    def test_participants_without_the_case_cannot_ask(self):
        _conference, line = self._held_conference_with(self.case)
        line = line.with_user(self.shelter_worker)
        self.assertFalse(line.can_end_high_risk)
        with self.assertRaises(UserError):
            line.action_end_high_risk()
        wizard = (
            self.env["dv.case.approval.wizard"]
            .with_user(self.shelter_worker)
            .create({"mode": "end_high_risk", "line_id": line.id, "note": "x"})
        )
        with self.assertRaises(UserError):
            wizard.action_confirm()
        self.assertFalse(self.case.sudo().approval_ids)

    def test_no_erasure_context_unlocks_the_assessment_that_makes_it_high_risk(
        self,
    ):
        """A case worker who passes the erasure's context key over RPC must
        not rewrite or predate the completed high assessment: that would end
        the high-risk status (and so the four eyes on closing) unapproved.
        Found in review."""
        high = self.case.sudo().assessment_ids.filtered(
            lambda a: a.final_level == "high"
        )
        self._assess_case(self.case, "standard", date="2026-05-01")
        self.assertTrue(self.case.is_high_risk)
        crafted = high.with_user(self.caseworker).with_context(dv_erasing=True)
        for values in (
            {"external_level": "standard"},
            {"date": "2026-04-01"},
            {"external_tool": "other", "external_level": "medium"},
        ):
            with self.subTest(values=values), self.assertRaises(UserError):
                crafted.write(values)
        self.env.invalidate_all()
        self.assertEqual(high.external_level, "high")
        self.assertTrue(self.case.is_high_risk)


class TestLeadInstitution(ApprovalCommon):
    def test_case_takes_the_lead_institution_of_its_latest_conference(self):
        _conference, line = self._held_conference_with(
            self.case, lead_agency_id=self.shelter.id
        )
        self.assertEqual(self.case.lead_institution_id, self.shelter)
        self.assertEqual(self.case.lead_agency_id, self.agency_a, "access unchanged")
        # Corrected in the minutes.
        line.write({"lead_agency_id": self.agency_shared.id})
        self.assertEqual(self.case.lead_institution_id, self.agency_shared)
        # Who works the case changes it.
        self.case.with_user(self.caseworker).lead_institution_id = self.agency_a
        self.assertEqual(self.case.lead_institution_id, self.agency_a)

    def test_only_network_agencies_of_the_case_and_only_who_edits_it(self):
        with self.assertRaises(AccessError):
            self.case.with_user(self.shelter_worker).lead_institution_id = self.shelter
        with self.assertRaises(UserError):
            self.case.with_user(self.caseworker).lead_institution_id = self.agency_b
        self.assertFalse(self.case.lead_institution_id)
        # Naming a lead institution opens the case to nobody.
        self.case.with_user(self.caseworker).lead_institution_id = self.shelter
        with self.assertRaises(AccessError):
            self.case.with_user(self.shelter_worker).read(["name"])

    def test_agenda_action_defaults_to_the_lead_institution(self):
        conference = self._conference()
        line = conference.line_ids.filtered(
            lambda x: x.sudo().case_ref_id == self.case
        ) or self._line(conference, self.case)
        line.lead_agency_id = self.shelter
        # The agenda item's form proposes it for a new action.
        with Form(line.sudo()) as form:
            with form.action_ids.new() as action:
                self.assertEqual(action.owner_agency_id, self.shelter)
                action.name = "Warning talk"
                action.due_date = "2026-06-20"


@freeze_time("2026-06-01 08:00:00")
class TestApprovalJsonRpc(JsonRpcMixin, HttpCase, ApprovalCommon):
    """The requester over /web/dataset/call_kw, as the web client sends it."""

    @mute_logger("odoo.http")
    def test_requester_cannot_approve_over_json_rpc(self):
        approval = self._request_close(user=self.coordinator)
        self.authenticate(self.coordinator.login, self.coordinator.login)
        attempts = [
            ("write", [[approval.id], {"state": "approved"}]),
            ("write", [[approval.id], {"decided_by_id": self.coordinator_a.id}]),
            ("write", [[approval.id], {"requested_by_id": self.coordinator_a.id}]),
            ("action_approve", [[approval.id]]),
            (
                "create",
                [
                    {
                        "case_id": self.case.id,
                        "request_type": "close",
                        "state": "approved",
                        "reason": "x",
                        "closure_reason_id": self.completed.id,
                    }
                ],
            ),
        ]
        for method, args in attempts:
            with self.subTest(method=method, args=args):
                with self.assertRaises(JsonRpcException):
                    self._rpc("dv.case.approval", method, args)
        with self.assertRaises(JsonRpcException):
            self._rpc("dv.case", "action_approve_pending", [[self.case.id]])
        self.env.invalidate_all()
        self.assertEqual(approval.state, "pending")
        self.assertEqual(approval.requested_by_id, self.coordinator)
        self.assertFalse(approval.decided_by_id)
        self.assertEqual(self.case.state, "new")
        self.assertEqual(len(self.case.sudo().approval_ids), 1)

    @mute_logger("odoo.http")
    def test_high_risk_status_is_not_ended_by_writing_over_json_rpc(self):
        """The case's own case worker cannot end its high-risk status (and so
        close it without four eyes) by writing the end's fields."""
        assessment = self.case._latest_assessment()
        self.authenticate(self.caseworker.login, self.caseworker.login)
        for values in (
            {"high_risk_ended_on": "2026-06-01"},
            {"high_risk_held": False},
            {"high_risk_end_assessment_id": assessment.id},
            {
                "high_risk_ended_on": "2026-06-01",
                "high_risk_end_assessment_id": assessment.id,
                "high_risk_end_reason": "x",
            },
        ):
            with self.subTest(values=values), self.assertRaises(JsonRpcException):
                self._rpc("dv.case", "write", [[self.case.id], values])
        self.env.invalidate_all()
        self.assertTrue(self.case.is_high_risk)
        self.assertFalse(self.case.high_risk_ended_on)

    @mute_logger("odoo.http")
    def test_reason_wizard_names_no_foreign_agenda_item_over_json_rpc(self):
        """Another company's case worker points the reason wizard at an
        agenda item of agency A's conference and reads it back: refused."""
        _conference, line = self._held_conference_with(self.case)
        self.authenticate(self.caseworker_b.login, self.caseworker_b.login)
        with self.assertRaises(JsonRpcException):
            self._rpc(
                "dv.case.approval.wizard",
                "web_save",
                [[], {"mode": "end_high_risk", "line_id": line.id, "note": "x"}],
                {"specification": {"line_id": {"fields": {"display_name": {}}}}},
            )
        self.assertFalse(self.case.sudo().approval_ids)

    @mute_logger("odoo.http")
    def test_reopening_the_high_assessment_ends_no_high_risk_over_json_rpc(self):
        """A coordinator alone reopens the completed high assessment (a draft
        counts for nothing), changes it or deletes it, and closes the case
        without the four eyes: refused; the case stays high risk until the
        network ends it. Found in review."""
        high = self.case._latest_assessment()
        self.assertEqual(high.final_level, "high")
        self.authenticate(self.coordinator.login, self.coordinator.login)
        action = self._rpc(
            "dv.risk.assessment", "action_open_reopen_wizard", [[high.id]]
        )
        wizard_id = self._rpc(
            action["res_model"],
            "web_save",
            [[], {"assessment_id": high.id, "reason": "Entered by mistake."}],
            {"specification": {}},
        )[0]["id"]
        self._rpc(action["res_model"], "action_confirm", [[wizard_id]])
        self.env.invalidate_all()
        self.assertEqual(high.state, "draft")
        self.assertTrue(self.case.is_high_risk, "a reopened assessment ends nothing")
        # Lowered in the draft, completed again: still high until the network
        # ends it.
        self._rpc(
            "dv.risk.assessment", "write", [[high.id], {"external_level": "standard"}]
        )
        self._rpc("dv.risk.assessment", "action_done", [[high.id]])
        self.env.invalidate_all()
        self.assertEqual(self.case.risk_level, "standard")
        self.assertTrue(self.case.is_high_risk)
        # Reopened again and deleted.
        wizard_id = self._rpc(
            action["res_model"],
            "web_save",
            [[], {"assessment_id": high.id, "reason": "Duplicate."}],
            {"specification": {}},
        )[0]["id"]
        self._rpc(action["res_model"], "action_confirm", [[wizard_id]])
        self._rpc("dv.risk.assessment", "unlink", [[high.id]])
        self.env.invalidate_all()
        self.assertFalse(high.exists())
        self.assertTrue(self.case.is_high_risk)
        # Closing asks for the four eyes, as before.
        close_id = self._rpc(
            "dv.case.close.wizard",
            "web_save",
            [
                [],
                {
                    "case_id": self.case.id,
                    "closure_reason_id": self.completed.id,
                    "outcome_abuse": "stopped",
                    "outcome_safety": "better",
                    "outcome": "x",
                    "request_reason": "Risk over.",
                },
            ],
            {"specification": {}},
        )[0]["id"]
        self._rpc("dv.case.close.wizard", "action_confirm", [[close_id]])
        self.env.invalidate_all()
        self.assertEqual(self.case.state, "new")
        self.assertEqual(self.case.sudo().approval_ids.state, "pending")
