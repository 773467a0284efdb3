from datetime import date

from odoo import models

from ..tools.statistics_suppression import hidden_label, suppress_list
from .dv_statistics_xlsx import NOT_RECORDED


def months_between(start, stop):
    """The first days of the months from ``start`` to ``stop``."""
    months = []
    month = date(start.year, start.month, 1)
    while month <= stop:
        months.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return months


class DvStatisticsXlsx(models.AbstractModel):
    """The capacity survey sheet of the statistics workbook, in the shape the
    Gewalthilfegesetz (§ 8) asks the Länder to survey: requests (cases
    opened in the period), whether they were served, wait or were not
    served and why, per month, and the staff hours the offices recorded.
    Counts suppressed like every other sheet."""

    _inherit = "report.dv_case_management.statistics_xlsx"

    def _fetch(self, wizard):
        return dict(super()._fetch(wizard), **self._fetch_capacity(wizard))

    def _fetch_capacity(self, wizard):
        groupby = [
            "opened_on:month",
            "intake_status",
            "turnaway_reason_id",
            "waiting_reason_id",
        ]
        rows = [
            ((month, "open" if status == NOT_RECORDED else status, *reasons), count)
            for (month, status, *reasons), count in self._grouped(
                "dv.case", self._case_domain(wizard), groupby
            )
        ]
        hours_domain = [
            ("date_from", ">=", wizard.date_from),
            ("date_to", "<=", wizard.date_to),
            ("company_id", "in", wizard.company_ids.ids),
        ]
        if wizard.agency_ids:
            hours_domain.append(("agency_id", "in", wizard.agency_ids.ids))
        periods = self._model("dv.capacity.period")._read_group(
            hours_domain, [], ["staff_hours:sum", "__count"]
        )
        hours, recorded = periods[0] if periods else (0.0, 0)
        return {
            "capacity": rows,
            "staff_hours": hours if recorded else None,
            "capacity_months": months_between(wizard.date_from, wizard.date_to),
        }

    def _assemble(self, wizard, data):
        return [
            *super()._assemble(wizard, data),
            (
                self.env._("Capacity"),
                self._blocks_capacity(data, self._threshold(wizard)),
            ),
        ]

    def _blocks_capacity(self, data, threshold):
        rows = data["capacity"]
        statuses = self._selection("dv.case", "intake_status")
        status_counts = self._tally(rows, 1, statuses)
        # The totals of the reasons are counts of the status breakdown: hidden
        # there, they are hidden here too (else subtracting gives the others).
        status_cells, _total = suppress_list(status_counts, threshold)
        status_hidden = {
            status
            for status, value in status_cells.items()
            if value == hidden_label(threshold)
        }
        not_recorded = {NOT_RECORDED: self.env._("Not recorded")}
        turned_away = [row for row in rows if row[0][1] == "turned_away"]
        waiting = [row for row in rows if row[0][1] == "waiting"]
        turnaway_counts = self._tally(
            turned_away, 2, self._active_ids("dv.turnaway.reason")
        )
        waiting_counts = self._tally(waiting, 3, self._active_ids("dv.waiting.reason"))
        months = data["capacity_months"]
        table = {month: dict.fromkeys(statuses, 0) for month in months}
        for (month, status, _turnaway, _waiting), count in rows:
            table.setdefault(month, dict.fromkeys(statuses, 0))
            table[month][status] += count
        month_labels = {month: month.strftime("%Y-%m") for month in table}
        hours = data["staff_hours"]
        return [
            (
                "breakdown",
                self.env._("Requests (cases opened), by status"),
                status_counts,
                statuses,
            ),
            ("gap",),
            (
                "table",
                self.env._("Requests per month"),
                table,
                month_labels,
                statuses,
            ),
            ("gap",),
            (
                "breakdown",
                self.env._("Not served, by reason"),
                turnaway_counts,
                dict(
                    self._names("dv.turnaway.reason", turnaway_counts), **not_recorded
                ),
                "turned_away" in status_hidden,
            ),
            (
                "breakdown",
                self.env._("Waiting, by reason"),
                waiting_counts,
                dict(self._names("dv.waiting.reason", waiting_counts), **not_recorded),
                "waiting" in status_hidden,
            ),
            ("gap",),
            (
                "figure",
                self.env._("Staff hours recorded"),
                round(hours, 1) if hours is not None else self.env._("Not recorded"),
                "decimal",
                None,
            ),
        ]
