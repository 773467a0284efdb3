"""The intake office's capacity on the case: its place on the triage list,
the waiting list, the reasons a request was not served and the caseload of
its responsible person.

The triage priority is a number stored on the case (and on the referral,
see dv_referral_triage.py), so that the list sorts in the database:

* 4 points when the case is high risk,
* 2 points when children live in the household,
* 1 point when it is a repeat;

the list is ordered by these points (highest first), then by the
first-contact deadline (earliest first, none last), then by arrival."""

from odoo import api, fields, models
from odoo.exceptions import UserError

from .dv_guard import system_write

TRIAGE_POINTS = {"high_risk": 4, "children": 2, "repeat": 1}
OPEN_STATES = ("new", "in_progress")
INTAKE_STATUSES = [
    ("open", "Not Yet Decided"),
    ("waiting", "Waiting"),
    ("served", "Served"),
    ("turned_away", "Not Served"),
]


def triage_score(high_risk, children, repeat):
    """The documented triage points (see the module's docstring)."""
    return (
        TRIAGE_POINTS["high_risk"] * bool(high_risk)
        + TRIAGE_POINTS["children"] * bool(children)
        + TRIAGE_POINTS["repeat"] * bool(repeat)
    )


class DvCase(models.Model):
    _inherit = "dv.case"

    triage_score = fields.Integer(
        string="Triage Priority",
        compute="_compute_triage_score",
        store=True,
        index=True,
        help="Points for the order of the triage list: 4 when high risk, 2 when "
        "children live in the household, 1 for a repeat.",
    )
    started_on = fields.Date(
        readonly=True,
        copy=False,
        help="When the work on the case began (the request was served).",
    )
    waiting_reason_id = fields.Many2one(
        "dv.waiting.reason",
        string="Waiting Because",
        readonly=True,
        copy=False,
        tracking=True,
        index="btree_not_null",
    )
    waiting_since = fields.Date(readonly=True, copy=False)
    turnaway_reason_id = fields.Many2one(
        "dv.turnaway.reason",
        string="Not Served Because",
        readonly=True,
        copy=False,
        tracking=True,
        index="btree_not_null",
    )
    intake_status = fields.Selection(
        INTAKE_STATUSES,
        compute="_compute_intake_status",
        store=True,
        index=True,
        help="Where the request stands for the capacity survey: served once the "
        "work began, not served with a reason, waiting on the waiting list, "
        "else not yet decided.",
    )

    @api.depends("risk_level", "has_children", "is_repeat")
    def _compute_triage_score(self):
        for case in self:
            case.triage_score = triage_score(
                case.risk_level == "high", case.has_children, case.is_repeat
            )

    @api.depends("state", "started_on", "waiting_reason_id", "turnaway_reason_id")
    def _compute_intake_status(self):
        for case in self:
            if case.turnaway_reason_id:
                case.intake_status = "turned_away"
            elif case.started_on or case.state == "in_progress":
                case.intake_status = "served"
            elif case.waiting_reason_id:
                case.intake_status = "waiting"
            else:
                case.intake_status = "open"

    @api.onchange("user_id")
    def _onchange_user_id_caseload(self):
        warning = self._dv_caseload_warning(self.user_id)
        if warning:
            return {
                "warning": {
                    "title": self.env._("Caseload"),
                    "message": warning,
                    "type": "notification",
                }
            }

    # Caseload

    def _dv_caseload(self, user):
        """How many open cases of this case's lead agency ``user`` is
        responsible for, this case left out (a count only). Counted for the
        agency's own members only: nobody else learns another agency's
        caseload (the onchange takes any agency a client sends)."""
        self.ensure_one()
        agency = self.lead_agency_id
        if not user or not agency or agency not in self.env.user.dv_agency_ids:
            return 0
        return self.sudo().search_count(
            [
                ("lead_agency_id", "=", self.lead_agency_id.id),
                ("user_id", "=", user.id),
                ("state", "in", OPEN_STATES),
                ("id", "!=", self._origin.id or 0),
            ]
        )

    def _dv_caseload_warning(self, user):
        """The warning for giving this case to ``user`` when she already
        holds as many open cases as her company's limit or more; False
        otherwise. Never a refusal: the office decides."""
        self.ensure_one()
        company = self.company_id or self.env.company
        limit = company.sudo().dv_caseload_limit
        if not user or not limit:
            return False
        count = self._dv_caseload(user)
        if count < limit:
            return False
        return self.env._(
            "%(user)s already holds %(count)s open cases, the limit is %(limit)s.",
            user=user.name,
            count=count,
            limit=limit,
        )

    # Actions

    def action_start(self):
        result = super().action_start()
        self._dv_system_write({"waiting_reason_id": False, "waiting_since": False})
        self.filtered(lambda case: not case.started_on)._dv_system_write(
            {"started_on": fields.Date.context_today(self)}
        )
        return result

    def _close(self, reason, outcome, abuse=False, safety=False, approval=None):
        result = super()._close(
            reason, outcome, abuse=abuse, safety=safety, approval=approval
        )
        self.filtered("waiting_reason_id")._dv_system_write(
            {"waiting_reason_id": False, "waiting_since": False}
        )
        return result

    def action_reopen(self):
        result = super().action_reopen()
        # Reopened, the request is worked after all.
        self.filtered("turnaway_reason_id")._dv_system_write(
            {"turnaway_reason_id": False}
        )
        return result

    def action_take(self):
        """The current user takes the case (becomes responsible for it);
        a warning, not a refusal, when her caseload is at the limit."""
        self.ensure_one()
        self._dv_check_state(OPEN_STATES, self.env._("Taking a case"))
        warning = self._dv_caseload_warning(self.env.user)
        self.user_id = self.env.user
        form = self.get_formview_action()
        if not warning:
            return form
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Caseload"),
                "message": warning,
                "type": "warning",
                "sticky": True,
                "next": form,
            },
        }

    def _dv_intake_wizard(self, decision):
        self.ensure_one()
        self.check_access("write")
        self._dv_check_state(("new",), self._dv_intake_label(decision))
        return {
            "type": "ir.actions.act_window",
            "name": self._dv_intake_label(decision),
            "res_model": "dv.case.intake.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_case_id": self.id, "default_decision": decision},
        }

    def _dv_intake_label(self, decision):
        if decision == "waiting":
            return self.env._("Putting on the waiting list")
        return self.env._("Recording as not served")

    def action_open_waiting_wizard(self):
        return self._dv_intake_wizard("waiting")

    def action_open_turnaway_wizard(self):
        return self._dv_intake_wizard("turnaway")

    def action_end_waiting(self):
        self.check_access("write")
        for case in self:
            if not case.waiting_reason_id:
                raise UserError(
                    self.env._(
                        "Case %(case)s is not on the waiting list.", case=case.name
                    )
                )
        self._dv_system_write({"waiting_reason_id": False, "waiting_since": False})

    def _dv_reason(self, model, reason):
        """``reason`` as a record of ``model`` (the demo data pass ids)."""
        if isinstance(reason, models.BaseModel):
            return reason
        return self.env[model].browse(reason)

    def _dv_put_on_waiting_list(self, reason):
        """Put new cases on the waiting list for ``reason``."""
        reason = self._dv_reason("dv.waiting.reason", reason)
        self.check_access("write")
        self._dv_check_state(("new",), self._dv_intake_label("waiting"))
        if not reason:
            raise UserError(self.env._("Give the reason for waiting."))
        self._dv_system_write({"waiting_reason_id": reason.id})
        self.filtered(lambda case: not case.waiting_since)._dv_system_write(
            {"waiting_since": fields.Date.context_today(self)}
        )

    def _dv_turn_away(self, reason, note=False):
        """Record that new cases were not served for ``reason`` and close
        them (the closure reason "not served"; outcomes unknown)."""
        reason = self._dv_reason("dv.turnaway.reason", reason)
        self.check_access("write")
        self._dv_check_state(("new",), self._dv_intake_label("turnaway"))
        if not reason:
            raise UserError(
                self.env._("Give the reason why the request was not served.")
            )
        # Closed first: a high-risk case refuses to close without four eyes,
        # and nothing is written then.
        self._close(
            self.env.ref("dv_case_management.closure_reason_not_served"),
            note,
            abuse="unknown",
            safety="unknown",
        )
        self._dv_system_write({"turnaway_reason_id": reason.id})

    def _dv_mark_not_served(self, code):
        """A referral was not taken up (declined, never reached): its case,
        still new and undecided, counts as not served for the reason of
        ``code`` (left open if the reason was archived)."""
        reason = (
            self.env["dv.turnaway.reason"].sudo().search([("code", "=", code)], limit=1)
        )
        cases = self.filtered(
            lambda c: c.state == "new" and not c.turnaway_reason_id and not c.started_on
        )
        if reason and cases:
            with system_write():
                cases.sudo().write(
                    {
                        "turnaway_reason_id": reason.id,
                        "waiting_reason_id": False,
                        "waiting_since": False,
                    }
                )
