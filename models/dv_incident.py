from odoo import api, fields, models
from odoo.exceptions import ValidationError


class DvIncident(models.Model):
    _name = "dv.incident"
    _inherit = ["dv.guard.mixin", "dv.police.reference.mixin", "dv.erasable.mixin"]
    _description = "Incident"
    _dv_immutable_fields = ("case_id",)
    _order = "date desc, id desc"

    case_id = fields.Many2one(
        "dv.case", required=True, ondelete="cascade", index=True, auto_join=True
    )
    company_id = fields.Many2one(related="case_id.company_id", store=True, index=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    offence_group_ids = fields.Many2many(
        "dv.offence.group",
        string="Offence Groups",
        help="Offence groups of the federal Lagebild Häusliche Gewalt.",
    )
    weapon = fields.Boolean(string="Weapon Used or Threatened")
    weapon_note = fields.Char(string="Weapon")
    strangulation = fields.Boolean()
    children_present = fields.Boolean()
    online = fields.Boolean(
        string="Committed Online", help="The offence was committed online."
    )
    police_reference = fields.Char(index="btree_not_null")
    protection_order_id = fields.Many2one(
        "dv.protection.order",
        string="Breached Protection Order",
        domain="[('case_id', '=', case_id)]",
        help="Set when the incident breaches a court order under the "
        "Gewaltschutzgesetz (an offence under § 4 GewSchG).",
    )
    is_order_breach = fields.Boolean(
        string="Breach of Protection Order (§ 4 GewSchG)",
        compute="_compute_is_order_breach",
        store=True,
    )
    description = fields.Text()

    @api.model_create_multi
    def create(self, vals_list):
        incidents = super().create(vals_list)
        for incident in incidents:
            incident.case_id._refer_to_conference(incident.date.date())
        return incidents

    @api.depends("protection_order_id")
    def _compute_is_order_breach(self):
        for incident in self:
            incident.is_order_breach = bool(incident.protection_order_id)

    def _compute_display_name(self):
        for incident in self:
            incident.display_name = self.env._(
                "Incident of %(date)s",
                date=fields.Date.to_string(incident.date.date())
                if incident.date
                else "",
            )

    @api.constrains("date")
    def _check_date(self):
        now = fields.Datetime.now()
        for incident in self:
            if incident.date > now:
                raise ValidationError(
                    self.env._("An incident cannot lie in the future.")
                )

    @api.constrains("protection_order_id", "case_id")
    def _check_order_case(self):
        for incident in self:
            order = incident.protection_order_id
            if order and order.case_id != incident.case_id:
                raise ValidationError(
                    self.env._("The breached order must belong to the same case.")
                )

    # Erasure

    def _dv_erase(self):
        """The account of what happened goes; offence groups, the flags
        (weapon, strangulation, children present, online) and the month
        stay."""
        self.write(
            {"description": False, "police_reference": False, "weapon_note": False}
        )
        for incident in self:
            incident.date = incident.date.replace(day=1, hour=0, minute=0, second=0)
