from odoo import api, fields, models


class DvAgencyType(models.Model):
    _name = "dv.agency.type"
    _description = "Agency Type"
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        help="Stable technical key used by reports and integrations.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    is_police = fields.Boolean(
        string="Police",
        help="Agencies of this type refer victims after police call-outs.",
    )
    is_intake_office = fields.Boolean(
        string="Intake Office",
        help="Agencies of this type receive referrals and contact victims "
        "pro-actively within a deadline.",
    )
    agency_ids = fields.One2many("dv.agency", "agency_type_id", string="Agencies")
    agency_count = fields.Integer(compute="_compute_agency_count")

    _sql_constraints = [
        ("code_unique", "unique(code)", "The code of an agency type must be unique."),
    ]

    @api.depends("agency_ids")
    def _compute_agency_count(self):
        counts = dict(
            self.env["dv.agency"]._read_group(
                [("agency_type_id", "in", self.ids)],
                ["agency_type_id"],
                ["__count"],
            )
        )
        for agency_type in self:
            agency_type.agency_count = counts.get(agency_type, 0)
