from datetime import datetime, time

from odoo import fields, models
from odoo.tools import SQL, format_datetime

from ..models.statistics_suppression import hidden_label, suppress_list, suppress_table

# Age bands of the Bavarian funding form (victims) and of its children's
# section; the age classes of the police crime statistics (Lagebild).
FUNDER_AGE_BANDS = ((0, 21), (22, 30), (31, 40), (41, 50), (51, 65), (66, None))
CHILD_AGE_BANDS = ((0, 3), (4, 6), (7, 13), (14, 17))
LAGEBILD_AGE_CLASSES = ((0, 13), (14, 17), (18, 20), (21, 59), (60, None))
SESSIONS_PER_PERSON = (1, 2, 3, 4, 5)
UNKNOWN = "unknown"
NOT_RECORDED = "none"


def band_label(low, high):
    if high is None:
        return f"{low}+"
    if low == 0:
        return f"≤{high}"
    return f"{low}-{high}"


def bucket_ages(rows, bands):
    """``rows`` are ``(age_known, age, count)`` groups from the database;
    returns the counts per band key (``"low-high"``) plus ``unknown``."""
    counts = {band_label(low, high): 0 for low, high in bands}
    counts[UNKNOWN] = 0
    for known, age, count in rows:
        key = UNKNOWN
        if known:
            for low, high in bands:
                if age >= low and (high is None or age <= high):
                    key = band_label(low, high)
                    break
        counts[key] += count
    return counts


class DvStatisticsXlsx(models.AbstractModel):
    """The statistics workbook: aggregates only, computed in the database,
    with small-number suppression. It runs for the statistics role, which
    reads no case: the aggregates are taken as the superuser and no record
    of a person ever reaches the workbook.

    Each sheet is a list of blocks (a breakdown with its total, a table
    with row and column totals, or a key figure), collected first and then
    written by one writer, so that every sheet has the same layout."""

    _name = "report.dv_case_management.statistics_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Statistics Workbook"

    # Layout

    def _formats(self, workbook):
        return {
            "title": workbook.add_format({"bold": True, "font_size": 14}),
            "head": workbook.add_format(
                {"bold": True, "bg_color": "#EDE7F6", "border": 1, "text_wrap": True}
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

    def _label(self, labels, key):
        if key == UNKNOWN:
            return self.env._("Unknown")
        if key == NOT_RECORDED:
            return self.env._("Not recorded")
        return labels.get(key, str(key))

    def _write_blocks(self, sheet, blocks, fmt, threshold):
        """Write a sheet's blocks one below the other."""
        widest = 1
        row = 0
        for block in blocks:
            kind = block[0]
            if kind == "breakdown":
                _kind, title, counts, labels = block
                row = self._write_breakdown(
                    sheet, row, title, counts, labels, fmt, threshold
                )
            elif kind == "table":
                _kind, title, table, row_labels, column_labels = block
                row = self._write_table(
                    sheet, row, title, table, row_labels, column_labels, fmt, threshold
                )
                widest = max(widest, len(column_labels) + 1)
            elif kind == "figure":
                _kind, label, value, value_kind, base = block
                row = self._figure(
                    sheet, row, label, value, fmt, threshold, value_kind, base
                )
            elif kind == "gap":
                row += 1
        sheet.set_column(0, 0, 46)
        sheet.set_column(1, widest, 14)

    def _write_breakdown(self, sheet, row, title, counts, labels, fmt, threshold):
        """A breakdown with its total, suppressed; returns the next row."""
        sheet.write_string(row, 0, title, fmt["head"])
        sheet.write_string(row, 1, self.env._("Count"), fmt["head"])
        cells, total = suppress_list(counts, threshold)
        for offset, key in enumerate(counts, start=1):
            sheet.write_string(row + offset, 0, self._label(labels, key), fmt["text"])
            self._cell(sheet, row + offset, 1, cells[key], fmt)
        end = row + len(counts) + 1
        sheet.write_string(end, 0, self.env._("Total"), fmt["head"])
        self._cell(sheet, end, 1, total, fmt)
        return end + 2

    def _write_table(
        self, sheet, row, title, table, row_labels, column_labels, fmt, threshold
    ):
        """A two-way table with row and column totals, suppressed."""
        cells, row_totals, column_totals, total = suppress_table(table, threshold)
        columns = list(column_labels)
        sheet.write_string(row, 0, title, fmt["head"])
        for col, key in enumerate(columns, start=1):
            sheet.write_string(row, col, self._label(column_labels, key), fmt["head"])
        sheet.write_string(row, len(columns) + 1, self.env._("Total"), fmt["head"])
        for offset, key in enumerate(table, start=1):
            sheet.write_string(
                row + offset, 0, self._label(row_labels, key), fmt["text"]
            )
            for col, column in enumerate(columns, start=1):
                self._cell(sheet, row + offset, col, cells[key][column], fmt)
            self._cell(sheet, row + offset, len(columns) + 1, row_totals[key], fmt)
        end = row + len(table) + 1
        sheet.write_string(end, 0, self.env._("Total"), fmt["head"])
        for col, column in enumerate(columns, start=1):
            self._cell(sheet, end, col, column_totals[column], fmt)
        self._cell(sheet, end, len(columns) + 1, total, fmt)
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

    # Domains

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

    def _case_domain(self, wizard, prefix=""):
        """Cases opened in the period (``prefix`` reaches them from a child
        model, e.g. ``case_id.``)."""
        domain = [
            (f"{prefix}opened_on", ">=", wizard.date_from),
            (f"{prefix}opened_on", "<=", wizard.date_to),
            (f"{prefix}company_id", "in", wizard.company_ids.ids),
        ]
        if wizard.agency_ids:
            domain.append((f"{prefix}lead_agency_id", "in", wizard.agency_ids.ids))
        return domain

    def _child_domain(self, wizard, date_field, datetimes=False):
        """Records of a case's child model dated in the period, of cases of
        the chosen companies and agencies."""
        start, stop = (
            self._period(wizard) if datetimes else (wizard.date_from, wizard.date_to)
        )
        domain = [
            (date_field, ">=", start),
            (date_field, "<=", stop),
            ("case_id.company_id", "in", wizard.company_ids.ids),
        ]
        if wizard.agency_ids:
            domain.append(("case_id.lead_agency_id", "in", wizard.agency_ids.ids))
        return domain

    # Aggregates (in the database, as the superuser)

    def _model(self, model):
        return self.env[model].sudo().with_context(active_test=False)

    def _count_by(self, model, domain, field):
        return dict(self._model(model)._read_group(domain, [field], ["__count"]))

    def _count(self, model, domain):
        return self._model(model).search_count(domain)

    def _count_distinct(self, model, domain, field):
        return self._model(model)._read_group(domain, [], [f"{field}:count_distinct"])[
            0
        ][0]

    def _breakdown(self, model, domain, field, keys=None, none_key=NOT_RECORDED):
        """Counts per value of ``field``: every key of ``keys`` (zeros
        included) and, when there are any, the records without a value."""
        groups = self._count_by(model, domain, field)
        boolean = self.env[model]._fields[field].type == "boolean"
        counts = dict.fromkeys(keys or (), 0)
        for value, count in groups.items():
            if boolean:
                key = bool(value)
            elif isinstance(value, models.BaseModel):
                key = value.id or none_key
            else:
                key = value or none_key
            counts[key] = counts.get(key, 0) + count
        return counts

    def _active_ids(self, model):
        """The active entries of a code table, in its order."""
        return self._model(model).search([("active", "=", True)]).ids

    def _names(self, model, counts):
        """The names of the code table entries among the keys of
        ``counts``."""
        ids = [key for key in counts if isinstance(key, int)]
        return {record.id: record.name for record in self._model(model).browse(ids)}

    def _selection(self, model, field):
        return dict(self.env[model]._fields[field]._description_selection(self.env))

    def _ages(self, domain, bands):
        rows = self._model("dv.person")._read_group(
            domain, ["age_known", "age_at_opening"], ["__count"]
        )
        return bucket_ages(rows, bands)

    def _median_hours_to_contact(self, domain):
        Referral = self._model("dv.referral")
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

    def _sessions_per_person(self, domain):
        """How many people had 1, 2, 3, 4 or 5 and more sessions."""
        query = self._model("dv.session")._search(domain)
        query.groupby = SQL.identifier(query.table, "person_id")
        self.env.cr.execute(
            SQL(
                "SELECT LEAST(per_person.n, %s), count(*) FROM (%s) AS per_person "
                "GROUP BY 1",
                SESSIONS_PER_PERSON[-1],
                query.select(SQL("count(*) AS n")),
            )
        )
        counts = dict.fromkeys(SESSIONS_PER_PERSON, 0)
        counts.update(dict(self.env.cr.fetchall()))
        return counts

    # The workbook

    def generate_xlsx_report(self, workbook, data, wizards):
        wizard = wizards[:1]
        wizard.check_access("read")
        # The wizard's companies are the user's own (checked when it was
        # made), whichever of them are switched on in the browser.
        wizard = wizard.sudo()
        self._write_workbook(workbook, wizard, self._collect(wizard))

    def _collect(self, wizard):
        """The blocks of every sheet: ``[(sheet name, blocks)]``."""
        return [
            (self.env._("Funder Report"), self._blocks_funder(wizard)),
            (self.env._("Lagebild"), self._blocks_lagebild(wizard)),
            (self.env._("Pro-active Approach"), self._blocks_proactive(wizard)),
            (self.env._("High Risk"), self._blocks_high_risk(wizard)),
        ]

    def _write_workbook(self, workbook, wizard, sheets):
        fmt = self._formats(workbook)
        self._sheet_front(workbook, wizard, fmt)
        for name, blocks in sheets:
            sheet = workbook.add_worksheet(name)
            self._write_blocks(sheet, blocks, fmt, wizard.threshold)

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

    def _blocks_funder(self, wizard):
        case_domain = self._case_domain(wizard)
        people = self._case_domain(wizard, prefix="case_id.")
        victims = [*people, ("role", "=", "victim")]
        children = [*people, ("role", "=", "child"), ("age_at_opening", "<", 18)]
        referrals = self._referral_domain(wizard)
        police = [*referrals, ("source_type", "=", "police")]
        units = self._breakdown("dv.referral", police, "from_agency_id")
        unit_labels = self._names("dv.agency", units)
        first_contact = self._breakdown(
            "dv.referral",
            [*referrals, ("state", "in", ("contacted", "declined"))],
            "first_contact_channel_id",
            keys=self._active_ids("dv.contact.channel"),
        )
        first_contact["unreachable"] = self._count(
            "dv.referral", [*referrals, ("state", "=", "unreachable")]
        )
        channel_labels = self._names("dv.contact.channel", first_contact)
        channel_labels["unreachable"] = self.env._("Not possible (unreachable)")
        sessions = self._child_domain(wizard, "date")
        yes_no = self._selection("dv.person", "migration_background")
        return [
            (
                "breakdown",
                self.env._("Cases opened"),
                self._breakdown(
                    "dv.case", case_domain, "kind", self._selection("dv.case", "kind")
                ),
                self._selection("dv.case", "kind"),
            ),
            (
                "breakdown",
                self.env._("Police referrals per police unit"),
                units,
                unit_labels,
            ),
            (
                "figure",
                self.env._("Repeat cases"),
                self._count("dv.case", [*case_domain, ("is_repeat", "=", True)]),
                "number",
                None,
            ),
            ("gap",),
            (
                "breakdown",
                self.env._("Police measures"),
                self._breakdown(
                    "dv.police.measure",
                    self._child_domain(wizard, "date_start"),
                    "measure_type",
                    self._selection("dv.police.measure", "measure_type"),
                ),
                self._selection("dv.police.measure", "measure_type"),
            ),
            (
                "breakdown",
                self.env._("First contact made by"),
                first_contact,
                channel_labels,
            ),
            (
                "breakdown",
                self.env._("Victims by age"),
                self._ages(victims, FUNDER_AGE_BANDS),
                {},
            ),
            (
                "breakdown",
                self.env._("Victims by migration background"),
                self._breakdown("dv.person", victims, "migration_background", yes_no),
                yes_no,
            ),
            (
                "breakdown",
                self.env._("Minor children by age"),
                self._ages(children, CHILD_AGE_BANDS),
                {},
            ),
            (
                "figure",
                self.env._("Persons counselled"),
                self._count_distinct("dv.session", sessions, "person_id"),
                "number",
                None,
            ),
            ("gap",),
            (
                "breakdown",
                self.env._("Counselling sessions"),
                self._breakdown(
                    "dv.session",
                    sessions,
                    "mode",
                    self._selection("dv.session", "mode"),
                ),
                self._selection("dv.session", "mode"),
            ),
            (
                "breakdown",
                self.env._("Persons by number of sessions"),
                self._sessions_per_person(sessions),
                {
                    count: str(count) if count < 5 else f"{count}+"
                    for count in SESSIONS_PER_PERSON
                },
            ),
        ]

    def _blocks_lagebild(self, wizard):
        case_domain = self._case_domain(wizard)
        people = self._case_domain(wizard, prefix="case_id.")
        victims = [*people, ("role", "=", "victim")]
        perpetrators = [*people, ("role", "=", "perpetrator")]
        genders = self._selection("dv.person", "gender")
        classes = {
            band_label(low, high): band_label(low, high)
            for low, high in LAGEBILD_AGE_CLASSES
        }
        classes[UNKNOWN] = self.env._("Unknown")
        rows = self._model("dv.person")._read_group(
            victims, ["gender", "age_known", "age_at_opening"], ["__count"]
        )
        by_sex_age = {
            gender: bucket_ages(
                [row[1:] for row in rows if row[0] == gender], LAGEBILD_AGE_CLASSES
            )
            for gender in genders
        }
        relationships = self._selection("dv.person", "relationship")
        households = {
            True: self.env._("Shared household"),
            False: self.env._("Separate households"),
        }
        incidents = self._child_domain(wizard, "date", datetimes=True)
        offences = self._breakdown(
            "dv.incident",
            incidents,
            "offence_group_ids",
            self._active_ids("dv.offence.group"),
        )
        return [
            (
                "breakdown",
                self.env._("Partner vs. intra-family violence (cases)"),
                self._breakdown(
                    "dv.case", case_domain, "kind", self._selection("dv.case", "kind")
                ),
                self._selection("dv.case", "kind"),
            ),
            (
                "table",
                self.env._("Victims by sex and age class"),
                by_sex_age,
                genders,
                classes,
            ),
            (
                "breakdown",
                self.env._("Relationship of the alleged perpetrator"),
                self._breakdown(
                    "dv.person", perpetrators, "relationship", relationships
                ),
                relationships,
            ),
            (
                "breakdown",
                self.env._("Household"),
                self._breakdown(
                    "dv.person", perpetrators, "shared_household", households
                ),
                households,
            ),
            (
                "breakdown",
                self.env._("Incidents by offence group"),
                offences,
                self._names("dv.offence.group", offences),
            ),
            (
                "figure",
                self.env._("Incidents committed online"),
                self._count("dv.incident", [*incidents, ("online", "=", True)]),
                "number",
                None,
            ),
            (
                "figure",
                self.env._("Breaches of protection orders (§ 4 GewSchG)"),
                self._count(
                    "dv.incident", [*incidents, ("is_order_breach", "=", True)]
                ),
                "number",
                None,
            ),
        ]

    def _blocks_proactive(self, wizard):
        domain = self._referral_domain(wizard)
        labels = self._selection("dv.referral", "source_type")
        counts = self._breakdown("dv.referral", domain, "source_type", labels)
        total = sum(counts.values())
        by_state = self._count_by("dv.referral", domain, "state")
        timeliness = self._count_by(
            "dv.referral",
            [*domain, ("first_contact_deadline", "!=", False)],
            "contacted_in_time",
        )
        with_deadline = sum(timeliness.values())
        consent = self._count("dv.referral", [*domain, ("legal_basis", "=", "consent")])
        return [
            ("breakdown", self.env._("Referrals by source"), counts, labels),
            (
                "figure",
                self.env._("Contacted within the deadline"),
                timeliness.get(True, 0) / with_deadline if with_deadline else "—",
                "percent",
                with_deadline,
            ),
            (
                "figure",
                self.env._("Median hours to first contact"),
                self._median_hours_to_contact(domain),
                "decimal",
                by_state.get("contacted", 0) + by_state.get("declined", 0),
            ),
            (
                "figure",
                self.env._("Unreachable"),
                by_state.get("unreachable", 0),
                "number",
                None,
            ),
            (
                "figure",
                self.env._("Declined"),
                by_state.get("declined", 0),
                "number",
                None,
            ),
            (
                "figure",
                self.env._("Consent rate"),
                consent / total if total else "—",
                "percent",
                total,
            ),
        ]

    def _blocks_high_risk(self, wizard):
        levels = self._selection("dv.risk.assessment", "final_level")
        assessments = [
            ("state", "=", "done"),
            *self._child_domain(wizard, "date"),
        ]
        start, stop = self._period(wizard)
        conferences = [
            ("state", "in", ("held", "approved", "closed")),
            ("start", ">=", start),
            ("start", "<=", stop),
            ("company_id", "in", wizard.company_ids.ids),
        ]
        kinds = self._selection("dv.conference", "kind")
        actions = self._count_by(
            "dv.conference.action",
            [
                ("due_date", ">=", wizard.date_from),
                ("due_date", "<=", wizard.date_to),
                ("company_id", "in", wizard.company_ids.ids),
            ],
            "done_in_time",
        )
        due = sum(actions.values())
        case_domain = self._case_domain(wizard)
        return [
            (
                "breakdown",
                self.env._("Assessments by level"),
                self._breakdown(
                    "dv.risk.assessment", assessments, "final_level", levels
                ),
                levels,
            ),
            (
                "figure",
                self.env._("High-risk cases"),
                self._count_distinct(
                    "dv.risk.assessment",
                    [*assessments, ("final_level", "=", "high")],
                    "case_id",
                ),
                "number",
                None,
            ),
            ("gap",),
            (
                "breakdown",
                self.env._("Conferences held"),
                self._breakdown("dv.conference", conferences, "kind", kinds),
                kinds,
            ),
            (
                "figure",
                self.env._("Actions done on time"),
                actions.get(True, 0) / due if due else "—",
                "percent",
                due,
            ),
            (
                "figure",
                self.env._("Repeats within 12 months"),
                self._count("dv.case", [*case_domain, ("is_repeat", "=", True)]),
                "number",
                None,
            ),
            (
                "figure",
                self.env._("Cases with children"),
                self._count("dv.case", [*case_domain, ("has_children", "=", True)]),
                "number",
                None,
            ),
        ]
