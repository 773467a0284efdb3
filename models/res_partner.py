from odoo import models

from .dv_guard import is_system_write


class ResPartner(models.Model):
    _inherit = "res.partner"

    def write(self, vals):
        """The e-mail address of a police agency decides whose e-mail becomes
        a referral: only who may change the agency changes it (not everyone
        who may edit contacts), and the agency's history records it."""
        if "email" in vals and not is_system_write(self.env):
            police = (
                self.env["dv.agency"]
                .sudo()
                .with_context(active_test=False)
                .search([("partner_id", "in", self.ids), ("is_police", "=", True)])
            )
            changed = police.filtered(lambda agency: agency.email != vals["email"])
            if not changed:
                return super().write(vals)
            changed.with_env(self.env).check_access("write")
            result = super().write(vals)
            changed.with_env(self.env)._dv_note_email_change(vals["email"])
            return result
        return super().write(vals)
