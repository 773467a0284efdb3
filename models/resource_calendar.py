from datetime import date, datetime, time, timedelta

import holidays
import pytz

from odoo import fields, models


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    def _get_working_dates(self, date_from, date_to):
        """Return the set of local dates between ``date_from`` and ``date_to``
        (both included) on which the calendar has working time left once its
        leaves (public holidays) are taken out."""
        self.ensure_one()
        tz = pytz.timezone(self.tz or "UTC")
        start = tz.localize(datetime.combine(date_from, time.min))
        end = tz.localize(datetime.combine(date_to + timedelta(days=1), time.min))
        intervals = self._work_intervals_batch(start, end, tz=tz)[False]
        return {begin.astimezone(tz).date() for begin, _end, _meta in intervals}

    def _dv_load_public_holidays(self, state, years=None):
        """Add the public holidays of a German federal state as full-day leaves
        of this calendar. Holidays already present (same calendar, same start)
        are kept as they are. Returns the number of leaves created."""
        self.ensure_one()
        if not years:
            this_year = fields.Date.context_today(self).year
            years = [this_year, this_year + 1]
        language = "de" if (self.env.lang or "").startswith("de") else "en_US"
        state_holidays = holidays.country_holidays(
            "DE", subdiv=state, years=list(years), language=language
        )
        tz = pytz.timezone(self.tz or "UTC")
        Leaves = self.env["resource.calendar.leaves"]
        values = []
        for day, name in sorted(state_holidays.items()):
            date_from, date_to = self._dv_day_bounds_utc(day, tz)
            if Leaves.search_count(
                [
                    ("calendar_id", "=", self.id),
                    ("resource_id", "=", False),
                    ("date_from", "=", date_from),
                ],
                limit=1,
            ):
                continue
            values.append(
                {
                    "name": name,
                    "calendar_id": self.id,
                    "date_from": date_from,
                    "date_to": date_to,
                    "time_type": "leave",
                }
            )
        Leaves.create(values)
        return len(values)

    def _dv_day_bounds_utc(self, day: date, tz):
        """First and last second of a local day, as naive UTC datetimes."""
        start = tz.localize(datetime.combine(day, time.min))
        stop = tz.localize(datetime.combine(day + timedelta(days=1), time.min))
        return (
            start.astimezone(pytz.utc).replace(tzinfo=None),
            stop.astimezone(pytz.utc).replace(tzinfo=None) - timedelta(seconds=1),
        )
