from datetime import datetime, time

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_date, format_datetime

from ..models.dv_perpetrator_measure import WEAPONS_CHECK
from ..tools.statistics_suppression import hidden_label, suppress_list, suppress_table

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
                # An optional fifth item hides the total (another block
                # hides the same number).
                _kind, title, counts, labels, *hide_total = block
                row = self._write_breakdown(
                    sheet, row, title, counts, labels, fmt, threshold, *hide_total
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

    def _write_breakdown(
        self, sheet, row, title, counts, labels, fmt, threshold, hide_total=False
    ):
        """A breakdown with its total, suppressed; returns the next row."""
        sheet.write_string(row, 0, title, fmt["head"])
        sheet.write_string(row, 1, self.env._("Count"), fmt["head"])
        cells, total = suppress_list(counts, threshold, hide_total=hide_total)
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
            ("received_at", ">=", start),
            ("received_at", "<=", stop),
            ("company_id", "in", wizard.company_ids.ids),
        ]
        if wizard.agency_ids:
            domain.append(("to_agency_id", "in", wizard.agency_ids.ids))
        return domain

    def _case_domain(self, wizard, prefix="", date_field="opened_on"):
        """Cases opened (or with another ``date_field``) in the period
        (``prefix`` reaches them from a child model, e.g. ``case_id.``)."""
        domain = [
            (f"{prefix}{date_field}", ">=", wizard.date_from),
            (f"{prefix}{date_field}", "<=", wizard.date_to),
            (f"{prefix}company_id", "in", wizard.company_ids.ids),
        ]
        if wizard.agency_ids:
            domain.append((f"{prefix}lead_agency_id", "in", wizard.agency_ids.ids))
        return domain

    def _child_domain(self, wizard, date_field, datetimes=False):
        """Records of a case's child model dated in the period, of the chosen
        companies (their own, stored company) and agencies."""
        start, stop = (
            self._period(wizard) if datetimes else (wizard.date_from, wizard.date_to)
        )
        domain = [
            (date_field, ">=", start),
            (date_field, "<=", stop),
            ("company_id", "in", wizard.company_ids.ids),
        ]
        if wizard.agency_ids:
            domain.append(("case_id.lead_agency_id", "in", wizard.agency_ids.ids))
        return domain

    # Aggregates (in the database, as the superuser)
    #
    # A table is read once for all the figures taken from it: grouped by
    # every field they need, the few hundred groups then summed up.

    def _model(self, model):
        return self.env[model].sudo().with_context(active_test=False)

    def _count(self, model, domain):
        return self._model(model).search_count(domain)

    def _grouped(self, model, domain, groupby):
        """``[(key tuple, count)]`` of the records grouped by ``groupby``
        (``field:granularity`` too); records are given by id, empty values
        as ``NOT_RECORDED`` except for booleans."""
        Model = self._model(model)
        booleans = [
            Model._fields[name.split(":")[0]].type == "boolean" for name in groupby
        ]
        rows = []
        for *values, count in Model._read_group(domain, groupby, ["__count"]):
            key = []
            for boolean, value in zip(booleans, values, strict=True):
                if boolean:
                    key.append(bool(value))
                elif isinstance(value, models.BaseModel):
                    key.append(value.id or NOT_RECORDED)
                elif value is None or value is False:
                    key.append(NOT_RECORDED)
                else:
                    key.append(value)
            rows.append((tuple(key), count))
        return rows

    def _tally(self, rows, index, keys=(), where=None):
        """Counts per value at ``index`` of the keys (zeros for ``keys``),
        of the groups that meet ``where``."""
        counts = dict.fromkeys(keys, 0)
        for key, count in rows:
            if where is None or where(key):
                counts[key[index]] = counts.get(key[index], 0) + count
        return counts

    def _total(self, rows, where):
        return sum(count for key, count in rows if where(key))

    def _active_ids(self, model):
        """The active entries of a code table, in its order."""
        return self._model(model).search([("active", "=", True)]).ids

    def _names(self, model, counts):
        """The names of the records among the keys of ``counts``."""
        ids = [key for key in counts if isinstance(key, int)]
        return {record.id: record.name for record in self._model(model).browse(ids)}

    def _selection(self, model, field):
        return dict(self.env[model]._fields[field]._description_selection(self.env))

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

    def _sessions(self, domain):
        """Sessions per person counselled, in one pass: ``(persons by
        number of sessions, sessions by mode)``."""
        query = self._model("dv.session")._search(domain)
        modes = list(self._selection("dv.session", "mode"))
        mode = SQL.identifier(query.table, "mode")
        query.groupby = SQL.identifier(query.table, "person_id")
        top = SESSIONS_PER_PERSON[-1]
        self.env.cr.execute(
            SQL(
                "SELECT LEAST(per_person.n, %s), count(*), %s FROM (%s) AS per_person "
                "GROUP BY 1",
                top,
                SQL(", ").join(
                    SQL("sum(per_person.%s)", SQL.identifier(f"mode_{index}"))
                    for index in range(len(modes))
                ),
                query.select(
                    SQL("count(*) AS n"),
                    *(
                        SQL(
                            "count(*) FILTER (WHERE %s = %s) AS %s",
                            mode,
                            key,
                            SQL.identifier(f"mode_{index}"),
                        )
                        for index, key in enumerate(modes)
                    ),
                ),
            )
        )
        per_person = dict.fromkeys(SESSIONS_PER_PERSON, 0)
        by_mode = dict.fromkeys(modes, 0)
        for sessions, persons, *per_mode in self.env.cr.fetchall():
            per_person[sessions] = persons
            for key, count in zip(modes, per_mode, strict=True):
                by_mode[key] += int(count)
        return per_person, by_mode

    # The workbook

    def generate_xlsx_report(self, workbook, data, wizards):
        wizard = wizards[:1]
        if wizard._name != "dv.statistics.wizard" or not wizard:
            raise UserError(self.env._("Make the workbook from its form."))
        wizard.check_access("read")
        # The wizard's companies are the user's own (checked when it was
        # made), whichever of them are switched on in the browser.
        wizard = wizard.sudo()
        self._write_workbook(
            workbook, wizard, self._collect(wizard), self._threshold(wizard)
        )

    def _threshold(self, wizard):
        """The wizard's threshold, never below the minimum of its companies:
        whatever reached the wizard record (or the report's data), the
        workbook suppresses at least that much."""
        return max(wizard.threshold, wizard.company_ids._dv_suppression_minimum())

    def _collect(self, wizard):
        """The blocks of every sheet: ``[(sheet name, blocks)]``."""
        return self._assemble(wizard, self._fetch(wizard))

    def _fetch(self, wizard):
        """Every aggregate the workbook shows, read from the database: one
        query per table (two or three for some), grouped rows as
        ``[(key tuple, count)]``."""
        incidents = self._child_domain(wizard, "date", datetimes=True)
        assessments = [("state", "=", "done"), *self._child_domain(wizard, "date")]
        start, stop = self._period(wizard)
        referrals = self._referral_domain(wizard)
        return {
            "cases": self._grouped(
                "dv.case",
                self._case_domain(wizard),
                ["case_type", "is_repeat", "has_children", "youth_office_state"],
            ),
            "people": self._grouped(
                "dv.person",
                self._case_domain(wizard, prefix="case_id."),
                [
                    "role",
                    "gender",
                    "age_known",
                    "age_at_opening",
                    "migration_background",
                    "relationship",
                    "shared_household",
                ],
            ),
            "referrals": self._grouped(
                "dv.referral",
                referrals,
                [
                    "source_type",
                    "state",
                    "from_agency_id",
                    "first_contact_channel_id",
                    "legal_basis",
                    "contacted_in_time",
                ],
            ),
            "with_deadline": self._count(
                "dv.referral", [*referrals, ("first_contact_deadline", "!=", False)]
            ),
            "median": self._median_hours_to_contact(referrals),
            "sessions": self._sessions(self._child_domain(wizard, "date")),
            "measures": self._grouped(
                "dv.police.measure",
                self._child_domain(wizard, "date_start"),
                ["measure_type"],
            ),
            "offences": self._grouped("dv.incident", incidents, ["offence_group_ids"]),
            "incident_flags": self._grouped(
                "dv.incident", incidents, ["online", "is_order_breach"]
            ),
            "assessments": self._grouped(
                "dv.risk.assessment", assessments, ["final_level"]
            ),
            "high_cases": self._model("dv.risk.assessment")._read_group(
                [*assessments, ("final_level", "=", "high")],
                [],
                ["case_id:count_distinct"],
            )[0][0],
            "conferences": self._grouped(
                "dv.conference",
                [
                    ("state", "in", ("held", "approved", "closed")),
                    ("start", ">=", start),
                    ("start", "<=", stop),
                    ("company_id", "in", wizard.company_ids.ids),
                ],
                ["conference_type"],
            ),
            "actions": self._grouped(
                "dv.conference.action",
                [
                    ("due_date", ">=", wizard.date_from),
                    ("due_date", "<=", wizard.date_to),
                    ("company_id", "in", wizard.company_ids.ids),
                ],
                ["done_in_time", "perpetrator_measure_type_id"],
            ),
            **self._fetch_protection(wizard, assessments),
            **self._fetch_outcomes(wizard),
        }

    def _fetch_protection(self, wizard, assessments):
        """Safety plans, their steps, measures on the perpetrator's side and
        the youth welfare office's step."""
        due = self._child_domain(wizard, "due_date")
        high = [*assessments, ("final_level", "=", "high")]
        return {
            "high_with_plan": self._model("dv.risk.assessment")._read_group(
                [*high, ("case_id.safety_plan_state", "in", ("agreed", "closed"))],
                [],
                ["case_id:count_distinct"],
            )[0][0],
            "steps": self._grouped(
                "dv.safety.plan.step", due, ["status", "done_in_time"]
            ),
            "perpetrator": self._grouped(
                "dv.perpetrator.measure",
                due,
                ["type_id", "status", "outcome", "done_in_time"],
            ),
            "weapons_proposed": self._count(
                "dv.perpetrator.measure",
                [
                    *due,
                    ("type_id.code", "=", WEAPONS_CHECK),
                    ("assessment_id", "!=", False),
                ],
            ),
            "youth": self._grouped(
                "dv.youth.office.notice",
                self._child_domain(wizard, "notified_on"),
                ["state", "legal_basis"],
            ),
        }

    def _fetch_outcomes(self, wizard):
        """Re-victimisation after a conference, the outcome at closure and
        the follow-ups after conferences."""
        conferenced = self._case_domain(wizard, date_field="last_conference_date")
        return {
            "conferenced": self._count("dv.case", conferenced),
            "revictimised": self._revictimised(conferenced),
            "closed": self._grouped(
                "dv.case",
                self._case_domain(wizard, date_field="closed_on"),
                ["outcome_abuse", "outcome_safety"],
            ),
            "followups": self._grouped(
                "dv.case.followup",
                self._child_domain(wizard, "due_date"),
                ["state", "months", "safety_rating"],
            ),
        }

    def _revictimised(self, domain):
        """How many of the cases of ``domain`` had a new incident, or a
        follow-up reporting new incidents or police call-outs, within twelve
        months after their last conference."""
        query = self._model("dv.case")._search(domain)
        self.env.cr.execute(
            SQL(
                """
SELECT count(*) FROM dv_case c
 WHERE c.id IN %(cases)s
   AND (EXISTS (SELECT 1 FROM dv_incident i
                 WHERE i.case_id = c.id
                   AND i.date >= c.last_conference_date + 1
                   AND i.date < c.last_conference_date
                                + interval '12 months' + interval '1 day')
        OR EXISTS (SELECT 1 FROM dv_case_followup f
                    WHERE f.case_id = c.id
                      AND f.conference_date = c.last_conference_date
                      AND f.done_on IS NOT NULL
                      AND (f.new_incidents = 'yes' OR f.police_callouts = 'yes')))
                """,
                cases=query.subselect(),
            )
        )
        return self.env.cr.fetchone()[0]

    def _assemble(self, wizard, data):
        """The sheets' blocks from the aggregates of ``_fetch``."""
        return [
            (self.env._("Funder Report"), self._blocks_funder(data)),
            (self.env._("Lagebild"), self._blocks_lagebild(data)),
            (self.env._("Pro-active Approach"), self._blocks_proactive(data)),
            (self.env._("High Risk"), self._blocks_high_risk(data)),
            (self.env._("Protection"), self._blocks_protection(data)),
            (self.env._("Outcomes"), self._blocks_outcomes(data)),
        ]

    def _write_workbook(self, workbook, wizard, sheets, threshold):
        fmt = self._formats(workbook)
        self._sheet_front(workbook, wizard, fmt, threshold)
        for name, blocks in sheets:
            sheet = workbook.add_worksheet(name)
            self._write_blocks(sheet, blocks, fmt, threshold)

    def _sheet_front(self, workbook, wizard, fmt, threshold):
        sheet = workbook.add_worksheet(self.env._("Overview"))
        sheet.set_column(0, 0, 34)
        sheet.set_column(1, 1, 60)
        sheet.write_string(
            0, 0, self.env._("Domestic Violence: Statistics"), fmt["title"]
        )
        rows = [
            (
                self.env._("Period"),
                f"{format_date(self.env, wizard.date_from)} - "
                f"{format_date(self.env, wizard.date_to)}",
            ),
            (self.env._("Companies"), ", ".join(wizard.company_ids.mapped("name"))),
            (
                self.env._("Agencies"),
                ", ".join(wizard.agency_ids.mapped("name")) or self.env._("All"),
            ),
            (
                self.env._("Counts below this are shown as"),
                hidden_label(threshold),
            ),
            (
                self.env._("Generated"),
                # In the time zone of whoever asked for it.
                format_datetime(
                    self.env,
                    fields.Datetime.now(),
                    tz=self.env.context.get("tz") or wizard.create_uid.tz,
                    dt_format="short",
                ),
            ),
        ]
        for index, (label, value) in enumerate(rows, start=2):
            sheet.write_string(index, 0, label, fmt["head"])
            sheet.write_string(index, 1, value, fmt["text"])

    def _blocks_funder(self, data):
        cases, people, referrals = data["cases"], data["people"], data["referrals"]
        case_types = self._selection("dv.case", "case_type")
        victims = [row for row in people if row[0][0] == "victim"]
        children = [row for row in people if row[0][0] == "child" and row[0][3] < 18]
        units = self._tally(referrals, 2, where=lambda key: key[0] == "police")
        first_contact = self._tally(
            referrals,
            3,
            self._active_ids("dv.contact.channel"),
            where=lambda key: key[1] in ("contacted", "declined"),
        )
        first_contact["unreachable"] = self._total(
            referrals, lambda key: key[1] == "unreachable"
        )
        channel_labels = self._names("dv.contact.channel", first_contact)
        channel_labels["unreachable"] = self.env._("Not possible (unreachable)")
        measures = self._selection("dv.police.measure", "measure_type")
        yes_no = self._selection("dv.person", "migration_background")
        per_person, by_mode = data["sessions"]
        modes = self._selection("dv.session", "mode")
        return [
            (
                "breakdown",
                self.env._("Cases opened"),
                self._tally(cases, 0, case_types),
                case_types,
            ),
            (
                "breakdown",
                self.env._("Police referrals per police unit"),
                units,
                self._names("dv.agency", units),
            ),
            (
                "figure",
                self.env._("Repeat cases"),
                self._total(cases, lambda key: key[1]),
                "number",
                None,
            ),
            ("gap",),
            (
                "breakdown",
                self.env._("Police measures"),
                self._tally(data["measures"], 0, measures),
                measures,
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
                bucket_ages(
                    [(key[2], key[3], count) for key, count in victims],
                    FUNDER_AGE_BANDS,
                ),
                {},
            ),
            (
                "breakdown",
                self.env._("Victims by migration background"),
                self._tally(victims, 4, yes_no),
                yes_no,
            ),
            (
                "breakdown",
                self.env._("Minor children by age"),
                bucket_ages(
                    [(key[2], key[3], count) for key, count in children],
                    CHILD_AGE_BANDS,
                ),
                {},
            ),
            (
                "figure",
                self.env._("Persons counselled"),
                sum(per_person.values()),
                "number",
                None,
            ),
            ("gap",),
            ("breakdown", self.env._("Counselling sessions"), by_mode, modes),
            (
                "breakdown",
                self.env._("Persons by number of sessions"),
                per_person,
                {
                    count: str(count) if count < 5 else f"{count}+"
                    for count in SESSIONS_PER_PERSON
                },
            ),
        ]

    def _blocks_lagebild(self, data):
        cases, people = data["cases"], data["people"]
        case_types = self._selection("dv.case", "case_type")
        genders = self._selection("dv.person", "gender")
        classes = {
            band_label(low, high): band_label(low, high)
            for low, high in LAGEBILD_AGE_CLASSES
        }
        classes[UNKNOWN] = self.env._("Unknown")
        victims = [row for row in people if row[0][0] == "victim"]
        by_sex_age = {
            gender: bucket_ages(
                [(key[2], key[3], count) for key, count in victims if key[1] == gender],
                LAGEBILD_AGE_CLASSES,
            )
            for gender in genders
        }
        perpetrators = [row for row in people if row[0][0] == "perpetrator"]
        relationships = self._selection("dv.person", "relationship")
        households = {
            True: self.env._("Shared household"),
            False: self.env._("Separate households"),
        }
        offences = self._tally(
            data["offences"], 0, self._active_ids("dv.offence.group")
        )
        flags = data["incident_flags"]
        return [
            (
                "breakdown",
                self.env._("Partner vs. intra-family violence (cases)"),
                self._tally(cases, 0, case_types),
                case_types,
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
                self._tally(perpetrators, 5, relationships),
                relationships,
            ),
            (
                "breakdown",
                self.env._("Household"),
                self._tally(perpetrators, 6, households),
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
                self._total(flags, lambda key: key[0]),
                "number",
                None,
            ),
            (
                "figure",
                self.env._("Breaches of protection orders (§ 4 GewSchG)"),
                self._total(flags, lambda key: key[1]),
                "number",
                None,
            ),
        ]

    def _blocks_proactive(self, data):
        referrals = data["referrals"]
        labels = self._selection("dv.referral", "source_type")
        counts = self._tally(referrals, 0, labels)
        total = sum(counts.values())
        by_state = self._tally(referrals, 1)
        with_deadline = data["with_deadline"]
        in_time = self._total(referrals, lambda key: key[5])
        consent = self._total(referrals, lambda key: key[4] == "consent")
        return [
            ("breakdown", self.env._("Referrals by source"), counts, labels),
            (
                "figure",
                self.env._("Contacted within the deadline"),
                in_time / with_deadline if with_deadline else "—",
                "percent",
                with_deadline,
            ),
            (
                "figure",
                self.env._("Median hours to first contact"),
                data["median"],
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

    def _blocks_high_risk(self, data):
        cases, actions = data["cases"], data["actions"]
        levels = self._selection("dv.risk.assessment", "final_level")
        conference_types = self._selection("dv.conference", "conference_type")
        due = self._total(actions, lambda key: True)
        return [
            (
                "breakdown",
                self.env._("Assessments by level"),
                self._tally(data["assessments"], 0, levels),
                levels,
            ),
            (
                "figure",
                self.env._("High-risk cases"),
                data["high_cases"],
                "number",
                None,
            ),
            ("gap",),
            (
                "breakdown",
                self.env._("Conferences held"),
                self._tally(data["conferences"], 0, conference_types),
                conference_types,
            ),
            (
                "figure",
                self.env._("Actions done on time"),
                self._total(actions, lambda key: key[0]) / due if due else "—",
                "percent",
                due,
            ),
            (
                "figure",
                self.env._("Repeats within 12 months"),
                self._total(cases, lambda key: key[1]),
                "number",
                None,
            ),
            (
                "figure",
                self.env._("Cases with children"),
                self._total(cases, lambda key: key[2]),
                "number",
                None,
            ),
        ]

    def _blocks_protection(self, data):
        """Safety plans, measures on the perpetrator's side and the youth
        welfare office, from the rows of ``_fetch_protection``."""
        high = data["high_cases"]
        steps = data["steps"]
        due_steps = self._total(steps, lambda key: True)
        measures = data["perpetrator"]
        measure_types = self._names(
            "dv.perpetrator.measure.type",
            dict.fromkeys(self._active_ids("dv.perpetrator.measure.type")),
        )
        outcomes = self._selection("dv.perpetrator.measure", "outcome")
        statuses = self._selection("dv.perpetrator.measure", "status")
        done = [row for row in measures if row[0][1] == "done"]
        by_outcome = {
            measure_type: self._tally(
                [row for row in done if row[0][0] == measure_type],
                2,
                [*outcomes, NOT_RECORDED],
            )
            for measure_type in measure_types
        }
        outcome_labels = dict(outcomes, **{NOT_RECORDED: self.env._("Not recorded")})
        weapons_type = self._model("dv.perpetrator.measure.type").search(
            [("code", "=", WEAPONS_CHECK)], limit=1
        )
        weapons = [row for row in measures if row[0][0] == weapons_type.id]
        actions = self._tally(
            [row for row in data["actions"] if row[0][1] != NOT_RECORDED],
            1,
            measure_types,
        )
        youth = data["youth"]
        bases = self._selection("dv.youth.office.notice", "legal_basis")
        return [
            ("figure", self.env._("High-risk cases"), high, "number", None),
            (
                "figure",
                self.env._("High-risk cases with an agreed safety plan"),
                data["high_with_plan"] / high if high else "—",
                "percent",
                high,
            ),
            (
                "figure",
                self.env._("Safety plan steps due"),
                due_steps,
                "number",
                None,
            ),
            (
                "figure",
                self.env._("Safety plan steps done on time"),
                self._total(steps, lambda key: key[1]) / due_steps
                if due_steps
                else "—",
                "percent",
                due_steps,
            ),
            ("gap",),
            (
                "breakdown",
                self.env._("Perpetrator-side measures by kind"),
                self._tally(measures, 0, measure_types),
                measure_types,
            ),
            (
                "breakdown",
                self.env._("Perpetrator-side measures by status"),
                self._tally(measures, 1, statuses),
                statuses,
            ),
            (
                "table",
                self.env._("Perpetrator-side measures done, by kind and outcome"),
                by_outcome,
                measure_types,
                outcome_labels,
            ),
            (
                "figure",
                self.env._("Weapons checks"),
                self._total(weapons, lambda key: True),
                "number",
                None,
            ),
            (
                "figure",
                self.env._("Weapons checks proposed by a risk assessment"),
                data["weapons_proposed"],
                "number",
                None,
            ),
            (
                "figure",
                self.env._("Weapons checks done"),
                self._total(weapons, lambda key: key[1] == "done"),
                "number",
                None,
            ),
            (
                "figure",
                self.env._("Weapons withdrawn"),
                self._total(
                    weapons,
                    lambda key: key[1] == "done" and key[2] == "weapons_withdrawn",
                ),
                "number",
                None,
            ),
            ("gap",),
            (
                "breakdown",
                self.env._("Conference actions on the perpetrator's side"),
                actions,
                measure_types,
            ),
            (
                "breakdown",
                self.env._("Youth welfare office notified, by legal basis"),
                self._tally(
                    [row for row in youth if row[0][0] in ("notified", "answered")],
                    1,
                    bases,
                ),
                bases,
            ),
            (
                "figure",
                self.env._("Youth welfare office answered"),
                self._total(youth, lambda key: key[0] == "answered"),
                "number",
                None,
            ),
            (
                "figure",
                self.env._("Cases with children, youth welfare office still to decide"),
                self._total(data["cases"], lambda key: key[3] == "pending"),
                "number",
                None,
            ),
        ]

    def _blocks_outcomes(self, data):
        """Re-victimisation within twelve months of the conference, the
        outcome at closure and the follow-ups, from ``_fetch_outcomes``."""
        conferenced = data["conferenced"]
        closed = data["closed"]
        not_recorded = {NOT_RECORDED: self.env._("Not recorded")}
        abuse = dict(self._selection("dv.case", "outcome_abuse"), **not_recorded)
        safety = dict(self._selection("dv.case", "outcome_safety"), **not_recorded)
        followups = data["followups"]
        due = self._total(followups, lambda key: True)
        done = [row for row in followups if row[0][0] == "done"]
        months = self._selection("dv.case.followup", "months")
        ratings = dict(
            self._selection("dv.case.followup", "safety_rating"), **not_recorded
        )
        revictimised = data["revictimised"]
        return [
            (
                "figure",
                self.env._("Cases discussed at a conference (last conference)"),
                conferenced,
                "number",
                None,
            ),
            (
                "figure",
                self.env._("New incident or police call-out within 12 months"),
                revictimised,
                "number",
                None,
            ),
            (
                "figure",
                self.env._("Re-victimisation rate within 12 months"),
                revictimised / conferenced if conferenced else "—",
                "percent",
                conferenced,
            ),
            ("gap",),
            (
                "breakdown",
                self.env._("Abuse at closure"),
                self._tally(closed, 0, abuse),
                abuse,
            ),
            (
                "breakdown",
                self.env._("Safety at closure"),
                self._tally(closed, 1, safety),
                safety,
            ),
            ("gap",),
            (
                "breakdown",
                self.env._("Follow-ups due, by interval"),
                self._tally(followups, 1, months),
                months,
            ),
            (
                "figure",
                self.env._("Follow-ups done"),
                self._total(done, lambda key: True),
                "number",
                None,
            ),
            (
                "figure",
                self.env._("Follow-ups done, share of those due"),
                self._total(done, lambda key: True) / due if due else "—",
                "percent",
                due,
            ),
            (
                "breakdown",
                self.env._("Her own sense of safety at the follow-ups done"),
                self._tally(done, 2, ratings),
                ratings,
            ),
        ]
