from markupsafe import Markup

from odoo import models


class MailAlias(models.Model):
    _inherit = "mail.alias"

    def _alias_bounce_incoming_email(self, message, message_dict, set_invalid=True):
        """A message the intake alias does not accept gets a short notice in
        return. Unlike Odoo's bounce it quotes nothing of the message (which
        may carry a victim's data, and whose sender may be forged) and sends
        no copy to whoever created the alias."""
        if self.alias_model_id.model != "dv.referral":
            return super()._alias_bounce_incoming_email(
                message, message_dict, set_invalid=set_invalid
            )
        self.ensure_one()
        if set_invalid:
            self.alias_status = "invalid"
        agency = self.env["dv.agency"].sudo().browse(self.alias_parent_thread_id)
        company = agency.exists().company_id or self.env.company
        alias = self.with_context(lang=company.partner_id.lang or self.env.lang)
        if set_invalid:
            text = alias.env._(
                "Your message to %(alias)s could not be processed. Contact the "
                "intake office directly.",
                alias=self.display_name,
            )
        else:
            text = alias.env._(
                "Your message to %(alias)s was not accepted: the sender is not "
                "registered for this intake office. Send referrals from the "
                "address registered with the office, or contact the office "
                "directly.",
                alias=self.display_name,
            )
        body = Markup("<p>%s</p>") % text
        self.env["mail.thread"]._routing_create_bounce_email(
            message_dict["email_from"],
            body,
            message,
            references=message_dict["message_id"],
            subject=alias.env._("Message not accepted"),
        )
