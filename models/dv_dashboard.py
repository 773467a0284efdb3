from odoo import fields, models, tools
from odoo.tools import SQL

from .dv_referral import INBOUND_OPEN


class DvDashboard(models.Model):
    """The key figures of the current year, one card per agency. A database
    view: the figures are counted in PostgreSQL when the overview opens, and
    a user sees the cards of their own agencies only (record rule), so no
    figure reaches anyone who could not count the records themselves."""

    _name = "dv.dashboard"
    _description = "Overview"
    _auto = False
    _order = "agency_name, agency_id"
    # The view reads the tables of cases, referrals and actions: it is
    # imported last in models/__init__.py, so that they exist first.

    agency_id = fields.Many2one("dv.agency", readonly=True)
    agency_name = fields.Char(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    open_case_count = fields.Integer(string="Open Cases", readonly=True)
    year_case_count = fields.Integer(string="Cases Opened This Year", readonly=True)
    high_risk_count = fields.Integer(string="Open High-risk Cases", readonly=True)
    awaiting_conference_count = fields.Integer(
        string="Awaiting Conference", readonly=True
    )
    year_referral_count = fields.Integer(string="Referrals This Year", readonly=True)
    open_referral_count = fields.Integer(
        string="Referrals Awaiting Contact", readonly=True
    )
    overdue_referral_count = fields.Integer(string="Overdue Referrals", readonly=True)
    in_time_rate = fields.Float(
        string="Contacted in Time (%)", readonly=True, aggregator="avg", digits=(5, 1)
    )
    shared_case_count = fields.Integer(
        string="Cases Shared with Us",
        readonly=True,
        help="Cases of other agencies this agency reads through an accepted share.",
    )
    share_to_answer_count = fields.Integer(string="Shares to Answer", readonly=True)
    open_action_count = fields.Integer(string="Open Actions", readonly=True)
    overdue_action_count = fields.Integer(string="Overdue Actions", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
CREATE VIEW %(table)s AS (
    WITH year AS (SELECT date_trunc('year', now() AT TIME ZONE 'UTC') AS start),
    cases AS (
        SELECT c.lead_agency_id AS agency_id,
               count(*) FILTER (WHERE c.state != 'closed') AS open_cases,
               count(*) FILTER (WHERE c.opened_on >= year.start) AS year_cases,
               count(*) FILTER (WHERE c.state != 'closed'
                                  AND c.is_high_risk) AS high_risk,
               count(*) FILTER (WHERE c.awaiting_conference) AS awaiting
          FROM dv_case c, year
         WHERE c.active
         GROUP BY c.lead_agency_id
    ),
    referrals AS (
        SELECT r.to_agency_id AS agency_id,
               count(*) FILTER (WHERE r.received_at >= year.start) AS year_referrals,
               count(*) FILTER (WHERE r.state IN %(open)s) AS open_referrals,
               count(*) FILTER (WHERE r.state IN %(open)s
                                  AND r.first_contact_deadline
                                      < now() AT TIME ZONE 'UTC') AS overdue,
               count(*) FILTER (WHERE r.received_at >= year.start
                                  AND r.first_contact_deadline IS NOT NULL)
                   AS with_deadline,
               count(*) FILTER (WHERE r.received_at >= year.start
                                  AND r.contacted_in_time) AS in_time
          FROM dv_referral r, year
         WHERE r.active
         GROUP BY r.to_agency_id
    ),
    shares AS (
        SELECT s.to_agency_id AS agency_id,
               count(DISTINCT s.case_id) FILTER (WHERE s.state = 'accepted'
                                                   AND s.share_type = 'share')
                   AS shared_cases,
               count(*) FILTER (WHERE s.state = 'sent') AS to_answer
          FROM dv_share s
         WHERE s.active
         GROUP BY s.to_agency_id
    ),
    actions AS (
        SELECT a.owner_agency_id AS agency_id,
               count(*) AS open_actions,
               count(*) FILTER (WHERE a.due_date < CURRENT_DATE) AS overdue_actions
          FROM dv_conference_action a
         WHERE a.status = 'open'
         GROUP BY a.owner_agency_id
    )
    SELECT agency.id AS id,
           agency.id AS agency_id,
           partner.name AS agency_name,
           agency.company_id AS company_id,
           COALESCE(cases.open_cases, 0) AS open_case_count,
           COALESCE(cases.year_cases, 0) AS year_case_count,
           COALESCE(cases.high_risk, 0) AS high_risk_count,
           COALESCE(cases.awaiting, 0) AS awaiting_conference_count,
           COALESCE(referrals.year_referrals, 0) AS year_referral_count,
           COALESCE(referrals.open_referrals, 0) AS open_referral_count,
           COALESCE(referrals.overdue, 0) AS overdue_referral_count,
           CASE WHEN referrals.with_deadline > 0
                THEN round(100.0 * referrals.in_time / referrals.with_deadline, 1)
           END AS in_time_rate,
           COALESCE(shares.shared_cases, 0) AS shared_case_count,
           COALESCE(shares.to_answer, 0) AS share_to_answer_count,
           COALESCE(actions.open_actions, 0) AS open_action_count,
           COALESCE(actions.overdue_actions, 0) AS overdue_action_count
      FROM dv_agency agency
      JOIN res_partner partner ON partner.id = agency.partner_id
      LEFT JOIN cases ON cases.agency_id = agency.id
      LEFT JOIN referrals ON referrals.agency_id = agency.id
      LEFT JOIN shares ON shares.agency_id = agency.id
      LEFT JOIN actions ON actions.agency_id = agency.id
     WHERE agency.active
)
                """,
                table=SQL.identifier(self._table),
                open=INBOUND_OPEN,
            )
        )

    def _open(self, model, name, domain, views=("list", "form")):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "views": [(False, view) for view in views],
            "domain": domain,
        }

    def action_open_cases(self):
        return self._open(
            "dv.case",
            self.env._("Open Cases"),
            [("lead_agency_id", "=", self.agency_id.id), ("state", "!=", "closed")],
        )

    def action_open_shared(self):
        return self._open(
            "dv.share",
            self.env._("Shared with Us"),
            [
                ("to_agency_id", "=", self.agency_id.id),
                ("state", "in", ("sent", "accepted")),
            ],
        )

    def action_open_high_risk(self):
        return self._open(
            "dv.case",
            self.env._("Open High-risk Cases"),
            [
                ("lead_agency_id", "=", self.agency_id.id),
                ("state", "!=", "closed"),
                ("is_high_risk", "=", True),
            ],
        )

    def action_open_awaiting(self):
        return self._open(
            "dv.case",
            self.env._("Awaiting Conference"),
            [
                ("lead_agency_id", "=", self.agency_id.id),
                ("awaiting_conference", "=", True),
            ],
        )

    def action_open_referrals(self):
        return self._open(
            "dv.referral",
            self.env._("Referrals Awaiting Contact"),
            [
                ("to_agency_id", "=", self.agency_id.id),
                ("state", "in", INBOUND_OPEN),
            ],
        )

    def action_open_actions(self):
        return self._open(
            "dv.conference.action",
            self.env._("Open Actions"),
            [("owner_agency_id", "=", self.agency_id.id), ("status", "=", "open")],
        )
