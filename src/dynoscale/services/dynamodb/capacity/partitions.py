"""The partitions of one table or GSI: which partition a key
hashes to, each partition's per-second maximum, how many partitions the table needs, and
split-for-heat.

Facts (AWS):
- Each partition serves at most 3,000 read units and 1,000 write units per second and holds about
  10 GB; reads and writes are limited independently; a hot partition is throttled "even when
  your table or GSI has sufficient overall capacity", with the `KeyRangeThroughputExceeded`
  reason (Developer Guide, "Key range throughput exceeded (hot partitions)",
  throttling-key-range-limit-exceeded-mitigation.html; "Burst and adaptive capacity"). Burst
  capacity "can't alleviate partition-level throttling" (AWS Knowledge Center,
  dynamodb-spiky-workloads-short-intervals).
- Partitions are added when a provisioned table is given more throughput than ever before, when
  an on-demand table reaches a new peak, when a partition nears 10 GB, and when a partition
  receives traffic near its limit (split for heat); they are "only split, never merged" (AWS
  Database Blog, "Scaling DynamoDB: How partitions, hot keys, and split for heat impact
  performance", Part 3).
- Adaptive capacity is instant (AWS What's New, May 2019, "Amazon DynamoDB adaptive capacity is
  now instant"): a hot partition may use the table's unused throughput up to the partition
  maximum ("Burst and adaptive capacity"). So a partition here is held only to its own maximum;
  the table's token bucket (limiter.py) holds the table to its total, burst included. Inferred:
  the table's burst is pooled, which can never push one partition past its per-second maximum
  because the partition check comes after it.

Partitions are stretches of the partition-key hash space (partitions.py at the package root, the
hash that orders Scan): the first 24 bits of the salted MD5, so routing is one bisect.

Counts (inferred from AWS's published sizing rule of thumb, "partitions = max(RCU / 3,000 +
WCU / 1,000, size / 10 GB)", Developer Guide bp-partition-key-design in its 2018 revision): from
the highest throughput ever provisioned (warm throughput), for on-demand tables from the units
they can instantly serve, and from size. A table starting with N partitions has N equal
stretches; growing splits the widest stretches in half.

Split for heat (inferred timing, marked): a partition whose average load over a minute is at
least HOT_FRACTION of its maximum, or that throttled in that minute, for SPLIT_MINUTES
consecutive minutes, is split at the heat-weighted mean hash of the keys it served, provided the
heat came from more than one key (a single key is never split: AWS "can't push a single key past
the partition ceiling"). The AWS blog's sustained single-key tests (Part 2) show the table
adapting over minutes; "within minutes" is all AWS says, so SPLIT_MINUTES is a choice.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from typing import Optional

from dynoscale.services.dynamodb.capacity.bucket import TokenBucket

HASH_BITS = 24                       # partitions.PREFIX_BYTES * 8
HASH_SPACE = 1 << HASH_BITS
PARTITION_MAX = {"read": 3000.0, "write": 1000.0}
PARTITION_BYTES = 10 * 1024 ** 3
PARTITION_BURST_SECONDS = 1.0        # a partition's maximum is per second: no burst above it
SPLIT_MINUTES = 10                   # inferred: "within minutes" of sustained heat
HOT_FRACTION = 0.8                   # inferred: "traffic near its throughput capacity limit"


def required(read: float, write: float, size_bytes: int = 0) -> int:
    """Partitions needed for `read`/`write` units per second and `size_bytes` of data."""
    by_throughput = math.ceil(read / PARTITION_MAX["read"] + write / PARTITION_MAX["write"])
    by_size = math.ceil(size_bytes / PARTITION_BYTES)
    return max(1, by_throughput, by_size)


def hash_of(pk: bytes) -> int:
    """The 24-bit hash prefix storage keys begin with (partitions.partition_bytes)."""
    return (pk[0] << 16) | (pk[1] << 8) | pk[2]


class Partition:
    """One partition: its per-second maximum in each direction, and this minute's heat (load
    as a fraction of the maximum, summed over requests; its hash-weighted sum; the lowest and
    highest hash served; throttled requests)."""
    __slots__ = ("read_cap", "write_cap", "load", "weighted", "lo", "hi", "throttled",
                 "hot_minutes")

    def __init__(self, now: float, hot_minutes: int = 0):
        self.read_cap = TokenBucket.full(PARTITION_MAX["read"], now, PARTITION_BURST_SECONDS)
        self.write_cap = TokenBucket.full(PARTITION_MAX["write"], now, PARTITION_BURST_SECONDS)
        self.hot_minutes = hot_minutes
        self.reset()

    def cap(self, direction: str) -> TokenBucket:
        return self.read_cap if direction == "read" else self.write_cap

    def reset(self) -> None:
        self.load = 0.0
        self.weighted = 0.0
        self.lo = HASH_SPACE
        self.hi = -1
        self.throttled = 0

    def served(self, direction: str, units: float, h: int) -> None:
        load = units / PARTITION_MAX[direction]
        self.load += load
        self.weighted += load * h
        if h < self.lo:
            self.lo = h
        if h > self.hi:
            self.hi = h


class PartitionMap:
    """The partitions of one table or GSI: `starts[i]` is partition i's first hash."""

    def __init__(self, starts: list[int], now: float, hot_minutes: Optional[list[int]] = None):
        self.starts = starts
        hot = hot_minutes if hot_minutes and len(hot_minutes) == len(starts) else [0] * len(starts)
        self.parts = [Partition(now, h) for h in hot]

    @classmethod
    def even(cls, count: int, now: float) -> "PartitionMap":
        return cls([HASH_SPACE * i // count for i in range(count)], now)

    def __len__(self) -> int:
        return len(self.starts)

    def route(self, pk: bytes) -> tuple[Partition, int]:
        h = (pk[0] << 16) | (pk[1] << 8) | pk[2]    # hash_of, inlined: once per request
        if len(self.starts) == 1:
            return self.parts[0], h
        return self.parts[bisect_right(self.starts, h) - 1], h

    # -- growth (never merged) -----------------------------------------------------------------
    def grow_to(self, count: int, now: float) -> bool:
        """Split the widest partitions in half until there are `count`; True if any split."""
        grew = False
        while len(self.starts) < count:
            widths = [self._end(i) - s for i, s in enumerate(self.starts)]
            i = widths.index(max(widths))
            if widths[i] < 2:
                break
            self._split(i, self.starts[i] + widths[i] // 2, now)
            grew = True
        return grew

    def _end(self, i: int) -> int:
        return self.starts[i + 1] if i + 1 < len(self.starts) else HASH_SPACE

    def _split(self, i: int, at: int, now: float) -> None:
        self.starts.insert(i + 1, at)
        self.parts[i].hot_minutes = 0
        self.parts.insert(i + 1, Partition(now))

    # -- split for heat, once a minute ---------------------------------------------------------
    def minute_passed(self, now: float, splittable: bool) -> bool:
        """Judge the minute's heat of each partition; split partitions hot for SPLIT_MINUTES
        in a row between the keys that heated them. True when the map changed."""
        changed = False
        for i in range(len(self.parts) - 1, -1, -1):
            part = self.parts[i]
            hot = part.throttled > 0 or part.load >= HOT_FRACTION * 60
            part.hot_minutes = part.hot_minutes + 1 if hot else 0
            if part.hot_minutes >= SPLIT_MINUTES and splittable and part.hi > part.lo:
                # the heat-weighted mean lies in (lo, hi]: both halves keep some of the heat
                at = max(part.lo + 1, min(part.hi, math.ceil(part.weighted / part.load)))
                self._split(i, at, now)
                changed = True
            part.reset()
        return changed

    # -- persistence (in the table record, next to the burst buckets) --------------------------
    def snapshot(self) -> dict:
        return {"starts": list(self.starts), "hot": [p.hot_minutes for p in self.parts]}

    @classmethod
    def restore(cls, data: dict, now: float) -> "PartitionMap":
        return cls(list(data["starts"]), now, list(data.get("hot") or []))
