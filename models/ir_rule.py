from odoo import api, fields, models


class IrRule(models.Model):
    _inherit = "ir.rule"

    @api.model
    def _eval_context(self):
        """Rules of this addon compare with the current moment (a consent's
        validity, an emergency access's expiry): ``dv_now`` and ``dv_today``
        are that moment as the database stores it."""
        context = super()._eval_context()
        now = fields.Datetime.now()
        context["dv_now"] = fields.Datetime.to_string(now)
        context["dv_today"] = fields.Date.to_string(now.date())
        return context

    def _compute_domain_context_values(self):
        """Odoo caches computed rule domains; the current minute joins the
        cache key so that a rule never outlives the minute it was computed
        in."""
        now = fields.Datetime.now().replace(second=0, microsecond=0)
        return (*super()._compute_domain_context_values(), now)
