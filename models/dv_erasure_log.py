from odoo import fields, models


class DvErasureLog(models.Model):
    """Which case was erased, when, why and by whom. Append only."""

    _name = "dv.erasure.log"
    _inherit = ["dv.append.only.mixin"]
    _description = "Erasure Log"
    _order = "erased_at desc, id desc"

    erased_at = fields.Datetime(
        required=True, readonly=True, default=fields.Datetime.now
    )
    case_id = fields.Many2one("dv.case", readonly=True, index=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", readonly=True)
    reference = fields.Char(readonly=True)
    erasure_ground = fields.Selection(
        [
            ("retention", "Retention Period Over"),
            ("request", "Request of the Data Subject"),
            ("minutes", "Conference Minutes Expired"),
        ],
        readonly=True,
    )
    user_id = fields.Many2one("res.users", readonly=True)
    reason = fields.Text(readonly=True)
