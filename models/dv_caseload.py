from odoo import fields, models, tools
from odoo.tools import SQL

from .dv_case_capacity import OPEN_STATES


class DvCaseload(models.Model):
    """The caseload of each member of an agency: the open cases of the
    agency she is responsible for, against her company's limit (set by a
    manager in the capacity settings). A database view of counts, read only
    by the case workers of the agency (security/rules.xml)."""

    _name = "dv.caseload"
    _description = "Caseload"
    _auto = False
    _order = "agency_id, open_count desc, id"
    _rec_name = "user_id"
    _depends = {
        "dv.agency.member": ["agency_id", "user_id", "company_id"],
        "dv.case": [
            "active",
            "state",
            "lead_agency_id",
            "user_id",
            "risk_level",
            "waiting_reason_id",
        ],
        "res.company": ["dv_caseload_limit"],
    }

    agency_id = fields.Many2one("dv.agency", readonly=True)
    user_id = fields.Many2one("res.users", string="Case Worker", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    open_count = fields.Integer(string="Open Cases", readonly=True)
    new_count = fields.Integer(string="New Cases", readonly=True)
    high_risk_count = fields.Integer(string="High Risk", readonly=True)
    waiting_count = fields.Integer(string="Waiting", readonly=True)
    caseload_limit = fields.Integer(string="Limit", readonly=True)
    load_percent = fields.Float(string="Load (%)", readonly=True)
    at_limit = fields.Boolean(
        string="At or Over the Limit",
        readonly=True,
        help="As many open cases as the limit or more.",
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
CREATE VIEW %(table)s AS (
    SELECT m.id AS id,
           m.agency_id AS agency_id,
           m.user_id AS user_id,
           a.company_id AS company_id,
           COALESCE(load.open_count, 0) AS open_count,
           COALESCE(load.new_count, 0) AS new_count,
           COALESCE(load.high_risk_count, 0) AS high_risk_count,
           COALESCE(load.waiting_count, 0) AS waiting_count,
           COALESCE(co.dv_caseload_limit, 0) AS caseload_limit,
           CASE WHEN COALESCE(co.dv_caseload_limit, 0) > 0
                THEN 100.0 * COALESCE(load.open_count, 0) / co.dv_caseload_limit
           END AS load_percent,
           (COALESCE(co.dv_caseload_limit, 0) > 0
            AND COALESCE(load.open_count, 0) >= co.dv_caseload_limit) AS at_limit
      FROM dv_agency_member m
      JOIN dv_agency a ON a.id = m.agency_id
      LEFT JOIN res_company co ON co.id = a.company_id
      LEFT JOIN (
            SELECT c.lead_agency_id, c.user_id,
                   count(*) AS open_count,
                   count(*) FILTER (WHERE c.state = 'new') AS new_count,
                   count(*) FILTER (WHERE c.risk_level = 'high') AS high_risk_count,
                   count(*) FILTER (WHERE c.waiting_reason_id IS NOT NULL)
                       AS waiting_count
              FROM dv_case c
             WHERE c.active AND c.state IN %(open)s AND c.user_id IS NOT NULL
             GROUP BY c.lead_agency_id, c.user_id
      ) load ON load.lead_agency_id = m.agency_id AND load.user_id = m.user_id
     WHERE a.active
)
                """,
                table=SQL.identifier(self._table),
                open=OPEN_STATES,
            )
        )
