"""Per-minute counters of what requests consumed, were throttled for, and took: the raw material of
the AWS/DynamoDB metrics (spec 4.0.2, 4.0.7).

Kept in memory per (account, region, minute start); metrics.py drains finished minutes. Each
request adds ONE sample to the consumed series (SampleCount = requests, Sum = units, Min/Max per
request), a throttled request adds nothing there and +1 to the throttle counters instead.
A clean shutdown keeps the minutes not yet published (`snapshot`, capacity/carry.py) and the
next start merges them back (`restore`); a crash loses them (docs/architecture.md, Durability).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Optional


@dataclass
class Stat:
    """A CloudWatch statistic set being accumulated."""
    count: float = 0.0
    total: float = 0.0
    low: float = float("inf")
    high: float = float("-inf")

    def add(self, value: float) -> None:
        self.count += 1
        self.total += value
        self.low = min(self.low, value)
        self.high = max(self.high, value)

    def point(self, ts: float) -> tuple[float, float, float, float, float]:
        return (ts, self.count, self.total, self.low, self.high)


@dataclass
class Minute:
    """One minute of one account+region: series name -> (dimensions, unit, Stat); `calls`:
    operation name -> calls received (AWS/Usage CallCount, metrics.py), filled in by drain."""
    series: dict = field(default_factory=dict)
    calls: dict = field(default_factory=dict)

    def stat(self, metric: str, dims: tuple[tuple[str, str], ...], unit: str) -> Stat:
        key = (metric, dims)
        if key not in self.series:
            self.series[key] = (unit, Stat())
        return self.series[key][1]


# ThrottlingReason LimitType -> the middle of its CloudWatch metric's name (metrics-dimensions.html)
CAUSE_METRIC = {"ProvisionedThroughputExceeded": "ProvisionedThroughputThrottleEvents",
                "KeyRangeThroughputExceeded": "KeyRangeThroughputThrottleEvents",
                "AccountLimitExceeded": "AccountLimitThrottleEvents",
                "MaxOnDemandThroughputExceeded": "MaxOnDemandThroughputThrottleEvents"}


class Meter:
    def __init__(self) -> None:
        # (account, region, minute start) -> Minute
        self.minutes: dict[tuple[str, str, float], Minute] = defaultdict(Minute)
        # (account, region, minute start, operation) -> calls: kept apart from `minutes` so a
        # call costs one dict increment (called)
        self.calls: dict[tuple[str, str, float, str], int] = defaultdict(int)

    def _minute(self, account: str, region: str, now: float) -> Minute:
        return self.minutes[(account, region, now // 60 * 60)]

    @staticmethod
    def _dims(table: str, index: Optional[str]) -> tuple:
        """TableName, plus GlobalSecondaryIndexName for a GSI's own series (spec 4.0.2)."""
        if index:
            return (("TableName", table), ("GlobalSecondaryIndexName", index))
        return (("TableName", table),)

    def consumed(self, account: str, region: str, table: str, direction: str, units: float,
                 now: float, index: Optional[str] = None) -> None:
        metric = "ConsumedReadCapacityUnits" if direction == "read" else "ConsumedWriteCapacityUnits"
        self._minute(account, region, now).stat(metric, self._dims(table, index), "Count").add(units)

    def throttle_events(self, account: str, region: str, table: str, direction: str, count: int,
                        now: float, index: Optional[str] = None,
                        kind: str = "ProvisionedThroughputExceeded") -> None:
        """+1 Read/WriteThrottleEvents per throttled event: per item of a batch, per table or GSI
        of a write (4.0.2: a PutItem on a table with 3 GSIs is up to 4 events); and +1 on the
        metric of the throttling reason's LimitType, same dimensions and unit (metrics-dimensions
        .html: Read/Write{ProvisionedThroughput,KeyRangeThroughput,AccountLimit,
        MaxOnDemandThroughput}ThrottleEvents, "the number of read requests throttled due to
        ...", TableName and GlobalSecondaryIndexName)."""
        minute = self._minute(account, region, now)
        dims = self._dims(table, index)
        prefix = "Read" if direction == "read" else "Write"
        for metric in (prefix + "ThrottleEvents", prefix + CAUSE_METRIC[kind]):
            stat = minute.stat(metric, dims, "Count")
            for _ in range(count):
                stat.add(1)

    def throttled_request(self, account: str, region: str, table: str, operation: str,
                          now: float) -> None:
        """+1 ThrottledRequests; for BatchGetItem/BatchWriteItem only when every item was
        throttled (4.0.2)."""
        self._minute(account, region, now).stat(
            "ThrottledRequests", (("TableName", table), ("Operation", operation)), "Count").add(1)

    def latency(self, account: str, region: str, table: str, operation_dims: tuple,
                millis: float, now: float) -> None:
        """`operation_dims`: Operation, and Verb or OperationType for PartiQL
        (request_series.py)."""
        self._minute(account, region, now).stat(
            "SuccessfulRequestLatency", (("TableName", table),) + operation_dims,
            "Milliseconds").add(millis)

    def called(self, account: str, region: str, operation: str, now: float) -> None:
        """One call of `operation` (every call the operation receives, answered or refused): a
        dict increment, the whole per-request cost of AWS/Usage CallCount."""
        self.calls[(account, region, now // 60 * 60, operation)] += 1

    def user_error(self, account: str, region: str, now: float) -> None:
        self._minute(account, region, now).stat("UserErrors", (), "Count").add(1)

    def system_error(self, account: str, region: str, table: str, operation_dims: tuple,
                     now: float) -> None:
        """HTTP 500s, per TableName + Operation (4.0.2)."""
        self._minute(account, region, now).stat(
            "SystemErrors", (("TableName", table),) + operation_dims, "Count").add(1)

    def conditional_check_failed(self, account: str, region: str, table: str, now: float) -> None:
        """+1 per failed condition of PutItem/UpdateItem/DeleteItem, per TableName (4.0.2)."""
        self._minute(account, region, now).stat(
            "ConditionalCheckFailedRequests", (("TableName", table),), "Count").add(1)

    def returned_items(self, account: str, region: str, table: str, operation_dims: tuple,
                       count: int, now: float) -> None:
        """Query/Scan/PartiQL SELECT: the items returned (post-filter Count), one sample per
        request (4.0.2)."""
        self._minute(account, region, now).stat(
            "ReturnedItemCount", (("TableName", table),) + operation_dims, "Count").add(count)

    def snapshot(self) -> dict:
        """Every minute held (unfinished, or finished and not yet published), as JSON data."""
        minutes = [[account, region, ts,
                    [[metric, [list(d) for d in dims], unit,
                      [stat.count, stat.total, stat.low, stat.high]]
                     for (metric, dims), (unit, stat) in minute.series.items()]]
                   for (account, region, ts), minute in self.minutes.items() if minute.series]
        calls = [[account, region, ts, operation, n]
                 for (account, region, ts, operation), n in self.calls.items()]
        return {"minutes": minutes, "calls": calls}

    def restore(self, data: dict) -> None:
        """Merge a snapshot back in (the same minute's later requests add to it)."""
        for account, region, ts, series in data.get("minutes", []):
            minute = self.minutes[(account, region, ts)]
            for metric, dims, unit, (count, total, low, high) in series:
                stat = minute.stat(metric, tuple(tuple(d) for d in dims), unit)
                stat.count += count
                stat.total += total
                stat.low = min(stat.low, low)
                stat.high = max(stat.high, high)
        for account, region, ts, operation, n in data.get("calls", []):
            self.calls[(account, region, ts, operation)] += n

    def drain(self, before: float) -> list[tuple[str, str, float, Minute]]:
        """Remove and return every minute that started before `before`."""
        for key in [k for k in self.calls if k[2] < before]:
            account, region, ts, operation = key
            self.minutes[(account, region, ts)].calls[operation] = self.calls.pop(key)
        done = sorted(k for k in self.minutes if k[2] < before)
        return [(a, r, ts, self.minutes.pop((a, r, ts))) for a, r, ts in done]
