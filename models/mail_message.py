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
        query = super()._search(domain, offset=offset, limit=limit, order=order)
        if self.env.su or query.is_empty():
            return query
        # Odoo finds what she wrote or received without the record: on the
        # addon's records, only while she may still read the record.
        found = self.browse(query)
        forbidden = found._dv_forbidden_documents("read")
        if not forbidden:
            return query
        return (found - forbidden)._as_query(order)

    def _get_forbidden_access(self, operation):
        """Messages on the addon's records are read only by who may read the
        record, and written, changed and deleted only by who may write it:
        Odoo's shortcuts for authors, recipients, followers and replies to a
        notification do not apply to them."""
        forbidden = super()._get_forbidden_access(operation)
        if self.env.su:
            return forbidden
        return forbidden + (self - forbidden)._dv_forbidden_documents(operation)

    def _dv_forbidden_documents(self, operation):
        """The messages among these whose record of the addon the user may
        not read (``read``) or write (the other operations)."""
        forbidden = self.browse()
        documents = defaultdict(lambda: defaultdict(list))
        for message in self.sudo():
            if (
                is_dv_model(message.model)
                and message.res_id
                and message.message_type != "user_notification"
            ):
                documents[message.model][message.res_id].append(message.id)
        for model, message_ids in documents.items():
            records = self.env[model].browse(message_ids)
            if operation == "read":
                mode = "read"
            elif hasattr(records, "_get_mail_message_access"):
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
