from odoo import api, fields, models
from odoo.tools import SQL

ACCESS_RIGHTS = [
    ("own", "Own Agency"),
    ("share", "Share"),
    ("break_glass", "Emergency Access"),
    ("other", "Other"),
]


class DvAccessLog(models.Model):
    """Who opened which case or person, when, and by which right. Append
    only: nobody but the superuser changes or deletes an entry."""

    _name = "dv.access.log"
    _inherit = ["dv.append.only.mixin"]
    _description = "Access Log"
    _order = "accessed_at desc, id desc"
    _log_access = False

    accessed_at = fields.Datetime(required=True, readonly=True, index=True)
    user_id = fields.Many2one("res.users", required=True, readonly=True, index=True)
    case_id = fields.Many2one("dv.case", readonly=True, index=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", readonly=True)
    res_model = fields.Char(string="Record Type", readonly=True)
    res_id = fields.Integer(string="Record", readonly=True)
    access_right = fields.Selection(ACCESS_RIGHTS, readonly=True, required=True)

    @api.model
    def _log(self, records):
        """Record that the current user opened ``records`` (cases or
        people). One INSERT for all of them, so that opening a form stays
        fast."""
        if not records or self.env.su:
            return
        user = self.env.user
        agencies = set(user.dv_agency_ids.ids)
        now = fields.Datetime.now()
        rows = []
        for record in records.sudo():
            case = record if record._name == "dv.case" else record.case_id
            if case.lead_agency_id.id in agencies:
                right = "own"
            elif case.break_glass_ids.filtered(
                lambda b, u=user: b.user_id == u and b.expires_at > now
            ):
                right = "break_glass"
            elif case.shared_agency_ids.filtered(lambda a: a.id in agencies):
                right = "share"
            else:
                right = "other"
            rows.append(
                SQL(
                    "(%s, %s, %s, %s, %s, %s, %s)",
                    now,
                    user.id,
                    case.id,
                    case.company_id.id,
                    record._name,
                    record.id,
                    right,
                )
            )
        self.env.cr.execute(
            SQL(
                "INSERT INTO dv_access_log "
                "(accessed_at, user_id, case_id, company_id, res_model, res_id, "
                "access_right) VALUES %s",
                SQL(", ").join(rows),
            )
        )


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
