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

CASES = """
    c.opened_on BETWEEN %(date_from)s AND %(date_to)s
    AND c.company_id IN %(companies)s
"""
REFERRALS = """
    FROM dv_referral r WHERE r.received_at BETWEEN %(start)s AND %(stop)s
    AND r.company_id IN %(companies)s
"""


def dated(table, field, datetimes=False):
    low, high = ("start", "stop") if datetimes else ("date_from", "date_to")
    return (
        f"FROM {table} x WHERE x.{field} BETWEEN %({low})s AND %({high})s "
        "AND x.company_id IN %(companies)s"
    )


class Floor:
    """The workbook's aggregates by direct SQL, the same ones the report
    reads through the ORM (``_fetch``), in the same shape."""

    def __init__(self, cr, params, modes):
        self.cr = cr
        self.params = params
        self.modes = modes

    def rows(self, query):
        self.cr.execute(query, self.params)
        return self.cr.fetchall()

    def one(self, query):
        return self.rows(query)[0][0]

    def grouped(self, query, booleans):
        """``[(key, count)]`` as the report has them: NULL as "none",
        booleans as booleans."""
        result = []
        for *values, count in self.rows(query):
            key = tuple(
                bool(value) if boolean else ("none" if value is None else value)
                for boolean, value in zip(booleans, values, strict=True)
            )
            result.append((key, count))
        return result

    def fetch(self):
        incidents = dated("dv_incident", "date", datetimes=True)
        assessments = dated("dv_risk_assessment", "date") + " AND x.state = 'done'"
        sessions = dated("dv_session", "date")
        filters = ", ".join(
            f"count(*) FILTER (WHERE x.mode = '{mode}') AS mode_{index}"
            for index, mode in enumerate(self.modes)
        )
        sums = ", ".join(f"sum(mode_{index})" for index in range(len(self.modes)))
        per_person = dict.fromkeys(range(1, 6), 0)
        by_mode = dict.fromkeys(self.modes, 0)
        for sessions_count, persons, *per_mode in self.rows(
            f"SELECT LEAST(n, 5), count(*), {sums} FROM (SELECT count(*) AS n, "
            f"{filters} {sessions} GROUP BY x.person_id) AS per_person GROUP BY 1"
        ):
            per_person[sessions_count] = persons
            for mode, count in zip(self.modes, per_mode, strict=True):
                by_mode[mode] += int(count)
        median = self.one(
            "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM "
            f"r.first_contact_at - r.received_at) / 3600.0) {REFERRALS} "
            "AND r.first_contact_at IS NOT NULL"
        )
        return {
            "cases": self.grouped(
                "SELECT case_type, is_repeat, has_children, youth_office_state, "
                f"count(*) FROM dv_case c WHERE {CASES} GROUP BY 1, 2, 3, 4",
                (False, True, True, False),
            ),
            "people": self.grouped(
                "SELECT p.role, p.gender, p.age_known, p.age_at_opening, "
                "p.migration_background, p.relationship, p.shared_household, "
                "count(*) FROM dv_person p JOIN dv_case c ON c.id = p.case_id "
                f"WHERE {CASES} GROUP BY 1, 2, 3, 4, 5, 6, 7",
                (False, False, True, False, False, False, True),
            ),
            "referrals": self.grouped(
                "SELECT source_type, state, from_agency_id, first_contact_channel_id, "
                f"legal_basis, contacted_in_time, count(*) {REFERRALS} "
                "GROUP BY 1, 2, 3, 4, 5, 6",
                (False, False, False, False, False, True),
            ),
            "with_deadline": self.one(
                f"SELECT count(*) {REFERRALS} AND r.first_contact_deadline IS NOT NULL"
            ),
            "median": round(median, 1) if median is not None else "—",
            "sessions": (per_person, by_mode),
            "measures": self.grouped(
                "SELECT x.measure_type, count(*) "
                f"{dated('dv_police_measure', 'date_start')} GROUP BY 1",
                (False,),
            ),
            "offences": self.grouped(
                "SELECT rel.dv_offence_group_id, count(*) "
                + incidents.replace(
                    "WHERE",
                    "LEFT JOIN dv_incident_dv_offence_group_rel rel "
                    "ON rel.dv_incident_id = x.id WHERE",
                    1,
                )
                + " GROUP BY 1",
                (False,),
            ),
            "incident_flags": self.grouped(
                f"SELECT x.online, x.is_order_breach, count(*) {incidents} "
                "GROUP BY 1, 2",
                (True, True),
            ),
            "assessments": self.grouped(
                f"SELECT x.final_level, count(*) {assessments} GROUP BY 1", (False,)
            ),
            "high_cases": self.one(
                f"SELECT count(DISTINCT x.case_id) {assessments} "
                "AND x.final_level = 'high'"
            ),
            "conferences": self.grouped(
                "SELECT conference_type, count(*) FROM dv_conference WHERE state IN "
                "('held', 'approved', 'closed') AND start BETWEEN %(start)s AND "
                "%(stop)s AND company_id IN %(companies)s GROUP BY 1",
                (False,),
            ),
            "actions": self.grouped(
                "SELECT done_in_time, perpetrator_measure_type_id, count(*) "
                "FROM dv_conference_action WHERE "
                "due_date BETWEEN %(date_from)s AND %(date_to)s "
                "AND company_id IN %(companies)s GROUP BY 1, 2",
                (True, False),
            ),
            **self.fetch_protection(assessments),
        }

    def fetch_protection(self, assessments):
        measures = dated("dv_perpetrator_measure", "due_date")
        return {
            "high_with_plan": self.one(
                f"SELECT count(DISTINCT x.case_id) {assessments} "
                "AND x.final_level = 'high' AND EXISTS (SELECT 1 FROM dv_case c "
                "WHERE c.id = x.case_id AND c.safety_plan_state IN "
                "('agreed', 'closed'))"
            ),
            "steps": self.grouped(
                "SELECT x.status, x.done_in_time, count(*) "
                f"{dated('dv_safety_plan_step', 'due_date')} GROUP BY 1, 2",
                (False, True),
            ),
            "perpetrator": self.grouped(
                "SELECT x.type_id, x.status, x.outcome, x.done_in_time, count(*) "
                f"{measures} GROUP BY 1, 2, 3, 4",
                (False, False, False, True),
            ),
            "weapons_proposed": self.one(
                f"SELECT count(*) {measures} AND x.assessment_id IS NOT NULL "
                "AND x.type_id IN (SELECT id FROM dv_perpetrator_measure_type "
                "WHERE code = 'weapons_check')"
            ),
            "youth": self.grouped(
                "SELECT x.state, x.legal_basis, count(*) "
                f"{dated('dv_youth_office_notice', 'notified_on')} GROUP BY 1, 2",
                (False, False),
            ),
        }


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
    report_wizard = wizard.sudo()
    modes = list(xlsx._selection("dv.session", "mode"))

    def floor_sheets():
        return xlsx._assemble(report_wizard, Floor(env.cr, params, modes).fetch())

    def floor_workbook():
        sheets = floor_sheets()
        output = io.BytesIO()
        book = xlsxwriter.Workbook(output, {"in_memory": True})
        xlsx._write_workbook(
            book, report_wizard, sheets, xlsx._threshold(report_wizard)
        )
        book.close()
        return output.getvalue()

    template = xlsx._collect(report_wizard)
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
            "case_type",
            "state",
            "lead_agency_id",
            "user_id",
            "opened_on",
            "risk_level",
            "is_repeat",
        )
    }
    own = [("lead_agency_id", "in", worker.dv_agency_ids.ids)]

    worker_cases = Case.with_user(worker).with_company(office.company_id)
    superuser_cases = Case.sudo()

    def search_as_worker():
        env.invalidate_all()
        return worker_cases.search([], limit=80).ids, worker_cases.search_count([])

    def search_as_superuser():
        env.invalidate_all()
        return superuser_cases.search(own, limit=80).ids, superuser_cases.search_count(
            own
        )

    def list_as_worker():
        env.invalidate_all()
        return worker_cases.web_search_read([], spec, limit=80)

    def list_as_superuser():
        env.invalidate_all()
        return superuser_cases.web_search_read(own, spec, limit=80)

    visible = search_as_worker()
    plain = search_as_superuser()
    worker_time = median_time(search_as_worker, rounds * 4)
    superuser_time = median_time(search_as_superuser, rounds * 4)
    list_worker_time = median_time(list_as_worker, rounds * 4)
    list_superuser_time = median_time(list_as_superuser, rounds * 4)
    print(f"cases in the database:             {cases}")
    print(f"statistics workbook (report):      {report_time:.3f} s")
    print(f"statistics workbook (SQL floor):   {floor_time:.3f} s")
    print(f"report / floor:                    {report_time / floor_time:.2f}")
    print(f"same figures in report and floor:  {'yes' if same else 'NO'}")
    print(f"case search, case worker (rules):  {worker_time * 1000:.1f} ms")
    print(f"case search, superuser (same):     {superuser_time * 1000:.1f} ms")
    print(f"rules / superuser:                 {worker_time / superuser_time:.2f}")
    print(
        f"case list page with names of agencies and users: "
        f"{list_worker_time * 1000:.1f} ms as the case worker, "
        f"{list_superuser_time * 1000:.1f} ms as superuser "
        f"({list_worker_time / list_superuser_time:.2f})"
    )
    print(
        f"cases the case worker sees:        {visible[1]} "
        f"(same first page as the plain query: {visible == plain})"
    )
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
