from odoo import api, fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    dv_agency_member_ids = fields.One2many(
        "dv.agency.member", "user_id", string="Agency Memberships"
    )
    dv_agency_ids = fields.Many2many(
        "dv.agency",
        "dv_agency_res_users_rel",
        "user_id",
        "agency_id",
        string="Agencies",
        compute="_compute_dv_agency_ids",
        store=True,
        compute_sudo=True,
        help="Active agencies the user is a member of. Every access to cases "
        "goes through these agencies.",
    )

    @api.depends("dv_agency_member_ids.agency_id.active")
    def _compute_dv_agency_ids(self):
        for user in self:
            user.dv_agency_ids = user.dv_agency_member_ids.agency_id.filtered("active")

    def _dv_set_lang_if_active(self, lang):
        """Give users a language only when it is installed (used by the demo
        data, which must load in databases without German too)."""
        if self.env["res.lang"]._lang_get(lang):
            self.write({"lang": lang})
