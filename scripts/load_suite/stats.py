"""Counting and the figures of a run: plain Python, tested in
tests/static/test_load_suite.py without Odoo."""

import math
import threading
import time
from collections import Counter


def percentile(values, q):
    """The q-th percentile (0-100) of ``values`` by the nearest-rank method:
    the smallest value with at least q % of the values at or below it.
    None for no values."""
    if not 0 <= q <= 100:
        raise ValueError("q must lie between 0 and 100")
    ordered = sorted(values)
    if not ordered:
        return None
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


class Recorder:
    """Latency and outcome of every request, from many threads."""

    def __init__(self):
        self._lock = threading.Lock()
        self.latencies = []
        # When each request ended (time.monotonic()), in the order of latencies.
        self.finished = []
        self.outcomes = Counter()
        self.by_label = {}

    def record(self, seconds, outcome, label=None):
        with self._lock:
            self.latencies.append(seconds)
            self.finished.append(time.monotonic())
            self.outcomes[outcome] += 1
            if label:
                self.by_label.setdefault(label, []).append(seconds)

    def timeline(self):
        """(when each request ended, its latency) so far, as two lists."""
        with self._lock:
            return list(self.finished), list(self.latencies)

    def slowest(self, count=8):
        """(label, requests, p50 ms, p95 ms) of the labels that took the most
        time in total."""
        with self._lock:
            items = sorted(self.by_label.items(), key=lambda item: -sum(item[1]))
            return [
                (
                    label,
                    len(values),
                    round(percentile(values, 50) * 1000),
                    round(percentile(values, 95) * 1000),
                )
                for label, values in items[:count]
            ]

    @property
    def requests(self):
        return sum(self.outcomes.values())

    @property
    def errors(self):
        return self.requests - self.outcomes["ok"]

    def latency_ms(self, q):
        with self._lock:
            value = percentile(self.latencies, q)
        return None if value is None else round(value * 1000)


class Tally:
    """Named counters shared by threads (attempts, leaks, refusals, ...)."""

    def __init__(self):
        self._lock = threading.Lock()
        self.counts = Counter()
        self.notes = []

    def add(self, key, amount=1):
        with self._lock:
            self.counts[key] += amount

    def note(self, text, limit=40):
        """Keep a few lines of detail for the report (never personal data:
        the suite's data is synthetic, still only keys and markers go here)."""
        with self._lock:
            if len(self.notes) < limit:
                self.notes.append(text)

    def __getitem__(self, key):
        with self._lock:
            return self.counts[key]


# The figures of the one summary line, in order.
FIGURES = (
    "requests",
    "errors",
    "p50_ms",
    "p95_ms",
    "p99_ms",
    "writes_acked",
    "lost",
    "duplicates",
    "leak_attempts",
    "leaks",
    "bad_inputs",
    "bad_refused",
    "bad_neutralised",
    "bad_accepted",
    "half_erased",
    "gave_up",
    "unclear",
    "crash_acked",
    "crash_found",
    "crash_lost",
)
# Figures that fail the run when they are not zero.
MUST_BE_ZERO = (
    "lost",
    "crash_lost",
    "duplicates",
    "leaks",
    "bad_accepted",
    "half_erased",
    "gave_up",
    "unclear",
)


def figures_line(figures):
    """One line ``LOAD key=value ...`` with every figure of FIGURES."""
    missing = [key for key in FIGURES if key not in figures]
    if missing:
        raise KeyError(f"figures missing: {', '.join(missing)}")
    values = " ".join(
        f"{key}={'-' if figures[key] is None else figures[key]}" for key in FIGURES
    )
    return f"LOAD {values}"


def failed_figures(figures):
    """The figures that make the run fail."""
    return [key for key in MUST_BE_ZERO if figures.get(key)]


def windows(finished, latencies, start, end, count):
    """The run from ``start`` to ``end`` cut into ``count`` windows of equal
    length: (requests per second, p95 ms or None, requests) of the requests
    that ended in each."""
    width = (end - start) / count
    buckets = [[] for _ in range(count)]
    for moment, seconds in zip(finished, latencies, strict=True):
        if start <= moment < end:
            buckets[min(count - 1, int((moment - start) / width))].append(seconds)
    result = []
    for bucket in buckets:
        p95 = percentile(bucket, 95)
        result.append(
            (
                round(len(bucket) / width, 1),
                None if p95 is None else round(p95 * 1000),
                len(bucket),
            )
        )
    return result


# Fewer requests than this make no p95: with 20 the nearest rank leaves out
# the slowest one, with fewer it is the slowest.
MIN_P95_REQUESTS = 20


def rate_within(windows_, limit_ms, min_requests=MIN_P95_REQUESTS):
    """The highest rate of the windows of at least ``min_requests`` requests
    whose p95 stayed below ``limit_ms``; None when none did."""
    rates = [
        rate
        for rate, p95, requests in windows_
        if requests >= min_requests and p95 is not None and p95 < limit_ms
    ]
    return max(rates) if rates else None


def ratio(replica, primary):
    """``replica / primary`` to two places; None when either is missing or
    the primary's figure is zero."""
    if replica is None or primary in (None, 0):
        return None
    return round(replica / primary, 2)
