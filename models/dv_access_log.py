import contextvars

from odoo import api, fields, models
from odoo.tools import SQL

from .dv_replica import DvNeedsPrimary

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
        """Record that the current user read ``records`` (cases, people or
        referrals)."""
        self._log_many([records])

    @api.model
    def _log_many(self, recordsets):
        """Record that the current user read these records: one INSERT for
        all of them, so that a list of fifty people costs one statement.
        Records the form is still editing (an onchange reads them) have no
        id yet and were not opened."""
        if self.env.su:
            return
        user = self.env.user
        agencies = set(user.dv_agency_ids.ids)
        now = fields.Datetime.now()
        seen = set()
        rows = []
        for records in recordsets:
            records = records.filtered(lambda record: isinstance(record.id, int))
            for record in records.sudo().with_context(active_test=False):
                if (record._name, record.id) in seen:
                    continue
                seen.add((record._name, record.id))
                case = record if record._name == "dv.case" else record.case_id
                rows.append(
                    SQL(
                        "(%s, %s, %s, %s, %s, %s, %s)",
                        now,
                        user.id,
                        case.id or None,
                        (case.company_id or record.company_id).id or None,
                        record._name,
                        record.id,
                        self._access_right(record, case, user, agencies, now),
                    )
                )
        if not rows:
            return
        query = SQL(
            "INSERT INTO dv_access_log "
            "(accessed_at, user_id, case_id, company_id, res_model, res_id, "
            "access_right) VALUES %s",
            SQL(", ").join(rows),
        )
        if self.env.cr.readonly:
            # A read served in a read-only transaction (from a replica): Odoo
            # rolls it back and serves the request again from the primary,
            # where the read and its entry are committed together, once.
            raise DvNeedsPrimary("A logged read is served by the primary")
        self.env.cr.execute(query)

    @api.model
    def _access_right(self, record, case, user, agencies, now):
        if not case:
            # A referral without a case yet: read by its receiving office.
            agency = record._fields.get("to_agency_id") and record.to_agency_id
            return "own" if agency and agency.id in agencies else "other"
        if case.lead_agency_id.id in agencies:
            return "own"
        if case.break_glass_ids.filtered(
            lambda b: b.user_id == user and b.expires_at > now
        ):
            return "break_glass"
        if case.shared_agency_ids.filtered(lambda a: a.id in agencies):
            return "share"
        return "other"


_PENDING = contextvars.ContextVar("dv_access_log_pending", default=None)


def _not_readonly(method):
    """Reads that write the access log need a transaction that can write."""
    method._readonly = False
    return method
