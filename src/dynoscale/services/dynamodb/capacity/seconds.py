"""Per-second consumption of the last few simulated minutes, per table or GSI and direction: what
the dashboard draws next to the per-minute CloudWatch series (CloudWatch has no AWS/DynamoDB
metric finer than a minute, so this stays inside Dynoscale and is never published).

Each series is a ring of WINDOW one-second slots, reused in place: a request adds its units (or
throttle events) to the slot of its second, first clearing the slot when it still holds an older
second. Nothing is allocated per request; a series costs a fixed few KB and is dropped by `prune`
(the per-minute metrics job) once it has been idle for a whole window. Seconds are whole seconds
of simulated time (`int(now)`), so a manual clock puts everything done between two advances in
one second, as the token buckets see it.
"""

from __future__ import annotations

from typing import Optional

WINDOW = 300  # seconds kept: the last five simulated minutes


class Ring:
    """One series: slot i holds second `stamps[i]` (a second s lives in slot s % WINDOW)."""
    __slots__ = ("stamps", "consumed", "throttled", "rate", "last")

    def __init__(self) -> None:
        self.stamps = [-1] * WINDOW
        self.consumed = [0.0] * WINDOW
        self.throttled = [0] * WINDOW
        self.rate: list[Optional[float]] = [None] * WINDOW  # the limit in force that second
        self.last = -1  # the newest second written

    def _slot(self, second: int) -> int:
        i = second % WINDOW
        if self.stamps[i] != second:
            self.stamps[i] = second
            self.consumed[i] = 0.0
            self.throttled[i] = 0
            if second > self.last:
                self.last = second
        return i

    def add(self, now: float, units: float, rate: Optional[float]) -> None:
        i = self._slot(int(now))
        self.consumed[i] += units
        self.rate[i] = rate

    def throttle(self, now: float, count: int, rate: Optional[float]) -> None:
        i = self._slot(int(now))
        self.throttled[i] += count
        self.rate[i] = rate

    def window(self, start: int, end: int) -> tuple[list, list, list]:
        """consumed units, throttle events and rate for each second in [start, end): None / 0 /
        None for a second without requests (or older than the ring)."""
        consumed, throttled, rate = [], [], []
        for second in range(start, end):
            i = second % WINDOW
            if self.stamps[i] == second:
                consumed.append(self.consumed[i])
                throttled.append(self.throttled[i])
                rate.append(self.rate[i])
            else:
                consumed.append(None)
                throttled.append(0)
                rate.append(None)
        return consumed, throttled, rate


class RecentSeconds:
    """(account, region, table name, GSI name or "", direction) -> Ring. Keyed by name, as
    CloudWatch keys its series (TableName, GlobalSecondaryIndexName), so the per-second and
    per-minute charts of a table always show the same requests."""

    def __init__(self) -> None:
        self.rings: dict[tuple[str, str, str, str, str], Ring] = {}

    def ring(self, key: tuple[str, str, str, str, str]) -> Ring:
        ring = self.rings.get(key)
        if ring is None:
            ring = self.rings[key] = Ring()
        return ring

    def series(self, key: tuple[str, str, str, str, str], start: int, end: int
               ) -> tuple[list, list, list]:
        ring = self.rings.get(key)
        if ring is None:
            n = end - start
            return [None] * n, [0] * n, [None] * n
        return ring.window(start, end)

    def prune(self, now: float) -> None:
        """Forget series idle for a whole window (their every slot is out of any window)."""
        oldest = int(now) - WINDOW
        for key in [k for k, r in self.rings.items() if r.last < oldest]:
            del self.rings[key]
