from datetime import datetime, time

from odoo import fields, models
from odoo.tools import SQL, format_datetime

from ..models.statistics_suppression import hidden_label, suppress_list


class DvStatisticsXlsx(models.AbstractModel):
    """The statistics workbook: aggregates only, computed in the database,
    with small-number suppression. It runs for the statistics role, which
    reads no case: the aggregates are taken as the superuser and no record
    of a person ever reaches the workbook."""

    _name = "report.dv_case_management.statistics_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Statistics Workbook"

    # Layout helpers

    def _formats(self, workbook):
        return {
            "title": workbook.add_format({"bold": True, "font_size": 14}),
            "head": workbook.add_format(
                {"bold": True, "bg_color": "#EDE7F6", "border": 1}
            ),
            "text": workbook.add_format({"border": 1}),
            "number": workbook.add_format({"border": 1, "num_format": "0"}),
            "percent": workbook.add_format({"border": 1, "num_format": "0.0%"}),
            "decimal": workbook.add_format({"border": 1, "num_format": "0.0"}),
        }

    def _cell(self, sheet, row, col, value, fmt, kind="number"):
        """Numbers as numbers, everything else as text (never a formula)."""
        if isinstance(value, int | float) and not isinstance(value, bool):
            sheet.write_number(row, col, value, fmt[kind])
        else:
            sheet.write_string(
                row, col, "" if value is None else str(value), fmt["text"]
            )

    def _write_breakdown(self, sheet, row, title, counts, labels, fmt, threshold):
        """A breakdown with its total, suppressed; returns the next row."""
        sheet.write_string(row, 0, title, fmt["head"])
        sheet.write_string(row, 1, self.env._("Count"), fmt["head"])
        cells, total = suppress_list(counts, threshold)
        for offset, key in enumerate(counts, start=1):
            sheet.write_string(row + offset, 0, labels.get(key, str(key)), fmt["text"])
            self._cell(sheet, row + offset, 1, cells[key], fmt)
        end = row + len(counts) + 1
        sheet.write_string(end, 0, self.env._("Total"), fmt["head"])
        self._cell(sheet, end, 1, total, fmt)
        return end + 2

    def _figure(
        self, sheet, row, label, value, fmt, threshold, kind="number", base=None
    ):
        """One key figure; small counts and rates of small bases hidden."""
        sheet.write_string(row, 0, label, fmt["text"])
        if base is not None and base < threshold:
            value = "—"
        elif kind == "number" and isinstance(value, int) and 0 < value < threshold:
            value = hidden_label(threshold)
        self._cell(sheet, row, 1, value, fmt, kind)
        return row + 1

    # Data

    def _period(self, wizard):
        start = datetime.combine(wizard.date_from, time.min)
        stop = datetime.combine(wizard.date_to, time.max)
        return start, stop

    def _referral_domain(self, wizard):
        start, stop = self._period(wizard)
        domain = [
            ("direction", "=", "inbound"),
            ("received_at", ">=", start),
            ("received_at", "<=", stop),
            ("company_id", "in", wizard.company_ids.ids),
        ]
        if wizard.agency_ids:
            domain.append(("to_agency_id", "in", wizard.agency_ids.ids))
        return domain

    def _case_domain(self, wizard, date_field="opened_on"):
        domain = [
            (date_field, ">=", wizard.date_from),
            (date_field, "<=", wizard.date_to),
            ("company_id", "in", wizard.company_ids.ids),
        ]
        if wizard.agency_ids:
            domain.append(("lead_agency_id", "in", wizard.agency_ids.ids))
        return domain

    def _count_by(self, model, domain, field):
        Model = self.env[model].sudo().with_context(active_test=False)
        return dict(Model._read_group(domain, [field], ["__count"]))

    def _median_hours_to_contact(self, domain):
        Referral = self.env["dv.referral"].sudo().with_context(active_test=False)
        query = Referral._search([*domain, ("first_contact_at", "!=", False)])
        table = query.table
        self.env.cr.execute(
            query.select(
                SQL(
                    "percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM "
                    "%s - %s) / 3600.0)",
                    SQL.identifier(table, "first_contact_at"),
                    SQL.identifier(table, "received_at"),
                )
            )
        )
        value = self.env.cr.fetchone()[0]
        return round(value, 1) if value is not None else "—"

    # Sheets

    def generate_xlsx_report(self, workbook, data, wizards):
        wizard = wizards[:1]
        wizard.check_access("read")
        fmt = self._formats(workbook)
        threshold = wizard.threshold
        self._sheet_front(workbook, wizard, fmt)
        self._sheet_proactive(workbook, wizard, fmt, threshold)
        self._sheet_high_risk(workbook, wizard, fmt, threshold)

    def _sheet_front(self, workbook, wizard, fmt):
        sheet = workbook.add_worksheet(self.env._("Overview"))
        sheet.set_column(0, 0, 34)
        sheet.set_column(1, 1, 60)
        sheet.write_string(
            0, 0, self.env._("Domestic Violence: Statistics"), fmt["title"]
        )
        rows = [
            (self.env._("Period"), f"{wizard.date_from} - {wizard.date_to}"),
            (self.env._("Companies"), ", ".join(wizard.company_ids.mapped("name"))),
            (
                self.env._("Agencies"),
                ", ".join(wizard.agency_ids.mapped("name")) or self.env._("All"),
            ),
            (
                self.env._("Counts below this are shown as"),
                hidden_label(wizard.threshold),
            ),
            (
                self.env._("Generated"),
                format_datetime(self.env, fields.Datetime.now()),
            ),
        ]
        for index, (label, value) in enumerate(rows, start=2):
            sheet.write_string(index, 0, label, fmt["head"])
            sheet.write_string(index, 1, value, fmt["text"])

    def _sheet_proactive(self, workbook, wizard, fmt, threshold):
        sheet = workbook.add_worksheet(self.env._("Pro-active Approach"))
        sheet.set_column(0, 0, 44)
        sheet.set_column(1, 1, 14)
        Referral = self.env["dv.referral"]
        domain = self._referral_domain(wizard)
        labels = dict(Referral._fields["source_type"]._description_selection(self.env))
        by_source = self._count_by("dv.referral", domain, "source_type")
        counts = {key: by_source.get(key, 0) for key in labels}
        row = self._write_breakdown(
            sheet, 0, self.env._("Referrals by source"), counts, labels, fmt, threshold
        )
        total = sum(counts.values())
        by_state = self._count_by("dv.referral", domain, "state")
        timeliness = self._count_by(
            "dv.referral",
            [*domain, ("first_contact_deadline", "!=", False)],
            "contacted_in_time",
        )
        with_deadline = sum(timeliness.values())
        in_time = timeliness.get(True, 0)
        consent = self._count_by("dv.referral", domain, "legal_basis").get("consent", 0)
        row = self._figure(
            sheet,
            row,
            self.env._("Contacted within the deadline"),
            in_time / with_deadline if with_deadline else "—",
            fmt,
            threshold,
            "percent",
            base=with_deadline,
        )
        row = self._figure(
            sheet,
            row,
            self.env._("Median hours to first contact"),
            self._median_hours_to_contact(domain),
            fmt,
            threshold,
            "decimal",
            base=by_state.get("contacted", 0) + by_state.get("declined", 0),
        )
        row = self._figure(
            sheet,
            row,
            self.env._("Unreachable"),
            by_state.get("unreachable", 0),
            fmt,
            threshold,
        )
        row = self._figure(
            sheet,
            row,
            self.env._("Declined"),
            by_state.get("declined", 0),
            fmt,
            threshold,
        )
        self._figure(
            sheet,
            row,
            self.env._("Consent rate"),
            consent / total if total else "—",
            fmt,
            threshold,
            "percent",
            base=total,
        )

    def _sheet_high_risk(self, workbook, wizard, fmt, threshold):
        sheet = workbook.add_worksheet(self.env._("High Risk"))
        sheet.set_column(0, 0, 44)
        sheet.set_column(1, 1, 14)
        Assessment = self.env["dv.risk.assessment"]
        labels = dict(
            Assessment._fields["final_level"]._description_selection(self.env)
        )
        assessment_domain = [
            ("state", "=", "done"),
            ("date", ">=", wizard.date_from),
            ("date", "<=", wizard.date_to),
            ("company_id", "in", wizard.company_ids.ids),
        ]
        if wizard.agency_ids:
            assessment_domain.append(
                ("case_id.lead_agency_id", "in", wizard.agency_ids.ids)
            )
        by_level = self._count_by(
            "dv.risk.assessment", assessment_domain, "final_level"
        )
        counts = {key: by_level.get(key, 0) for key in labels}
        row = self._write_breakdown(
            sheet, 0, self.env._("Assessments by level"), counts, labels, fmt, threshold
        )
        high_cases = len(
            self._count_by(
                "dv.risk.assessment",
                [*assessment_domain, ("final_level", "=", "high")],
                "case_id",
            )
        )
        row = self._figure(
            sheet, row, self.env._("High-risk cases"), high_cases, fmt, threshold
        )
        start, stop = self._period(wizard)
        conference_domain = [
            ("state", "in", ("held", "approved", "closed")),
            ("start", ">=", start),
            ("start", "<=", stop),
            ("company_id", "in", wizard.company_ids.ids),
        ]
        kinds = dict(
            self.env["dv.conference"]._fields["kind"]._description_selection(self.env)
        )
        by_kind = self._count_by("dv.conference", conference_domain, "kind")
        row = self._write_breakdown(
            sheet,
            row + 1,
            self.env._("Conferences held"),
            {key: by_kind.get(key, 0) for key in kinds},
            kinds,
            fmt,
            threshold,
        )
        action_domain = [
            ("due_date", ">=", wizard.date_from),
            ("due_date", "<=", wizard.date_to),
            ("company_id", "in", wizard.company_ids.ids),
        ]
        actions = self._count_by("dv.conference.action", action_domain, "done_in_time")
        due = sum(actions.values())
        row = self._figure(
            sheet,
            row,
            self.env._("Actions done on time"),
            actions.get(True, 0) / due if due else "—",
            fmt,
            threshold,
            "percent",
            base=due,
        )
        case_domain = self._case_domain(wizard)
        repeats = self._count_by("dv.case", case_domain, "is_repeat").get(True, 0)
        children = self._count_by("dv.case", case_domain, "has_children").get(True, 0)
        row = self._figure(
            sheet, row, self.env._("Repeats within 12 months"), repeats, fmt, threshold
        )
        self._figure(
            sheet, row, self.env._("Cases with children"), children, fmt, threshold
        )
