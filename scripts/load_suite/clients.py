"""The simulated users: threads that work through Odoo's JSON-RPC as the
web client and the mail gateway do, and keep a ledger of every write the
server acknowledged (each tagged with a unique marker) for the proof.

A write that fails on the way (connection lost, database restarting) has
an unknown outcome: the client looks for its marker before repeating it,
so that a write that landed is acknowledged once and never made twice.
"""

import collections
import io
import random
import threading
import time
import traceback
from datetime import UTC, datetime, timedelta

import plan
from rpc import Client, RpcError

# How long a client keeps retrying one write before it gives up.
RETRY_WINDOW = 120
CASE_TYPES = ("partner", "family", "stalking")

# The text of a referral e-mail (plan.MAIL; the bad-input table uses it too).
MAIL = plan.MAIL


def utcnow():
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def odoo_dt(moment):
    return moment.strftime("%Y-%m-%d %H:%M:%S")


class Context:
    """What every client shares: the server, the setup's ids, the counters
    and the stop signal."""

    def __init__(self, url, db, setup, run, recorder, tally):
        self.url = url
        self.db = db
        self.setup = setup
        self.run = run
        self.recorder = recorder
        self.tally = tally
        self.stop = threading.Event()
        # Seconds a user thinks between two actions (0: a closed loop).
        self.think = 0
        self._targets_lock = threading.Lock()
        self._targets = {key: list(ids) for key, ids in setup["targets"].items()}
        # Repeats the mail gateway brought in, waiting for a case worker:
        # (referral id, its marker, the proposed case, the marker of the
        # first e-mail about the victim).
        self._proposals = collections.deque()

    def propose(self, referral, marker, case_id, first):
        self._proposals.append((referral, marker, case_id, first))

    def take_proposal(self):
        """The next repeat awaiting a case worker's decision, or None; each
        is handed to one case worker only."""
        try:
            return self._proposals.popleft()
        except IndexError:
            return None

    def set_targets(self, targets):
        """Newer records of the intake office, found by the harness in the
        database, for the attackers to go for as well."""
        with self._targets_lock:
            for key, ids in targets.items():
                known = set(self.setup["targets"].get(key, []))
                self._targets[key] = sorted(known | set(ids))

    def targets(self, key):
        with self._targets_lock:
            return list(self._targets.get(key, []))


class LoadClient(threading.Thread):
    """A logged-in user who works until the stop signal. Subclasses define
    ``step``: one round of their work."""

    def __init__(self, ctx, index, user):
        super().__init__(name=f"client-{index:02d}", daemon=True)
        self.ctx = ctx
        self.index = index
        self.role = user["role"]
        self.uid = user["uid"]
        self.rpc = Client(
            ctx.url, ctx.db, user["login"], user["password"], recorder=ctx.recorder
        )
        self.rng = random.Random(f"{ctx.run}-{index}")
        self.seq = 0
        self.acked = []
        self.in_doubt = []
        self.history = []  # (model, id, field, value, acknowledged) of plain writes
        self.setup = ctx.setup
        self.office = ctx.setup["agencies"]["office"]
        self.company_a = ctx.setup["companies"]["a"]

    # Markers and the ledger

    def marker(self, tag):
        self.seq += 1
        return f"LT{self.ctx.run}-{self.index:02d}{tag}{self.seq:05d}"

    def _ack(self, kind, marker, record_id, **extra):
        self.acked.append(dict(extra, kind=kind, marker=marker, id=record_id))
        self.ctx.tally.add("writes_acked")

    def _find(self, model, domain):
        """The id of the record with this marker, or None; retries transient
        errors (the database may be restarting)."""
        deadline = time.monotonic() + RETRY_WINDOW
        while True:
            try:
                ids = self.rpc.call(
                    model, "search", domain, context={"active_test": False}
                )
                return ids[0] if ids else None
            except RpcError as exc:
                if exc.kind == "refused" or time.monotonic() > deadline:
                    raise
                time.sleep(self._pause(1))

    def _pause(self, attempt):
        return min(4.0, 0.25 * 2**attempt) * (0.5 + self.rng.random())

    def ensure(self, kind, marker, do, find, **extra):
        """Make a write tagged with ``marker`` happen exactly once.

        ``do()`` sends it and returns the new record's id (or a true value);
        ``find()`` looks for the marker and returns the record's id or None.
        Returns the id when the write is known to be there, None when the
        server refused it or the client gave up (then it is "in doubt")."""
        deadline = time.monotonic() + RETRY_WINDOW
        attempt = 0
        while True:
            attempt += 1
            try:
                result = do()
                found = result if isinstance(result, int) and result else find()
                if found:
                    self._ack(kind, marker, found, **extra)
                    return found
                # Odoo said yes but the marker is not there: report it.
                self.ctx.tally.add("anomalies")
                self.ctx.tally.note(f"{kind} {marker}: accepted but not found")
                return None
            except RpcError as exc:
                if exc.kind == "unclear":
                    self.ctx.tally.note(
                        f"{kind} {marker}: {exc.name}: {exc.message[:120]}"
                    )
                if exc.kind == "refused" and attempt == 1:
                    self.ctx.tally.add("unexpected_refusals")
                    self.ctx.tally.note(
                        f"{kind} refused: {exc.name}: {exc.message[:160]}"
                    )
                    return None
                self.ctx.tally.add("retries")
                try:
                    found = find()
                except RpcError:
                    found = None
                if found:
                    self._ack(kind, marker, found, **extra)
                    return found
                if exc.kind == "refused":
                    # Refused on a retry and not there: a real refusal.
                    self.ctx.tally.add("unexpected_refusals")
                    self.ctx.tally.note(f"{kind} refused on retry: {exc.message[:160]}")
                    return None
                if time.monotonic() > deadline or (
                    self.ctx.stop.is_set() and attempt > 8
                ):
                    self.in_doubt.append({"kind": kind, "marker": marker})
                    self.ctx.tally.add("gave_up")
                    self.ctx.tally.note(
                        f"{kind} {marker}: gave up after {attempt} tries"
                    )
                    return None
                time.sleep(self._pause(attempt))

    def write(self, model, record_id, values, track=None):
        """A plain write (idempotent by nature), repeated on transient errors;
        ``track`` names a field whose value the proof checks at the end."""
        deadline = time.monotonic() + RETRY_WINDOW
        attempt = 0
        while True:
            attempt += 1
            try:
                self.rpc.call(model, "write", [record_id], values)
                if track:
                    self.history.append((model, record_id, track, values[track], True))
                    self.ctx.tally.add("writes_acked")
                return True
            except RpcError as exc:
                if exc.kind == "unclear":
                    self.ctx.tally.note(
                        f"write {model}: {exc.name}: {exc.message[:120]}"
                    )
                if exc.kind == "refused":
                    self.ctx.tally.add("unexpected_refusals")
                    self.ctx.tally.note(f"write {model} refused: {exc.message[:160]}")
                    if track:
                        self.history.append(
                            (model, record_id, track, values[track], None)
                        )
                    return False
                self.ctx.tally.add("retries")
                if time.monotonic() > deadline or (
                    self.ctx.stop.is_set() and attempt > 8
                ):
                    if track:
                        self.history.append(
                            (model, record_id, track, values[track], False)
                        )
                    self.ctx.tally.add("gave_up")
                    self.ctx.tally.note(f"write {model} {record_id}: gave up")
                    return False
                time.sleep(self._pause(attempt))

    def read(self, model, method, *args, **kwargs):
        """A read, repeated on transient errors (a refusal is raised)."""
        for attempt in range(1, 30):
            try:
                return self.rpc.call(model, method, *args, **kwargs)
            except RpcError as exc:
                if exc.kind != "transient" or (self.ctx.stop.is_set() and attempt > 3):
                    raise
                time.sleep(self._pause(attempt))
        raise RpcError("transient", "gave up", f"{model}.{method}")

    def fetch(self, path):
        """A report download, repeated on transient errors."""
        for attempt in range(1, 30):
            try:
                return self.rpc.download(path)
            except RpcError as exc:
                if exc.kind != "transient" or (self.ctx.stop.is_set() and attempt > 3):
                    raise
                time.sleep(self._pause(attempt))
        raise RpcError("transient", "gave up", path)

    # The loop

    def run(self):
        while not self.ctx.stop.is_set():
            if self.ctx.think:
                # One action every few seconds, as people work.
                self.ctx.stop.wait(self.ctx.think * (0.5 + self.rng.random()))
                if self.ctx.stop.is_set():
                    break
            try:
                self.step()
            except RpcError as exc:
                if exc.kind == "unclear":
                    self.ctx.tally.note(f"{self.role}: {exc.name}: {exc.message[:160]}")
                elif exc.kind == "refused":
                    self.ctx.tally.add("unexpected_refusals")
                    self.ctx.tally.note(
                        f"{self.role} refused: {exc.name}: {exc.message[:160]}"
                    )
                time.sleep(self._pause(2))
            except Exception:
                self.ctx.tally.add("client_crashes")
                self.ctx.tally.note(
                    f"{self.role} crashed: {traceback.format_exc()[-400:]}"
                )
                time.sleep(1)

    def step(self):
        raise NotImplementedError

    def office_cases(self, limit=30):
        return self.read(
            "dv.case",
            "search",
            [
                ("lead_agency_id", "=", self.office),
                ("state", "!=", "closed"),
                ("erased_on", "=", False),
            ],
            limit=limit,
            order="id desc",
        )

    def open_case_form(self, case_id):
        """What the case form reads (and the access log records)."""
        return self.read(
            "dv.case",
            "web_read",
            [case_id],
            specification={
                "name": {},
                "state": {},
                "case_type": {},
                "safety_plan": {},
                "risk_level": {},
                "person_ids": {"fields": {"name": {}, "role": {}, "phone": {}}},
                "referral_ids": {"fields": {"name": {}, "state": {}}},
            },
        )


class IntakeClient(LoadClient):
    """A case worker of the intake office joins a repeat the mail gateway
    brought in to the case proposed for it, types in a police referral,
    calls the victim (contact attempts) and records the incident."""

    def join_repeat(self):
        """Confirm the case proposed for a repeat: the referral joins it."""
        proposal = self.ctx.take_proposal()
        if not proposal:
            return
        referral, marker, case_id, first = proposal
        self.ensure(
            "repeat_join",
            marker,
            lambda: (
                self.rpc.call("dv.referral", "action_join_case", [referral]) and None
            ),
            lambda: self._find(
                "dv.referral",
                [
                    ("id", "=", referral),
                    ("case_id", "=", case_id),
                    ("is_repeat", "=", True),
                ],
            ),
            case_id=case_id,
            first=first,
        )

    def step(self):
        self.join_repeat()
        marker = self.marker("R")
        received = utcnow() - timedelta(minutes=10)
        values = {
            "source_type": "police",
            "from_agency_id": self.setup["agencies"]["police"],
            "to_agency_id": self.office,
            "company_id": self.company_a,
            "received_at": odoo_dt(received),
            "police_reference": marker,
            "incident_date": str((received - timedelta(days=1)).date()),
            "legal_basis": "consent",
            "consent_date": str(received.date()),
            "victim_name": f"Testperson {marker}",
        }
        referral = self.ensure(
            "referral",
            marker,
            lambda: self.rpc.call("dv.referral", "create", values),
            lambda: self._find("dv.referral", [("police_reference", "=", marker)]),
        )
        if not referral:
            return
        self.read(
            "dv.referral",
            "search_read",
            [("to_agency_id", "=", self.office)],
            fields=["name", "state", "first_contact_deadline", "is_overdue"],
            limit=40,
        )
        attempts = self.rng.choice((1, 1, 2, 3))
        for number in range(attempts):
            last = number == attempts - 1
            outcome = (
                self.rng.choice(("reached", "no_answer", "message_left", "declined"))
                if last
                else "no_answer"
            )
            attempt_marker = self.marker("A")
            attempt = {
                "referral_id": referral,
                "attempted_at": odoo_dt(received + timedelta(minutes=number + 1)),
                "channel_id": self.setup["channel_phone"],
                "outcome": outcome,
                "note": attempt_marker,
            }
            self.ensure(
                "attempt",
                attempt_marker,
                lambda attempt=attempt: self.rpc.call(
                    "dv.contact.attempt", "create", attempt
                ),
                lambda m=attempt_marker: self._find(
                    "dv.contact.attempt", [("note", "=", m)]
                ),
            )
        [row] = self.read("dv.referral", "read", [referral], ["case_id"])
        if not row["case_id"]:
            return
        case_id = row["case_id"][0]
        incident_marker = self.marker("I")
        incident = {
            "case_id": case_id,
            "date": odoo_dt(received - timedelta(days=1)),
            "description": incident_marker,
            "children_present": self.rng.random() < 0.3,
        }
        self.ensure(
            "incident",
            incident_marker,
            lambda: self.rpc.call("dv.incident", "create", incident),
            lambda: self._find("dv.incident", [("description", "=", incident_marker)]),
        )
        self.open_case_form(case_id)


class MailgateClient(LoadClient):
    """Odoo's mail gateway hands a police e-mail to the intake alias
    (``mail.thread.message_process`` through the external API, as
    odoo-mailgate does), from the office's registered senders in turn.
    Every third e-mail or so is about a victim of an earlier one: a repeat,
    which proposes that victim's case and waits for a case worker (an
    intake client) to join it."""

    def __init__(self, ctx, index, user):
        super().__init__(ctx, index, user)
        setup = ctx.setup
        self.senders = [setup["police_email"], setup["listed_email"]]
        self.source = setup["agencies"]["police"]
        # (marker of the e-mail, its case) of earlier e-mails: their victims
        # may come again.
        self.victims = []

    def step(self):
        marker = self.marker("M")
        now = utcnow()
        first, case_id = (None, None)
        if self.victims and self.rng.random() < 0.35:
            first, case_id = self.rng.choice(self.victims)
        message = plan.mail(
            self.senders[self.seq % len(self.senders)],
            self.setup["alias_email"],
            marker,
            now.strftime("%a, %d %b %Y %H:%M:%S +0000"),
            (now - timedelta(hours=5)).strftime("%d.%m.%Y %H:%M"),
            victim=first,
        )
        kind = "mail_repeat" if first else "mail_referral"
        extra = {"source": self.source}
        if first:
            extra.update(case_id=case_id, first=first)
        referral = self.ensure(
            kind,
            marker,
            lambda: self.rpc.execute_kw(
                "mail.thread", "message_process", [False, message]
            ),
            lambda: self._find("dv.referral", [("police_reference", "=", marker)]),
            **extra,
        )
        if not referral:
            return
        [row] = self.read(
            "dv.referral", "read", [referral], ["case_id", "proposed_case_id"]
        )
        if first:
            proposed = row["proposed_case_id"] and row["proposed_case_id"][0]
            if proposed != case_id or row["case_id"]:
                self.ctx.tally.add("anomalies")
                self.ctx.tally.note(f"{kind} {marker}: case {case_id} not proposed")
                return
            self.ctx.propose(referral, marker, case_id, first)
        elif row["case_id"]:
            self.victims.append((marker, row["case_id"][0]))


class AssessorClient(LoadClient):
    """A case worker assesses the risk of a case of the office: a new
    assessment, answers, completion."""

    def step(self):
        cases = self.office_cases()
        if not cases:
            time.sleep(1)
            return
        case_id = self.rng.choice(cases)
        marker = self.marker("E")
        values = {
            "case_id": case_id,
            "instrument_id": self.setup["instrument"],
            "note": marker,
        }
        assessment = self.ensure(
            "assessment",
            marker,
            lambda: self.rpc.call("dv.risk.assessment", "create", values),
            lambda: self._find("dv.risk.assessment", [("note", "=", marker)]),
        )
        if not assessment:
            return
        answers = self.read(
            "dv.risk.answer",
            "search_read",
            [("assessment_id", "=", assessment)],
            fields=["item_id", "red_flag"],
        )
        commands = [
            (
                1,
                answer["id"],
                {
                    "answer": self.rng.choice(("yes", "no", "no", "no")),
                    "source": "victim",
                },
            )
            for answer in answers[:10]
        ]
        if not self.write("dv.risk.assessment", assessment, {"answer_ids": commands}):
            return
        self.ensure(
            "assessment_done",
            marker,
            lambda: (
                self.rpc.call("dv.risk.assessment", "action_done", [assessment])
                and None
            ),
            lambda: self._find(
                "dv.risk.assessment", [("id", "=", assessment), ("state", "=", "done")]
            ),
        )
        self.open_case_form(case_id)


class PairClient(LoadClient):
    """One of two case workers who edit the same case at the same moment:
    the first writes the safety plan, the second the type of case; both
    leave notes in the chatter."""

    def __init__(self, ctx, index, user, case_id):
        super().__init__(ctx, index, user)
        self.case_id = case_id

    def step(self):
        marker = self.marker("S")
        if self.role == "pair_a":
            self.write(
                "dv.case",
                self.case_id,
                {"safety_plan": f"<p>{marker}</p>"},
                track="safety_plan",
            )
        else:
            self.write(
                "dv.case",
                self.case_id,
                {"case_type": self.rng.choice(CASE_TYPES)},
                track="case_type",
            )
        note = self.marker("N")
        self.ensure(
            "note",
            note,
            lambda: self.rpc.call(
                "dv.case",
                "message_post",
                [self.case_id],
                body=f"Vermerk {note}",
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            ),
            lambda: self._find(
                "mail.message",
                [
                    ("model", "=", "dv.case"),
                    ("res_id", "=", self.case_id),
                    ("body", "ilike", note),
                ],
            ),
            case_id=self.case_id,
        )
        self.open_case_form(self.case_id)


class CoordinatorClient(LoadClient):
    """The coordinator holds an ad-hoc case conference: agenda, minutes
    (decisions per case), actions, held, minutes approved and printed."""

    def step(self):
        marker = self.marker("K")
        today = str(utcnow().date())
        values = {
            "conference_type": "adhoc",
            "start": odoo_dt(utcnow() - timedelta(hours=1)),
            "duration": 1.5,
            "place": marker,
            "organizer_agency_id": self.office,
            "company_id": self.company_a,
            "participant_ids": [
                (
                    0,
                    0,
                    {
                        "user_id": self.uid,
                        "agency_id": self.office,
                        "confidentiality_signed_on": today,
                    },
                )
            ],
        }
        conference = self.ensure(
            "conference",
            marker,
            lambda: self.rpc.call("dv.conference", "create", values),
            lambda: self._find("dv.conference", [("place", "=", marker)]),
        )
        if not conference:
            return
        lines = self.read(
            "dv.conference.agenda.item",
            "search_read",
            [("conference_id", "=", conference)],
            fields=["pseudonym"],
        )
        if not lines:
            cases = self.office_cases(limit=10)
            if not cases:
                return
            line = {"conference_id": conference, "case_id": self.rng.choice(cases)}
            self.ensure(
                "agenda",
                marker,
                lambda: self.rpc.call("dv.conference.agenda.item", "create", line),
                lambda: self._find(
                    "dv.conference.agenda.item", [("conference_id", "=", conference)]
                ),
            )
            lines = self.read(
                "dv.conference.agenda.item",
                "search_read",
                [("conference_id", "=", conference)],
                fields=["pseudonym"],
            )
        line_id = lines[0]["id"]
        minutes = self.marker("P")
        if self.write(
            "dv.conference.agenda.item",
            line_id,
            {"decisions": minutes, "facts": "Sachstand ohne Namen"},
            track="decisions",
        ):
            self.acked.append({"kind": "minutes", "marker": minutes, "id": line_id})
        action_marker = self.marker("T")
        action = {
            "line_id": line_id,
            "name": action_marker,
            "owner_agency_id": self.office,
            "user_id": self.uid,
            "due_date": str(utcnow().date() + timedelta(days=14)),
        }
        self.ensure(
            "action",
            action_marker,
            lambda: self.rpc.call("dv.conference.action", "create", action),
            lambda: self._find("dv.conference.action", [("name", "=", action_marker)]),
        )
        self.ensure(
            "held",
            marker,
            lambda: (
                self.rpc.call("dv.conference", "action_held", [conference]) and None
            ),
            lambda: self._find(
                "dv.conference", [("id", "=", conference), ("state", "=", "held")]
            ),
        )
        self.ensure(
            "approved",
            marker,
            lambda: (
                self.rpc.call("dv.conference", "action_approve_minutes", [conference])
                and None
            ),
            lambda: self._find(
                "dv.conference", [("id", "=", conference), ("state", "=", "approved")]
            ),
        )
        status, ctype, body = self.fetch(
            f"/report/html/dv_case_management.report_conference_minutes/{conference}"
        )
        if status == 200 and "html" in ctype and minutes.encode() in body:
            self.ctx.tally.add("reports_minutes")
        else:
            self.ctx.tally.add("report_errors")
            self.ctx.tally.note(f"minutes: HTTP {status} {ctype}")


class StatisticsClient(LoadClient):
    """The statistics office downloads the workbook (xlsx) of the year; its
    suppression threshold is at least the company's minimum."""

    def step(self):
        today = utcnow().date()
        wizard = self.read(
            "dv.statistics.wizard",
            "create",
            {
                "date_from": f"{today.year}-01-01",
                "date_to": f"{today.year}-12-31",
                "company_ids": [(6, 0, [self.company_a])],
            },
        )
        [row] = self.read("dv.statistics.wizard", "read", [wizard], ["threshold"])
        if row["threshold"] < self.setup["suppression_minimum"]:
            self.ctx.tally.add("anomalies")
            self.ctx.tally.note(
                f"statistics: threshold {row['threshold']} below the minimum"
            )
        status, ctype, body = self.fetch(
            f"/report/xlsx/dv_case_management.statistics_xlsx/{wizard}"
        )
        if status == 200 and "spreadsheetml" in ctype and body[:2] == b"PK":
            self.ctx.tally.add("reports_xlsx")
            if self.rng.random() < 0.2:
                import openpyxl  # noqa: PLC0415 - only where a workbook is read

                openpyxl.load_workbook(io.BytesIO(body), read_only=True).close()
        else:
            self.ctx.tally.add("report_errors")
            self.ctx.tally.note(f"statistics workbook: HTTP {status} {ctype}")
        time.sleep(0.5)


ROLE_CLASSES = {
    "intake": IntakeClient,
    "mailgate": MailgateClient,
    "assessor": AssessorClient,
    "coordinator": CoordinatorClient,
    "statistics": StatisticsClient,
}
