from odoo import api, fields, models, tools
from odoo.exceptions import UserError
from odoo.tools import SQL

from .dv_referral import INBOUND_OPEN
from .dv_time import deadline_state, overdue_domain

DEADLINE_TYPES = [
    ("first_contact", "First Contact"),
    ("measure_end", "Police Measure Ends"),
    ("claim", "Claim for the Home (§ 2 GewSchG)"),
    ("order_end", "Protection Order Ends"),
    ("action_due", "Conference Action Due"),
    ("followup_due", "Follow-up Due"),
]
# Each source row gets the id source_id * (number of types) + its type's number,
# so that
# a deadline keeps its id however often the view is read.
TYPE_NUMBERS = {key: number for number, (key, _label) in enumerate(DEADLINE_TYPES)}


class DvDeadline(models.Model):
    """Every running deadline of the cases and referrals a user may read, in
    one list: first contact of open referrals, the end of police measures,
    the § 2 GewSchG claim and the end of protection orders, open
    conference actions and follow-ups after a conference still to do. A
    database view; a deadline is read as its case (or, for a referral, by its
    receiving office; for an action, by its owner agency)."""

    _name = "dv.deadline"
    _description = "Deadline"
    _auto = False
    _order = "deadline, id"
    _rec_name = "label"
    # What the view reads: flushed before every query of it.
    _depends = {
        "dv.referral": [
            "active",
            "state",
            "first_contact_deadline",
            "name",
            "case_id",
            "to_agency_id",
            "company_id",
        ],
        "dv.case": [
            "active",
            "state",
            "name",
            "lead_agency_id",
            "user_id",
            "company_id",
        ],
        "dv.police.measure": ["case_id", "effective_end"],
        "dv.protection.order": [
            "case_id",
            "section",
            "application_date",
            "claim_deadline",
            "decision",
            "order_end",
        ],
        "dv.conference.action": [
            "status",
            "due_date",
            "owner_agency_id",
            "user_id",
            "company_id",
            "conference_id",
        ],
        "dv.conference": ["name"],
        "dv.case.followup": ["case_id", "due_date", "done_on"],
    }

    deadline_type = fields.Selection(DEADLINE_TYPES, readonly=True)
    deadline = fields.Datetime(string="Due", readonly=True)
    date = fields.Date(readonly=True)
    label = fields.Char(string="Deadline", compute="_compute_label")
    remaining = fields.Char(string="Time Left", compute="_compute_label")
    is_overdue = fields.Boolean(
        string="Overdue", compute="_compute_label", search="_search_is_overdue"
    )
    reference = fields.Char(readonly=True)
    case_id = fields.Many2one("dv.case", readonly=True)
    agency_id = fields.Many2one("dv.agency", readonly=True)
    user_id = fields.Many2one("res.users", string="Responsible", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    res_model = fields.Char(string="Record Type", readonly=True)
    res_id = fields.Integer(string="Record", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        count = len(DEADLINE_TYPES)
        self.env.cr.execute(
            SQL(
                """
CREATE VIEW %(table)s AS (
    SELECT r.id * %(count)s + %(first_contact)s AS id,
           'first_contact' AS deadline_type,
           r.first_contact_deadline AS deadline,
           r.first_contact_deadline::date AS date,
           r.name AS reference,
           r.case_id AS case_id,
           r.to_agency_id AS agency_id,
           c.user_id AS user_id,
           r.company_id AS company_id,
           'dv.referral' AS res_model,
           r.id AS res_id
      FROM dv_referral r
      LEFT JOIN dv_case c ON c.id = r.case_id
     WHERE r.active AND r.state IN %(open)s
       AND r.first_contact_deadline IS NOT NULL
    UNION ALL
    SELECT m.id * %(count)s + %(measure_end)s, 'measure_end',
           m.effective_end + time '23:59', m.effective_end, c.name, c.id,
           c.lead_agency_id, c.user_id, c.company_id, 'dv.police.measure', m.id
      FROM dv_police_measure m JOIN dv_case c ON c.id = m.case_id
     WHERE c.active AND c.state != 'closed' AND m.effective_end IS NOT NULL
    UNION ALL
    SELECT o.id * %(count)s + %(claim)s, 'claim',
           o.claim_deadline + time '23:59', o.claim_deadline, c.name, c.id,
           c.lead_agency_id, c.user_id, c.company_id, 'dv.protection.order', o.id
      FROM dv_protection_order o JOIN dv_case c ON c.id = o.case_id
     WHERE c.active AND c.state != 'closed' AND o.section = 's2'
       AND o.application_date IS NULL AND o.claim_deadline IS NOT NULL
    UNION ALL
    SELECT o.id * %(count)s + %(order_end)s, 'order_end',
           o.order_end + time '23:59', o.order_end, c.name, c.id,
           c.lead_agency_id, c.user_id, c.company_id, 'dv.protection.order', o.id
      FROM dv_protection_order o JOIN dv_case c ON c.id = o.case_id
     WHERE c.active AND c.state != 'closed' AND o.decision = 'granted'
       AND o.order_end IS NOT NULL
    UNION ALL
    SELECT a.id * %(count)s + %(action_due)s, 'action_due',
           a.due_date + time '23:59', a.due_date, conference.name, NULL,
           a.owner_agency_id, a.user_id, a.company_id, 'dv.conference.action', a.id
      FROM dv_conference_action a
      JOIN dv_conference conference ON conference.id = a.conference_id
     WHERE a.status = 'open'
    UNION ALL
    SELECT f.id * %(count)s + %(followup_due)s, 'followup_due',
           f.due_date + time '23:59', f.due_date, c.name, c.id,
           c.lead_agency_id, c.user_id, c.company_id, 'dv.case.followup', f.id
      FROM dv_case_followup f JOIN dv_case c ON c.id = f.case_id
     WHERE c.active AND c.state != 'closed' AND f.done_on IS NULL
)
                """,
                table=SQL.identifier(self._table),
                count=count,
                open=INBOUND_OPEN,
                **TYPE_NUMBERS,
            )
        )

    @api.depends("deadline_type", "deadline")
    @api.depends_context("uid", "lang")
    def _compute_label(self):
        labels = dict(self._fields["deadline_type"]._description_selection(self.env))
        now = fields.Datetime.now()
        for deadline in self:
            deadline.label = labels.get(deadline.deadline_type, "")
            deadline.remaining, deadline.is_overdue = deadline_state(
                self.env, deadline.deadline, now
            )

    def _search_is_overdue(self, operator, value):
        return overdue_domain(
            operator, value, UserError(self.env._("Unsupported search on deadlines."))
        )

    def action_open_source(self):
        """The record the deadline belongs to, if the user may read it."""
        self.ensure_one()
        record = self.env[self.res_model].browse(self.res_id).exists()
        if not record or not record.has_access("read"):
            raise UserError(self.env._("You have no access to this record."))
        return record.get_formview_action()

    @api.model
    def _next_for_cases(self, cases):
        """{case id: the case's next deadline} among those the user reads."""
        deadlines = self.search([("case_id", "in", cases.ids)], order="deadline")
        result = {}
        for deadline in deadlines:
            result.setdefault(deadline.case_id.id, deadline)
        return result
