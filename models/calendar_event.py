from odoo import api, fields, models

PURPOSES = [
    ("counselling", "Counselling"),
    ("accompaniment", "Accompaniment"),
    ("court", "Court Date"),
    ("home_visit", "Home Visit"),
    ("other", "Appointment"),
]


class CalendarEvent(models.Model):
    _inherit = "calendar.event"

    dv_case_id = fields.Many2one(
        "dv.case", string="Case", index="btree_not_null", ondelete="set null"
    )
    dv_purpose = fields.Selection(PURPOSES, string="Purpose", default="other")

    # An appointment of a case is titled with the case's reference and its
    # purpose, never with a name, and is private in shared calendars.

    @api.model_create_multi
    def create(self, vals_list):
        default_case = self.env.context.get("default_dv_case_id")
        for vals in vals_list:
            if default_case and "dv_case_id" not in vals:
                vals["dv_case_id"] = default_case
            if vals.get("dv_case_id"):
                vals.update(self._dv_case_event_values(vals))
        return super().create(vals_list)

    def write(self, vals):
        if "dv_case_id" in vals or "dv_purpose" in vals or "name" in vals:
            for event in self:
                case_id = vals.get("dv_case_id", event.dv_case_id.id)
                if case_id:
                    merged = {
                        "dv_case_id": case_id,
                        "dv_purpose": vals.get("dv_purpose", event.dv_purpose),
                    }
                    super(CalendarEvent, event).write(
                        dict(vals, **self._dv_case_event_values(merged))
                    )
                else:
                    super(CalendarEvent, event).write(vals)
            return True
        return super().write(vals)

    def _dv_case_event_values(self, vals):
        case = self.env["dv.case"].browse(vals["dv_case_id"])
        labels = dict(self._fields["dv_purpose"]._description_selection(self.env))
        purpose = labels.get(vals.get("dv_purpose") or "other")
        return {"name": f"{case.sudo().name} - {purpose}", "privacy": "private"}
