from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..models.dv_agency import GERMAN_STATES


class DvHolidayWizard(models.TransientModel):
    _name = "dv.holiday.wizard"
    _description = "Load Public Holidays"

    agency_id = fields.Many2one("dv.agency", required=True)
    resource_calendar_id = fields.Many2one(
        related="agency_id.resource_calendar_id", readonly=False
    )
    holiday_state = fields.Selection(
        GERMAN_STATES,
        string="Federal State",
        compute="_compute_holiday_state",
        store=True,
        readonly=False,
        required=True,
    )
    year_from = fields.Integer(
        string="From Year", required=True, default=lambda self: self._default_year()
    )
    year_to = fields.Integer(
        string="To Year", required=True, default=lambda self: self._default_year() + 1
    )

    def _default_year(self):
        return fields.Date.context_today(self).year

    @api.depends("agency_id")
    def _compute_holiday_state(self):
        for wizard in self:
            wizard.holiday_state = (
                wizard.agency_id.holiday_state or wizard.holiday_state
            )

    @api.constrains("year_from", "year_to")
    def _check_years(self):
        for wizard in self:
            if not 1990 <= wizard.year_from <= wizard.year_to <= 2100:
                raise ValidationError(
                    self.env._(
                        "Choose a range of years between 1990 and 2100 whose first "
                        "year is not after its last."
                    )
                )
            if wizard.year_to - wizard.year_from > 10:
                raise ValidationError(
                    self.env._("Load at most eleven years of holidays at once.")
                )

    def action_load(self):
        self.ensure_one()
        calendar = self.resource_calendar_id
        if not calendar:
            raise UserError(
                self.env._("Choose the working calendar that receives the holidays.")
            )
        created = calendar._dv_load_public_holidays(
            self.holiday_state, range(self.year_from, self.year_to + 1)
        )
        self.agency_id.holiday_state = self.holiday_state
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "%(count)s public holidays added to %(calendar)s.",
                    count=created,
                    calendar=calendar.display_name,
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
