from odoo import fields, models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    dv_deadline_key = fields.Char(
        string="Deadline Key",
        index="btree_not_null",
        help="Technical: which deadline of a case this reminder stands for, so "
        "that it moves when the deadline moves.",
    )
