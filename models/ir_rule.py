from odoo import api, fields, models
from odoo.tools import SQL


class IrRule(models.Model):
    _inherit = "ir.rule"

    @api.model
    def _eval_context(self):
        """The cases a user reads beyond those of their own agencies, for the
        rules of this addon:

        - ``dv_emergency_case_ids``: their running emergency accesses;
        - ``dv_granted_case_ids``: those plus the cases shared with one of
          their agencies (an accepted share whose consent, if any, is still
          valid).

        Given as ids, the rules become plain ``id IN (...)`` conditions that
        PostgreSQL combines with the lead agency's index, instead of
        subqueries evaluated for every case. Odoo caches the computed rule
        domains: the current minute joins the cache key (see below), so a
        consent or an emergency access expires within the minute, and
        shares, consents and emergency accesses clear the cache when they
        change."""
        context = super()._eval_context()
        now = fields.Datetime.now()
        emergency, shared = [], []
        user = self.env.user
        if user.has_group("dv_case_management.group_dv_network"):
            cr = self.env.cr
            self.env["dv.break.glass"].flush_model(["case_id", "user_id", "expires_at"])
            self.env["dv.referral"].flush_model(
                [
                    "active",
                    "direction",
                    "kind",
                    "state",
                    "case_id",
                    "to_agency_id",
                    "consent_id",
                ]
            )
            self.env["dv.consent"].flush_model(["valid_until"])
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
                cr.execute(
                    SQL(
                        "SELECT DISTINCT referral.case_id FROM dv_referral referral "
                        "LEFT JOIN dv_consent consent "
                        "ON consent.id = referral.consent_id "
                        "WHERE referral.active AND referral.direction = 'outbound' "
                        "AND referral.kind = 'share' AND referral.state = 'accepted' "
                        "AND referral.case_id IS NOT NULL "
                        "AND referral.to_agency_id = ANY(%s) "
                        "AND (consent.valid_until IS NULL "
                        "OR consent.valid_until >= %s)",
                        agencies,
                        now.date(),
                    )
                )
                shared = [row[0] for row in cr.fetchall()]
        # The moment as the database stores it, for rules that compare with
        # it (those of earlier versions did, until the upgrade replaces them).
        context["dv_now"] = fields.Datetime.to_string(now)
        context["dv_today"] = fields.Date.to_string(now.date())
        context["dv_emergency_case_ids"] = emergency
        context["dv_granted_case_ids"] = sorted(set(emergency) | set(shared))
        return context

    def _compute_domain_context_values(self):
        """Odoo caches computed rule domains; the current minute joins the
        cache key so that a rule never outlives the minute it was computed
        in."""
        now = fields.Datetime.now().replace(second=0, microsecond=0)
        return (*super()._compute_domain_context_values(), now)
