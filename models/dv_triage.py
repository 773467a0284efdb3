from odoo import api, fields, models, tools
from odoo.exceptions import UserError
from odoo.tools import SQL

from .dv_referral import INBOUND_OPEN
from .dv_time import deadline_state, overdue_domain

TRIAGE_SOURCES = [("referral", "Referral"), ("case", "New Case")]


class DvTriage(models.Model):
    """The intake office's triage list: its open referrals and its new
    cases that came without any referral (a case that came with one is
    decided on its referral), in the order of their triage priority
    (points stored on the referral and the case, see dv_case_capacity.py),
    then the first-contact deadline, then arrival. A database view, read
    only by the case workers of the office (security/rules.xml); it shows
    references, flags and dates, never a name."""

    _name = "dv.triage"
    _description = "Triage List"
    _auto = False
    _order = "priority desc, deadline, received, id"
    _rec_name = "reference"
    _depends = {
        "dv.referral": [
            "active",
            "state",
            "name",
            "case_id",
            "to_agency_id",
            "company_id",
            "received_at",
            "first_contact_deadline",
            "triage_score",
            "is_repeat",
            "proposed_case_id",
        ],
        "dv.case": [
            "active",
            "state",
            "name",
            "lead_agency_id",
            "user_id",
            "company_id",
            "opened_on",
            "triage_score",
            "risk_level",
            "has_children",
            "is_repeat",
            "waiting_reason_id",
            "turnaway_reason_id",
        ],
    }

    source = fields.Selection(TRIAGE_SOURCES, readonly=True)
    reference = fields.Char(readonly=True)
    priority = fields.Integer(readonly=True)
    high_risk = fields.Boolean(readonly=True)
    has_children = fields.Boolean(string="Children", readonly=True)
    is_repeat = fields.Boolean(string="Repeat", readonly=True)
    deadline = fields.Datetime(string="First Contact Due", readonly=True)
    received = fields.Datetime(readonly=True)
    remaining = fields.Char(string="Time Left", compute="_compute_remaining")
    is_overdue = fields.Boolean(
        string="Overdue", compute="_compute_remaining", search="_search_is_overdue"
    )
    referral_id = fields.Many2one("dv.referral", readonly=True)
    case_id = fields.Many2one("dv.case", readonly=True)
    agency_id = fields.Many2one("dv.agency", string="Office", readonly=True)
    user_id = fields.Many2one("res.users", string="Responsible", readonly=True)
    waiting_reason_id = fields.Many2one(
        "dv.waiting.reason", string="Waiting Because", readonly=True
    )
    company_id = fields.Many2one("res.company", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
CREATE VIEW %(table)s AS (
    SELECT r.id * 2 AS id,
           'referral' AS source,
           r.name AS reference,
           r.triage_score AS priority,
           COALESCE(c.risk_level = 'high', FALSE) AS high_risk,
           COALESCE(c.has_children, FALSE) AS has_children,
           (COALESCE(r.is_repeat, FALSE) OR COALESCE(c.is_repeat, FALSE)
            OR r.proposed_case_id IS NOT NULL) AS is_repeat,
           r.first_contact_deadline AS deadline,
           r.received_at AS received,
           r.id AS referral_id,
           r.case_id AS case_id,
           r.to_agency_id AS agency_id,
           c.user_id AS user_id,
           c.waiting_reason_id AS waiting_reason_id,
           r.company_id AS company_id
      FROM dv_referral r
      -- Only the office's own case: led elsewhere by now, it is none of
      -- the office's business (its flags, responsible person, waiting).
      LEFT JOIN dv_case c ON c.id = r.case_id AND c.lead_agency_id = r.to_agency_id
     WHERE r.active AND r.state IN %(open)s
       AND c.turnaway_reason_id IS NULL
    UNION ALL
    SELECT c.id * 2 + 1, 'case', c.name, c.triage_score,
           COALESCE(c.risk_level = 'high', FALSE),
           COALESCE(c.has_children, FALSE), COALESCE(c.is_repeat, FALSE),
           NULL, c.opened_on::timestamp, NULL, c.id, c.lead_agency_id,
           c.user_id, c.waiting_reason_id, c.company_id
      FROM dv_case c
     WHERE c.active AND c.state = 'new' AND c.turnaway_reason_id IS NULL
       AND NOT EXISTS (SELECT 1 FROM dv_referral r WHERE r.case_id = c.id)
)
                """,
                table=SQL.identifier(self._table),
                open=INBOUND_OPEN,
            )
        )

    @api.depends("deadline")
    @api.depends_context("uid", "lang")
    def _compute_remaining(self):
        now = fields.Datetime.now()
        for item in self:
            item.remaining, item.is_overdue = deadline_state(
                self.env, item.deadline, now
            )

    def _search_is_overdue(self, operator, value):
        return overdue_domain(
            operator,
            value,
            UserError(self.env._("Unsupported search on the triage list.")),
        )

    def _record(self):
        self.ensure_one()
        record = self.referral_id if self.source == "referral" else self.case_id
        if not record.exists() or not record.has_access("read"):
            raise UserError(self.env._("You have no access to this record."))
        return record

    def action_open(self):
        """The referral or case behind the line."""
        return self._record().get_formview_action()

    def action_take(self):
        """The current user takes the case behind the line."""
        self.ensure_one()
        if not self.case_id:
            raise UserError(
                self.env._(
                    "Referral %(ref)s has no case yet: decide on the possible repeat "
                    "first.",
                    ref=self.reference,
                )
            )
        self._record()
        return self.case_id.action_take()
