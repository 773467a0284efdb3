from odoo import models

from .dv_guard import is_system_write


class ResPartner(models.Model):
    _inherit = "res.partner"

    # The contact of an agency holds its address and e-mail; a police unit's
    # e-mail address decides which senders the intake trusts. It changes
    # only with the agency: whoever may change the agency (a manager, a
    # coordinator who is a member) changes it through the agency, nobody
    # through the address book (Odoo's "Contact Creation" right included),
    # and the agency's history records a police unit's new address.

    def write(self, vals):
        self._dv_check_agency_contact()
        police = self.env["dv.agency"]
        if "email" in vals and not is_system_write(self.env):
            police = (
                self.env["dv.agency"]
                .sudo()
                .with_context(active_test=False)
                .search([("partner_id", "in", self.ids), ("is_police", "=", True)])
                .filtered(lambda agency: agency.email != vals["email"])
            )
        result = super().write(vals)
        if police:
            police.with_env(self.env)._dv_note_email_change(vals["email"])
        return result

    def unlink(self):
        self._dv_check_agency_contact()
        return super().unlink()

    def _dv_check_agency_contact(self):
        if self.env.su or not self.ids:
            return
        agencies = (
            self.env["dv.agency"]
            .sudo()
            .with_context(active_test=False)
            .search([("partner_id", "in", self.ids)])
        )
        if agencies:
            agencies.with_env(self.env)._dv_check_maintainer()
