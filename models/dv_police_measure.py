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

# Measures whose maximum duration the state's police law fixes.
TIMED_TYPES = {"eviction": "eviction_max_days", "contact_ban": "contact_ban_max_days"}


class DvPoliceMeasure(models.Model):
    _name = "dv.police.measure"
    _inherit = ["dv.guard.mixin", "dv.case.deadline.mixin"]
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
        help="Proposed from the federal state profile's maximum; may be shorter.",
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

    @api.depends("measure_type", "case_id")
    def _compute_duration_days(self):
        for measure in self:
            profile = measure._land_profile()
            fname = TIMED_TYPES.get(measure.measure_type)
            if fname and profile:
                measure.duration_days = profile[fname]
            elif not fname:
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
            extended = False
            end = measure.date_end
            profile = measure._land_profile()
            if end and measure.measure_type in TIMED_TYPES and profile:
                limit = end + timedelta(days=profile.extension_max_days)
                for order in measure.case_id.protection_order_ids:
                    applied = order.application_date
                    if applied and measure.date_start <= applied <= end:
                        decided = order.decision_date
                        candidate = min(decided, limit) if decided else limit
                        if candidate > end:
                            extended = max(extended or candidate, candidate)
            measure.extended_until = extended
            measure.effective_end = extended or end

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

    # The end of a measure is a deadline of the case.

    def _deadlines(self):
        labels = dict(self._fields["measure_type"]._description_selection(self.env))
        return {
            f"dv.police.measure,{self.id}": (
                self.effective_end,
                self.env._(
                    "%(measure)s ends on %(date)s",
                    measure=labels[self.measure_type],
                    date=format_date(self.env, self.effective_end),
                ),
            )
        }
