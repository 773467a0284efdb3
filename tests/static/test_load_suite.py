"""The pure-Python parts of the load suite (scripts/load): percentiles, the
figures line, the role plan and the referral e-mail, the shape of the
bad-input table, the attackers' tries on shares and on the intake, the
hand-over of repeats to case workers and the proof's checks."""

import os
import re
import sys
import types
from pathlib import Path

import pytest

ROOT = Path(os.environ.get("DV_REPO_DIR") or Path(__file__).resolve().parents[2])
sys.path.insert(0, str(ROOT / "scripts" / "load_suite"))

import plan  # noqa: E402
import stats  # noqa: E402


def test_percentile_nearest_rank():
    values = [15, 20, 35, 40, 50]
    assert stats.percentile(values, 5) == 15
    assert stats.percentile(values, 30) == 20
    assert stats.percentile(values, 40) == 20
    assert stats.percentile(values, 50) == 35
    assert stats.percentile(values, 100) == 50
    assert stats.percentile(list(range(1, 101)), 95) == 95
    assert stats.percentile(list(range(1, 101)), 99) == 99
    assert stats.percentile([], 50) is None
    assert stats.percentile([7], 99) == 7
    with pytest.raises(ValueError):
        stats.percentile(values, 101)


def test_recorder_counts_errors_and_latency():
    recorder = stats.Recorder()
    for ms in (10, 20, 30, 40):
        recorder.record(ms / 1000, "ok")
    recorder.record(0.5, "transient")
    assert recorder.requests == 5
    assert recorder.errors == 1
    assert recorder.latency_ms(50) == 30
    assert recorder.latency_ms(99) == 500


def test_figures_line_and_failure():
    figures = dict.fromkeys(stats.FIGURES, 0)
    figures.update(requests=1200, p50_ms=None)
    line = stats.figures_line(figures)
    assert line.startswith("LOAD requests=1200 errors=0 p50_ms=- ")
    assert line.count("=") == len(stats.FIGURES)
    assert stats.failed_figures(figures) == []
    figures["leaks"] = 1
    assert stats.failed_figures(figures) == ["leaks"]
    del figures["lost"]
    with pytest.raises(KeyError):
        stats.figures_line(figures)


def test_roles_cycle_and_pairs():
    roles = plan.roles_for(20)
    assert len(roles) == 20
    assert {
        "intake",
        "mailgate",
        "attacker_agency",
        "attacker_company",
        "network",
    } <= set(roles)
    assert plan.pairs(roles) == [(4, 5), (14, 15)]
    assert plan.roles_for(3) == ["intake", "mailgate", "attacker_agency"]
    assert set(roles) <= set(plan.ROLES)
    logins = [plan.login_for(i, role) for i, role in enumerate(roles)]
    assert len(set(logins)) == len(logins)


def test_bad_input_table_shape():
    pytest.importorskip("requests")
    import bad_inputs  # noqa: PLC0415 - needs requests (the RPC client)

    rows = bad_inputs.ROWS
    keys = [row.key for row in rows]
    assert len(set(keys)) == len(keys), "row keys are unique"
    for row in rows:
        assert row.expect in ("refused", "neutralised"), row.key
        assert row.user in ("caseworker", "coordinator", "manager", "mailgate"), row.key
        assert callable(row.action), row.key
        assert row.what, row.key
        if row.expect == "refused":
            assert row.error and row.german, (
                f"{row.key}: name the error and its message"
            )
            assert row.check is None and not row.grows, row.key
        else:
            assert callable(row.check), f"{row.key}: a neutralised row proves it"
    # What only the RPC layer and the controllers show stays in the load run.
    assert {
        "unknown_field",
        "date_as_word",
        "relation_as_text",
        "unknown_selection",
        "number_as_word",
        "missing_name",
        "missing_record",
        "formula_in_statistics",
        "formula_in_list_export",
        "script_in_minutes",
    } <= set(keys)
    # The other bad inputs moved into Odoo tests: a row of the table of
    # TestBadInputs (key: (user, target, what, error, German)), or a test
    # named in ELSEWHERE that exists; none is sent twice.
    source = (ROOT / "tests" / "test_bad_input.py").read_text(encoding="utf-8")
    table = dict(
        re.findall(r'^    "([a-z0-9_]+)":\n        \([WCM], "([^"]+)"', source, re.M)
    )
    assert len(table) >= 70
    for key, where in bad_inputs.ELSEWHERE.items():
        path, *_class, test = where.split("::")
        text = (ROOT / path).read_text(encoding="utf-8")
        assert f"def {test}(self" in text, f"{key}: {where}"
    moved = set(table) | set(bad_inputs.ELSEWHERE)
    assert not moved & set(keys), "a bad input in the load run and a test"
    assert len(set(table) & set(bad_inputs.ELSEWHERE)) == 0
    # The kinds of bad input the load run and the tests must cover.
    for needle in (
        "future",
        "override",
        "legal_basis",
        "state",
        "formula",
        "script",
        "overlong",
        "mail_",
        "unknown_field",
        "as_word",
        # Shares, and the fields the application sets or fixes at creation.
        "share_state_written",
        "share_case_changed",
        "share_recipient_changed",
        "share_consent_changed",
        "share_accepted_by_sender",
        "action_status_written",
        "case_victim_changed",
        "person_protected_changed",
        # Mail intake: registered senders only, the source from the sender,
        # repeats proposed; referrals only for one's own agency.
        "mail_unknown_sender",
        "mail_other_company_police",
        "mail_lookalike_sender",
        "mail_sender_no_address",
        "mail_unit_in_body",
        "mail_repeat_proposed",
        "mailed_referral_source_changed",
        "referral_for_other_agency",
        "referral_case_written",
        "join_without_proposal",
        # Members, agencies and registered senders.
        "member_added_by_other_coordinator",
        "member_removed_by_other_coordinator",
        "agency_changed_by_other_coordinator",
        "police_email_changed_by_coordinator",
        "sender_registered_by_caseworker",
        # The companies' minimum suppression threshold.
        "statistics_threshold_below_minimum",
        "statistics_minimum_by_caseworker",
    ):
        assert any(needle in key for key in moved | set(keys)), needle
    # No row still speaks of the referral's old direction.
    assert not any("outbound" in key or "inbound" in key for key in moved | set(keys))
    # A guarded field written directly is refused, and the record it aimed
    # at is watched: in the table, its target is a fixture.
    for key, target in table.items():
        if key.endswith(("_changed", "_written")):
            assert target.startswith("@"), key


def test_referral_mail():
    text = plan.mail(
        plan.LISTED_EMAIL, "a@b.example", "LTx-01M00003", "d", "01.01.2026 10:00"
    )
    assert f"<{plan.LISTED_EMAIL}>" in text
    assert "Name: Testperson LTx-01M00003\n" in text
    assert f"Geburtsdatum: {plan.BIRTH_DATE}\n" in text
    repeat = plan.mail(
        plan.POLICE_EMAIL,
        "a@b.example",
        "LTx-01M00009",
        "d",
        "x",
        victim="LTx-01M00003",
    )
    assert "Aktenzeichen: LTx-01M00009\n" in repeat
    assert "Name: Testperson LTx-01M00003\n" in repeat
    assert "Tatverdächtiger: Testbeschuldigter LTx-01M00003\n" in repeat
    # The senders the suite trusts are not the ones it expects refused.
    assert len({plan.POLICE_EMAIL, plan.LISTED_EMAIL}) == 2
    assert not {plan.OTHER_POLICE_EMAIL, plan.LOOKALIKE_EMAIL} & {
        plan.POLICE_EMAIL,
        plan.LISTED_EMAIL,
    }


def test_bad_input_evaluation():
    pytest.importorskip("requests")
    import bad_inputs  # noqa: PLC0415
    from rpc import RpcError  # noqa: PLC0415

    row = bad_inputs.Row(
        "x", "x", "caseworker", None, error="ValidationError", german="Zukunft"
    )
    refused = RpcError(
        "refused", "odoo.exceptions.ValidationError", "liegt in der Zukunft"
    )
    assert bad_inputs.evaluate(row, None, refused) is None
    assert bad_inputs.evaluate(row, 42, None) == "accepted"
    english = RpcError("refused", "odoo.exceptions.ValidationError", "in the future")
    assert bad_inputs.evaluate(row, None, english).startswith("unclear message")
    crash = RpcError("transient", "psycopg2.errors.ProgramLimitExceeded", "index row")
    assert bad_inputs.evaluate(row, None, crash).startswith("wrong error")


def test_rpc_errors_are_classified():
    pytest.importorskip("requests")
    from rpc import classify  # noqa: PLC0415

    def kind(name, code=200):
        return classify({"code": code, "data": {"name": name, "message": "m"}}).kind

    assert kind("odoo.exceptions.AccessError") == "refused"
    assert kind("odoo.exceptions.ValidationError") == "refused"
    assert kind("psycopg2.OperationalError") == "transient"
    assert kind("psycopg2.errors.SerializationFailure") == "transient"
    assert kind("psycopg2.errors.InvalidDatetimeFormat") == "refused"
    assert kind("builtins.AttributeError") == "unclear"


def test_erasure_verdict():
    import proof  # noqa: PLC0415

    erased = (1, True, 1, 0, 0, 0, 0, 0, False, True)
    kept = (1, False, 0, 1, 1, 1, 1, 2, True, False)
    assert proof.erasure_verdict(erased) == "erased"
    assert proof.erasure_verdict(kept) == "kept"
    # Marked but the victim still named, or names gone but not marked.
    assert proof.erasure_verdict((1, True, 1, 1, 0, 0, 0, 0, False, True)) == "half"
    assert proof.erasure_verdict((1, False, 0, 0, 0, 0, 0, 0, False, True)) == "half"
    assert proof.erasure_verdict((1, True, 0, 0, 0, 0, 0, 0, False, True)) == "half"


def test_attackers_try_the_shares():
    pytest.importorskip("requests")
    import attackers  # noqa: PLC0415 - needs requests (the RPC client)

    calls = []
    client = attackers.AttackerClient.__new__(attackers.AttackerClient)
    client.role = "attacker_agency"
    client.setup = {"pending_share": 7, "agencies": {"neighbour": 3}}
    client.rpc = types.SimpleNamespace(
        call=lambda *args, **kwargs: calls.append((args, kwargs))
    )
    probes = client.share_probes(11, "LTx-00X00001")
    assert {name for name, _call, _leaked in probes} == {
        "redirect share",
        "accept share of another agency",
        "reject share of another agency",
        "transfer case not led",
    }
    for _name, call, leaked in probes:
        call()
        assert leaked(True), "any answer but a refusal is a leak"
    assert (("dv.share", "write", [7], {"to_agency_id": 3}), {}) in calls
    assert (("dv.share", "action_accept", [7]), {}) in calls
    [create] = [args[2] for args, _kwargs in calls if args[1] == "create"]
    assert create["case_id"] == 11 and create["to_agency_id"] == 3
    assert create["share_type"] == "transfer" and create["reason"] == "LTx-00X00001"


def test_attackers_try_the_intake():
    pytest.importorskip("requests")
    import attackers  # noqa: PLC0415 - needs requests (the RPC client)

    calls = []
    client = attackers.AttackerClient.__new__(attackers.AttackerClient)
    client.role = "attacker_company"
    client.uid = 42
    client.office = 2
    client.company_a = 1
    client.setup = {
        "pending_referral": {"id": 9, "case_id": 5},
        "agencies": {"police": 4, "county": 6},
        "police_partner": 8,
    }
    client.rpc = types.SimpleNamespace(
        call=lambda *args, **kwargs: calls.append((args, kwargs))
    )
    probes = client.intake_probes("LTx-00X00002")
    names = {name for name, _call, _leaked in probes}
    assert {
        "enter referral for the office",
        "join the proposed case",
        "open a case for the repeat",
        "original e-mails",
        "join the office",
        "register a sender",
        "police unit's address",
        "police contact's address",
    } <= names
    for name, call, leaked in probes:
        call()
        if name in ("original e-mails", "read the repeat"):
            # Reads: nothing found is no leak, anything found is.
            assert not leaked([]) and leaked([{"id": 1}]), name
        else:
            assert leaked(None), f"{name}: any answer but a refusal is a leak"
    assert (("dv.referral", "action_join_case", [9]), {}) in calls
    assert (("dv.referral", "action_new_case", [9]), {}) in calls
    assert (
        ("dv.agency.member", "create", {"agency_id": 2, "user_id": 42}),
        {},
    ) in calls
    [referral] = [a[2] for a, _k in calls if a[:2] == ("dv.referral", "create")]
    assert referral["to_agency_id"] == 2 and referral["police_reference"] == (
        "LTx-00X00002"
    )
    # The attacker's marker is in every address it tries to plant, so that
    # the proof finds it if one got through.
    planted = [
        a[-1]["email"]
        for a, _k in calls
        if a[1] in ("create", "write") and isinstance(a[-1], dict) and "email" in a[-1]
    ]
    assert len(planted) == 3
    assert all(email.startswith("ltx-00x00002@") for email in planted)


def test_repeats_go_to_one_case_worker_each():
    pytest.importorskip("requests")
    import clients  # noqa: PLC0415 - needs requests (the RPC client)

    ctx = clients.Context.__new__(clients.Context)
    ctx._proposals = clients.collections.deque()
    assert ctx.take_proposal() is None
    ctx.propose(7, "LTx-01M00004", 3, "LTx-01M00001")
    ctx.propose(8, "LTx-01M00006", 3, "LTx-01M00001")
    assert ctx.take_proposal() == (7, "LTx-01M00004", 3, "LTx-01M00001")
    assert ctx.take_proposal() == (8, "LTx-01M00006", 3, "LTx-01M00001")
    assert ctx.take_proposal() is None


def test_mail_and_repeat_proofs():
    import proof  # noqa: PLC0415

    # An e-mailed referral counts only with its registered sender's unit.
    assert "from_agency_id = %(source)s" in proof.MARKER_COUNTS["mail_referral"]
    assert "received_by_email" in proof.MARKER_COUNTS["mail_referral"]
    repeat = proof.MARKER_COUNTS["mail_repeat"]
    assert "proposed_case_id = %(case_id)s AND case_id IS NULL" in repeat
    joined = proof.MARKER_COUNTS["repeat_join"]
    assert "is_repeat" in joined and "proposed_case_id IS NULL" in joined
    # A write in doubt is counted by its marker alone.
    for kind in proof.MARKER_COUNTS:
        assert "%(source)s" not in proof.DOUBT_COUNTS[kind], kind

    class Cursor:
        def __init__(self, row):
            self.row = row

        def execute(self, _sql, params):
            assert params == {"id": 9}

        def fetchone(self):
            return self.row

    setup = {"pending_referral": {"id": 9, "case_id": 5}}
    assert proof.changed_pending(Cursor((5, None)), setup) == []
    assert proof.changed_pending(Cursor((False, 5)), setup) == [
        "referral 9 awaiting a decision changed"
    ]
    assert proof.changed_pending(Cursor((5, None)), {}) == []


def test_changed_shares():
    import proof  # noqa: PLC0415

    setup = {
        "shares": {
            "5": {
                "case_id": 1,
                "to_agency_id": 2,
                "from_agency_id": 3,
                "share_type": "share",
                "state": "accepted",
            },
            "6": {
                "case_id": 4,
                "to_agency_id": 5,
                "from_agency_id": 3,
                "share_type": "transfer",
                "state": "sent",
            },
        }
    }

    class Cursor:
        def __init__(self, rows):
            self.rows = rows

        def execute(self, _sql, params):
            assert sorted(params["ids"]) == [5, 6]

        def fetchall(self):
            return self.rows

    same = [(5, 1, 2, 3, "share", "accepted"), (6, 4, 5, 3, "transfer", "sent")]
    assert proof.changed_shares(Cursor(same), setup) == []
    moved = [(5, 1, 9, 3, "share", "accepted"), (6, 4, 5, 3, "transfer", "accepted")]
    assert proof.changed_shares(Cursor(moved), setup) == [
        "share 5 changed: to_agency_id",
        "share 6 changed: state",
    ]
    assert proof.changed_shares(Cursor(same[:1]), setup) == [
        "share 6 changed: case_id, from_agency_id, share_type, state, to_agency_id"
    ]


def test_windows_and_rate_within_the_limit():
    # Ten seconds in five windows: the load rises, the last two are too slow.
    finished = [0.5, 1.5, 2.5, 3.0, 4.1, 4.2, 4.3, 6.0, 6.5, 7.0, 8.5, 9.0, 9.5, 10.0]
    latencies = [0.1, 0.2, 0.2, 0.3, 0.1, 0.2, 0.4, 0.6, 0.7, 0.2, 0.9, 0.9, 0.1, 0.1]
    cut = stats.windows(finished, latencies, 0, 10, 5)
    # 10.0 is the end: not in the run.
    assert cut == [
        (1.0, 200, 2),
        (1.0, 300, 2),
        (1.5, 400, 3),
        (1.5, 700, 3),
        (1.5, 900, 3),
    ]
    assert stats.rate_within(cut, 500, min_requests=1) == 1.5
    assert stats.rate_within(cut, 400, min_requests=1) == 1.0
    assert stats.rate_within(cut, 100, min_requests=1) is None
    # A window of two or three requests makes no p95.
    assert stats.rate_within(cut, 500, min_requests=3) == 1.5
    assert stats.rate_within(cut, 400, min_requests=3) is None
    assert stats.rate_within(cut, 500) is None
    assert stats.rate_within([(8.0, 450, 24), (9.0, 300, 19)], 500) == 8.0
    assert stats.windows([], [], 0, 10, 2) == [(0.0, None, 0), (0.0, None, 0)]
    assert stats.rate_within([(0.0, None, 0)], 500) is None


def test_replica_ratios():
    assert stats.ratio(6.0, 4.0) == 1.5
    assert stats.ratio(1, 3) == 0.33
    assert stats.ratio(None, 4.0) is None
    assert stats.ratio(6.0, None) is None
    assert stats.ratio(6.0, 0) is None


def test_faults_wait_for_their_state():
    pytest.importorskip("requests")
    pytest.importorskip("psycopg2")
    import main  # noqa: PLC0415 - the driver needs requests and psycopg2

    calls = []

    def later():
        calls.append(1)
        return len(calls) >= 3

    took = main.wait_for(later, timeout=5, interval=0.01)
    assert took is not None and took < 5
    assert len(calls) == 3
    # A state that never comes ends with None once the timeout has passed.
    calls.clear()
    assert main.wait_for(lambda: calls.append(1), timeout=0.05, interval=0.01) is None
    assert len(calls) >= 2


def _faults(main, erased, writing, poll):
    """A Faults thread of the driver without a run: the retention job is a
    stand-in whose state the test sets."""
    faults = main.Faults.__new__(main.Faults)
    faults.args = types.SimpleNamespace(retention_cmd="/work/load/retention.sh", db="x")
    faults.setup = {"due_cases": list(range(200))}
    faults.events, faults.problems, faults.half_after_kill = [], [], 0
    process = types.SimpleNamespace(pid=-1, poll=poll, wait=lambda: 0)
    faults.retention = lambda: process
    faults.erased = erased
    faults.writing = writing
    return faults


@pytest.fixture
def driver(monkeypatch):
    pytest.importorskip("requests")
    pytest.importorskip("psycopg2")
    import contextlib  # noqa: PLC0415

    import main  # noqa: PLC0415 - the driver needs requests and psycopg2

    monkeypatch.setattr(main, "STATE_TIMEOUT", 0.3)
    monkeypatch.setattr(main.os, "killpg", lambda pid, sig: None)
    connection = types.SimpleNamespace(cursor=contextlib.nullcontext)
    monkeypatch.setattr(main, "connect", lambda db: connection)
    monkeypatch.setattr(main, "closing", contextlib.nullcontext)
    monkeypatch.setattr(main.proof, "half_erased", lambda cr, setup: 0)
    monkeypatch.setattr(main.time, "sleep", lambda seconds: None)
    return main


def test_retention_is_killed_only_with_a_batch_committed_and_one_in_flight(driver):
    # Slow to start: nothing erased for a while, then a batch committed and
    # the next one in flight; killed then, whatever the clock says.
    polls = []

    def erased():
        polls.append(1)
        return 50 if len(polls) > 20 else 0

    faults = _faults(driver, erased, lambda: len(polls) > 20, lambda: None)
    faults.kill_retention()
    assert faults.problems == []
    assert faults.events == ["retention killed at 50/200 (a batch in flight)"]


def test_retention_never_committing_fails_with_a_clear_message(driver):
    faults = _faults(driver, lambda: 0, lambda: True, lambda: None)
    faults.kill_retention()
    assert faults.events == ["retention killed at 0/200 (no batch in flight)"]
    assert len(faults.problems) == 1
    assert (
        "no committed batch and the next one in flight within 0.3 s"
        in (faults.problems[0])
    )
    assert "/work/load/retention.log" in faults.problems[0]


def test_retention_ending_before_the_kill_fails(driver):
    faults = _faults(driver, lambda: 200, lambda: False, lambda: 0)
    faults.kill_retention()
    assert len(faults.problems) == 1
    assert "ended (exit status 0) with 200 of 200" in faults.problems[0]
