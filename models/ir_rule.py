from odoo import api, fields, models, tools
from odoo.tools import SQL


class IrRule(models.Model):
    _inherit = "ir.rule"

    @api.model
    def _eval_context(self):
        """The cases a user reads beyond those of their own agencies, for the
        rules of this addon:

        - ``dv_emergency_case_ids``: their running emergency accesses;
        - ``dv_granted_case_ids``: those plus the cases shared with one of
          their agencies (see ``_dv_shared_case_ids``).

        Given as ids, the rules become plain ``id IN (...)`` conditions that
        PostgreSQL combines with the lead agency's index, instead of
        subqueries evaluated for every case. The computed domains of this
        addon's models are cached by the minute (see _dv_compute_domain), so
        a consent, a share or an emergency access expires within the minute,
        and the records that grant access (dv.grant.mixin: memberships,
        agencies, shares, consents, emergency accesses) clear the cache when
        they change.

        The grants are read as the database has them: nothing the current
        request wrote and did not flush itself counts. A grant record flushes
        its grant fields before it clears the cache, once its write has
        passed its checks; a row a user is writing through the API is never
        flushed here to authorise itself."""
        context = super()._eval_context()
        now = fields.Datetime.now()
        emergency, shared = [], []
        user = self.env.user
        if user.has_group("dv_case_management.group_dv_network"):
            cr = self.env.cr
            cr.execute(
                SQL(
                    "SELECT case_id FROM dv_break_glass "
                    "WHERE user_id = %s AND expires_at > %s",
                    user.id,
                    now,
                )
            )
            emergency = [row[0] for row in cr.fetchall()]
            agencies = user.sudo().dv_agency_ids.ids
            if agencies:
                shared = self._dv_shared_case_ids(agencies, now.date())
        # The moment as the database stores it, for rules that compare with
        # it (those of earlier versions did, until the upgrade replaces them).
        context["dv_now"] = fields.Datetime.to_string(now)
        context["dv_today"] = fields.Date.to_string(now.date())
        context["dv_emergency_case_ids"] = emergency
        context["dv_granted_case_ids"] = sorted(set(emergency) | set(shared))
        return context

    @api.model
    def _dv_shared_case_ids(self, agencies, today):
        """The cases shared with ``agencies``: a share to one of them that
        was accepted and is neither archived, completed, revoked nor past its
        end, and whose legal basis still holds: a consent that was not
        withdrawn, has not expired, and names the receiving agency and the
        purpose of passing the case on."""
        consent_field = self.env["dv.consent"]._fields
        agencies_rel = consent_field["agency_ids"]
        purposes_rel = consent_field["purpose_ids"]
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT share.case_id
                  FROM dv_share share
                  LEFT JOIN dv_consent consent ON consent.id = share.consent_id
                 WHERE share.active
                   AND share.share_type = 'share'
                   AND share.state = 'accepted'
                   AND share.to_agency_id = ANY(%(agencies)s)
                   AND (share.valid_until IS NULL OR share.valid_until >= %(today)s)
                   AND (
                        share.legal_basis IN ('statute', 'acute_danger')
                     OR (share.legal_basis = 'consent'
                         AND consent.id IS NOT NULL
                         AND consent.case_id = share.case_id
                         AND consent.withdrawn_on IS NULL
                         AND consent.given_on <= %(today)s
                         AND (consent.valid_until IS NULL
                              OR consent.valid_until >= %(today)s)
                         AND EXISTS (
                             SELECT 1 FROM %(agency_table)s rel
                              WHERE rel.%(agency_consent)s = consent.id
                                AND rel.%(agency_agency)s = share.to_agency_id)
                         AND EXISTS (
                             SELECT 1 FROM %(purpose_table)s rel
                               JOIN dv_consent_purpose purpose
                                 ON purpose.id = rel.%(purpose_purpose)s
                              WHERE rel.%(purpose_consent)s = consent.id
                                AND purpose.code = %(purpose)s))
                   )
                """,
                agencies=agencies,
                today=today,
                purpose="referral",
                agency_table=SQL.identifier(agencies_rel.relation),
                agency_consent=SQL.identifier(agencies_rel.column1),
                agency_agency=SQL.identifier(agencies_rel.column2),
                purpose_table=SQL.identifier(purposes_rel.relation),
                purpose_consent=SQL.identifier(purposes_rel.column1),
                purpose_purpose=SQL.identifier(purposes_rel.column2),
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    # The rules of this addon's models depend on time-limited grants (shares
    # and consents that end on a day, emergency accesses that end at an
    # hour): their computed domains are cached by the minute, so that none
    # outlives the minute it was computed in. The rules of every other
    # application keep Odoo's cache untouched.

    @api.model
    def _compute_domain(self, model_name, mode="read"):
        if model_name.startswith("dv."):
            return self._dv_compute_domain(model_name, mode)
        return super()._compute_domain(model_name, mode)

    @api.model
    @tools.ormcache(
        "self.env.uid",
        "self.env.su",
        "model_name",
        "mode",
        "tuple(self._compute_domain_context_values())",
        "self._dv_minute()",
    )
    def _dv_compute_domain(self, model_name, mode):
        # Odoo's own computation, without its cache (ours keys it).
        compute = super()._compute_domain
        uncached = getattr(compute, "__cache__", None)
        if uncached is None:
            return compute(model_name, mode)
        return uncached.method(self, model_name, mode)

    @api.model
    def _dv_minute(self):
        return fields.Datetime.now().replace(second=0, microsecond=0)
