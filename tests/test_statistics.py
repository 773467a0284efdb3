import io

import openpyxl

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, freeze_time, new_test_user

from .common import DvCommon, ReferralCommon


class StatisticsBook:
    """The statistics workbook as the wizard and the report make it, read
    back with openpyxl."""

    def _statistics_book(self, user, switched_on=None, **values):
        """The workbook of 2026 for company A as ``user``, with the companies
        ``switched_on`` in the browser (default all of the user's) and the
        wizard's ``values``."""
        vals = {
            "date_from": "2026-01-01",
            "date_to": "2026-12-31",
            "company_ids": [Command.set(self.company_a.ids)],
            **values,
        }
        env = self.env(user=user)
        if switched_on:
            env = env(context=dict(env.context, allowed_company_ids=switched_on.ids))
        wizard = env["dv.statistics.wizard"].create(vals)
        report = self.env.ref("dv_case_management.report_statistics_xlsx")
        content, file_type = env["ir.actions.report"]._render_xlsx(
            report.report_name, wizard.ids, {}
        )
        self.assertEqual(file_type, "xlsx")
        return openpyxl.load_workbook(io.BytesIO(content))


@freeze_time("2026-12-28 09:00:00")
class TestStatisticsWorkbook(StatisticsBook, ReferralCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Eight referrals in December 2026: seven from the police (one of
        # them declined), one self-referral.
        for number in range(7):
            referral = cls.env["dv.referral"].create(
                {
                    "source_type": "police",
                    "from_agency_id": cls.police.id,
                    "to_agency_id": cls.office.id,
                    "company_id": cls.company_a.id,
                    "received_at": f"2026-12-0{number + 1} 08:00:00",
                    "police_reference": f"ST-{number}",
                    "legal_basis": "consent",
                    "consent_date": "2026-12-01",
                    "victim_name": f"Person {number}",
                }
            )
            if number == 0:
                referral.action_mark_declined()
        cls.env["dv.referral"].create(
            {
                "source_type": "self",
                "to_agency_id": cls.office.id,
                "company_id": cls.company_a.id,
                "received_at": "2026-12-10 08:00:00",
                "legal_basis": "consent",
                "consent_date": "2026-12-10",
                "victim_name": "Self Referred",
            }
        )

    def _workbook(self, user, switched_on=None, **values):
        """The workbook as ``user``, with the companies ``switched_on`` in
        the browser (default all of the user's)."""
        return self._statistics_book(user, switched_on, **values)

    def _rows(self, sheet):
        return {
            row[0]: row[1]
            for row in sheet.iter_rows(values_only=True)
            if row and row[0] is not None
        }

    def test_statistics_role_gets_suppressed_aggregates(self):
        book = self._workbook(self.statistics)
        self.assertEqual(
            book.sheetnames,
            [
                "Overview",
                "Funder Report",
                "Lagebild",
                "Pro-active Approach",
                "High Risk",
                "Protection",
                "Outcomes",
                "Capacity",
            ],
        )
        front = self._rows(book["Overview"])
        self.assertEqual(front["Period"], "01.01.2026 - 31.12.2026")
        self.assertEqual(front["Counts below this are shown as"], "<5")
        proactive = self._rows(book["Pro-active Approach"])
        self.assertEqual(proactive["Police"], 7)
        # One self-referral is hidden, and a second cell so that the total
        # does not give it away.
        self.assertEqual(proactive["Self-referral"], "<5")
        self.assertEqual(proactive["Another Agency"], "<5")
        self.assertEqual(proactive["Other"], 0)
        self.assertEqual(proactive["Total"], 8)
        self.assertEqual(proactive["Declined"], "<5")
        self.assertEqual(proactive["Unreachable"], 0)
        self.assertEqual(proactive["Consent rate"], 1.0)
        self.assertEqual(proactive["Median hours to first contact"], "—")
        high = self._rows(book["High Risk"])
        self.assertEqual(high["High-risk cases"], 0)
        self.assertEqual(high["Repeats within 12 months"], 0)
        # The statistics role reads no case.
        with self.assertRaises(AccessError):
            self.env["dv.case"].with_user(self.statistics).search([])

    def test_text_never_becomes_a_formula(self):
        self.office.name = '=HYPERLINK("http://evil")'
        book = self._workbook(
            self.statistics, agency_ids=[Command.set(self.office.ids)]
        )
        sheet = book["Overview"]
        cell = next(row[1] for row in sheet.iter_rows() if row[0].value == "Agencies")
        self.assertEqual(cell.data_type, "s")
        self.assertEqual(cell.value, '=HYPERLINK("http://evil")')

    def test_only_own_companies_and_all_of_them(self):
        with self.assertRaises(ValidationError):
            self.env["dv.statistics.wizard"].with_user(self.statistics).create(
                {"company_ids": [Command.set(self.company_b.ids)]}
            )
        # A user of both companies gets the figures of both, even when only
        # one of them is switched on in the browser.
        self.statistics.company_ids |= self.company_b
        (self.company_a | self.company_b).dv_suppression_minimum = 1
        self.env["dv.referral"].create(
            {
                "source_type": "other",
                "to_agency_id": self.agency_b.id,
                "company_id": self.company_b.id,
                "received_at": "2026-12-11 08:00:00",
                "legal_basis": "consent",
                "consent_date": "2026-12-10",
                "victim_name": "County Person",
            }
        )
        book = self._workbook(
            self.statistics,
            switched_on=self.company_a,
            company_ids=[Command.set((self.company_a | self.company_b).ids)],
            threshold=1,
        )
        self.assertEqual(self._rows(book["Pro-active Approach"])["Other"], 1)
        self.assertEqual(self._rows(book["Pro-active Approach"])["Total"], 9)

    def test_filter_by_agency_and_threshold(self):
        other = self.env["dv.agency"].create(
            {
                "name": "Empty Office",
                "agency_type_id": self.type_intake.id,
                "first_contact_deadline_unit": "hours",
            }
        )
        book = self._workbook(self.statistics, agency_ids=[Command.set(other.ids)])
        self.assertEqual(self._rows(book["Pro-active Approach"])["Total"], 0)
        self.company_a.dv_suppression_minimum = 1
        book = self._workbook(self.statistics, threshold=1)
        proactive = self._rows(book["Pro-active Approach"])
        self.assertEqual(proactive["Self-referral"], 1)
        self.assertEqual(proactive["Declined"], 1)

    def test_threshold_below_the_company_minimum_is_refused(self):
        Wizard = self.env["dv.statistics.wizard"].with_user(self.statistics)
        base = {
            "date_from": "2026-01-01",
            "date_to": "2026-12-31",
            "company_ids": [Command.set(self.company_a.ids)],
        }
        # Default minimum 3: the configured default (5) stands, 3 may be
        # chosen, 2 and 1 may not.
        self.assertEqual(Wizard.create(base).threshold, 5)
        self.assertEqual(Wizard.create(dict(base, threshold=3)).threshold, 3)
        for threshold in (2, 1):
            with self.subTest(threshold=threshold), self.assertRaises(ValidationError):
                Wizard.create(dict(base, threshold=threshold))
        wizard = Wizard.create(base)
        with self.assertRaises(ValidationError):
            wizard.write({"threshold": 1})
        # A stricter minimum raises the default and refuses what was allowed.
        self.company_a.dv_suppression_minimum = 7
        self.assertEqual(Wizard.create(base).threshold, 7)
        self.assertEqual(Wizard.create(base).minimum_threshold, 7)
        with self.assertRaises(ValidationError):
            Wizard.create(dict(base, threshold=5))
        # Over several companies the strictest minimum counts.
        self.statistics.company_ids |= self.company_b
        both = dict(
            base, company_ids=[Command.set((self.company_a | self.company_b).ids)]
        )
        self.company_a.dv_suppression_minimum = 3
        self.company_b.dv_suppression_minimum = 6
        self.assertEqual(Wizard.create(both).threshold, 6)

    def test_workbook_enforces_the_minimum_whatever_the_wizard_says(self):
        wizard = (
            self.env["dv.statistics.wizard"]
            .with_user(self.statistics)
            .create(
                {
                    "date_from": "2026-01-01",
                    "date_to": "2026-12-31",
                    "company_ids": [Command.set(self.company_a.ids)],
                    "threshold": 3,
                }
            )
        )
        # A record changed behind the constraint's back, and report data
        # asking for less.
        self.env.cr.execute(
            "UPDATE dv_statistics_wizard SET threshold = 1 WHERE id = %s", [wizard.id]
        )
        wizard.invalidate_recordset()
        content, _type = (
            self.env["ir.actions.report"]
            .with_user(self.statistics)
            ._render_xlsx(
                "dv_case_management.statistics_xlsx", wizard.ids, {"threshold": 1}
            )
        )
        book = openpyxl.load_workbook(io.BytesIO(content))
        self.assertEqual(
            self._rows(book["Overview"])["Counts below this are shown as"], "<3"
        )
        proactive = self._rows(book["Pro-active Approach"])
        self.assertEqual(proactive["Self-referral"], "<3")
        self.assertEqual(proactive["Declined"], "<3")
        self.assertEqual(proactive["Police"], 7)
        # Without a wizard there is no workbook.
        with self.assertRaises(UserError):
            self.env["ir.actions.report"].with_user(self.statistics)._render_xlsx(
                "dv_case_management.statistics_xlsx", [], {"threshold": 1}
            )

    def test_only_managers_set_the_minimum(self):
        manager_b = new_test_user(
            self.env,
            login="dv_test_manager_b",
            groups="dv_case_management.group_dv_manager",
            company_id=self.company_b.id,
            company_ids=[Command.set(self.company_b.ids)],
        )
        for user in (self.statistics, self.caseworker, self.coordinator):
            with self.subTest(user=user.login):
                company = self.company_a.with_user(user)
                with self.assertRaises(AccessError):
                    company.read(["dv_suppression_minimum"])
                with self.assertRaises(AccessError):
                    company.write({"dv_suppression_minimum": 1})
                with self.assertRaises(AccessError):
                    self.env["dv.statistics.settings"].with_user(user).create(
                        {"company_id": self.company_a.id, "suppression_minimum": 1}
                    )
        # The manager of another company neither reads nor sets it.
        with self.assertRaises(AccessError):
            self.company_a.with_user(manager_b).read(["dv_suppression_minimum"])
        with self.assertRaises(ValidationError):
            self.env["dv.statistics.settings"].with_user(manager_b).create(
                {"company_id": self.company_a.id, "suppression_minimum": 1}
            )
        # The company's manager sets it without the right to edit companies.
        self.assertFalse(self.manager.has_group("base.group_erp_manager"))
        with Form(self.env["dv.statistics.settings"].with_user(self.manager)) as form:
            self.assertEqual(form.company_id, self.company_a)
            self.assertEqual(form.suppression_minimum, 3)
            form.suppression_minimum = 8
        form.record.action_apply()
        self.assertEqual(self.company_a.dv_suppression_minimum, 8)
        with self.assertRaises(ValidationError):
            self.env["dv.statistics.settings"].with_user(self.manager).create(
                {"company_id": self.company_a.id, "suppression_minimum": 0}
            )
        book = self._workbook(self.statistics)
        self.assertEqual(
            self._rows(book["Overview"])["Counts below this are shown as"], "<8"
        )


def sections(sheet):
    """The blocks of a sheet: ``{heading: {label: value or row tuple}}``; a
    block starts at a row whose second cell is "Count" (a breakdown) or
    whose last cell is "Total" (a table); figures fall under ``None``."""
    blocks = {None: {}}
    current = None
    header = None
    for row in sheet.iter_rows(values_only=True):
        cells = list(row)
        while cells and cells[-1] is None:
            cells.pop()
        if not cells:
            current = None
            continue
        if current is None and (
            (len(cells) == 2 and cells[1] == "Count")
            or (len(cells) > 2 and cells[-1] == "Total")
        ):
            current = cells[0]
            header = cells[1:]
            blocks[current] = {}
            continue
        target = blocks[current] if current else blocks[None]
        if current and len(header) > 1:
            target[cells[0]] = dict(zip(header, cells[1:], strict=False))
        else:
            target[cells[0]] = cells[1]
    return blocks


@freeze_time("2026-12-28 09:00:00")
class TestFunderAndLagebild(StatisticsBook, ReferralCommon):
    """A known dataset, and the exact cells of the funder and Lagebild
    sheets."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The exact cells need counts of one: the manager allows them here.
        cls.company_a.dv_suppression_minimum = 1
        cls.bodily_harm = cls.env.ref("dv_case_management.offence_group_bodily_harm")
        cls.threat = cls.env.ref(
            "dv_case_management.offence_group_threat_stalking_coercion"
        )
        letter = cls.env.ref("dv_case_management.contact_channel_letter")
        # 1: partner violence, a woman of 35 with a migration background,
        # her husband in the same household, two children (2 and 10).
        cls.case1 = cls._create_case(
            opened_on="2026-03-01",
            person_ids=[
                Command.create(
                    {
                        "role": "victim",
                        "name": "Anna A",
                        "gender": "female",
                        "birth_date": "1990-05-01",
                        "migration_background": "yes",
                    }
                ),
                Command.create(
                    {
                        "role": "perpetrator",
                        "name": "Bernd A",
                        "gender": "male",
                        "relationship": "spouse",
                        "shared_household": True,
                    }
                ),
                Command.create(
                    {"role": "child", "name": "Carla A", "birth_date": "2024-01-01"}
                ),
                Command.create(
                    {"role": "child", "name": "Dirk A", "birth_date": "2015-06-01"}
                ),
            ],
        )
        # 2: intra-family violence, a man of 70 threatened online by his son.
        cls.case2 = cls._create_case(
            case_type="family",
            opened_on="2026-03-10",
            person_ids=[
                Command.create(
                    {
                        "role": "victim",
                        "name": "Emil E",
                        "gender": "male",
                        "age_estimate": 70,
                        "migration_background": "no",
                    }
                ),
                Command.create(
                    {"role": "perpetrator", "name": "Fritz E", "relationship": "child"}
                ),
            ],
        )
        # 3: stalking by a former partner who breaches a protection order;
        # the victim's age is not known.
        cls.case3 = cls._create_case(
            case_type="stalking",
            opened_on="2026-04-01",
            person_ids=[
                Command.create(
                    {"role": "victim", "name": "Gina G", "gender": "female"}
                ),
                Command.create(
                    {
                        "role": "perpetrator",
                        "name": "Hans G",
                        "relationship": "former_partner",
                    }
                ),
            ],
        )
        # 4: a young woman of 20.
        cls.case4 = cls._create_case(
            opened_on="2026-04-01",
            person_ids=[
                Command.create(
                    {
                        "role": "victim",
                        "name": "Ida I",
                        "gender": "female",
                        "birth_date": "2006-01-01",
                    }
                )
            ],
        )
        # Outside the report: opened the year before, and a case of the
        # other company.
        cls._create_case(opened_on="2025-12-31")
        cls._create_case(
            user=cls.caseworker_b,
            lead_agency_id=cls.agency_b.id,
            company_id=cls.company_b.id,
            opened_on="2026-05-01",
        )
        Incident = cls.env["dv.incident"]
        Incident.create(
            {
                "case_id": cls.case1.id,
                "date": "2026-02-20 22:00:00",
                "offence_group_ids": [Command.set(cls.bodily_harm.ids)],
            }
        )
        Incident.create(
            {
                "case_id": cls.case2.id,
                "date": "2026-03-05 12:00:00",
                "offence_group_ids": [Command.set(cls.threat.ids)],
                "online": True,
            }
        )
        order = cls.env["dv.protection.order"].create(
            {"case_id": cls.case3.id, "act_date": "2026-03-01"}
        )
        Incident.create(
            {
                "case_id": cls.case3.id,
                "date": "2026-04-10 08:00:00",
                "offence_group_ids": [Command.set((cls.threat | cls.bodily_harm).ids)],
                "protection_order_id": order.id,
            }
        )
        cls.env["dv.police.measure"].create(
            {
                "case_id": cls.case1.id,
                "measure_type": "eviction",
                "date_start": "2026-02-21",
            }
        )
        # Sessions: the victim of case 1 four times (three in person), the
        # victim of case 2 once by phone, the victim of case 3 six times by
        # phone; one session of case 1 lies in 2025 and does not count.
        Session = cls.env["dv.session"]
        for case, mode, dates in (
            (cls.case1, "in_person", ["2026-03-02", "2026-03-09", "2026-03-16"]),
            (cls.case1, "phone", ["2026-03-20", "2025-12-30"]),
            (cls.case2, "phone", ["2026-03-11"]),
            (cls.case3, "phone", [f"2026-04-0{day}" for day in range(2, 8)]),
        ):
            for date in dates:
                Session.create(
                    {
                        "case_id": case.id,
                        "person_id": case.victim_id.id,
                        "agency_id": case.lead_agency_id.id,
                        "mode": mode,
                        "date": date,
                    }
                )
        # Police referrals of two police units: one reached by phone, one by
        # letter, one unreachable.
        cls.inspection = cls._new_agency("Inspection North", cls.type_police)
        Referral = cls.env["dv.referral"]
        for number, (case, police, channel, outcome) in enumerate(
            (
                (cls.case1, cls.police, cls.phone, "reached"),
                (cls.case2, cls.inspection, letter, "reached"),
                (cls.case3, cls.inspection, cls.phone, "no_answer"),
            )
        ):
            referral = Referral.create(
                {
                    "source_type": "police",
                    "from_agency_id": police.id,
                    "to_agency_id": cls.office.id,
                    "company_id": cls.company_a.id,
                    "case_id": case.id,
                    "received_at": f"2026-03-0{number + 1} 08:00:00",
                    "police_reference": f"FR-{number}",
                    "legal_basis": "consent",
                    "consent_date": "2026-03-01",
                }
            )
            cls.env["dv.contact.attempt"].create(
                {
                    "referral_id": referral.id,
                    "attempted_at": f"2026-03-0{number + 1} 10:00:00",
                    "channel_id": channel.id,
                    "outcome": outcome,
                }
            )
            if outcome == "no_answer":
                referral.action_mark_unreachable()

    def _book(self, threshold=1):
        return self._statistics_book(self.statistics, threshold=threshold)

    def test_funder_report_exact_cells(self):
        funder = sections(self._book()["Funder Report"])
        self.assertEqual(
            funder["Cases opened"],
            {
                "Partner Violence": 2,
                "Intra-family Violence": 1,
                "Stalking": 1,
                "Total": 4,
            },
        )
        self.assertEqual(
            funder["Police referrals per police unit"],
            {self.police.name: 1, "Inspection North": 2, "Total": 3},
        )
        self.assertEqual(funder[None]["Repeat cases"], 0)
        self.assertEqual(funder[None]["Persons counselled"], 3)
        measures = funder["Police measures"]
        self.assertEqual(measures["Eviction / Barring Order"], 1)
        self.assertEqual(measures["Custody"], 0)
        self.assertEqual(measures["Total"], 1)
        first = funder["First contact made by"]
        self.assertEqual(first["Phone call"], 1)
        self.assertEqual(first["Letter"], 1)
        self.assertEqual(first["Not possible (unreachable)"], 1)
        self.assertEqual(first["Total"], 3)
        self.assertEqual(
            funder["Victims by age"],
            {
                "≤21": 1,
                "22-30": 0,
                "31-40": 1,
                "41-50": 0,
                "51-65": 0,
                "66+": 1,
                "Unknown": 1,
                "Total": 4,
            },
        )
        migration = funder["Victims by migration background"]
        self.assertEqual(migration["Yes"], 1)
        self.assertEqual(migration["No"], 1)
        self.assertEqual(migration["Not recorded"], 2)
        self.assertEqual(
            funder["Minor children by age"],
            {"≤3": 1, "4-6": 0, "7-13": 1, "14-17": 0, "Unknown": 0, "Total": 2},
        )
        self.assertEqual(
            funder["Counselling sessions"],
            {
                "In Person": 3,
                "By Phone": 8,
                "By Video": 0,
                "In Writing": 0,
                "Total": 11,
            },
        )
        self.assertEqual(
            funder["Persons by number of sessions"],
            {"1": 1, "2": 0, "3": 0, "4": 1, "5+": 1, "Total": 3},
        )

    def test_lagebild_exact_cells(self):
        lagebild = sections(self._book()["Lagebild"])
        self.assertEqual(
            lagebild["Partner vs. intra-family violence (cases)"]["Total"], 4
        )
        table = lagebild["Victims by sex and age class"]
        self.assertEqual(
            table["Female"],
            {
                "≤13": 0,
                "14-17": 0,
                "18-20": 1,
                "21-59": 1,
                "60+": 0,
                "Unknown": 1,
                "Total": 3,
            },
        )
        self.assertEqual(table["Male"]["60+"], 1)
        self.assertEqual(table["Total"]["Total"], 4)
        relationship = lagebild["Relationship of the alleged perpetrator"]
        self.assertEqual(relationship["Spouse or Registered Partner"], 1)
        self.assertEqual(relationship["Child"], 1)
        self.assertEqual(relationship["Former Spouse or Partner"], 1)
        self.assertEqual(relationship["Total"], 3)
        self.assertEqual(
            lagebild["Household"],
            {"Shared household": 1, "Separate households": 2, "Total": 3},
        )
        offences = lagebild["Incidents by offence group"]
        self.assertEqual(offences[self.bodily_harm.name], 2)
        self.assertEqual(offences[self.threat.name], 2)
        self.assertEqual(lagebild[None]["Incidents committed online"], 1)
        self.assertEqual(
            lagebild[None]["Breaches of protection orders (§ 4 GewSchG)"], 1
        )

    def test_two_way_table_secondary_suppression(self):
        table = sections(self._book(threshold=5)["Lagebild"])[
            "Victims by sex and age class"
        ]
        # Every non-zero cell is below 5 and hidden, and no row or column
        # shows its total with exactly one hidden cell in it.
        self.assertEqual(table["Female"]["18-20"], "<5")
        self.assertEqual(table["Male"]["60+"], "<5")
        self.assertEqual(table["Male"]["Total"], "<5")
        self.assertEqual(table["Total"]["Total"], "<5")
        self.assertEqual(table["Diverse"]["Total"], 0)
        body = {sex: row for sex, row in table.items() if sex != "Total"}
        columns = [column for column in table["Total"] if column != "Total"]
        lines = [list(row.values())[:-1] for row in body.values()]
        lines += [[row[column] for row in body.values()] for column in columns]
        totals = [row["Total"] for row in body.values()]
        totals += [table["Total"][column] for column in columns]
        for line, total in zip(lines, totals, strict=True):
            if total != "<5":
                self.assertNotEqual(line.count("<5"), 1, line)

    def test_sessions_belong_to_the_case(self):
        with self.assertRaises(ValidationError):
            self.env["dv.session"].create(
                {
                    "case_id": self.case1.id,
                    "person_id": self.case2.victim_id.id,
                    "agency_id": self.agency_a.id,
                }
            )
        with self.assertRaises(ValidationError):
            self.env["dv.session"].create(
                {
                    "case_id": self.case1.id,
                    "person_id": self.case1.victim_id.id,
                    "agency_id": self.agency_a.id,
                    "date": "2027-01-05",
                }
            )


@freeze_time("2026-12-28 09:00:00")
class TestProtectionStatistics(StatisticsBook, DvCommon):
    """Safety plans, measures on the perpetrator's side and the youth
    welfare office in the workbook: the exact cells of the sheet
    "Protection", and their suppression."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a.dv_suppression_minimum = 1
        screening = cls.env.ref("dv_case_management.risk_instrument_screening")
        measure_types = {
            code: cls.env.ref(f"dv_case_management.perpetrator_measure_{code}")
            for code in ("warning_talk", "weapons_check", "programme", "custody")
        }

        def case(opened, *people):
            return cls._create_case(
                opened_on=opened,
                person_ids=[
                    Command.create({"role": "victim", "name": "V", "gender": "female"}),
                    Command.create({"role": "perpetrator", "name": "P"}),
                    *(Command.create(values) for values in people),
                ],
            )

        def assess(case, yes, day):
            assessment = cls.env["dv.risk.assessment"].create(
                {"case_id": case.id, "instrument_id": screening.id, "date": day}
            )
            for answer in assessment.answer_ids:
                answer.answer = "yes" if answer.item_id.code in yes else "no"
            assessment.action_done()

        # 1: high risk, a child; an agreed plan, one step done in time, one
        # still open after its date; a warning talk carried out; the youth
        # welfare office notified under § 8a SGB VIII and answered.
        cls.case1 = case(
            "2026-02-20", {"role": "child", "name": "C", "age_estimate": 4}
        )
        assess(cls.case1, {"strangulation"}, "2026-03-01")
        plan = cls.env["dv.safety.plan"].create(
            {"case_id": cls.case1.id, "review_date": "2026-06-01"}
        )
        Step = cls.env["dv.safety.plan.step"]
        numbers = cls.env.ref("dv_case_management.safety_step_emergency_numbers")
        done_step = Step.create(
            {"plan_id": plan.id, "step_type_id": numbers.id, "due_date": "2026-03-10"}
        )
        Step.create(
            {"plan_id": plan.id, "step_type_id": numbers.id, "due_date": "2026-03-20"}
        )
        plan.action_agree()
        with freeze_time("2026-03-05 10:00:00"):
            done_step.action_mark_done()
        Measure = cls.env["dv.perpetrator.measure"]
        talk = Measure.create(
            {
                "case_id": cls.case1.id,
                "type_id": measure_types["warning_talk"].id,
                "due_date": "2026-03-05",
                "outcome": "carried_out",
            }
        )
        with freeze_time("2026-03-04 10:00:00"):
            talk.action_mark_done()
        cls.case1.youth_office_notice_ids.write(
            {
                "notified_on": "2026-03-02",
                "legal_basis": "sgb8_8a",
                "reply_on": "2026-03-10",
                "reply": "Hausbesuch",
            }
        )
        # 2: high risk with a weapon: the proposed weapons check is agreed and
        # the weapons are withdrawn in time. No plan.
        cls.case2 = case("2026-03-20")
        assess(cls.case2, {"weapon"}, "2026-04-01")
        check = cls.case2.perpetrator_measure_ids
        check.write({"due_date": "2026-04-04", "outcome": "weapons_withdrawn"})
        check.action_agree()
        with freeze_time("2026-04-03 10:00:00"):
            check.action_mark_done()
        # 3: medium risk, a child, the youth welfare office still to decide;
        # a perpetrator programme that did not happen.
        cls.case3 = case(
            "2026-05-01", {"role": "child", "name": "D", "age_estimate": 9}
        )
        assess(cls.case3, {"escalation"}, "2026-05-02")
        programme = Measure.create(
            {
                "case_id": cls.case3.id,
                "type_id": measure_types["programme"].id,
                "due_date": "2026-06-01",
            }
        )
        programme.action_mark_not_done()
        # A conference action on the perpetrator's side for case 1.
        conference = (
            cls.env["dv.conference"]
            .with_context(dv_no_agenda_proposal=True)
            .create(
                {
                    "start": "2026-06-10 08:00:00",
                    "organizer_agency_id": cls.agency_a.id,
                    "company_id": cls.company_a.id,
                }
            )
        )
        line = cls.env["dv.conference.agenda.item"].create(
            {"conference_id": conference.id, "case_ref_id": cls.case1.id}
        )
        cls.env["dv.conference.action"].create(
            {
                "line_id": line.id,
                "name": "Gefährderansprache",
                "owner_agency_id": cls.agency_shared.id,
                "due_date": "2026-06-17",
                "perpetrator_measure_type_id": measure_types["warning_talk"].id,
            }
        )
        # Outside: another company's measure, and one due next year.
        other = cls._create_case(
            user=cls.caseworker_b,
            lead_agency_id=cls.agency_b.id,
            company_id=cls.company_b.id,
        )
        Measure.create(
            {
                "case_id": other.id,
                "type_id": measure_types["warning_talk"].id,
                "due_date": "2026-07-01",
            }
        )
        Measure.create(
            {
                "case_id": cls.case3.id,
                "type_id": measure_types["custody"].id,
                "due_date": "2027-01-05",
            }
        )

    def _book(self, threshold=1):
        return self._statistics_book(self.statistics, threshold=threshold)

    def test_protection_exact_cells(self):
        sheet = sections(self._book()["Protection"])
        figures = sheet[None]
        self.assertEqual(figures["High-risk cases"], 2)
        self.assertEqual(figures["High-risk cases with an agreed safety plan"], 0.5)
        self.assertEqual(figures["Safety plan steps due"], 2)
        self.assertEqual(figures["Safety plan steps done on time"], 0.5)
        self.assertEqual(
            sheet["Perpetrator-side measures by kind"],
            {
                "Warning Talk (Gefährderansprache)": 1,
                "Weapons Check and Withdrawal": 1,
                "Perpetrator Programme": 1,
                "Criminal Complaint": 0,
                "Custody": 0,
                "Other Measure": 0,
                "Total": 3,
            },
        )
        status = sheet["Perpetrator-side measures by status"]
        self.assertEqual(
            (status["Done"], status["Not Done"], status["Total"]), (2, 1, 3)
        )
        table = sheet["Perpetrator-side measures done, by kind and outcome"]
        self.assertEqual(table["Warning Talk (Gefährderansprache)"]["Carried Out"], 1)
        self.assertEqual(table["Weapons Check and Withdrawal"]["Weapons Withdrawn"], 1)
        self.assertEqual(table["Perpetrator Programme"]["Total"], 0)
        self.assertEqual(table["Total"]["Total"], 2)
        self.assertEqual(figures["Weapons checks"], 1)
        self.assertEqual(figures["Weapons checks proposed by a risk assessment"], 1)
        self.assertEqual(figures["Weapons checks done"], 1)
        self.assertEqual(figures["Weapons withdrawn"], 1)
        actions = sheet["Conference actions on the perpetrator's side"]
        self.assertEqual(actions["Warning Talk (Gefährderansprache)"], 1)
        self.assertEqual(actions["Total"], 1)
        youth = sheet["Youth welfare office notified, by legal basis"]
        self.assertEqual(youth["§ 8a SGB VIII (Child Protection Mandate)"], 1)
        self.assertEqual(youth["Total"], 1)
        self.assertEqual(figures["Youth welfare office answered"], 1)
        self.assertEqual(
            figures["Cases with children, youth welfare office still to decide"], 1
        )

    def test_protection_is_suppressed_like_the_rest(self):
        sheet = sections(self._book(threshold=5)["Protection"])
        figures = sheet[None]
        self.assertEqual(figures["High-risk cases"], "<5")
        # A share of fewer than five cases is not shown.
        self.assertEqual(figures["High-risk cases with an agreed safety plan"], "—")
        self.assertEqual(figures["Safety plan steps done on time"], "—")
        self.assertEqual(figures["Weapons withdrawn"], "<5")
        kinds = sheet["Perpetrator-side measures by kind"]
        self.assertEqual(kinds["Warning Talk (Gefährderansprache)"], "<5")
        self.assertEqual(kinds["Total"], "<5")
        self.assertEqual(kinds["Criminal Complaint"], 0)


@freeze_time("2026-12-28 09:00:00")
class TestOutcomeStatistics(StatisticsBook, DvCommon):
    """Re-victimisation after a conference, the outcome at closure and the
    follow-ups: the exact cells of the sheet "Outcomes", and their
    suppression."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a.dv_suppression_minimum = 1
        Followup = cls.env["dv.case.followup"]

        def conferenced(day):
            case = cls._create_case(opened_on="2026-01-10")
            case.sudo().last_conference_date = day
            Followup._plan_for_cases(case)
            return case

        def record(case, months, **answers):
            followup = case.followup_ids.filtered(lambda f: f.months == months)
            followup.write(answers)
            followup.action_done()

        # 1: an incident two months after the conference.
        case1 = conferenced("2026-03-01")
        cls.env["dv.incident"].create(
            {"case_id": case1.id, "date": "2026-05-01 10:00:00"}
        )
        # 2: the 3-month follow-up reports a police call-out.
        case2 = conferenced("2026-04-01")
        record(
            case2,
            "3",
            new_incidents="unknown",
            police_callouts="yes",
            safety_rating="worse",
        )
        # 3: an incident before the conference only; a calm follow-up.
        case3 = conferenced("2026-05-01")
        cls.env["dv.incident"].create(
            {"case_id": case3.id, "date": "2026-04-20 10:00:00"}
        )
        record(
            case3, "3", new_incidents="no", police_callouts="no", safety_rating="better"
        )
        # Closed cases with their outcome, and one closed before outcomes
        # were asked for.
        reason = cls.env.ref("dv_case_management.closure_reason_completed")
        for abuse, safety in (
            ("stopped", "better"),
            ("reduced", "same"),
            (False, False),
        ):
            cls._create_case(opened_on="2026-02-01")._close(
                reason, "", abuse=abuse, safety=safety
            )
        # Outside: another company's case discussed at a conference.
        other = cls._create_case(
            user=cls.caseworker_b,
            lead_agency_id=cls.agency_b.id,
            company_id=cls.company_b.id,
        )
        other.sudo().last_conference_date = "2026-03-01"

    def _book(self, threshold=1):
        return self._statistics_book(self.statistics, threshold=threshold)

    def test_outcomes_exact_cells(self):
        sheet = sections(self._book()["Outcomes"])
        figures = sheet[None]
        self.assertEqual(
            figures["Cases discussed at a conference (last conference)"], 3
        )
        self.assertEqual(figures["New incident or police call-out within 12 months"], 2)
        self.assertAlmostEqual(figures["Re-victimisation rate within 12 months"], 2 / 3)
        self.assertEqual(
            sheet["Abuse at closure"],
            {
                "Stopped": 1,
                "Reduced": 1,
                "Unchanged": 0,
                "Unknown": 0,
                "Not recorded": 1,
                "Total": 3,
            },
        )
        safety = sheet["Safety at closure"]
        self.assertEqual((safety["Safer"], safety["Unchanged"]), (1, 1))
        self.assertEqual(
            sheet["Follow-ups due, by interval"],
            {"3 Months": 3, "6 Months": 3, "12 Months": 0, "Total": 6},
        )
        self.assertEqual(figures["Follow-ups done"], 2)
        self.assertAlmostEqual(figures["Follow-ups done, share of those due"], 1 / 3)
        ratings = sheet["Her own sense of safety at the follow-ups done"]
        self.assertEqual(
            (ratings["Safer"], ratings["Less Safe"], ratings["Total"]), (1, 1, 2)
        )

    def test_outcomes_are_suppressed_like_the_rest(self):
        sheet = sections(self._book(threshold=5)["Outcomes"])
        figures = sheet[None]
        self.assertEqual(
            figures["Cases discussed at a conference (last conference)"], "<5"
        )
        self.assertEqual(figures["Re-victimisation rate within 12 months"], "—")
        # Six follow-ups due: their share is shown, the two done are not.
        self.assertAlmostEqual(figures["Follow-ups done, share of those due"], 1 / 3)
        self.assertEqual(figures["Follow-ups done"], "<5")
        self.assertEqual(sheet["Abuse at closure"]["Stopped"], "<5")
        self.assertEqual(sheet["Abuse at closure"]["Unchanged"], 0)
