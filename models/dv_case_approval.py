"""Four-eyes approval: closing a high-risk case and ending a case's high-risk
status are asked for by a case worker with a reason and decided by a
coordinator of the case's lead agency who is not the one asking. Until the
request is approved nothing changes on the case; the approval does the
change with the values recorded in the request.

OCA's ``base_tier_validation`` was considered and not used (see the README,
*Four-eyes approval*): its reviews are read and written by every internal
user of the company, it does not keep the requester from approving, and it
posts to the reviewers of a group regardless of the case's need-to-know."""

from odoo import api, fields, models
from odoo.exceptions import UserError

from .dv_case import ABUSE_OUTCOMES, SAFETY_OUTCOMES

REQUEST_TYPES = [
    ("close", "Closing a High-risk Case"),
    ("end_high_risk", "Ending High-risk Status"),
]
APPROVAL_STATES = [
    ("pending", "Awaiting Approval"),
    ("approved", "Approved"),
    ("refused", "Refused"),
    ("withdrawn", "Withdrawn"),
]
# A request is decided once; a refused or withdrawn one is asked for anew.
APPROVAL_TRANSITIONS = {"pending": ("approved", "refused", "withdrawn")}
# The conference states in which its agenda items record decisions.
DECIDING_CONFERENCE_STATES = ("held", "approved")


class DvCaseApproval(models.Model):
    _name = "dv.case.approval"
    _description = "Four-eyes Approval"
    _inherit = ["dv.guard.mixin", "dv.workflow.mixin", "dv.erasable.mixin"]
    _state_transitions = APPROVAL_TRANSITIONS
    _dv_immutable_fields = (
        "case_id",
        "request_type",
        "reason",
        "line_id",
        "closure_reason_id",
        "outcome_abuse",
        "outcome_safety",
        "outcome",
    )
    _order = "requested_on desc, id desc"

    case_id = fields.Many2one(
        "dv.case", required=True, ondelete="cascade", index=True, auto_join=True
    )
    company_id = fields.Many2one(related="case_id.company_id", store=True, index=True)
    request_type = fields.Selection(REQUEST_TYPES, string="Request", required=True)
    state = fields.Selection(
        APPROVAL_STATES,
        string="Status",
        required=True,
        default="pending",
        readonly=True,
        copy=False,
        index=True,
    )
    reason = fields.Text(help="Why the case worker asks for it (shown in the case).")
    line_id = fields.Many2one(
        "dv.conference.agenda.item",
        string="Agenda Item",
        ondelete="set null",
        help="The case conference that decided to end the high-risk status.",
    )
    conference_ref = fields.Char(
        string="Conference",
        readonly=True,
        help="The reference of the case conference that took the decision.",
    )
    closure_reason_id = fields.Many2one("dv.closure.reason")
    outcome_abuse = fields.Selection(ABUSE_OUTCOMES, string="Abuse at Closure")
    outcome_safety = fields.Selection(SAFETY_OUTCOMES, string="Safety at Closure")
    outcome = fields.Text()
    assessment_id = fields.Many2one(
        "dv.risk.assessment",
        string="Risk Assessment",
        readonly=True,
        help="The case's latest risk assessment when the request was made; a "
        "newer one asks for a new decision.",
    )
    requested_by_id = fields.Many2one("res.users", readonly=True)
    requested_on = fields.Datetime(readonly=True)
    decided_by_id = fields.Many2one("res.users", readonly=True)
    decided_on = fields.Datetime(readonly=True)
    decision_note = fields.Text(
        string="Reason for the Decision",
        readonly=True,
        help="Why the request was refused (or a note on the approval).",
    )
    can_decide = fields.Boolean(
        compute="_compute_can_decide",
        help="The current user may approve or refuse: a coordinator of the "
        "case's lead agency who did not ask.",
    )

    @api.depends("case_id", "request_type")
    def _compute_display_name(self):
        labels = dict(self._fields["request_type"]._description_selection(self.env))
        for approval in self:
            approval.display_name = self.env._(
                "%(request)s: %(case)s",
                request=labels.get(approval.request_type, ""),
                case=approval.sudo().case_id.name or "",
            )

    @api.depends("state", "requested_by_id")
    @api.depends_context("uid")
    def _compute_can_decide(self):
        for approval in self:
            approval.can_decide = (
                approval.state == "pending" and not approval._decide_refusal()
            )

    # CRUD: requests are made by the action methods of the case, the close
    # wizard and the agenda item (see _request); nobody creates, changes or
    # deletes one directly (security/ir.model.access.csv).

    @api.model
    def _request(self, case, request_type, reason, values=None):
        """Ask for ``request_type`` on ``case`` as the current user, who must be one
        of its case workers; return the request. ``values`` are the closure
        values or the agenda item."""
        case.ensure_one()
        case.check_access("write")
        if not self.env.user.has_group("dv_case_management.group_dv_caseworker"):
            raise UserError(self.env._("Only case workers ask for an approval."))
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason for your request."))
        if case.state == "closed":
            raise UserError(
                self.env._("Case %(case)s is closed already.", case=case.name)
            )
        if not case.is_high_risk:
            raise UserError(
                self.env._(
                    "Case %(case)s is not a high-risk case: no approval is needed.",
                    case=case.name,
                )
            )
        if case.sudo().approval_ids.filtered(lambda a: a.state == "pending"):
            raise UserError(
                self.env._(
                    "Case %(case)s already has a request awaiting approval; "
                    "withdraw it first.",
                    case=case.name,
                )
            )
        values = dict(values or {})
        if request_type == "close" and not values.get("closure_reason_id"):
            raise UserError(self.env._("Give the reason for closing the case."))
        if request_type == "end_high_risk":
            line = self.env["dv.conference.agenda.item"].browse(values.get("line_id"))
            if not line or line.sudo().case_ref_id != case:
                raise UserError(
                    self.env._(
                        "The end of the high-risk status is decided at a case "
                        "conference that discussed the case."
                    )
                )
            if line.sudo().conference_id.state not in DECIDING_CONFERENCE_STATES:
                raise UserError(
                    self.env._(
                        "Record the decision once the case conference has been held."
                    )
                )
            values["conference_ref"] = line.sudo().conference_id.name
        approval = (
            self.sudo()
            .create(
                {
                    **values,
                    "case_id": case.id,
                    "request_type": request_type,
                    "reason": reason.strip(),
                    "assessment_id": case._latest_assessment().id,
                    "requested_by_id": self.env.uid,
                    "requested_on": fields.Datetime.now(),
                }
            )
            .with_env(self.env)
        )
        approval._announce_request()
        return approval

    # Actions

    def action_approve(self):
        """Approve and do what was asked: close the case with the recorded
        outcome, or end its high-risk status."""
        self.ensure_one()
        self._dv_check_move("approved", self.env._("Approving"))
        self._check_decider()
        case = self.case_id
        if self.assessment_id != case._latest_assessment():
            raise UserError(
                self.env._(
                    "The case's risk was assessed anew since the request: ask for "
                    "the decision again."
                )
            )
        if self.request_type == "close":
            case._close(
                self.closure_reason_id,
                self.outcome,
                abuse=self.outcome_abuse,
                safety=self.outcome_safety,
                approval=self,
            )
        else:
            case._end_high_risk(self)
        self._decide("approved", False)
        return True

    def action_open_refuse_wizard(self):
        self.ensure_one()
        self._dv_check_move("refused", self.env._("Refusing"))
        self._check_decider()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Refuse"),
            "res_model": "dv.case.approval.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_approval_id": self.id, "default_mode": "refuse"},
        }

    def _refuse(self, note):
        self.ensure_one()
        self._dv_check_move("refused", self.env._("Refusing"))
        self._check_decider()
        if not (note or "").strip():
            raise UserError(self.env._("Say why you refuse the request."))
        self._decide("refused", note.strip())

    def action_withdraw(self):
        """The case workers of the lead agency take a request back."""
        for approval in self:
            approval._dv_check_move("withdrawn", self.env._("Withdrawing"))
            approval.case_id.check_access("write")
            approval._decide("withdrawn", False)
        return True

    def action_open_case(self):
        self.ensure_one()
        return self.case_id.get_formview_action()

    # Business methods

    def _decide_refusal(self):
        """Why the current user may not decide the request (False if she
        may)."""
        self.ensure_one()
        user = self.env.user
        if not user.has_group("dv_case_management.group_dv_coordinator"):
            return self.env._("Only a coordinator approves or refuses a request.")
        if self.sudo().case_id.lead_agency_id not in user.dv_agency_ids:
            return self.env._(
                "Only a coordinator of the case's lead agency approves or refuses "
                "a request."
            )
        if self.requested_by_id == user:
            return self.env._(
                "Four eyes: a request is approved or refused by a coordinator "
                "other than the one who asked."
            )
        return False

    def _check_decider(self):
        self.check_access("read")
        refusal = self._decide_refusal()
        if refusal:
            raise UserError(refusal)

    def _decide(self, state, note):
        self.ensure_one()
        self.sudo()._dv_move(
            state,
            self.env._("Deciding"),
            {
                "decided_by_id": self.env.uid,
                "decided_on": fields.Datetime.now(),
                "decision_note": note,
            },
        )
        self._announce_decision()

    def _announce_request(self):
        """In the case's chatter (read by who reads the case) and a to-do
        for the lead agency's other coordinators; the to-do names no one."""
        self.ensure_one()
        case = self.sudo().case_id
        case.message_post(
            body=self.env._(
                "%(request)s requested by %(user)s. Reason: %(reason)s",
                request=self._request_type_label(),
                user=self.env.user.name,
                reason=self.reason,
            ),
            author_id=self.env.user.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        case.lead_agency_id._dv_schedule_for_role(
            "coordinator",
            case,
            "dv_case_management.mail_activity_type_approval",
            lambda env: env._("Approve or refuse a request (four eyes)"),
            exclude=self.env.user,
        )

    def _announce_decision(self):
        self.ensure_one()
        case = self.sudo().case_id
        states = dict(self._fields["state"]._description_selection(self.env))
        body = self.env._(
            "%(request)s: %(state)s by %(user)s.",
            request=self._request_type_label(),
            state=states[self.state],
            user=self.env.user.name,
        )
        if self.decision_note:
            body += " " + self.env._("Reason: %(note)s", note=self.decision_note)
        case.message_post(
            body=body,
            author_id=self.env.user.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        case.activity_unlink(["dv_case_management.mail_activity_type_approval"])

    def _request_type_label(self):
        labels = dict(self._fields["request_type"]._description_selection(self.env))
        return labels[self.request_type]

    # Erasure

    def _dv_erase(self):
        """The texts go; request type, state and dates remain."""
        self.write({"reason": False, "outcome": False, "decision_note": False})
