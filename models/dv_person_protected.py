from odoo import fields, models


class DvPersonProtected(models.Model):
    _name = "dv.person.protected"
    _inherit = ["dv.guard.mixin", "dv.erasable.mixin"]
    _description = "Protected Details of a Person"
    # Nobody learns from the unique key what exists beyond her reach.
    _dv_unique_parents = ("person_id",)
    _dv_immutable_fields = ("person_id",)

    person_id = fields.Many2one(
        "dv.person", required=True, ondelete="cascade", index=True
    )
    case_id = fields.Many2one(
        related="person_id.case_id", store=True, index=True, auto_join=True
    )
    company_id = fields.Many2one(related="person_id.company_id", store=True)
    street = fields.Char()
    zip = fields.Char()
    city = fields.Char()
    phone = fields.Char()
    email = fields.Char()
    safe_to_call = fields.Boolean()
    safe_to_write = fields.Boolean()
    safe_times = fields.Char()
    forbidden_channel_ids = fields.Many2many("dv.contact.channel")
    school = fields.Char()
    confidential_notes = fields.Text()

    _sql_constraints = [
        (
            "person_unique",
            "unique(person_id)",
            "A person has one set of protected details.",
        ),
    ]

    def _dv_erase(self):
        """Nothing of it is statistics: the details go whole."""
        self.unlink()
