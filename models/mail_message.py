from collections import defaultdict

from odoo import api, models
from odoo.osv import expression

from .dv_thread import is_dv_model


class MailMessage(models.Model):
    _inherit = "mail.message"

    def _check_access(self, operation):
        """Messages on the addon's records are refused, like the records
        themselves, to a user asked for two-factor sign-in who has not set it
        up (``res.users._dv_signin_refusal``): Odoo lets their author and
        recipients read them without asking for the record."""
        result = super()._check_access(operation)
        if self.env.su or not self:
            return result
        refusal = self.env["res.users"]._dv_signin_refusal()
        if not refusal:
            return result
        refused = self.browse(
            message.id
            for message in self.sudo()
            if message.model and is_dv_model(message.model)
        )
        if not refused:
            return result
        if result:
            refused |= result[0]
        return refused, refusal

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        """Nor are they found for her (the search finds what she may read,
        and Odoo's finds what she wrote or received)."""
        if not self.env.su and self.env["res.users"]._dv_signin_refusal():
            domain = expression.AND(
                [domain, ["|", ("model", "=", False), "!", ("model", "=like", "dv.%")]]
            )
        return super()._search(domain, offset=offset, limit=limit, order=order)

    def _get_forbidden_access(self, operation):
        """Messages on the addon's records are written, changed and deleted
        only by who may write the record: Odoo's shortcuts for followers,
        authors and replies to a notification do not apply to them."""
        forbidden = super()._get_forbidden_access(operation)
        if operation == "read" or self.env.su:
            return forbidden
        documents = defaultdict(lambda: defaultdict(list))
        for message in (self - forbidden).sudo():
            if (
                is_dv_model(message.model)
                and message.res_id
                and message.message_type != "user_notification"
            ):
                documents[message.model][message.res_id].append(message.id)
        for model, message_ids in documents.items():
            records = self.env[model].browse(message_ids)
            if hasattr(records, "_get_mail_message_access"):
                mode = records._get_mail_message_access(list(message_ids), operation)
            else:
                mode = self.env["mail.thread"]._get_mail_message_access(
                    list(message_ids), operation, model_name=model
                )
            allowed = records._filtered_access(mode)
            for res_id, ids in message_ids.items():
                if res_id not in allowed._ids:
                    forbidden += self.browse(ids)
        return forbidden
