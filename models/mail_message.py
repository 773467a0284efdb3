from collections import defaultdict

from odoo import models

from .dv_thread import is_dv_model


class MailMessage(models.Model):
    _inherit = "mail.message"

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
