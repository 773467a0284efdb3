import logging

from odoo import api, fields, models

_logger = logging.getLogger(__name__)

# The company's settings of protection planning (res.company field: label).
SETTINGS = {
    "dv_eviction_practice_days": "eviction_practice_days",
    "dv_contact_ban_practice_days": "contact_ban_practice_days",
    "dv_safety_plan_days": "safety_plan_days",
}


class DvProtectionSettings(models.TransientModel):
    """The managers' settings of protection planning for a company: the
    office's practice where the federal state sets no longest duration for
    an eviction or a contact ban, and after how many days a high-risk case
    without a safety plan is raised. Managers need no right to edit
    companies for it."""

    _name = "dv.protection.settings"
    _inherit = ["dv.company.settings.mixin"]
    _description = "Protection Planning Settings"

    land_profile_id = fields.Many2one(
        "dv.land.profile",
        string="Federal State Profile",
        compute="_compute_values",
        store=True,
        readonly=False,
    )
    eviction_practice_days = fields.Integer(
        string="Eviction: Practice (Days)",
        compute="_compute_values",
        store=True,
        readonly=False,
        help="Proposed for evictions where the federal state sets no maximum.",
    )
    contact_ban_practice_days = fields.Integer(
        string="Contact Ban: Practice (Days)",
        compute="_compute_values",
        store=True,
        readonly=False,
        help="Proposed for contact bans where the federal state sets no maximum.",
    )
    safety_plan_days = fields.Integer(
        string="Safety Plan Due After (Days)",
        compute="_compute_values",
        store=True,
        readonly=False,
        help="A high-risk case without a safety plan this many days after it "
        "became high risk gets an activity for its responsible person.",
    )

    @api.depends("company_id")
    def _compute_values(self):
        for settings in self:
            company = settings._dv_settings_company()
            settings.land_profile_id = company.dv_land_profile_id
            for company_field, fname in SETTINGS.items():
                settings[fname] = company[company_field]

    def action_apply(self):
        company = self._dv_company_to_apply(
            self.env._("Only managers change the settings of protection planning.")
        )
        values = {
            company_field: self[fname] for company_field, fname in SETTINGS.items()
        }
        values["dv_land_profile_id"] = self.land_profile_id.id
        company.write(values)
        _logger.info(
            "Protection planning settings of company %s changed by user %s",
            company.id,
            self.env.user.id,
        )
        return {"type": "ir.actions.act_window_close"}
