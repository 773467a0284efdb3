"""The driver of ``scripts/load --replica``: the same users against two Odoo
servers on the same database, one reading only from the primary, one
sending its read-only requests to a hot-standby replica
(``--db_replica_host``), each in a closed loop and with think time; a probe
that takes access away during the run and asks at once, on as many
connections as there are workers and more, whether the user still reads
the case; the replica's lag; the share of requests it served; the proof
from the database. Prints one figures line; exits non-zero on a stale
grant, a leak, a lost or doubled write or an unclear answer.
"""

import argparse
import json
import os
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing

import proof
import psycopg2
from clients import Context
from main import connect as app_connect
from main import log, log_in, make_clients, say, verdict
from rpc import Client, RpcError
from stats import Recorder, Tally, percentile, rate_within, ratio, windows

P95_LIMIT_MS = 500
MODES = ("ro", "ro->rw", "rw")
# Each phase is cut into this many windows for the rate at p95 < 500 ms.
WINDOWS = 5
# Lag samples this long after the probe resumed the replay still show the
# pause (pg_stat_replication's replay_lag comes with the standby's replies).
PAUSE_AFTERGLOW = 5.0


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--primary-url", required=True)
    parser.add_argument("--replica-url", required=True)
    parser.add_argument("--replica-log", required=True)
    parser.add_argument("--replica-port", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--setup", required=True)
    parser.add_argument("--probe", required=True)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--think", type=float, default=3)
    parser.add_argument("--workers", type=int, default=4)
    return parser.parse_args()


def monitor_connect(port=None):
    """A connection for the figures, as the cluster's superuser (only it sees
    the replication's lag)."""
    connection = psycopg2.connect(
        dbname="postgres",
        host=os.environ["PGHOST"],
        port=port or os.environ["PGPORT"],
        user=os.environ.get("DV_PG_MONITOR_USER", "postgres"),
        connect_timeout=5,
    )
    connection.autocommit = True
    return connection


class LagMonitor(threading.Thread):
    """The standby's replay lag as the primary sees it, four times a second.
    Samples taken while the probe holds the replay (and shortly after) are
    kept apart: that lag is made on purpose, not the replica's own."""

    def __init__(self):
        super().__init__(daemon=True)
        self.stop = threading.Event()
        self.lag_ms = []
        self.behind_bytes = []
        self.paused_lag_ms = []
        self.standbys = 0
        self._paused = threading.Event()
        self._resumed_at = 0.0

    def pause_begins(self):
        self._paused.set()

    def pause_ends(self):
        self._resumed_at = time.monotonic()
        self._paused.clear()

    def _in_pause(self):
        return (
            self._paused.is_set()
            or time.monotonic() - self._resumed_at < PAUSE_AFTERGLOW
        )

    def run(self):
        with closing(monitor_connect()) as connection, connection.cursor() as cr:
            while not self.stop.wait(0.25):
                cr.execute(
                    "SELECT COALESCE(EXTRACT(epoch FROM replay_lag) * 1000, 0), "
                    "COALESCE(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn), 0) "
                    "FROM pg_stat_replication"
                )
                rows = cr.fetchall()
                self.standbys = max(self.standbys, len(rows))
                for lag, behind in rows:
                    if self._in_pause():
                        self.paused_lag_ms.append(float(lag))
                        continue
                    self.lag_ms.append(float(lag))
                    self.behind_bytes.append(int(behind))


def standby(sql, port):
    with closing(monitor_connect(port)) as connection, connection.cursor() as cr:
        cr.execute(sql)


def standby_transactions(args):
    """Transactions the standby ran in the database (commits and rollbacks)."""
    with closing(monitor_connect(args.replica_port)) as connection:
        with connection.cursor() as cr:
            cr.execute(
                "SELECT xact_commit + xact_rollback FROM pg_stat_database "
                "WHERE datname = %s",
                [args.db],
            )
            return cr.fetchone()[0]


def cursor_modes(path, offset):
    """The cursor of each request Odoo logged after ``offset`` (its request
    line ends with ro, ro->rw or rw when a replica is configured)."""
    counts = dict.fromkeys(MODES, 0)
    with open(path, encoding="utf-8", errors="replace") as handle:
        handle.seek(offset)
        for line in handle:
            if "werkzeug" not in line or '"' not in line:
                continue
            mode = line.rstrip().rsplit(" ", 1)[-1]
            if mode in counts:
                counts[mode] += 1
        return counts, handle.tell()


class Probe(threading.Thread):
    """Takes access away during the run (revokes a share, withdraws a
    consent) and asks right after, on many connections at once (so that
    every worker answers one), whether the partner still finds the case."""

    def __init__(self, url, args, setup, items, interval, tally, lag):
        super().__init__(daemon=True)
        self.lag = lag
        # Against the replica's server, every other withdrawal is made while
        # the standby's replay is paused: a lag as long as the checks take,
        # so that a check that reached the standby would find the case.
        self.standby_port = args.replica_port if url == args.replica_url else None
        self.items = items
        self.interval = interval
        self.tally = tally
        self.stop = threading.Event()
        helpers = setup["helpers"]
        revoker = helpers["helper_caseworker"]
        reader = helpers["helper_partner"]
        self.revoker = Client(url, args.db, revoker["login"], revoker["password"])
        self.readers = [
            Client(url, args.db, reader["login"], reader["password"])
            for _ in range(2 * args.workers)
        ]

    def _finds(self, reader, case_id):
        domain = [("id", "=", case_id)]
        count = reader.call("dv.case", "search_count", domain)
        found = reader.call("dv.case", "search", domain)
        return bool(count) or bool(found)

    def prepare(self):
        """Log in (once for all phases: the sessions are shared)."""
        for slot, client in enumerate([self.revoker, *self.readers]):
            if slot in _PROBE_SESSIONS:
                cookies, client.uid, client.context = _PROBE_SESSIONS[slot]
                client.http.cookies.update(cookies)
            else:
                client.authenticate()
                _PROBE_SESSIONS[slot] = (
                    client.http.cookies.copy(),
                    client.uid,
                    client.context,
                )

    def run(self):
        pool = ThreadPoolExecutor(len(self.readers))
        for item in self.items:
            if self.stop.wait(self.interval):
                break
            try:
                if not self._finds(self.readers[0], item["case"]):
                    self.tally.note(f"probe: case {item['case']} not shared before")
                    continue
                if item["consent"]:
                    withdraw = ("dv.consent", "action_withdraw", [item["consent"]])
                else:
                    withdraw = ("dv.share", "action_revoke", [item["share"]])
                paused = self.standby_port and self.tally["probe_withdrawn"] % 2 == 0
                if paused:
                    self.lag.pause_begins()
                    standby("SELECT pg_wal_replay_pause()", self.standby_port)
                try:
                    self.revoker.call(*withdraw)
                    item["done"] = True
                    self.tally.add("probe_withdrawn")
                    if paused:
                        self.tally.add("probe_paused")
                    found = list(
                        pool.map(
                            lambda reader, case=item["case"]: self._finds(reader, case),
                            self.readers,
                        )
                    )
                finally:
                    if paused:
                        standby("SELECT pg_wal_replay_resume()", self.standby_port)
                        self.lag.pause_ends()
            except RpcError as exc:
                self.tally.add("probe_errors")
                self.tally.note(f"probe: {exc.name}: {exc.message[:120]}")
                continue
            self.tally.add("probe_checks", len(found))
            stale = sum(found)
            if stale:
                self.tally.add("stale_grants", stale)
                self.tally.note(f"probe: case {item['case']} still found {stale} times")
        pool.shutdown()


# The sessions of the first phase, for the next ones: both servers share
# the data directory and so the sessions (as the hosts of a deployment do),
# and a login checks a slow password hash.
_SESSIONS = {}
_PROBE_SESSIONS = {}


def reuse_sessions(clients):
    if _SESSIONS:
        for client in clients:
            cookies, uid, context = _SESSIONS[client.index]
            client.rpc.http.cookies.update(cookies)
            client.rpc.uid, client.rpc.context = uid, dict(context)
        return
    log_in(clients)
    for client in clients:
        _SESSIONS[client.index] = (
            client.rpc.http.cookies.copy(),
            client.rpc.uid,
            dict(client.rpc.context),
        )


def phase(args, setup, name, url, think, items, lag, modes_offset):
    """One phase: the users for the phase's time against ``url``. With think
    time the users begin one after the other over the first half of the
    phase, so that the load rises and the windows of the phase show the
    rate at which p95 stays below 500 ms."""
    duration = args.duration / 4
    run = uuid.uuid4().hex[:4]
    tally = Tally()
    ctx = Context(url, args.db, setup, run, Recorder(), tally)
    ctx.think = think
    clients = make_clients(ctx, setup)
    reuse_sessions(clients)
    probe = Probe(url, args, setup, items, duration / (len(items) + 1), tally, lag)
    probe.prepare()
    on_replica = url == args.replica_url
    transactions = standby_transactions(args)
    lag_from = len(lag.lag_ms)
    paused_from = len(lag.paused_lag_ms)
    started = time.monotonic()
    probe.start()
    ramp = duration / 2 if think else 0
    for number, client in enumerate(clients):
        delay = started + ramp * number / len(clients) - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        client.start()
    ctx.stop.wait(max(0, started + duration - time.monotonic()))
    ended = time.monotonic()
    ctx.stop.set()
    probe.stop.set()
    for client in clients:
        client.join(timeout=180)
    probe.join(timeout=120)
    elapsed = time.monotonic() - started
    recorder = ctx.recorder
    cut = windows(*recorder.timeline(), started, ended, WINDOWS)
    result = {
        "name": name,
        "replica": on_replica,
        "think": think,
        "requests": recorder.requests,
        "rps": round(recorder.requests / elapsed, 1),
        "p95_ms": recorder.latency_ms(95),
        "windows": cut,
        "rate_p95": rate_within(cut, P95_LIMIT_MS),
        # Transient and unclear answers (the attackers' refusals are meant).
        "errors": recorder.outcomes["transient"] + recorder.outcomes["unclear"],
        "standby_tx": standby_transactions(args) - transactions,
        "lag": lag.lag_ms[lag_from:],
        "paused_lag": lag.paused_lag_ms[paused_from:],
        "behind": lag.behind_bytes[lag_from:],
        "tally": tally,
        "clients": clients,
        "run": run,
    }
    if on_replica:
        result["modes"], modes_offset = cursor_modes(args.replica_log, modes_offset)
    with closing(app_connect(args.db)) as connection, connection.cursor() as cr:
        figures, findings = proof.prove(cr, clients, setup, run)
        result["figures"] = figures
        for line in findings[:20]:
            # No retention run in this mode: its finding says nothing here.
            if not line.startswith("retention:"):
                say(f"{name}: finding: {line}")
    for line in tally.notes[:20]:
        say(f"{name}: note: {line}")
    log(
        f"{name}: {result['requests']} requests, {result['rps']}/s, "
        f"p95 {result['p95_ms']} ms, probes {tally['probe_withdrawn']}, "
        f"stale {tally['stale_grants']}; windows (req/s, p95 ms): "
        + ", ".join(
            f"{rate}/{p95 if p95 is not None else '-'}" for rate, p95, _n in cut
        )
    )
    return result, modes_offset


def probe_writes_lost(args, probe):
    """Withdrawals the probe made that the database does not have."""
    lost = 0
    with closing(app_connect(args.db)) as connection, connection.cursor() as cr:
        for item in probe:
            if not item.get("done"):
                continue
            if item["consent"]:
                cr.execute(
                    "SELECT withdrawn_on IS NOT NULL FROM dv_consent WHERE id = %s",
                    [item["consent"]],
                )
            else:
                cr.execute(
                    "SELECT state = 'revoked' FROM dv_share WHERE id = %s",
                    [item["share"]],
                )
            row = cr.fetchone()
            lost += not (row and row[0])
    return lost


def main():
    args = parse_args()
    with open(args.setup, encoding="utf-8") as handle:
        setup = json.load(handle)
    with open(args.probe, encoding="utf-8") as handle:
        probes = json.load(handle)["probes"]
    lag = LagMonitor()
    lag.start()
    plan = [
        ("primary, closed loop", args.primary_url, 0),
        ("replica, closed loop", args.replica_url, 0),
        ("primary, think time", args.primary_url, args.think),
        ("replica, think time", args.replica_url, args.think),
    ]
    share = len(probes) // len(plan)
    results = []
    modes_offset = os.path.getsize(args.replica_log)
    for number, (name, url, think) in enumerate(plan):
        items = probes[number * share : (number + 1) * share]
        log(f"{name}: {args.duration / 4:.0f} s, think {think} s")
        result, modes_offset = phase(
            args, setup, name, url, think, items, lag, modes_offset
        )
        results.append(result)
    lag.stop.set()

    header = f"{'phase':<22} {'req/s':>7} {'p95 ms':>7} {'errors':>6}"
    print(f"\n{header} {'standby tx':>10} {'req/s at p95<500':>16}")
    for result in results:
        rate = result["rate_p95"]
        print(
            f"{result['name']:<22} {result['rps']:>7} {result['p95_ms']:>7} "
            f"{result['errors']:>6} {result['standby_tx']:>10} "
            f"{'-' if rate is None else rate:>16}"
        )

    def figure(on_replica, think, key):
        for result in results:
            if result["replica"] == on_replica and bool(result["think"]) == think:
                return result[key]
        return None

    def best(on_replica):
        rates = [
            r["rate_p95"]
            for r in results
            if r["replica"] == on_replica and r["rate_p95"] is not None
        ]
        return max(rates) if rates else None

    replica_runs = [r for r in results if r["replica"]]
    modes = {mode: sum(r["modes"][mode] for r in replica_runs) for mode in MODES}
    served = sum(modes.values())
    lags = [value for r in replica_runs for value in r["lag"]]
    paused_lags = [value for r in replica_runs for value in r["paused_lag"]]
    behind = [value for r in replica_runs for value in r["behind"]]
    total = {
        key: sum(r["tally"][key] for r in results)
        for key in (
            "stale_grants",
            "leaks",
            "probe_withdrawn",
            "probe_paused",
            "probe_checks",
            "probe_errors",
            "anomalies",
            "client_crashes",
        )
    }
    lost = sum(r["figures"]["lost"] for r in results) + probe_writes_lost(args, probes)
    duplicates = sum(r["figures"]["duplicates"] for r in results)
    leaks = total["leaks"] + sum(r["figures"]["attacker_traces"] for r in results)
    unclear = total["anomalies"] + total["client_crashes"]
    summary = {
        "workers": args.workers,
        "clients": len(results[0]["clients"]),
        "think_s": args.think,
        # Side by side, each with the ratio replica / primary: on a shared
        # machine only the ratios say something (rates: > 1 is the replica's
        # gain; p95: < 1 is).
        "rps_p95_lt_500_primary": best(False),
        "rps_p95_lt_500_replica": best(True),
        "rps_p95_lt_500_ratio": ratio(best(True), best(False)),
        "rps_closed_primary": figure(False, False, "rps"),
        "rps_closed_replica": figure(True, False, "rps"),
        "rps_closed_ratio": ratio(
            figure(True, False, "rps"), figure(False, False, "rps")
        ),
        "rps_think_primary": figure(False, True, "rps"),
        "rps_think_replica": figure(True, True, "rps"),
        "rps_think_ratio": ratio(figure(True, True, "rps"), figure(False, True, "rps")),
        "p95_closed_primary": figure(False, False, "p95_ms"),
        "p95_closed_replica": figure(True, False, "p95_ms"),
        "p95_closed_ratio": ratio(
            figure(True, False, "p95_ms"), figure(False, False, "p95_ms")
        ),
        "p95_think_primary": figure(False, True, "p95_ms"),
        "p95_think_replica": figure(True, True, "p95_ms"),
        "p95_think_ratio": ratio(
            figure(True, True, "p95_ms"), figure(False, True, "p95_ms")
        ),
        "replica_share_pct": round(100 * modes["ro"] / served, 1) if served else None,
        "ro": modes["ro"],
        "ro_to_rw": modes["ro->rw"],
        "rw": modes["rw"],
        # The lag the replica had of itself; while the probe held the
        # replay (on purpose) apart.
        "lag_ms_p95": round(percentile(lags, 95), 1) if lags else None,
        "lag_ms_max": round(max(lags), 1) if lags else None,
        "lag_ms_max_held": round(max(paused_lags), 1) if paused_lags else None,
        "behind_kb_max": round(max(behind) / 1024, 1) if behind else None,
        "standbys": lag.standbys,
        "probes": total["probe_withdrawn"],
        "probes_replay_paused": total["probe_paused"],
        "probe_checks": total["probe_checks"],
        "stale_grants": total["stale_grants"],
        "leaks": leaks,
        "lost": lost,
        "duplicates": duplicates,
        "unclear": unclear,
    }
    print(
        "REPLICA "
        + " ".join(
            f"{key}={'-' if value is None else value}" for key, value in summary.items()
        )
    )
    failed = [
        key
        for key in ("stale_grants", "leaks", "lost", "duplicates", "unclear")
        if summary[key]
    ]
    if not lag.standbys:
        failed.append("no standby streaming")
    if not total["probe_checks"] or total["probe_errors"]:
        failed.append("probe")
    return verdict(failed)


if __name__ == "__main__":
    sys.exit(main())
