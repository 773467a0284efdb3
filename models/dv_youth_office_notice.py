"""The youth welfare office's step in a case with children: whether, when, by
whom and on which legal basis it was informed (§ 8a SGB VIII, § 4 KKG), and
its answer."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError

LEGAL_BASES = [
    ("sgb8_8a", "§ 8a SGB VIII (Child Protection Mandate)"),
    ("kkg_4", "§ 4 KKG (Professionals Bound to Secrecy)"),
    ("consent", "Consent of the Parent"),
    ("other", "Other Legal Basis"),
]
NOTICE_STATES = [
    ("pending", "To Decide"),
    ("notified", "Notified"),
    ("answered", "Answered"),
    ("waived", "Not Notified"),
]


class DvYouthOfficeNotice(models.Model):
    _name = "dv.youth.office.notice"
    _inherit = ["dv.guard.mixin", "dv.erasable.mixin"]
    _description = "Youth Welfare Office Notification"
    _dv_immutable_fields = ("case_id",)
    _order = "id desc"

    case_id = fields.Many2one(
        "dv.case", required=True, ondelete="cascade", index=True, auto_join=True
    )
    company_id = fields.Many2one(related="case_id.company_id", store=True, index=True)
    child_ids = fields.Many2many(
        "dv.person",
        domain="[('case_id', '=', case_id), ('role', '=', 'child')]",
    )
    youth_office_id = fields.Many2one("dv.agency", string="Youth Welfare Office")
    notified_on = fields.Date()
    notified_by_id = fields.Many2one("res.users", domain="[('share', '=', False)]")
    legal_basis = fields.Selection(LEGAL_BASES)
    legal_norm = fields.Char(help="The norm, when the legal basis is another one.")
    reply_on = fields.Date(string="Reply Received On")
    reply = fields.Text(help="What the youth welfare office answered or did.")
    waived_reason = fields.Text(
        string="Why Not Notified",
        help="The reasons for deciding not to inform the youth welfare office.",
    )
    state = fields.Selection(
        NOTICE_STATES,
        string="Status",
        compute="_compute_state",
        store=True,
        index=True,
    )

    @api.depends("notified_on", "reply_on", "waived_reason")
    def _compute_state(self):
        for notice in self:
            if notice.reply_on:
                notice.state = "answered"
            elif notice.notified_on:
                notice.state = "notified"
            elif (notice.waived_reason or "").strip():
                notice.state = "waived"
            else:
                notice.state = "pending"

    @api.constrains("notified_on", "reply_on", "legal_basis", "legal_norm", "child_ids")
    def _check_notice(self):
        # Who belongs to a case is not told to whoever may not record the
        # notice on it.
        self._dv_check_access_first()
        today = fields.Date.context_today(self)
        for notice in self:
            if notice.notified_on and notice.notified_on > today:
                raise ValidationError(
                    self.env._(
                        "The youth welfare office cannot have been notified on a "
                        "future date."
                    )
                )
            if notice.notified_on and not notice.legal_basis:
                raise ValidationError(
                    self.env._("Give the legal basis of the notification.")
                )
            if notice.legal_basis == "other" and not (notice.legal_norm or "").strip():
                raise ValidationError(self.env._("Name the other legal basis."))
            if notice.reply_on and (
                not notice.notified_on or notice.reply_on < notice.notified_on
            ):
                raise ValidationError(
                    self.env._("A reply comes after the notification.")
                )
            if notice.sudo().child_ids.case_id - notice.sudo().case_id:
                raise ValidationError(
                    self.env._("Children must belong to the same case.")
                )

    # CRUD: the case's prompt follows the decision.

    @api.model_create_multi
    def create(self, vals_list):
        notices = super().create(vals_list)
        # A step recorded by hand takes the place of the empty one the case
        # was given when its first child was entered.
        empty = (
            self.sudo()
            .search(
                [("case_id", "in", notices.case_id.ids), ("id", "not in", notices.ids)]
            )
            .filtered(lambda notice: notice._is_empty())
        )
        empty.unlink()
        notices._sync_prompt()
        return notices

    def _is_empty(self):
        self.ensure_one()
        return self.state == "pending" and not self.youth_office_id

    def write(self, vals):
        result = super().write(vals)
        self._sync_prompt()
        return result

    def _sync_prompt(self):
        done = self.filtered(lambda notice: notice.state != "pending")
        for case in done.case_id:
            case._dv_prompt_done(
                "youth_office",
                self.env._("The youth welfare office step was recorded."),
            )

    # Erasure

    def _dv_erase(self):
        """Dates, legal basis and state stay; the answer and the reason for
        not informing give way to a placeholder (their state requires
        them)."""
        erased = self.env._("Erased")
        self.filtered("reply").write({"reply": erased})
        self.filtered("waived_reason").write({"waived_reason": erased})
