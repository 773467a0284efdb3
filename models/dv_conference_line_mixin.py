from odoo import api, fields, models


class DvConferenceLineMixin(models.AbstractModel):
    """A record on an agenda item (information return, whether the victim
    was told, agreed action): its agenda item, and the conference and
    company stored from it for the record rules. The records go with their
    case's erasure, found through the agenda item."""

    _name = "dv.conference.line.mixin"
    _inherit = ["dv.erasable.mixin"]
    _description = "Record on a Conference Agenda Item"

    line_id = fields.Many2one(
        "dv.conference.agenda.item",
        string="Agenda Item",
        required=True,
        ondelete="cascade",
        index=True,
    )
    conference_id = fields.Many2one(
        related="line_id.conference_id", store=True, index=True
    )
    company_id = fields.Many2one(related="line_id.company_id", store=True)

    # Erasure

    @api.model
    def _dv_erasable_domain(self, cases):
        return [("line_id.case_ref_id", "in", cases.ids)]
