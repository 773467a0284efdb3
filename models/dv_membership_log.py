from odoo import fields, models

MEMBERSHIP_CHANGES = [
    ("added", "Added"),
    ("removed", "Removed"),
    ("changed", "Changed"),
]


class DvMembershipLog(models.Model):
    """Every change of an agency's members: who was added to or removed
    from which agency, by whom, when. A membership decides which cases a
    user reads, so the data protection officer reads this log. Append
    only: nobody but the superuser changes or deletes an entry; names are
    kept as they were, for when a user or an agency is gone."""

    _name = "dv.membership.log"
    _inherit = ["dv.append.only.mixin"]
    _description = "Membership Log"
    _order = "changed_at desc, id desc"
    _log_access = False

    changed_at = fields.Datetime(
        required=True, readonly=True, index=True, default=fields.Datetime.now
    )
    changed_by_id = fields.Many2one(
        "res.users", required=True, readonly=True, index=True
    )
    change = fields.Selection(MEMBERSHIP_CHANGES, required=True, readonly=True)
    agency_id = fields.Many2one(
        "dv.agency", readonly=True, index=True, ondelete="set null"
    )
    agency_name = fields.Char(readonly=True)
    user_id = fields.Many2one(
        "res.users", string="Member", readonly=True, index=True, ondelete="set null"
    )
    user_name = fields.Char(string="Member Name", readonly=True)
    previous_agency_id = fields.Many2one(
        "dv.agency", readonly=True, ondelete="set null"
    )
    previous_user_id = fields.Many2one(
        "res.users", string="Previous Member", readonly=True, ondelete="set null"
    )
    company_id = fields.Many2one("res.company", readonly=True, index=True)
