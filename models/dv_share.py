import ast

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from .dv_guard import is_system_write, system_write

SHARE_TYPES = [
    ("share", "Share"),
    ("transfer", "Transfer"),
]

SHARE_STATES = [
    ("sent", "Sent"),
    ("accepted", "Accepted"),
    ("rejected", "Rejected"),
    ("completed", "Completed"),
    ("revoked", "Revoked"),
]
# The states a share may go to from each state; the others are final.
SHARE_TRANSITIONS = {
    "sent": ("accepted", "rejected", "revoked"),
    "accepted": ("completed", "revoked"),
}

SHARE_LEGAL_BASES = [
    ("consent", "Written Consent"),
    ("statute", "Statute"),
    ("acute_danger", "Acute Danger (§ 34 StGB)"),
]

REJECTION_REASONS = [
    ("no_capacity", "No Capacity"),
    ("not_responsible", "Not Responsible"),
    ("client_declined", "Declined by the Person"),
    ("other", "Other"),
]

# What a consent must allow for a case to be shared on it.
CONSENT_PURPOSE = "referral"

# Who reads which case, and why: set when the share is created, never
# changed afterwards (see dv.guard.mixin). A different recipient, case or
# legal basis is a new share.
ROUTING_FIELDS = (
    "case_id",
    "to_agency_id",
    "share_type",
    "legal_basis",
    "legal_norm",
    "justification",
    "consent_id",
    "valid_until",
)


class DvShare(models.Model):
    """A case passed by its lead agency to a partner agency: shared to read
    while accepted, or transferred (the lead passes on acceptance). Only the
    lead agency creates and revokes it; the receiving agency answers with
    its buttons and changes nothing else. Its accepted, valid shares are the
    only way an agency reads a case it does not lead (see ir.rule)."""

    _name = "dv.share"
    _description = "Share or Transfer"
    _inherit = [
        "dv.guard.mixin",
        "dv.reference.mixin",
        "dv.workflow.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "dv.erasable.mixin",
        "dv.grant.mixin",
    ]
    _state_transitions = SHARE_TRANSITIONS
    _order = "id desc"
    _check_company_auto = True
    _reference_code = "dv.share"
    _reference_prefix = "WG"
    _dv_immutable_fields = ROUTING_FIELDS
    # What the grant query reads of a share and its consent (see ir.rule);
    # a new share grants nothing until it is accepted.
    _dv_grant_fields = (
        "active",
        "state",
        "case_id",
        "to_agency_id",
        "share_type",
        "legal_basis",
        "consent_id",
        "valid_until",
    )
    _dv_grant_on_create = False
    _dv_grant_flush_models = ("dv.consent",)

    company_id = fields.Many2one(
        related="case_id.company_id", store=True, index=True, precompute=True
    )
    active = fields.Boolean(default=True)
    state = fields.Selection(
        SHARE_STATES,
        string="Status",
        required=True,
        default="sent",
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    case_id = fields.Many2one(
        "dv.case",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
        domain=lambda self: [("lead_agency_id", "in", self.env.user.dv_agency_ids.ids)],
    )
    from_agency_id = fields.Many2one(
        "dv.agency",
        string="From",
        readonly=True,
        index=True,
        help="The case's lead agency when it was shared.",
    )
    # No check_company: a transfer may pass the lead to an agency of another
    # company (the county's youth welfare office, say).
    to_agency_id = fields.Many2one(
        "dv.agency",
        string="To",
        required=True,
        index=True,
        tracking=True,
        help="The partner agency the case is passed to.",
    )
    share_type = fields.Selection(
        SHARE_TYPES,
        required=True,
        default="share",
        tracking=True,
        help="Share: the partner agency reads the case while the share is "
        "accepted. Transfer: the lead passes to the partner agency on "
        "acceptance.",
    )
    legal_basis = fields.Selection(SHARE_LEGAL_BASES, required=True, tracking=True)
    legal_norm = fields.Char(help="The statute's norm, e.g. § 4 Abs. 3 KKG.")
    justification = fields.Text(
        help="Why the acute danger justifies passing the data without consent."
    )
    consent_id = fields.Many2one(
        "dv.consent",
        ondelete="restrict",
        domain="[('case_id', '=', case_id)]",
        help="The recorded consent the share rests on; withdrawing it ends the share.",
    )
    valid_until = fields.Date(
        string="Shared Until",
        help="The partner agency reads the case until this day; empty: until "
        "the share is completed or revoked.",
    )
    reason = fields.Text(
        string="Message", help="What the partner agency is asked to do and why."
    )
    rejection_reason = fields.Selection(
        REJECTION_REASONS, readonly=True, copy=False, tracking=True
    )
    rejection_note = fields.Text(readonly=True, copy=False)
    answered_at = fields.Datetime(readonly=True, copy=False)
    answered_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    is_receiver = fields.Boolean(
        compute="_compute_is_receiver",
        search="_search_is_receiver",
        help="The current user works for the receiving agency.",
    )
    is_sender = fields.Boolean(
        compute="_compute_is_receiver",
        search="_search_is_sender",
        help="The current user works for the agency that sent it.",
    )
    case_visible = fields.Boolean(compute="_compute_is_receiver")

    # Computes

    @api.depends("to_agency_id", "case_id")
    @api.depends_context("uid")
    def _compute_is_receiver(self):
        agencies = self.env.user.dv_agency_ids
        readable = self.case_id._filtered_access("read")
        for share in self:
            share.is_receiver = share.to_agency_id in agencies
            share.is_sender = share.from_agency_id in agencies
            share.case_visible = share.case_id in readable

    def _search_is_receiver(self, operator, value):
        return self._search_by_agency("to_agency_id", operator, value)

    def _search_is_sender(self, operator, value):
        return self._search_by_agency("from_agency_id", operator, value)

    def _search_by_agency(self, fname, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on shares."))
        domain = [(fname, "in", self.env.user.dv_agency_ids.ids)]
        return domain if (operator == "=") == value else ["!", *domain]

    def _compute_display_name(self):
        for share in self:
            share.display_name = share.name

    # Constraints

    @api.constrains("case_id", "from_agency_id", "to_agency_id")
    def _check_parties(self):
        for share in self:
            if share.to_agency_id == share.from_agency_id:
                raise ValidationError(
                    self.env._("A case cannot be shared with its own lead agency.")
                )

    @api.constrains(
        "legal_basis", "legal_norm", "justification", "consent_id", "to_agency_id"
    )
    def _check_legal_basis(self):
        for share in self:
            basis = share.legal_basis
            if basis == "statute" and not (share.legal_norm or "").strip():
                raise ValidationError(
                    self.env._("Name the statute's norm the share rests on.")
                )
            if basis == "acute_danger" and not (share.justification or "").strip():
                raise ValidationError(
                    self.env._(
                        "Passing data on because of acute danger needs a written "
                        "justification."
                    )
                )
            if basis != "consent":
                continue
            consent = share.consent_id.sudo()
            if not consent:
                raise ValidationError(
                    self.env._("Choose the recorded consent this share rests on.")
                )
            if consent.case_id != share.case_id or not consent._covers(
                share.to_agency_id, CONSENT_PURPOSE
            ):
                raise ValidationError(
                    self.env._(
                        "The consent does not cover passing the case to %(agency)s, "
                        "or it is no longer valid.",
                        agency=share.to_agency_id.display_name,
                    )
                )

    @api.constrains("valid_until")
    def _check_valid_until(self):
        today = fields.Date.context_today(self)
        for share in self:
            if share.valid_until and share.valid_until < today:
                raise ValidationError(self.env._("A share cannot end before today."))

    # CRUD

    @api.model_create_multi
    def create(self, vals_list):
        model = self._dv_prepare_create(vals_list)
        for vals in vals_list:
            case = self.env["dv.case"].browse(vals.get("case_id")).exists()
            if not case:
                raise ValidationError(self.env._("A share needs its case."))
            if not vals.get("legal_basis"):
                raise ValidationError(
                    self.env._(
                        "Passing a case to another agency needs a legal basis: "
                        "consent, a statute or acute danger."
                    )
                )
            # Only the lead agency passes its case on.
            case.check_access("write")
            lead = case.sudo().lead_agency_id
            vals["from_agency_id"] = lead.id
            vals["state"] = "sent"
        with system_write():
            shares = super(DvShare, model).create(vals_list)
        for share in shares:
            share._notify_receiver()
        return shares

    def write(self, vals):
        """An accepted share that was archived stays archived: restoring it
        would grant access anew without the recipient's acceptance and
        without an entry in the disclosure log."""
        if vals.get("active") and not is_system_write(self.env):
            restored = self.with_context(active_test=False).filtered(
                lambda share: not share.active and share.state == "accepted"
            )
            if restored:
                raise UserError(
                    self.env._(
                        "%(refs)s was archived while in force and is not restored: "
                        "share the case anew.",
                        refs=", ".join(restored.mapped("name")),
                    )
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            self.env._(
                "Shares are kept as a record of what was passed on; revoke or "
                "complete them instead."
            )
        )

    # Actions

    def _check_receiver(self):
        """Only a member of the receiving agency answers."""
        if self.env.su:
            return
        agencies = self.env.user.dv_agency_ids
        for share in self:
            if share.to_agency_id not in agencies:
                raise AccessError(
                    self.env._(
                        "Only members of %(agency)s can answer %(ref)s.",
                        agency=share.to_agency_id.display_name,
                        ref=share.name,
                    )
                )

    def _check_sender(self):
        """Only a case worker of the case's lead agency revokes."""
        if self.env.su:
            return
        for share in self:
            if not share.case_id.has_access("write"):
                raise AccessError(
                    self.env._(
                        "Only the case workers of the lead agency can revoke %(ref)s.",
                        ref=share.name,
                    )
                )

    def _set_state(self, values):
        """Write a state change; the record rules see it at once
        (dv.grant.mixin)."""
        with system_write():
            self.sudo().write(values)

    def action_accept(self):
        self._dv_check_move("accepted", self.env._("Accepting"))
        self._check_receiver()
        for share in self.sudo():
            share._check_legal_basis()
            if share.share_type == "transfer" and (
                share.case_id.lead_agency_id != share.from_agency_id
            ):
                raise UserError(
                    self.env._(
                        "%(ref)s can no longer be accepted: the case's lead has "
                        "changed since it was sent.",
                        ref=share.name,
                    )
                )
        now = fields.Datetime.now()
        self._set_state(
            {"state": "accepted", "answered_at": now, "answered_by_id": self.env.uid}
        )
        for share in self.sudo():
            share._log_disclosure()
            if share.share_type == "transfer":
                share.with_user(self.env.user)._transfer_lead()
        self.sudo().activity_unlink(["mail.mail_activity_data_todo"])
        return True

    def action_open_reject_wizard(self):
        self.ensure_one()
        self._dv_check_move("rejected", self.env._("Rejecting"))
        self._check_receiver()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reject"),
            "res_model": "dv.share.reject.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_share_id": self.id},
        }

    def action_reject(self, reason=None, note=None):
        self._dv_check_move("rejected", self.env._("Rejecting"))
        self._check_receiver()
        codes = dict(REJECTION_REASONS)
        if reason not in codes:
            raise UserError(self.env._("Choose the reason for the rejection."))
        self._set_state(
            {
                "state": "rejected",
                "rejection_reason": reason,
                "rejection_note": note or False,
                "answered_at": fields.Datetime.now(),
                "answered_by_id": self.env.uid,
            }
        )
        self.sudo().activity_unlink(["mail.mail_activity_data_todo"])
        return True

    def action_complete(self):
        """The work the share was for is done: the access it gave ends."""
        self._dv_check_move("completed", self.env._("Completing"))
        for share in self:
            if not share.is_receiver and not share.is_sender and not self.env.su:
                raise AccessError(
                    self.env._(
                        "Only the two agencies of %(ref)s can complete it.",
                        ref=share.name,
                    )
                )
        self._set_state({"state": "completed"})
        return True

    def action_revoke(self):
        self._dv_check_move("revoked", self.env._("Revoking"))
        self._check_sender()
        for share in self:
            if share.share_type == "transfer" and share.state == "accepted":
                raise UserError(
                    self.env._(
                        "%(ref)s was accepted: the case has its new lead. The new "
                        "lead agency can transfer it back.",
                        ref=share.name,
                    )
                )
        self._set_state({"state": "revoked"})
        self.sudo().activity_unlink(["mail.mail_activity_data_todo"])
        return True

    def action_open_case(self):
        self.ensure_one()
        if not self.case_visible:
            raise UserError(
                self.env._("%(ref)s gives no access to the case now.", ref=self.name)
            )
        return self.case_id.get_formview_action()

    # Business methods

    def _revoke_for_withdrawn_consent(self):
        """The consent the shares rest on was withdrawn."""
        open_shares = self.sudo().filtered(lambda s: s.state in ("sent", "accepted"))
        if not open_shares:
            return
        open_shares._set_state({"state": "revoked"})
        for share in open_shares:
            share.message_post(
                body=self.env._("Revoked: the consent it rested on was withdrawn.")
            )

    def _notify_receiver(self):
        """The members of the receiving agency get a to-do to answer (no
        personal data in it)."""
        self.ensure_one()
        share = self.sudo()
        share.to_agency_id._dv_schedule_for_role(
            "network",
            share,
            "mail.mail_activity_data_todo",
            lambda env: env._("Answer %(ref)s", ref=share.name),
        )

    def _log_disclosure(self):
        self.ensure_one()
        self.env["dv.disclosure"].sudo().create(
            {
                "case_id": self.case_id.id,
                "company_id": self.case_id.company_id.id,
                "agency_id": self.to_agency_id.id,
                "legal_basis": self.legal_basis,
                "legal_norm": self.legal_norm,
                "justification": self.justification,
                "consent_id": self.consent_id.id,
                "source": self.name,
                "user_id": self.create_uid.id,
            }
        )

    def _transfer_lead(self):
        """The lead of the case passes to the receiving agency."""
        self.ensure_one()
        case = self.case_id.sudo()
        target = self.to_agency_id
        values = {"lead_agency_id": target.id}
        if target.company_id and target.company_id != case.company_id:
            values["company_id"] = target.company_id.id
        user = self.env.user
        values["user_id"] = user.id if target in user.dv_agency_ids else False
        with system_write():
            case.write(values)
        case.message_post(
            body=self.env._(
                "Lead transferred to %(agency)s by %(ref)s.",
                agency=target.display_name,
                ref=self.name,
            )
        )

    # Erasure

    def _dv_erase(self):
        """Recipient, type, legal basis and dates stay; the free text goes.
        A justification is required for some legal bases: it is replaced,
        not emptied."""
        self.write({"reason": False, "rejection_note": False})
        self.filtered("justification").write({"justification": self.env._("Erased")})


# Migration from the single referral model of 18.0.1.0.0, whose outbound rows
# (direction = 'outbound') were the shares and transfers.

_MOVED_COLUMNS = (
    "name",
    "case_id",
    "company_id",
    "from_agency_id",
    "to_agency_id",
    "legal_basis",
    "legal_norm",
    "justification",
    "consent_id",
    "reason",
    "rejection_reason",
    "rejection_note",
    "answered_at",
    "state",
    "active",
    "create_uid",
    "create_date",
    "write_uid",
    "write_date",
)
# Columns of the old dv_referral table (before 18.0.1.1.0): their names are
# those of that schema (its "kind" is today's share_type).
_OLD_REFERRAL_COLUMNS = (
    "direction",
    "kind",
    "reason",
    "rejection_reason",
    "rejection_note",
    "answered_at",
    "consent_id",
)


def migrate_outbound_referrals(env):
    """Move the outbound rows of ``dv_referral`` into ``dv_share`` with their
    messages, followers, activities, attachments and external ids, then drop
    the columns only they used. Returns {old referral id: new share id}.
    Runs once: without the old ``direction`` column there is nothing to do."""
    cr = env.cr
    cr.execute(
        "SELECT 1 FROM information_schema.columns "
        "WHERE table_name = 'dv_referral' AND column_name = 'direction'"
    )
    if not cr.fetchone():
        return {}
    columns = SQL(", ").join(SQL.identifier(name) for name in _MOVED_COLUMNS)
    cr.execute(
        SQL(
            "SELECT id, %s, COALESCE(kind, 'share') FROM dv_referral "
            "WHERE direction = 'outbound' ORDER BY id",
            columns,
        )
    )
    mapping = {}
    for row in cr.fetchall():
        old_id, values = row[0], row[1:]
        cr.execute(
            SQL(
                "INSERT INTO dv_share (%s, share_type) VALUES %s RETURNING id",
                columns,
                tuple(values),
            )
        )
        mapping[old_id] = cr.fetchone()[0]
    share_model_id = env["ir.model"]._get_id("dv.share")
    for old_id, new_id in mapping.items():
        for table, model_column, id_column in (
            ("mail_message", "model", "res_id"),
            ("mail_followers", "res_model", "res_id"),
            ("mail_activity", "res_model", "res_id"),
            ("ir_attachment", "res_model", "res_id"),
        ):
            cr.execute(
                SQL(
                    "UPDATE %s SET %s = 'dv.share', %s = %s "
                    "WHERE %s = 'dv.referral' AND %s = %s",
                    SQL.identifier(table),
                    SQL.identifier(model_column),
                    SQL.identifier(id_column),
                    new_id,
                    SQL.identifier(model_column),
                    SQL.identifier(id_column),
                    old_id,
                )
            )
        cr.execute(
            SQL(
                "UPDATE mail_activity SET res_model_id = %s "
                "WHERE res_model = 'dv.share' AND res_id = %s",
                share_model_id,
                new_id,
            )
        )
        # Tracked values name the fields of the model they were tracked on.
        cr.execute(
            SQL(
                """
                UPDATE mail_tracking_value tracking
                   SET field_id = new_field.id
                  FROM ir_model_fields old_field, ir_model_fields new_field,
                       mail_message message
                 WHERE tracking.field_id = old_field.id
                   AND old_field.model = 'dv.referral'
                   AND new_field.model = 'dv.share'
                   AND new_field.name = old_field.name
                   AND message.id = tracking.mail_message_id
                   AND message.model = 'dv.share' AND message.res_id = %s
                """,
                new_id,
            )
        )
        # External ids (the demo's, say) follow the record.
        cr.execute(
            SQL(
                "UPDATE ir_model_data SET model = 'dv.share', res_id = %s "
                "WHERE model = 'dv.referral' AND res_id = %s",
                new_id,
                old_id,
            )
        )
    if mapping:
        cr.execute(SQL("DELETE FROM dv_referral WHERE id IN %s", tuple(mapping)))
    # Intake aliases of earlier versions set the direction on new referrals.
    cr.execute(
        "SELECT alias.id, alias.alias_defaults FROM mail_alias alias "
        "JOIN ir_model model ON model.id = alias.alias_model_id "
        "WHERE model.model = 'dv.referral'"
    )
    for alias_id, defaults in cr.fetchall():
        try:
            values = ast.literal_eval(defaults or "{}")
        except (ValueError, SyntaxError):
            continue
        if isinstance(values, dict) and "direction" in values:
            values.pop("direction")
            cr.execute(
                SQL(
                    "UPDATE mail_alias SET alias_defaults = %s WHERE id = %s",
                    repr(values),
                    alias_id,
                )
            )
    for column in _OLD_REFERRAL_COLUMNS:
        cr.execute(
            SQL(
                "ALTER TABLE dv_referral DROP COLUMN IF EXISTS %s CASCADE",
                SQL.identifier(column),
            )
        )
    env.invalidate_all()
    env.registry.clear_cache()
    return mapping
