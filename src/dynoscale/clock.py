"""The one clock, and the scheduler that runs everything timed.

Rule 1: this is the only module that reads wall time or sleeps (docs/architecture.md, Rules).
Everything else asks `Clock.now()` for simulated epoch seconds, and registers timed work with `Scheduler`.

Modes:
- real:   simulated time = wall time.
- scaled: simulated time runs `time_scale` times faster than wall time (`--time-scale K`).
- manual: time moves only through `Scheduler.advance(seconds)` (admin endpoint), for
          deterministic tests.

Rule 2: jobs run one at a time, in due-time order (ties broken by priority, from the one table
`Priority`, then registration order). While a job runs, `now()` reports the job's due time, so
metric periods and timestamps land exactly on boundaries whatever the mode. Nothing here is
durable: services re-arm their jobs from stored state when they start.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import logging
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from typing import Callable, Optional

log = logging.getLogger("dynoscale.clock")

MODES = ("real", "scaled", "manual")
_HTTP_DATE: list = [0, b""]  # (second, its rendering): Clock.http_date


class Clock:
    """Simulated time in epoch seconds (float)."""

    def __init__(self, mode: str = "real", time_scale: float = 1.0, start: Optional[float] = None):
        if mode not in MODES:
            raise ValueError(f"unknown clock mode {mode!r}")
        if mode == "scaled" and time_scale <= 0:
            raise ValueError("time scale must be positive")
        self.mode = mode
        self.time_scale = float(time_scale) if mode == "scaled" else 1.0
        wall = time.time()
        self._origin_wall = time.monotonic()
        self._origin_sim = max(wall, start or 0.0)
        self._manual_now = self._origin_sim
        self._pinned: Optional[float] = None  # set while a scheduled job runs

    # -- reading time ---------------------------------------------------------------------
    def now(self) -> float:
        if self._pinned is not None:
            return self._pinned
        return self._free_now()

    def _free_now(self) -> float:
        if self.mode == "manual":
            return self._manual_now
        elapsed = time.monotonic() - self._origin_wall
        # Millisecond precision, as AWS's timestamps have (e.g. CreationDateTime 1558028402.69).
        return round(self._origin_sim + elapsed * self.time_scale, 3)

    @staticmethod
    def wall_now() -> float:
        """Wall time, for the few things that must not be simulated (SigV4 request dates)."""
        return time.time()

    @staticmethod
    def http_date() -> bytes:
        """The `Date` header of an HTTP answer: wall time, not simulated (SDKs compare it with
        their own clock to correct skew, e.g. the AWS SDK for JavaScript v3), as RFC 9110's
        IMF-fixdate, rendered once per second."""
        now = int(time.time())
        if now != _HTTP_DATE[0]:
            _HTTP_DATE[0] = now
            _HTTP_DATE[1] = formatdate(now, usegmt=True).encode()
        return _HTTP_DATE[1]

    @staticmethod
    def wall_sleep(seconds: float) -> None:
        """Block for `seconds` of wall time: command-line tools that poll a running server
        (`dynoscale streams tail`), never the server itself."""
        time.sleep(seconds)

    @staticmethod
    def wall_elapsed() -> float:
        """A monotonic wall-clock reading in seconds, for measuring how long something took
        (request latency in the request log, start-up deadlines of tools), never for simulated
        time."""
        return time.perf_counter()

    # -- wall time for the server's own protection ----------------------------------------------
    # The HTTP server's timeouts (idle, header and body read, shutdown drain: server/http.py) are
    # deliberately wall time, not simulated time: they protect the process (its descriptors,
    # memory and the clients it serves) from clients that are slow or hostile in real seconds.
    # A manual clock that never moves, or one scaled 1000x, must neither keep a slowloris
    # connection open forever nor drop a real client after a few milliseconds.
    @staticmethod
    def wall_monotonic() -> float:
        """A monotonic wall-clock reading in seconds (never simulated): deadlines of the HTTP
        server's timeouts."""
        return time.monotonic()

    @staticmethod
    async def wall_pause(seconds: float) -> None:
        """Wait `seconds` of wall time without blocking the event loop (the HTTP server's
        timeout sweep)."""
        await asyncio.sleep(seconds)

    @staticmethod
    async def wall_wait_for(awaitable, seconds: float) -> bool:
        """Wait for `awaitable` at most `seconds` of wall time (a shutdown drain): True if it
        finished in time. It is cancelled otherwise."""
        try:
            await asyncio.wait_for(awaitable, seconds)
            return True
        except asyncio.TimeoutError:
            return False

    def sim_to_wall_delay(self, sim_seconds: float) -> float:
        """How long to wait in wall seconds until `sim_seconds` of simulated time have passed."""
        return max(0.0, sim_seconds / self.time_scale)

    # -- moving time (manual mode, and the scheduler) ----------------------------------------
    def _set_manual(self, when: float) -> None:
        if when > self._manual_now:
            self._manual_now = when

    def _pin(self, when: Optional[float]) -> None:
        self._pinned = when


class Priority:
    """Every job priority, in one table: jobs due at the same instant run lowest number first.
    Many jobs fall on the same minute boundary, and some read what others write."""

    # The finished minute's DynamoDB datapoints are stored before anything reads metrics.
    DYNAMODB_METRICS = 10
    # Alarms are evaluated after DYNAMODB_METRICS, so they see the minute just published.
    ALARM_EVALUATION = 20
    # A table or index whose CREATING/UPDATING time is over turns ACTIVE before AUTOSCALING_POLL,
    # so a poll due at that instant sees the change fulfilled rather than waiting one more poll.
    TABLE_STATUS = 20
    # Autoscaling acts on an alarm in its own job after ALARM_EVALUATION has finished with every
    # alarm (the alarm action is called from inside that evaluation).
    ALARM_SCALING = 30
    # ItemCount/TableSizeBytes: nothing at the same instant reads them, so their place only has
    # to be fixed (after the minute's metrics and alarms).
    DYNAMODB_STATS = 30
    # A scheduled action's new min/max applies after ALARM_SCALING at the same instant, and
    # clamps the capacity that scaling chose.
    SCHEDULED_ACTION = 35
    # Polling DynamoDB for a scaling activity's completion comes after TABLE_STATUS (see there)
    # and after the scaling jobs that may have started the activity.
    AUTOSCALING_POLL = 40
    # The TTL sweep runs mid-minute (ttl.SWEEP_OFFSET), when no other periodic job is due; were
    # it moved onto a boundary, it would still come after DYNAMODB_METRICS and ALARM_EVALUATION.
    TTL_SWEEP = 40
    # Stream shards roll over and are trimmed after the writes of the instant's other jobs
    # (TTL_SWEEP deletes write stream records), so those records land in the closing shard.
    STREAM_MAINTENANCE = 45
    # Jobs with no order to keep.
    DEFAULT = 50
    # The simulated time is saved after every other job of the instant has run.
    CLOCK_SAVE = 99


@dataclass(order=True)
class _Job:
    when: float
    priority: int
    seq: int
    fn: Callable[[], None] = field(compare=False)
    key: Optional[str] = field(compare=False, default=None)
    cancelled: bool = field(compare=False, default=False)


class Scheduler:
    """Timed jobs on the clock.

    `call_at(when, fn, key)` runs `fn()` once at simulated time `when`; a job registered with a
    key replaces any earlier job with that key. `every(period, fn, key)` runs `fn()` at each
    multiple of `period` (epoch-aligned) plus `offset`.
    """

    def __init__(self, clock: Clock):
        self.clock = clock
        self._heap: list[_Job] = []
        self._by_key: dict[str, _Job] = {}
        self._seq = itertools.count()
        self._wake: Optional[asyncio.Event] = None
        self._running = False

    # -- registration ------------------------------------------------------------------------
    def call_at(self, when: float, fn: Callable[[], None], key: Optional[str] = None,
                priority: int = Priority.DEFAULT) -> None:
        if key is not None:
            self.cancel(key)
        job = _Job(when, priority, next(self._seq), fn, key)
        heapq.heappush(self._heap, job)
        if key is not None:
            self._by_key[key] = job
        if self._wake is not None:
            self._wake.set()

    def every(self, period: float, fn: Callable[[], None], key: str, offset: float = 0.0,
              priority: int = Priority.DEFAULT) -> None:
        """Run `fn` at every epoch-aligned multiple of `period` (+ offset), from the next one."""

        def next_due(after: float) -> float:
            return (after - offset) // period * period + period + offset

        def tick() -> None:
            due = self.clock.now()
            try:
                fn()
            finally:
                self.call_at(next_due(due), tick, key, priority)

        self.call_at(next_due(self.clock.now()), tick, key, priority)

    def cancel(self, key: str) -> None:
        job = self._by_key.pop(key, None)
        if job is not None:
            job.cancelled = True

    def clear(self) -> None:
        """Cancel every job (admin reset)."""
        for job in self._heap:
            job.cancelled = True
        self._heap.clear()
        self._by_key.clear()

    # -- running -----------------------------------------------------------------------------
    def _next_job(self) -> Optional[_Job]:
        while self._heap and self._heap[0].cancelled:
            heapq.heappop(self._heap)
        return self._heap[0] if self._heap else None

    def _run(self, job: _Job) -> None:
        heapq.heappop(self._heap)
        if job.key is not None and self._by_key.get(job.key) is job:
            del self._by_key[job.key]
        self.clock._pin(job.when)
        try:
            job.fn()
        except Exception:  # a failing job must not stop time
            log.exception("scheduled job %s failed", job.key or job.fn)
        finally:
            self.clock._pin(None)

    def run_due(self) -> int:
        """Run every job due at or before the current time. Returns how many ran."""
        ran = 0
        while True:
            job = self._next_job()
            if job is None or job.when > self.clock._free_now():
                return ran
            self._run(job)
            ran += 1

    def advance(self, seconds: float) -> int:
        """Manual mode: move time forward, running every job that falls due on the way."""
        if self.clock.mode != "manual":
            raise RuntimeError("time can only be advanced in manual mode")
        target = self.clock._manual_now + max(0.0, seconds)
        ran = 0
        while True:
            job = self._next_job()
            if job is None or job.when > target:
                break
            self.clock._set_manual(job.when)
            self._run(job)
            ran += 1
        self.clock._set_manual(target)
        return ran

    async def run_forever(self) -> None:
        """Real and scaled modes: sleep until the next job is due, run it, repeat."""
        self._wake = asyncio.Event()
        self._running = True
        while self._running:
            self.run_due()
            job = self._next_job()
            timeout = None
            if job is not None:
                timeout = self.clock.sim_to_wall_delay(job.when - self.clock._free_now())
            if self.clock.mode == "manual":
                timeout = None  # manual time moves only through advance()
            self._wake.clear()
            try:
                await asyncio.wait_for(self._wake.wait(), timeout)
            except asyncio.TimeoutError:
                pass

    def stop(self) -> None:
        self._running = False
        if self._wake is not None:
            self._wake.set()
