from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .dv_agency import GERMAN_STATES


class DvLandProfile(models.Model):
    _name = "dv.land.profile"
    _description = "Federal State Profile"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    state_code = fields.Selection(GERMAN_STATES, string="Federal State", required=True)
    active = fields.Boolean(default=True)
    eviction_max_days = fields.Integer(
        string="Eviction: Maximum Days",
        required=True,
        help="Longest duration of a police eviction / barring order under the "
        "state's police law.",
    )
    contact_ban_max_days = fields.Integer(
        string="Contact Ban: Maximum Days",
        required=True,
        help="Longest duration of a police contact ban under the state's police law.",
    )
    extension_max_days = fields.Integer(
        string="Extension until Court Decision: Maximum Days",
        help="When a protection order under the Gewaltschutzgesetz is applied for "
        "while the police measure runs, the measure lasts until the court "
        "decides, at most this many days longer.",
    )
    legal_basis = fields.Char(
        string="Police Law",
        help="Norm of the state's police law for evictions, e.g. § 34a PolG NRW.",
    )
    proactive_statute = fields.Char(
        string="Statute for Referrals",
        help="Norm that allows or requires the police to pass a victim's data to "
        "the intervention office without consent, if any.",
    )

    _sql_constraints = [
        (
            "state_code_unique",
            "unique(state_code)",
            "Each federal state has one profile.",
        ),
    ]

    @api.constrains("eviction_max_days", "contact_ban_max_days", "extension_max_days")
    def _check_days(self):
        for profile in self:
            if (
                min(
                    profile.eviction_max_days,
                    profile.contact_ban_max_days,
                    profile.extension_max_days,
                )
                < 0
                or profile.eviction_max_days == 0
            ):
                raise ValidationError(
                    self.env._(
                        "The durations of %(profile)s must be positive.",
                        profile=profile.display_name,
                    )
                )
