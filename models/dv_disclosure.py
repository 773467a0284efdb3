from odoo import fields, models


class DvDisclosure(models.Model):
    """Every passing of a case's data to another agency: to whom, on which
    legal basis, by whom. Append only."""

    _name = "dv.disclosure"
    _inherit = ["dv.append.only.mixin"]
    _description = "Disclosure"
    _order = "disclosed_at desc, id desc"

    disclosed_at = fields.Datetime(
        required=True, readonly=True, default=fields.Datetime.now, index=True
    )
    user_id = fields.Many2one(
        "res.users", readonly=True, default=lambda self: self.env.user
    )
    case_id = fields.Many2one("dv.case", readonly=True, index=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", readonly=True)
    agency_id = fields.Many2one("dv.agency", string="Recipient", readonly=True)
    legal_basis = fields.Selection(
        [
            ("consent", "Consent"),
            ("statute", "Statute"),
            ("acute_danger", "Acute Danger (§ 34 StGB)"),
            ("release", "Release from Confidentiality"),
        ],
        readonly=True,
    )
    legal_norm = fields.Char(readonly=True)
    justification = fields.Text(readonly=True)
    consent_id = fields.Many2one("dv.consent", readonly=True)
    source = fields.Char(readonly=True, help="The referral or conference it came from.")
