from datetime import date

from odoo import fields, models
from odoo.exceptions import AccessError


class DvXlsxListMixin(models.AbstractModel):
    """A list export: a heading row, then one row per record. Text is
    always written as text, so that a value starting with "=", "+", "-" or
    "@" never becomes a formula; dates are written as dates."""

    _name = "dv.xlsx.list.mixin"
    _description = "Spreadsheet List Export"

    def _list_formats(self, workbook):
        return {
            "head": workbook.add_format(
                {"bold": True, "bg_color": "#EDE7F6", "border": 1, "text_wrap": True}
            ),
            "text": workbook.add_format({"border": 1}),
            "date": workbook.add_format({"border": 1, "num_format": "dd.mm.yyyy"}),
            "number": workbook.add_format({"border": 1, "num_format": "0"}),
        }

    def _write_list(self, sheet, fmt, columns, rows):
        """``columns`` are ``(heading, width)``; ``rows`` lists of values."""
        for col, (heading, width) in enumerate(columns):
            sheet.write_string(0, col, heading, fmt["head"])
            sheet.set_column(col, col, width)
        for row, values in enumerate(rows, start=1):
            for col, value in enumerate(values):
                if isinstance(value, bool) or value is None:
                    sheet.write_string(row, col, "", fmt["text"])
                elif isinstance(value, int | float):
                    sheet.write_number(row, col, value, fmt["number"])
                elif isinstance(value, date):
                    sheet.write_datetime(row, col, value, fmt["date"])
                else:
                    sheet.write_string(row, col, str(value), fmt["text"])
        sheet.freeze_panes(1, 0)
        if rows:
            sheet.autofilter(0, 0, len(rows), len(columns) - 1)

    def _label_of(self, record, field):
        """The user's label of a selection value."""
        selection = dict(record._fields[field]._description_selection(self.env))
        return selection.get(record[field], "")

    def _yes(self, value):
        return self.env._("Yes") if value else self.env._("No")


class DvCaseListXlsx(models.AbstractModel):
    """The case list of a case worker, pseudonymised: references and
    figures, no names. Rendered as the user, so record rules decide which
    cases appear."""

    _name = "report.dv_case_management.case_list_xlsx"
    _inherit = ["report.report_xlsx.abstract", "dv.xlsx.list.mixin"]
    _description = "Case List (Spreadsheet)"

    _with_names = False

    def _columns(self):
        columns = [
            (self.env._("Reference"), 16),
            (self.env._("Kind"), 22),
            (self.env._("Status"), 14),
            (self.env._("Lead Agency"), 32),
            (self.env._("Agreed Lead Institution"), 32),
            (self.env._("Case Worker"), 22),
            (self.env._("Opened On"), 12),
            (self.env._("Closed On"), 12),
            (self.env._("Risk Level"), 12),
            (self.env._("High Risk"), 10),
            (self.env._("Repeat"), 10),
            (self.env._("Escalating"), 10),
            (self.env._("Children"), 10),
            (self.env._("Incidents"), 10),
        ]
        if self._with_names:
            columns.insert(1, (self.env._("Victim"), 28))
        return columns

    def _row(self, case):
        row = [
            case.name,
            self._label_of(case, "case_type"),
            self._label_of(case, "state"),
            case.lead_agency_id.name,
            case.lead_institution_id.name or "",
            case.user_id.name,
            case.opened_on,
            case.closed_on,
            self._label_of(case, "risk_level"),
            self._yes(case.is_high_risk),
            self._yes(case.is_repeat),
            self._yes(case.is_escalating),
            case.child_count,
            case.incident_count,
        ]
        if self._with_names:
            row.insert(1, case.victim_id.name)
        return row

    def generate_xlsx_report(self, workbook, data, cases):
        cases.check_access("read")
        if self._with_names:
            if not self.env.user.has_group("dv_case_management.group_dv_caseworker"):
                raise AccessError(
                    self.env._("Only case workers export case lists with names.")
                )
            self.env["dv.access.log"]._log(cases)
        fmt = self._list_formats(workbook)
        sheet = workbook.add_worksheet(self.env._("Cases"))
        self._write_list(
            sheet, fmt, self._columns(), [self._row(case) for case in cases]
        )


class DvCaseListNamedXlsx(models.AbstractModel):
    """The case list with the victims' names, for case workers; every case
    in it is entered in the access log."""

    _name = "report.dv_case_management.case_list_named_xlsx"
    _inherit = "report.dv_case_management.case_list_xlsx"
    _description = "Case List with Names (Spreadsheet)"

    _with_names = True


class DvActionTrackerXlsx(models.AbstractModel):
    """The conference action tracker: open actions per owner agency, the
    overdue ones marked, cases by their pseudonym only."""

    _name = "report.dv_case_management.action_tracker_xlsx"
    _inherit = ["report.report_xlsx.abstract", "dv.xlsx.list.mixin"]
    _description = "Action Tracker (Spreadsheet)"

    def generate_xlsx_report(self, workbook, data, actions):
        actions.check_access("read")
        today = fields.Date.context_today(self)
        actions = actions.filtered(lambda a: a.status == "open").sorted(
            lambda a: (a.owner_agency_id.name or "", a.due_date, a.id)
        )
        fmt = self._list_formats(workbook)
        summary = workbook.add_worksheet(self.env._("Per Agency"))
        per_agency = {}
        for action in actions:
            counts = per_agency.setdefault(action.owner_agency_id.name or "", [0, 0])
            counts[0] += 1
            counts[1] += action.due_date < today
        self._write_list(
            summary,
            fmt,
            [
                (self.env._("Owner Agency"), 36),
                (self.env._("Open"), 10),
                (self.env._("Overdue"), 10),
            ],
            [[name, *counts] for name, counts in per_agency.items()],
        )
        sheet = workbook.add_worksheet(self.env._("Open Actions"))
        self._write_list(
            sheet,
            fmt,
            [
                (self.env._("Owner Agency"), 32),
                (self.env._("Responsible"), 22),
                (self.env._("Conference"), 16),
                (self.env._("Case"), 16),
                (self.env._("Action"), 50),
                (self.env._("Due Date"), 12),
                (self.env._("Days Overdue"), 12),
            ],
            [
                [
                    action.owner_agency_id.name,
                    action.user_id.name,
                    action.conference_id.name,
                    action.line_id.sudo().pseudonym,
                    action.name,
                    action.due_date,
                    max((today - action.due_date).days, 0),
                ]
                for action in actions
            ],
        )
