from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_date

MEASURE_TYPES = [
    ("eviction", "Eviction / Barring Order"),
    ("contact_ban", "Contact Ban"),
    ("custody", "Custody"),
    ("perpetrator_talk", "Talk with the Perpetrator"),
]

# Measures whose duration the state's police law limits (or, where it does
# not, the company's practice).
TIMED_TYPES = ("eviction", "contact_ban")


class DvPoliceMeasure(models.Model):
    _name = "dv.police.measure"
    _inherit = [
        "dv.guard.mixin",
        "dv.police.reference.mixin",
        "dv.case.deadline.mixin",
        "dv.erasable.mixin",
    ]
    _description = "Police Measure"
    _dv_immutable_fields = ("case_id",)
    _order = "date_start desc, id desc"

    case_id = fields.Many2one(
        "dv.case", required=True, ondelete="cascade", index=True, auto_join=True
    )
    company_id = fields.Many2one(related="case_id.company_id", store=True, index=True)
    measure_type = fields.Selection(MEASURE_TYPES, required=True, default="eviction")
    date_start = fields.Date(
        string="Start", required=True, default=fields.Date.context_today
    )
    duration_days = fields.Integer(
        string="Duration (Days)",
        compute="_compute_duration_days",
        store=True,
        readonly=False,
        help="Proposed from the federal state profile's maximum (working days "
        "and months counted on the calendar of the Land), or from the "
        "company's practice where the Land sets none; may be shorter.",
    )
    date_end = fields.Date(
        string="End",
        compute="_compute_date_end",
        store=True,
        readonly=False,
    )
    extended_until = fields.Date(
        compute="_compute_extended_until",
        store=True,
        help="A protection order applied for while the measure runs extends it "
        "until the court decides, at most by the profile's extension.",
    )
    effective_end = fields.Date(compute="_compute_extended_until", store=True)
    police_reference = fields.Char()
    agency_id = fields.Many2one(
        "dv.agency",
        string="Police Unit",
        domain="[('is_police', '=', True)]",
    )
    note = fields.Text()

    def _land_profile(self):
        return self.case_id.company_id.dv_land_profile_id

    @api.depends("measure_type", "case_id", "date_start")
    def _compute_duration_days(self):
        for measure in self:
            profile = measure._land_profile()
            timed = measure.measure_type in TIMED_TYPES
            if timed and profile and measure.date_start:
                end = profile.sudo()._measure_end(
                    measure.measure_type,
                    measure.date_start,
                    measure.case_id.company_id.sudo(),
                )
                measure.duration_days = (end - measure.date_start).days if end else 0
            elif not timed:
                measure.duration_days = 0

    @api.depends("date_start", "duration_days")
    def _compute_date_end(self):
        for measure in self:
            if measure.date_start and measure.duration_days:
                measure.date_end = measure.date_start + timedelta(
                    days=measure.duration_days
                )
            elif not measure.date_end:
                measure.date_end = False

    @api.depends(
        "date_end",
        "case_id.protection_order_ids.application_date",
        "case_id.protection_order_ids.decision_date",
    )
    def _compute_extended_until(self):
        for measure in self:
            end = measure.date_end
            effective = end
            profile = measure._land_profile().sudo()
            if end and measure.measure_type in TIMED_TYPES and profile:
                ends = [
                    profile._extended_end(
                        end, order.application_date, order.decision_date
                    )
                    for order in measure.case_id.protection_order_ids
                    if order.application_date
                    and measure.date_start <= order.application_date <= end
                ]
                if ends:
                    effective = max(ends)
            measure.extended_until = (
                effective if effective and effective > end else False
            )
            measure.effective_end = effective

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for measure in self:
            if measure.date_end and measure.date_end < measure.date_start:
                raise ValidationError(
                    self.env._("A police measure cannot end before it starts.")
                )
            if measure.duration_days < 0:
                raise ValidationError(
                    self.env._("The duration of a police measure cannot be negative.")
                )

    # The end of a measure is a deadline: its reminder is an activity of the
    # measure.

    def _deadlines(self):
        labels = dict(self._fields["measure_type"]._description_selection(self.env))
        return {
            "end": (
                self.effective_end,
                self.env._(
                    "%(measure)s ends on %(date)s",
                    measure=labels[self.measure_type],
                    date=format_date(self.env, self.effective_end),
                ),
            )
        }

    # Erasure

    def _dv_erase(self):
        """Kind and dates stay; the police's reference and the note go."""
        self.write({"police_reference": False, "note": False})
