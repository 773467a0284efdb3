"""Benchmark of the statistics workbook and of the record rules.

Run through ``scripts/benchmark`` on a database filled by
``scripts/generate``. Prints, in one run (so that the ratios compare like
with like on a shared machine):

1. the time to produce the statistics workbook through the report, as the
   statistics role, over all cases of every company;
2. the floor: the same aggregates by direct SQL, written with xlsxwriter
   into the same cells by the report's own writer; and the ratio of both
   (and whether both give the same figures);
3. the case list search of a case worker (record rules applied) against
   the same query as the superuser with the rule's result as a plain
   domain, and their ratio.

Medians of several rounds after a warm-up; no assertion, only figures.
"""

import argparse
import io
import statistics
import sys
import time
from datetime import date, datetime, timedelta

SQL_CASES = """
    c.opened_on BETWEEN %(date_from)s AND %(date_to)s
    AND c.company_id IN %(companies)s
"""
SQL_REFERRALS = """
    r.direction = 'inbound' AND r.received_at BETWEEN %(start)s AND %(stop)s
    AND r.company_id IN %(companies)s
"""


class Floor:
    """The workbook's aggregates by direct SQL: one query per figure."""

    def __init__(self, cr, params):
        self.cr = cr
        self.params = params

    def rows(self, query):
        self.cr.execute(query, self.params)
        return self.cr.fetchall()

    def one(self, query):
        return self.rows(query)[0][0]

    def by(self, query, keys=(), boolean=False, none_key="none"):
        counts = dict.fromkeys(keys, 0)
        for value, count in self.rows(query):
            key = bool(value) if boolean else (value or none_key)
            counts[key] = counts.get(key, 0) + count
        return counts

    def people(self, role, extra=""):
        return (
            f"FROM dv_person p JOIN dv_case c ON c.id = p.case_id "
            f"WHERE {SQL_CASES} AND p.role = '{role}' {extra}"
        )

    def child_of_case(self, table, date_field, datetimes=False):
        low, high = ("start", "stop") if datetimes else ("date_from", "date_to")
        return (
            f"FROM {table} x JOIN dv_case c ON c.id = x.case_id "
            f"WHERE x.{date_field} BETWEEN %({low})s AND %({high})s "
            f"AND c.company_id IN %(companies)s"
        )

    def funder(self, template, ages):
        cases_by_kind = self.by(
            f"SELECT kind, count(*) FROM dv_case c WHERE {SQL_CASES} GROUP BY 1",
            template[0][2],
        )
        units = self.by(
            f"SELECT from_agency_id, count(*) FROM dv_referral r WHERE "
            f"{SQL_REFERRALS} AND r.source_type = 'police' GROUP BY 1"
        )
        repeats = self.one(
            f"SELECT count(*) FROM dv_case c WHERE {SQL_CASES} AND c.is_repeat"
        )
        measures = self.by(
            f"SELECT x.measure_type, count(*) "
            f"{self.child_of_case('dv_police_measure', 'date_start')} GROUP BY 1",
            template[4][2],
        )
        first = self.by(
            f"SELECT first_contact_channel_id, count(*) FROM dv_referral r WHERE "
            f"{SQL_REFERRALS} AND r.state IN ('contacted', 'declined') GROUP BY 1",
            [key for key in template[5][2] if key != "unreachable"],
        )
        first["unreachable"] = self.one(
            f"SELECT count(*) FROM dv_referral r WHERE {SQL_REFERRALS} "
            f"AND r.state = 'unreachable'"
        )
        victims_age = ages(
            self.rows(
                "SELECT p.age_known, p.age_at_opening, count(*) "
                f"{self.people('victim')} GROUP BY 1, 2"
            ),
            "funder",
        )
        migration = self.by(
            f"SELECT p.migration_background, count(*) {self.people('victim')} "
            "GROUP BY 1",
            template[7][2],
        )
        children = ages(
            self.rows(
                "SELECT p.age_known, p.age_at_opening, count(*) "
                f"{self.people('child', 'AND p.age_at_opening < 18')} GROUP BY 1, 2"
            ),
            "child",
        )
        sessions = self.child_of_case("dv_session", "date")
        counselled = self.one(f"SELECT count(DISTINCT x.person_id) {sessions}")
        modes = self.by(
            f"SELECT x.mode, count(*) {sessions} GROUP BY 1", template[11][2]
        )
        per_person = self.by(
            f"SELECT LEAST(n, 5), count(*) FROM (SELECT count(*) AS n {sessions} "
            "GROUP BY x.person_id) AS per_person GROUP BY 1",
            template[12][2],
        )
        return [
            cases_by_kind,
            units,
            repeats,
            None,
            measures,
            first,
            victims_age,
            migration,
            children,
            counselled,
            None,
            modes,
            per_person,
        ]

    def lagebild(self, template, ages):
        kinds = self.by(
            f"SELECT kind, count(*) FROM dv_case c WHERE {SQL_CASES} GROUP BY 1",
            template[0][2],
        )
        rows = self.rows(
            "SELECT p.gender, p.age_known, p.age_at_opening, count(*) "
            f"{self.people('victim')} GROUP BY 1, 2, 3"
        )
        table = {
            gender: ages([row[1:] for row in rows if row[0] == gender], "lagebild")
            for gender in template[1][2]
        }
        relationship = self.by(
            f"SELECT p.relationship, count(*) {self.people('perpetrator')} GROUP BY 1",
            template[2][2],
        )
        household = self.by(
            f"SELECT p.shared_household, count(*) {self.people('perpetrator')} "
            "GROUP BY 1",
            template[3][2],
            boolean=True,
        )
        incidents = self.child_of_case("dv_incident", "date", datetimes=True)
        offences = self.by(
            "SELECT rel.dv_offence_group_id, count(*) "
            + incidents.replace(
                "WHERE",
                "LEFT JOIN dv_incident_dv_offence_group_rel rel "
                "ON rel.dv_incident_id = x.id WHERE",
                1,
            )
            + " GROUP BY 1",
            template[4][2],
        )
        online = self.one(f"SELECT count(*) {incidents} AND x.online")
        breaches = self.one(f"SELECT count(*) {incidents} AND x.is_order_breach")
        return [kinds, table, relationship, household, offences, online, breaches]

    def proactive(self, template):
        by_source = self.by(
            f"SELECT source_type, count(*) FROM dv_referral r WHERE {SQL_REFERRALS} "
            "GROUP BY 1",
            template[0][2],
        )
        total = sum(by_source.values())
        by_state = dict(
            self.rows(
                f"SELECT state, count(*) FROM dv_referral r WHERE {SQL_REFERRALS} "
                "GROUP BY 1"
            )
        )
        timeliness = dict(
            self.rows(
                f"SELECT contacted_in_time, count(*) FROM dv_referral r WHERE "
                f"{SQL_REFERRALS} AND r.first_contact_deadline IS NOT NULL GROUP BY 1"
            )
        )
        with_deadline = sum(timeliness.values())
        median = self.one(
            "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM "
            "r.first_contact_at - r.received_at) / 3600.0) FROM dv_referral r "
            f"WHERE {SQL_REFERRALS} AND r.first_contact_at IS NOT NULL"
        )
        consent = self.one(
            f"SELECT count(*) FROM dv_referral r WHERE {SQL_REFERRALS} "
            "AND r.legal_basis = 'consent'"
        )
        return [
            by_source,
            (
                timeliness.get(True, 0) / with_deadline if with_deadline else "—",
                with_deadline,
            ),
            (
                round(median, 1) if median is not None else "—",
                by_state.get("contacted", 0) + by_state.get("declined", 0),
            ),
            by_state.get("unreachable", 0),
            by_state.get("declined", 0),
            (consent / total if total else "—", total),
        ]

    def high_risk(self, template):
        assessments = (
            self.child_of_case("dv_risk_assessment", "date") + " AND x.state = 'done'"
        )
        levels = self.by(
            f"SELECT x.final_level, count(*) {assessments} GROUP BY 1", template[0][2]
        )
        high = self.one(
            f"SELECT count(DISTINCT x.case_id) {assessments} AND x.final_level = 'high'"
        )
        conferences = self.by(
            "SELECT kind, count(*) FROM dv_conference WHERE state IN "
            "('held', 'approved', 'closed') AND start BETWEEN %(start)s AND %(stop)s "
            "AND company_id IN %(companies)s GROUP BY 1",
            template[3][2],
        )
        actions = dict(
            self.rows(
                "SELECT done_in_time, count(*) FROM dv_conference_action WHERE "
                "due_date BETWEEN %(date_from)s AND %(date_to)s "
                "AND company_id IN %(companies)s GROUP BY 1"
            )
        )
        due = sum(actions.values())
        repeats = self.one(
            f"SELECT count(*) FROM dv_case c WHERE {SQL_CASES} AND c.is_repeat"
        )
        children = self.one(
            f"SELECT count(*) FROM dv_case c WHERE {SQL_CASES} AND c.has_children"
        )
        return [
            levels,
            high,
            None,
            conferences,
            (actions.get(True, 0) / due if due else "—", due),
            repeats,
            children,
        ]


def fill(template, values):
    """The template's blocks (headings, labels and the order of the rows)
    with the floor's figures in their place; a figure comes with the base
    its suppression depends on, where it has one."""
    blocks = []
    for block, value in zip(template, values, strict=True):
        kind = block[0]
        if kind in ("breakdown", "table"):
            order = [key for key in block[2] if key in value]
            rows = {key: value[key] for key in order}
            rows.update({key: count for key, count in value.items() if key not in rows})
            blocks.append((kind, block[1], rows, *block[3:]))
        elif kind == "figure":
            figure, base = value if isinstance(value, tuple) else (value, None)
            blocks.append((kind, block[1], figure, block[3], base))
        else:
            blocks.append(block)
    return blocks


def median_time(function, rounds):
    function()  # warm-up
    times = []
    for _round in range(rounds):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def run(env, rounds, years):
    import xlsxwriter  # noqa: PLC0415

    from odoo.addons.dv_case_management.reports import (  # noqa: PLC0415
        dv_statistics_xlsx as report_module,
    )

    cases = env["dv.case"].sudo().search_count([])
    companies = env["res.company"].search([("name", "like", "Synthetic %")])
    if not companies:
        sys.exit("No synthetic data here: run scripts/generate first.")
    stats_user = env["res.users"].search([("login", "=", "bench_statistics")])
    if not stats_user:
        stats_user = env["res.users"].create(
            {
                "name": "Benchmark Statistics",
                "login": "bench_statistics",
                "company_id": companies[0].id,
                "company_ids": [(6, 0, companies.ids)],
                "groups_id": [
                    (4, env.ref("dv_case_management.group_dv_statistics").id)
                ],
            }
        )
    today = date.today()
    date_from = today.replace(month=1, day=1) - timedelta(days=365 * years)
    wizard = (
        env["dv.statistics.wizard"]
        .with_user(stats_user)
        .with_company(companies[0])
        .create(
            {
                "date_from": date_from,
                "date_to": today,
                "company_ids": [(6, 0, companies.ids)],
            }
        )
    )
    env.cr.commit()
    Report = env["ir.actions.report"].with_user(stats_user)
    xlsx = env["report.dv_case_management.statistics_xlsx"].with_user(stats_user)

    def workbook():
        env.invalidate_all()
        content, _kind = Report._render_xlsx(
            "dv_case_management.statistics_xlsx", wizard.ids, {}
        )
        return content

    params = {
        "date_from": wizard.date_from,
        "date_to": wizard.date_to,
        "start": datetime.combine(wizard.date_from, datetime.min.time()),
        "stop": datetime.combine(wizard.date_to, datetime.max.time()),
        "companies": tuple(companies.ids),
    }
    template = xlsx._collect(wizard)
    bands = {
        "funder": report_module.FUNDER_AGE_BANDS,
        "child": report_module.CHILD_AGE_BANDS,
        "lagebild": report_module.LAGEBILD_AGE_CLASSES,
    }

    def ages(rows, which):
        return report_module.bucket_ages(rows, bands[which])

    def floor_sheets():
        floor = Floor(env.cr, params)
        (funder_name, funder), (lage_name, lage), (pro_name, pro), (hr_name, hr) = (
            template
        )
        return [
            (funder_name, fill(funder, floor.funder(funder, ages))),
            (lage_name, fill(lage, floor.lagebild(lage, ages))),
            (pro_name, fill(pro, floor.proactive(pro))),
            (hr_name, fill(hr, floor.high_risk(hr))),
        ]

    def floor_workbook():
        sheets = floor_sheets()
        output = io.BytesIO()
        book = xlsxwriter.Workbook(output, {"in_memory": True})
        xlsx._write_workbook(book, wizard, sheets)
        book.close()
        return output.getvalue()

    same = floor_sheets() == template
    report_time = median_time(workbook, rounds)
    floor_time = median_time(floor_workbook, rounds)

    # Record rules: the case list of a case worker of the first intake office.
    office = env["dv.agency"].search(
        [("company_id", "=", companies[0].id), ("is_intake_office", "=", True)],
        limit=1,
    )
    worker = office.member_ids.user_id[:1]
    Case = env["dv.case"]
    spec = {
        name: {}
        for name in (
            "name",
            "kind",
            "state",
            "lead_agency_id",
            "user_id",
            "opened_on",
            "risk_level",
            "is_repeat",
        )
    }
    own = [("lead_agency_id", "in", worker.dv_agency_ids.ids)]

    def as_worker():
        env.invalidate_all()
        return (
            Case.with_user(worker)
            .with_company(office.company_id)
            .web_search_read([], spec, limit=80)
        )

    def as_superuser():
        env.invalidate_all()
        return Case.sudo().web_search_read(own, spec, limit=80)

    visible = as_worker()["length"]
    plain = as_superuser()["length"]
    worker_time = median_time(as_worker, rounds * 4)
    superuser_time = median_time(as_superuser, rounds * 4)
    print(f"cases in the database:             {cases}")
    print(f"statistics workbook (report):      {report_time:.3f} s")
    print(f"statistics workbook (SQL floor):   {floor_time:.3f} s")
    print(f"report / floor:                    {report_time / floor_time:.2f}")
    print(f"same figures in report and floor:  {'yes' if same else 'NO'}")
    print(f"case list, case worker (rules):    {worker_time * 1000:.1f} ms")
    print(f"case list, superuser (same query): {superuser_time * 1000:.1f} ms")
    print(f"rules / superuser:                 {worker_time / superuser_time:.2f}")
    print(f"cases the case worker sees:        {visible} (plain query: {plain})")
    print(
        f"BENCHMARK cases={cases} report={report_time:.3f}s floor={floor_time:.3f}s "
        f"ratio={report_time / floor_time:.2f} rules={worker_time / superuser_time:.2f}"
    )
    if not same:
        for (name, report_blocks), (_n, floor_blocks) in zip(
            template, floor_sheets(), strict=True
        ):
            for mine, theirs in zip(report_blocks, floor_blocks, strict=True):
                if mine != theirs:
                    print(f"differs on {name}: {mine!r} != {theirs!r}")
        return 1
    return 0


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--years", type=int, default=5)
    args, odoo_args = parser.parse_known_args(argv)
    if odoo_args and odoo_args[0] == "--":
        odoo_args = odoo_args[1:]
    import odoo  # noqa: PLC0415 (Odoo only when the script runs)
    from odoo.tools import config  # noqa: PLC0415

    config.parse_config(odoo_args)
    odoo.service.server.load_server_wide_modules()
    registry = odoo.modules.registry.Registry(config["db_name"])
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"lang": "de_DE"})
        status = run(env, args.rounds, args.years)
        cr.rollback()
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
