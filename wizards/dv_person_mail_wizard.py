from odoo import fields, models
from odoo.exceptions import UserError


class DvPersonMailWizard(models.TransientModel):
    """An e-mail to a person of a case, sent only on a channel she allows."""

    _name = "dv.person.mail.wizard"
    _description = "E-mail to a Person"

    person_id = fields.Many2one("dv.person", required=True)
    subject = fields.Char(required=True)
    body = fields.Html(required=True)

    def action_send(self):
        self.ensure_one()
        person = self.person_id
        person.check_access("write")
        person._check_contact_channel("email")
        email = person.sudo().protected_id.email
        # The protected address was read to send it.
        self.env["dv.access.log"]._log(person)
        if not email:
            raise UserError(self.env._("This person has no e-mail address."))
        agency = person.case_id.lead_agency_id
        self.env["mail.mail"].sudo().create(
            {
                "subject": self.subject,
                "body_html": self.body,
                "email_to": email,
                "email_from": agency.email or self.env.user.email_formatted,
                "auto_delete": True,
            }
        ).send()
        person.case_id.message_post(
            body=self.env._("An e-mail was sent to a person of the case.")
        )
        return {"type": "ir.actions.act_window_close"}
