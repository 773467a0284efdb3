"""The driver of scripts/load: clients, faults, bad inputs, proof, figures.

Started by scripts/load once Odoo serves the fresh database; exits 0 when
nothing was lost or leaked and every bad input was refused or neutralised.
"""

import argparse
import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from contextlib import closing

import bad_inputs
import plan
import proof
import psycopg2
from attackers import AttackerClient, NetworkClient
from clients import ROLE_CLASSES, Context, PairClient
from stats import Recorder, Tally, failed_figures, figures_line


def verdict(failed):
    """Print the run's verdict; the exit status: 1 when anything ``failed``."""
    if failed:
        print(f"LOAD FAILED: {', '.join(failed)}", flush=True)
        return 1
    print("LOAD PASSED", flush=True)
    return 0


def log(text):
    print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)


def connect(db):
    connection = psycopg2.connect(
        dbname=db,
        host=os.environ["PGHOST"],
        port=os.environ["PGPORT"],
        user=os.environ["PGUSER"],
        password=os.environ.get("PGPASSWORD") or None,
        connect_timeout=5,
    )
    connection.autocommit = True
    return connection


def query(db, sql, params=None, retries=60):
    """One query on a connection of its own, repeated while the database
    restarts."""
    for attempt in range(retries):
        try:
            with closing(connect(db)) as connection, connection.cursor() as cr:
                cr.execute(sql, params)
                return cr.fetchall()
        except psycopg2.OperationalError:
            if attempt == retries - 1:
                raise
            time.sleep(0.5)
    return None


def connect_retrying(db, retries=120):
    """A connection of its own, tried again while the database starts."""
    for attempt in range(retries):
        try:
            return connect(db)
        except psycopg2.OperationalError:
            if attempt == retries - 1:
                raise
            time.sleep(0.5)
    return None


def children(pid):
    """The ids of the processes whose parent is ``pid``."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry))
    return found


def alive(pid):
    """Whether the process ``pid`` still runs (a zombie does not)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def login(client):
    recorder, client.rpc.recorder = client.rpc.recorder, None
    try:
        for attempt in range(10):
            try:
                client.rpc.authenticate()
                return
            except Exception:
                time.sleep(1 + attempt)
    finally:
        client.rpc.recorder = recorder


def make_clients(ctx, setup):
    clients = []
    for key, user in sorted(setup["users"].items(), key=lambda item: int(item[0])):
        index = int(key)
        role = user["role"]
        if role in ("pair_a", "pair_b"):
            first = index if role == "pair_a" else index - 1
            case_id = setup["pair_cases"].get(str(first))
            if case_id:
                clients.append(PairClient(ctx, index, user, case_id))
            else:
                clients.append(ROLE_CLASSES["intake"](ctx, index, user))
        elif role == "network":
            clients.append(NetworkClient(ctx, index, user))
        elif role in plan.ATTACKER_ROLES:
            clients.append(AttackerClient(ctx, index, user))
        else:
            clients.append(ROLE_CLASSES[role](ctx, index, user))
    return clients


# How long a fault waits for the state it needs (a committed batch of the
# retention job, a write acknowledged after a restart, a replaced worker)
# before it gives up with a problem that names the state. Generous: the
# machine may be busy, and only the state proves that the fault hit what
# it should.
STATE_TIMEOUT = 240
# How long the clients keep working after --duration while faults are still
# waiting for their state (each wait is bounded by STATE_TIMEOUT).
FAULTS_GRACE = 900


def wait_for(condition, timeout, interval=0.2):
    """Poll ``condition`` until it holds; the seconds it took, or None when
    ``timeout`` seconds passed first."""
    started = time.monotonic()
    while True:
        if condition():
            return time.monotonic() - started
        if time.monotonic() >= started + timeout:
            return None
        time.sleep(interval)


class Faults(threading.Thread):
    """Kills and restarts during the run, each not before its moment and
    only once the state it needs can be seen: the retention job is killed
    (SIGKILL) once a batch is committed and the next one is in flight, and
    run again; PostgreSQL is restarted, then (once the clients write again)
    its postmaster is killed (SIGKILL) and started again; then (once they
    write again) an HTTP worker of Odoo's prefork server is killed
    (SIGKILL) and its replacement awaited. The clients keep working until
    the faults are done."""

    def __init__(self, args, setup, ctx, clients):
        super().__init__(name="faults", daemon=True)
        self.args = args
        self.setup = setup
        self.ctx = ctx
        self.clients = clients
        self.events = []
        self.rerun = None
        self.problems = []
        self.half_after_kill = 0
        # Acknowledged writes before the crash, found after it, lost.
        self.crash = {"acked": None, "found": None, "lost": None}

    def at(self, fraction):
        """Wait until ``fraction`` of the run has passed (False when stopped)."""
        moment = self.args.started + fraction * self.args.duration
        while time.monotonic() < moment:
            if self.ctx.stop.wait(min(0.2, moment - time.monotonic())):
                return False
        return True

    def clients_write(self, what):
        """Wait until a client sees a write acknowledged after this moment
        (the database and Odoo serve writes again after ``what``); False,
        with a problem, when none comes within STATE_TIMEOUT."""
        before = self.ctx.tally["writes_acked"]
        took = wait_for(lambda: self.ctx.tally["writes_acked"] > before, STATE_TIMEOUT)
        if took is None:
            self.problems.append(
                f"no write was acknowledged within {STATE_TIMEOUT} s after {what}: "
                "the next fault would hit an idle server (see the Odoo log)"
            )
            return False
        log(f"fault: clients write again after {what} ({took:.1f} s)")
        return True

    def erased(self):
        rows = query(
            self.args.db,
            "SELECT count(*) FROM dv_erasure_log WHERE case_id = ANY(%s)",
            [self.setup["due_cases"]],
        )
        return rows[0][0]

    def retention(self):
        return subprocess.Popen(
            [self.args.retention_cmd],
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def retention_log(self):
        """The retention job's log (scripts/load writes it beside its script)."""
        return os.path.join(os.path.dirname(self.args.retention_cmd), "retention.log")

    def writing(self):
        """Whether the retention job's transaction holds uncommitted writes
        (PostgreSQL gave it a transaction id): a batch is in flight."""
        rows = query(
            self.args.db,
            "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE "
            "'dv-load-retention-%%' AND backend_xid IS NOT NULL",
        )
        return rows[0][0] > 0

    def kill_retention(self):
        """Start the retention job and kill it (SIGKILL) once a batch is
        committed (seen in the erasure log) and the next one is half done
        (its transaction holds writes), however long the job takes to start;
        then no due case may be half erased."""
        total = len(self.setup["due_cases"])
        process = self.retention()
        log("fault: retention job started (to be killed in the middle)")
        in_flight = []

        def batch_in_flight():
            if process.poll() is not None:
                return True
            if self.erased() >= 1 and self.writing():
                in_flight.append(True)
                return True
            return False

        took = wait_for(batch_in_flight, STATE_TIMEOUT)
        if in_flight:
            time.sleep(0.3)  # some of the batch's erasures written
        ended = process.poll()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        count = self.erased()
        with closing(connect(self.args.db)) as connection, connection.cursor() as cr:
            self.half_after_kill = proof.half_erased(cr, self.setup)
        state = "a batch in flight" if in_flight else "no batch in flight"
        waited = f"after {took:.1f} s" if took is not None else "after the timeout"
        log(
            f"fault: retention job killed (SIGKILL) {waited} with {count} of "
            f"{total} cases erased and {state}; half-erased cases: "
            f"{self.half_after_kill}"
        )
        self.events.append(f"retention killed at {count}/{total} ({state})")
        if ended is not None:
            self.problems.append(
                f"the retention job ended (exit status {ended}) with {count} of "
                f"{total} cases erased before it could be killed in the middle of "
                f"a batch (see {self.retention_log()})"
            )
        elif took is None:
            self.problems.append(
                f"the retention job had no committed batch and the next one in "
                f"flight within {STATE_TIMEOUT} s ({count} of {total} cases "
                f"erased); killed without testing the resume (see "
                f"{self.retention_log()})"
            )
        elif count >= total:
            self.problems.append(
                "the retention job was not killed in the middle of a batch "
                f"(it had erased all {total} cases)"
            )

    def restart_postgresql(self):
        started = time.monotonic()
        result = subprocess.run(
            [self.args.pg_restart_cmd], capture_output=True, text=True, check=False
        )
        took = time.monotonic() - started
        if result.returncode:
            self.problems.append(f"PostgreSQL restart failed: {result.stderr[-200:]}")
        log(f"fault: PostgreSQL restarted (pg_ctl restart, {took:.1f} s)")
        self.events.append(f"postgresql restarted in {took:.1f} s")

    def crash_postgresql(self):
        """A crash of the database server under load: SIGKILL to the
        postmaster, no shutdown, no checkpoint; PostgreSQL recovers from its
        write-ahead log at the next start. Every write a client saw
        acknowledged before the kill must be in the database after it."""
        if not self.args.pg_data:
            self.events.append("no crash: PostgreSQL is not the project's own")
            return
        with open(
            os.path.join(self.args.pg_data, "postmaster.pid"), encoding="utf-8"
        ) as pid_file:
            postmaster = int(pid_file.readline())
        server = [postmaster, *children(postmaster)]
        # The ledgers at this moment: what was acknowledged before the kill.
        before = [entry for client in self.clients for entry in list(client.acked)]
        os.kill(postmaster, signal.SIGKILL)
        killed = time.monotonic()
        # The server processes notice that their postmaster is gone and end;
        # a new postmaster refuses to start while one of them still holds the
        # old shared memory. Whoever is still busy after 10 s is killed too,
        # as a crash of the machine would.
        while any(alive(pid) for pid in server) and time.monotonic() < killed + 10:
            time.sleep(0.1)
        for pid in server:
            if alive(pid):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        # PostgreSQL's lock file names the dead postmaster: a new one starts
        # only once that process id is gone, and a dead process keeps it until
        # it has been reaped. Then the start is tried again a few times.
        while time.monotonic() < killed + 60 and any(
            os.path.exists(f"/proc/{pid}") for pid in server
        ):
            time.sleep(0.1)
        for attempt in range(5):
            result = subprocess.run(
                [self.args.pg_start_cmd], capture_output=True, text=True, check=False
            )
            if not result.returncode:
                break
            time.sleep(1 + attempt)
        else:
            self.problems.append(
                f"PostgreSQL did not start after the crash: {result.stderr[-200:]}"
            )
            return
        up = time.monotonic() - killed
        with closing(connect_retrying(self.args.db)) as connection:
            with connection.cursor() as cr:
                missing = [entry for entry in before if not proof.written(cr, entry)]
        found = len(before) - len(missing)
        self.crash = {"acked": len(before), "found": found, "lost": len(missing)}
        log(
            f"fault: PostgreSQL crashed (SIGKILL to the postmaster {postmaster}) "
            f"with {len(before)} writes acknowledged; up again after {up:.1f} s, "
            f"found {found}, lost {len(missing)}"
        )
        self.events.append(
            f"postgresql crashed (SIGKILL): acknowledged before {len(before)}, "
            f"found after {found}, lost {len(missing)}; up again in {up:.1f} s"
        )
        for entry in missing[:20]:
            self.problems.append(
                f"lost in the crash: {entry['kind']} {entry['marker']}"
            )

    def workers(self):
        """HTTP workers: children of the prefork server that are not its
        gevent (long polling) process."""
        found = []
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat", encoding="utf-8") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
                with open(f"/proc/{entry}/cmdline", "rb") as cmdline:
                    argv = cmdline.read().split(b"\0")
            except OSError:
                continue
            if int(fields[1]) == self.args.odoo_pid and b"gevent" not in argv:
                busy = int(fields[11]) + int(fields[12])  # utime + stime
                found.append((busy, int(entry)))
        return [pid for _busy, pid in sorted(found, reverse=True)]

    def kill_worker(self):
        """Kill the busiest HTTP worker (SIGKILL) and wait until the prefork
        server has replaced it."""
        workers = self.workers()
        if not workers:
            self.problems.append("no Odoo HTTP worker found to kill")
            return
        victim = workers[0]
        os.kill(victim, signal.SIGKILL)
        log(
            f"fault: Odoo HTTP worker {victim} killed (SIGKILL), {len(workers)} running"
        )

        def replaced():
            now = self.workers()
            return victim not in now and len(now) >= len(workers)

        took = wait_for(replaced, STATE_TIMEOUT, interval=0.5)
        after = self.workers()
        if took is None:
            self.events.append(
                f"worker killed, {len(after)} workers running {STATE_TIMEOUT} s later"
            )
            self.problems.append(
                f"the prefork server did not replace the killed worker within "
                f"{STATE_TIMEOUT} s ({len(after)} of {len(workers)} running)"
            )
            return
        log(f"fault: the killed worker was replaced after {took:.1f} s")
        self.events.append(
            f"worker killed, replaced after {took:.1f} s ({len(after)} running)"
        )

    def run(self):
        try:
            if not self.at(0.02):
                return
            self.kill_retention()
            if not self.at(0.5):
                return
            self.restart_postgresql()
            if not self.clients_write("the PostgreSQL restart") or not self.at(0.6):
                return
            self.crash_postgresql()
            if not self.clients_write("the PostgreSQL crash") or not self.at(0.7):
                return
            self.kill_worker()
            if not self.at(0.78):
                return
            log("fault: retention job started again")
            self.rerun = self.retention()
        except Exception as exc:
            self.problems.append(f"fault injection failed: {exc!r}")


LOCK_WAITS = """
    SELECT waiting.wait_event, blocker.application_name
    FROM pg_stat_activity waiting
    CROSS JOIN LATERAL unnest(pg_blocking_pids(waiting.pid)) AS blocking(pid)
    JOIN pg_stat_activity blocker ON blocker.pid = blocking.pid
    WHERE waiting.datname = %s AND waiting.wait_event_type = 'Lock'
"""


def sample_lock_waits(args, ctx, waits):
    """Every half second: which sessions wait for a lock, and who holds it
    (the retention job or Odoo's workers)."""
    while not ctx.stop.wait(0.5):
        try:
            rows = query(args.db, LOCK_WAITS, [args.db], retries=1)
        except psycopg2.Error:
            continue
        for event, blocker in rows:
            holder = (
                "retention job" if blocker.startswith("dv-load-retention") else "odoo"
            )
            waits[f"{event} held by {holder}"] += 1


def refresh_targets(args, ctx, setup):
    """Give the attackers the newest records of the intake office too."""
    office = setup["agencies"]["office"]
    while not ctx.stop.wait(3):
        try:
            cases = [
                r[0]
                for r in query(
                    args.db,
                    "SELECT id FROM dv_case WHERE lead_agency_id = %s "
                    "ORDER BY id DESC LIMIT 30",
                    [office],
                    retries=1,
                )
            ]
            persons = [
                r[0]
                for r in query(
                    args.db,
                    "SELECT id FROM dv_person WHERE case_id = ANY(%s)",
                    [cases],
                    retries=1,
                )
            ]
            referrals = [
                r[0]
                for r in query(
                    args.db,
                    "SELECT id FROM dv_referral WHERE to_agency_id = %s "
                    "ORDER BY id DESC LIMIT 30",
                    [office],
                    retries=1,
                )
            ]
            protected = [
                r[0]
                for r in query(
                    args.db,
                    "SELECT id FROM dv_person_protected WHERE case_id = ANY(%s)",
                    [cases],
                    retries=1,
                )
            ]
        except psycopg2.Error:
            continue
        ctx.set_targets(
            {
                "cases": cases,
                "persons": persons,
                "referrals": referrals,
                "protected": protected,
            }
        )


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--setup", required=True)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--odoo-pid", type=int, required=True)
    parser.add_argument("--odoo-log")
    parser.add_argument("--retention-cmd", required=True)
    parser.add_argument("--pg-restart-cmd", required=True)
    parser.add_argument(
        "--pg-data", default="", help="the cluster's folder (empty: no crash)"
    )
    parser.add_argument("--pg-start-cmd", default="")
    parser.add_argument("--no-faults", action="store_true")
    return parser.parse_args()


def log_in(clients):
    """Everybody logs in first (a login checks a slow password hash): the
    measured run is the work of the morning, not the queue at the door."""
    started = time.monotonic()
    threads = [threading.Thread(target=login, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    log(f"{len(clients)} users logged in ({time.monotonic() - started:.1f} s)")


def run_load(args, ctx, clients):
    """The clients work for the duration while the faults happen; returns
    the figures of the load itself."""
    recorder = ctx.recorder
    args.started = time.monotonic()
    faults = Faults(args, ctx.setup, ctx, clients)
    if not args.no_faults:
        faults.start()
    threading.Thread(
        target=refresh_targets, args=(args, ctx, ctx.setup), daemon=True
    ).start()
    waits = Counter()
    threading.Thread(
        target=sample_lock_waits, args=(args, ctx, waits), daemon=True
    ).start()
    for client in clients:
        client.start()
    # The clients work for the duration and, while a fault still waits for
    # its state, on (bounded): every fault happens under load.
    end = args.started + args.duration
    while time.monotonic() < end or (
        faults.is_alive() and time.monotonic() < end + FAULTS_GRACE
    ):
        time.sleep(5)
        log(
            f"{recorder.requests} requests, {recorder.errors} errors, "
            f"p95 {recorder.latency_ms(95)} ms"
            + (
                "; faults still to come"
                if time.monotonic() > end and faults.is_alive()
                else ""
            )
        )
    extended = time.monotonic() - end
    if extended > 5:
        faults.events.append(f"load extended by {extended:.0f} s for the faults")
    if faults.is_alive():
        faults.problems.append(
            f"the faults were not done {FAULTS_GRACE} s after the end of the run"
        )
    ctx.stop.set()
    for client in clients:
        client.join(timeout=180)
    load = {
        "requests": recorder.requests,
        "outcomes": dict(recorder.outcomes),
        "p50_ms": recorder.latency_ms(50),
        "p95_ms": recorder.latency_ms(95),
        "p99_ms": recorder.latency_ms(99),
    }
    log(f"load over: {load['requests']} requests, outcomes {load['outcomes']}")
    for what, count in waits.most_common(6):
        say(f"lock waits (samples every 0.5 s): {what}: {count}")
    for label, count, p50, p95 in recorder.slowest():
        say(f"time spent: {label}: {count} requests, p50 {p50} ms, p95 {p95} ms")
    if faults.ident is not None:  # started (not with --no-faults)
        faults.join(timeout=60)
    if faults.rerun is not None:
        log("waiting for the rerun of the retention job")
        try:
            faults.rerun.wait(timeout=600)
        except subprocess.TimeoutExpired:
            faults.problems.append("the rerun of the retention job did not finish")
            os.killpg(faults.rerun.pid, signal.SIGKILL)
    elif not args.no_faults:
        faults.problems.append("the retention job was not run again")
    return load, faults


def say(text):
    print(f"  {text}", flush=True)


def serialization_conflicts(path):
    """Concurrent updates PostgreSQL refused and Odoo retried, from its log."""
    if not path or not os.path.exists(path):
        return None
    with open(path, encoding="utf-8", errors="replace") as handle:
        return sum("could not serialize access" in line for line in handle)


def main():
    args = parse_args()
    with open(args.setup, encoding="utf-8") as handle:
        setup = json.load(handle)
    run = uuid.uuid4().hex[:4]
    tally = Tally()
    ctx = Context(args.url, args.db, setup, run, Recorder(), tally)
    clients = make_clients(ctx, setup)
    roles = sorted({client.role for client in clients})
    log(
        f"{len(clients)} clients ({', '.join(roles)}), {args.duration:.0f} s, run {run}"
    )
    log_in(clients)
    load, faults = run_load(args, ctx, clients)

    log("bad inputs")
    bad = bad_inputs.run_table(
        args.url, args.db, setup, lambda sql, params=None: query(args.db, sql, params)
    )
    for line in bad["report"]:
        print(line, flush=True)

    log("proof from the database")
    with closing(connect(args.db)) as connection, connection.cursor() as cr:
        figures, findings = proof.prove(cr, clients, setup, run)
    if figures["not_erased"] and not args.no_faults:
        faults.problems.append("the rerun of the retention job left due cases")
    for prefix, lines in (
        ("finding", findings[:60]),
        ("note", tally.notes),
        ("fault", faults.events),
        ("fault problem", faults.problems),
    ):
        for line in lines:
            say(f"{prefix}: {line}")

    outcomes = load["outcomes"]
    summary = {
        "requests": load["requests"],
        "errors": outcomes.get("transient", 0)
        + outcomes.get("unclear", 0)
        + tally["unexpected_refusals"],
        "p50_ms": load["p50_ms"],
        "p95_ms": load["p95_ms"],
        "p99_ms": load["p99_ms"],
        "writes_acked": tally["writes_acked"],
        "lost": figures["lost"],
        "duplicates": figures["duplicates"],
        "leak_attempts": tally["leak_attempts"],
        "leaks": tally["leaks"] + figures["attacker_traces"],
        "bad_inputs": bad["total"],
        "bad_refused": bad["refused"],
        "bad_neutralised": bad["neutralised"],
        "bad_accepted": bad["accepted"],
        "half_erased": figures["half_erased"] + faults.half_after_kill,
        "gave_up": tally["gave_up"],
        "unclear": outcomes.get("unclear", 0)
        + tally["client_crashes"]
        + tally["anomalies"],
        "crash_acked": faults.crash["acked"],
        "crash_found": faults.crash["found"],
        "crash_lost": faults.crash["lost"],
    }
    say(
        f"detail: retries={tally['retries']}"
        f" unexpected_refusals={tally['unexpected_refusals']}"
        f" serialization_conflicts={serialization_conflicts(args.odoo_log)}"
        f" workbooks={tally['reports_xlsx']} minutes={tally['reports_minutes']}"
        f" report_errors={tally['report_errors']}"
        f" erased={figures['erased']}/{len(setup['due_cases'])}"
    )
    print(figures_line(summary), flush=True)
    failed = failed_figures(summary) + (["faults"] if faults.problems else [])
    if tally["report_errors"]:
        failed.append("report_errors")
    if "statistics" in roles and not tally["reports_xlsx"]:
        failed.append("no statistics workbook")
    if "coordinator" in roles and not tally["reports_minutes"]:
        failed.append("no minutes printed")
    return verdict(failed)


if __name__ == "__main__":
    sys.exit(main())
