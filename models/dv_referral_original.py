from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.tools import html2plaintext

ORIGINAL_MODEL = "dv.referral.original"


class DvReferralOriginal(models.Model):
    """An e-mail as it reached a referral: sender, subject, text and
    attachments. Only the case workers of the receiving office read it;
    network partners, the police unit that reads the referral and other
    agencies do not, and Odoo lets nobody read an attachment whose record
    they cannot read. The referral's chatter notes the arrival only.
    Created by the mail gateway, never by hand."""

    _name = ORIGINAL_MODEL
    _inherit = ["dv.erasable.mixin"]
    _description = "Original Message"
    _order = "received_at desc, id desc"

    referral_id = fields.Many2one(
        "dv.referral", required=True, ondelete="cascade", index=True, readonly=True
    )
    company_id = fields.Many2one(
        related="referral_id.company_id", store=True, index=True
    )
    to_agency_id = fields.Many2one(
        related="referral_id.to_agency_id", store=True, index=True
    )
    received_at = fields.Datetime(readonly=True)
    email_from = fields.Char(string="From", readonly=True)
    subject = fields.Char(readonly=True)
    body = fields.Text(string="Text", readonly=True)
    message_id = fields.Char(string="Message-ID", readonly=True, index="btree_not_null")
    attachment_ids = fields.Many2many(
        "ir.attachment", string="Attachments", compute="_compute_attachment_ids"
    )

    @api.depends("subject", "received_at")
    def _compute_display_name(self):
        for original in self:
            original.display_name = original.subject or self.env._("E-mail")

    @api.depends_context("uid")
    def _compute_attachment_ids(self):
        """The attachments of the message, as far as Odoo lets the user
        read them (which is as far as she reads the message)."""
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", self._name), ("res_id", "in", self.ids)]
        )
        for original in self:
            original.attachment_ids = attachments.filtered(
                lambda attachment, original=original: attachment.res_id == original.id
            )

    @api.model
    def _keep(self, referral, values):
        """Keep a message that reached ``referral`` (the message as the mail
        gateway parsed it, or the keyword arguments it posts with): its text
        as plain text, its attachments bound to the kept message. A message
        is kept once."""
        message_id = values.get("message_id")
        if message_id and self.sudo().search_count(
            [("referral_id", "=", referral.id), ("message_id", "=", message_id)],
            limit=1,
        ):
            return self.browse()
        original = self.sudo().create(
            {
                "referral_id": referral.id,
                "received_at": fields.Datetime.now(),
                "email_from": values.get("email_from"),
                "subject": values.get("subject"),
                "body": html2plaintext(values.get("body") or ""),
                "message_id": message_id,
            }
        )
        attachments = []
        for name, content, *_info in values.get("attachments") or ():
            raw = content.encode() if isinstance(content, str) else content
            attachments.append(
                {
                    "name": name or "attachment",
                    "raw": raw or b"",
                    "res_model": ORIGINAL_MODEL,
                    "res_id": original.id,
                }
            )
        if attachments:
            self.env["ir.attachment"].sudo().create(attachments)
            original.invalidate_recordset(["attachment_ids"])
        return original

    # Erasure

    @api.model
    def _dv_erasable_domain(self, cases):
        return [("referral_id.case_id", "in", cases.ids)]

    def _dv_erase(self):
        """The message is nothing but identifying data: it goes whole, with
        its attachments."""
        self.unlink()


def migrate_referral_originals(env):
    """Up to 18.0.1.1.0 an e-mailed referral kept its message where every
    reader of the referral read it: the message with its attachments in the
    chatter, and its text as ``original-message.txt`` among the referral's
    attachments. Move both into original messages and leave a note in the
    chatter. Returns the number of referrals moved; a second run finds
    nothing."""
    Original = env[ORIGINAL_MODEL].sudo()
    messages = (
        env["mail.message"]
        .sudo()
        .search([("model", "=", "dv.referral"), ("message_type", "=", "email")])
    )
    files = (
        env["ir.attachment"]
        .sudo()
        .search(
            [
                ("res_model", "=", "dv.referral"),
                ("name", "=", "original-message.txt"),
            ]
        )
    )
    referral_ids = set(messages.mapped("res_id")) | set(files.mapped("res_id"))
    referrals = env["dv.referral"].sudo().browse(sorted(referral_ids)).exists()
    for referral in referrals:
        lang = referral.company_id.partner_id.lang or env.lang
        note = Markup("<p>%s</p>") % env(context=dict(env.context, lang=lang))._(
            "E-mail received. The message and its attachments are kept for the "
            "case workers of the receiving office (tab Original Messages)."
        )
        own_messages = messages.filtered(lambda m, r=referral: m.res_id == r.id)
        for message in own_messages:
            original = Original.create(
                {
                    "referral_id": referral.id,
                    "received_at": message.date,
                    "email_from": message.email_from,
                    "subject": message.subject,
                    "body": html2plaintext(message.body or ""),
                }
            )
            message.attachment_ids.write(
                {"res_model": ORIGINAL_MODEL, "res_id": original.id}
            )
            message.write(
                {
                    "body": note,
                    "subject": False,
                    "message_type": "notification",
                    "attachment_ids": [Command.clear()],
                }
            )
        # Searched anew: moving the messages' attachments may have taken some.
        own_files = (
            env["ir.attachment"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "dv.referral"),
                    ("res_id", "=", referral.id),
                    ("name", "=", "original-message.txt"),
                ]
            )
        )
        if own_files and not own_messages:
            Original.create(
                {
                    "referral_id": referral.id,
                    "received_at": referral.received_at,
                    "body": "\n\n".join(
                        (file.raw or b"").decode(errors="replace") for file in own_files
                    ),
                }
            )
        own_files.unlink()
    referrals.filtered(lambda r: r.original_ids).write({"received_by_email": True})
    return len(referrals)
