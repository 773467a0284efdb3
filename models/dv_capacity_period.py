from odoo import api, fields, models
from odoo.exceptions import ValidationError


class DvCapacityPeriod(models.Model):
    """The staff hours an office had for counselling in a period, for the
    capacity survey (Gewalthilfegesetz § 8). Kept by the office's
    coordinators; no personal data. Guarded (dv_guard.py): nobody moves a
    period to an office or a company she could not have recorded it for, and
    the stored company follows the office."""

    _name = "dv.capacity.period"
    _inherit = ["dv.guard.mixin"]
    _description = "Staff Hours of an Office"
    _order = "date_from desc, id desc"
    _check_company_auto = True

    agency_id = fields.Many2one(
        "dv.agency",
        string="Office",
        required=True,
        index=True,
        domain=lambda self: [("id", "in", self.env.user.dv_agency_ids.ids)],
    )
    company_id = fields.Many2one(
        related="agency_id.company_id", store=True, index=True, readonly=True
    )
    date_from = fields.Date(string="From", required=True)
    date_to = fields.Date(string="To", required=True)
    staff_hours = fields.Float(
        required=True,
        help="Working hours of the counselling staff in the period.",
    )
    note = fields.Char()

    _sql_constraints = [
        (
            "dates_check",
            "CHECK (date_to >= date_from)",
            "A period ends on or after the day it starts.",
        ),
        (
            "hours_check",
            "CHECK (staff_hours >= 0)",
            "Staff hours cannot be negative.",
        ),
    ]

    @api.depends("agency_id", "date_from", "date_to")
    def _compute_display_name(self):
        for period in self:
            period.display_name = (
                f"{period.agency_id.display_name or ''}: "
                f"{period.date_from or ''} - {period.date_to or ''}"
            )

    @api.constrains("agency_id", "date_from", "date_to")
    def _check_overlap(self):
        # Another office's periods are no one else's business.
        self._dv_check_access_first()
        for period in self:
            overlapping = self.sudo().search_count(
                [
                    ("id", "!=", period.id),
                    ("agency_id", "=", period.agency_id.id),
                    ("date_from", "<=", period.date_to),
                    ("date_to", ">=", period.date_from),
                ]
            )
            if overlapping:
                raise ValidationError(
                    self.env._(
                        "The staff hours of %(office)s for this period overlap "
                        "another period's.",
                        office=period.agency_id.display_name,
                    )
                )
