from datetime import timedelta

from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import SQL

RECORD_TYPES = [
    ("referral_not_taken_up", "Referral Not Taken Up"),
    ("closed_case", "Closed Case"),
    ("conference_minutes", "Conference Minutes"),
    ("access_log", "Access Log"),
    ("signin_log", "Sign-in Log"),
]
# Cases erased per run of the scheduled job; the job calls itself again
# while cases remain.
BATCH_SIZE = 50


class DvCaseRetention(models.AbstractModel):
    """The retention engine: finds what is due by the retention rules and
    has it erased. A due case is erased by ``dv.case._erase``, which asks
    every model inheriting ``dv.erasable.mixin`` (``_erasable_models``) to
    erase its own records of the case (``_dv_erase``: the identifying data
    goes, the statistical skeleton stays), removes their messages,
    activities and attachments, marks the case and logs it. Expired
    conference minutes lose their free text (``dv.conference._erase_minutes``);
    the access and sign-in logs, which name staff and no data subject beyond
    a case's reference, lose their old entries whole."""

    _name = "dv.retention"
    _description = "Retention"

    @api.model
    def _erasable_models(self):
        """The names of the models holding personal data of a case's
        people, in name order: every model inheriting
        ``dv.erasable.mixin``."""
        names = self.env.registry.descendants(["dv.erasable.mixin"], "_inherit")
        return sorted(
            name
            for name in names
            if not self.env[name]._abstract and not self.env[name]._transient
        )

    @api.model
    def _due_cases(self, limit=None):
        """Cases whose identifying data is due for erasure today. The periods
        are looked up per company and closure reason (a handful of pairs),
        the cases found by the database."""
        today = fields.Date.context_today(self)
        Case = self.env["dv.case"].sudo().with_context(active_test=False)
        rules = self.env["dv.retention.rule"].sudo().search([("active", "=", True)])
        # Closed cases after the period of their closure reason.
        pending = [("state", "=", "closed"), ("erased_on", "=", False)]
        branches = []
        for company, reason in Case._read_group(
            pending, ["company_id", "closure_reason_id"]
        ):
            days = rules._days_for("closed_case", company, reason, rules)
            if days:
                branches.append(
                    [
                        ("company_id", "=", company.id),
                        ("closure_reason_id", "=", reason.id),
                        ("closed_on", "<=", today - timedelta(days=days)),
                    ]
                )
        due_ids = (
            Case.search([*pending, *expression.OR(branches)], order="closed_on, id").ids
            if branches
            else []
        )
        # Cases made only of referrals that were never taken up: the
        # latest end of their contact attempts (erase-after date less the
        # office's waiting time) plus the company's period.
        for [company] in Case._read_group(
            [("state", "=", "new"), ("erased_on", "=", False)], ["company_id"]
        ):
            days = rules._days_for("referral_not_taken_up", company, rules=rules)
            if days is None:
                continue
            due_ids += self._cases_not_taken_up(
                SQL("c.company_id = %s", company.id),
                SQL(
                    """bool_or(r.erase_after IS NOT NULL)
                       AND max(r.erase_after
                               - COALESCE(a.unreached_retention_days, 0))
                           + %s <= %s""",
                    days,
                    today,
                ),
            )
        # Cases of referrals never taken up that the person declined under a
        # statute requiring the data to be erased without delay: due now,
        # whatever the rules say, and first. The company's profile must say
        # so today (a manager may have corrected it since the decline), and
        # the case must still be with the office its referrals went to: a
        # case passed to another agency is that agency's, under its rules.
        statute_ids = self._cases_not_taken_up(
            SQL(
                """c.company_id IN (
                       SELECT co.id
                         FROM res_company co
                         JOIN dv_land_profile p ON p.id = co.dv_land_profile_id
                        WHERE p.erase_on_decline)"""
            ),
            SQL(
                """bool_or(r.erase_on_decline AND r.legal_basis = 'statute')
                   AND bool_and(r.to_agency_id = c.lead_agency_id)"""
            ),
        )
        first = set(statute_ids)
        due_ids = statute_ids + [case_id for case_id in due_ids if case_id not in first]
        due = Case.browse(due_ids)
        return due[:limit] if limit else due

    @api.model
    def _cases_not_taken_up(self, where, having):
        """The ids of the new, unerased cases made only of referrals that
        were never taken up, with the condition ``where`` on the case and
        ``having`` on its referrals ``r`` and their offices ``a``."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT c.id
                  FROM dv_case c
                  JOIN dv_referral r ON r.case_id = c.id
                  JOIN dv_agency a ON a.id = r.to_agency_id
                 WHERE c.state = 'new' AND c.erased_on IS NULL AND %s
              GROUP BY c.id
                HAVING bool_and(r.state IN ('declined', 'unreachable',
                                            'withdrawn'))
                   AND %s
              ORDER BY c.id
                """,
                where,
                having,
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    def _due_conferences(self):
        today = fields.Date.context_today(self)
        days = (
            self.env["dv.retention.rule"]
            .sudo()
            ._days_for("conference_minutes", self.env.company)
        )
        if not days:
            return self.env["dv.conference"]
        return (
            self.env["dv.conference"]
            .sudo()
            .search(
                [
                    ("held_on", "!=", False),
                    (
                        "start",
                        "<",
                        fields.Datetime.to_datetime(today - timedelta(days=days)),
                    ),
                    ("minutes_erased", "=", False),
                ]
            )
        )

    @api.model
    def _expire_access_log(self):
        """Delete the access log's entries older than the period of their
        company (one statement per company). Returns how many went."""
        return self._expire_log("access_log", "dv.access.log", "accessed_at")

    @api.model
    def _expire_signin_log(self):
        """Delete the sign-in log's entries older than the period of their
        company. Returns how many went."""
        return self._expire_log("signin_log", "dv.signin.log", "signed_in_at")

    @api.model
    def _expire_log(self, record_type, model_name, date_field):
        rules = self.env["dv.retention.rule"].sudo().search([("active", "=", True)])
        today = fields.Date.context_today(self)
        Log = self.env[model_name]
        Log.flush_model()
        table = SQL.identifier(Log._table)
        self.env.cr.execute(SQL("SELECT DISTINCT company_id FROM %s", table))
        deleted = 0
        for (company_id,) in self.env.cr.fetchall():
            company = self.env["res.company"].browse(company_id)
            days = rules._days_for(record_type, company, rules=rules)
            if not days:
                continue
            self.env.cr.execute(
                SQL(
                    "DELETE FROM %s "
                    "WHERE company_id IS NOT DISTINCT FROM %s AND %s < %s",
                    table,
                    company_id,
                    SQL.identifier(date_field),
                    fields.Datetime.to_datetime(today - timedelta(days=days)),
                )
            )
            deleted += self.env.cr.rowcount
        Log.invalidate_model()
        return deleted

    @api.model
    def _erasure_reason(self, case):
        """Why the job erases ``case``, and on whose account: its retention
        period is over (the job's), or a statute requires its data erased
        since the person declined (whoever recorded the decline). The
        statute is named as the company's profile names it: the norm of a
        referral is typed by a case worker and may name a person."""
        profile = case.company_id.dv_land_profile_id
        declined = case.referral_ids.filtered(
            lambda referral: (
                referral.erase_on_decline and referral.legal_basis == "statute"
            )
        )
        if profile.erase_on_decline and declined:
            reason = self.env._(
                "Declined the counselling: %(norm)s requires the data erased",
                norm=profile.proactive_statute or profile.name,
            )
            return reason, declined.sorted("id")[-1].declined_by_id or None
        return self.env._("Retention period over"), None

    @api.model
    def _cron_erase(self):
        """Erase one batch; each case is erased in one go and marked, so a run
        that is interrupted leaves whole cases only and the next run
        continues where it stopped."""
        due = self._due_cases()
        batch = due[:BATCH_SIZE]
        for case in batch:
            reason, user = self._erasure_reason(case)
            case._erase("retention", reason, user=user)
        for conference in self._due_conferences():
            conference._erase_minutes()
        self._expire_access_log()
        self._expire_signin_log()
        self.env["ir.cron"]._notify_progress(
            done=len(batch), remaining=len(due) - len(batch)
        )
        return len(batch)
