"""The partitions of one table or GSI: which partition a key hashes to, what each partition may
serve, how many partitions the table needs, adaptive capacity and split for heat.

Facts (AWS):
- Each partition serves at most 3,000 read units and 1,000 write units per second and holds about
  10 GB; reads and writes are limited independently; a hot partition is throttled "even when your
  table or GSI has sufficient overall capacity", with the `KeyRangeThroughputExceeded` reason
  (Developer Guide, throttling-key-range-limit-exceeded-mitigation.html; burst-adaptive-capacity
  .html). Burst capacity "can't alleviate partition-level throttling" (AWS Knowledge Center,
  dynamodb-spiky-workloads-short-intervals).
- Partitions are added when a provisioned table is given more throughput than ever before, when an
  on-demand table reaches a new peak, when a partition nears 10 GB, and when a partition receives
  traffic near its limit (split for heat); they are "only split, never merged" (AWS Database Blog,
  "Scaling DynamoDB: How partitions, hot keys, and split for heat impact performance", Part 3).
- A table's throughput is divided over its partitions; adaptive capacity lets a hot partition use
  more of it, "provided that traffic does not exceed your table's total provisioned capacity or
  the partition maximum capacity" (burst-adaptive-capacity.html), and it is instant (AWS What's
  New, May 2019, "Amazon DynamoDB adaptive capacity is now instant").

The model (each partition, each direction, a TokenBucket like the table's, bucket.py):
- it refills at the partition maximum and saves up to 300 s of it, but never more than the table's
  own bucket holds ("burst capacity is per partition"; a partition's saved capacity is its own,
  and can't be more than the table has saved);
- adaptive capacity being instant, nothing else divides the table's rate between partitions: the
  table's bucket (limiter.py) holds the table to its total, a partition's to its maximum, so a hot
  key gets up to 1,000 WCU / 3,000 RCU per second of the table's capacity at once and is held
  there while other keys proceed;
- like the table's bucket, a partition's admits a request while out of debt (spec 2.1.2), so an
  instantaneous burst is bounded by the partition's saved capacity; over any span its rate never
  exceeds the partition maximum plus what it saved (inferred: AWS documents the limit per second
  and the burst per table; a one-second bucket would refuse the single-instant bursts of saved
  table capacity the manual clock produces, which spec 2.1.2 admits);
- one partition (every table whose throughput and size fit one) is the table: its rate is at most
  the partition maximum, so the table's bucket is the tighter one and such tables behave exactly
  as without partitions (the limiter skips the partition check).

Partitions are stretches of the partition-key hash space (partitions.py at the package root, the
hash that orders Scan): the first 24 bits of the salted MD5, so routing is one bisect.

Counts (AWS's published sizing rule, "number of partitions = max(RCU / 3,000 + WCU / 1,000,
size / 10 GB)", Developer Guide GuidelinesForTables "Understand partition behavior", 2017-2018
revisions; inferred to hold today): from the highest throughput ever provisioned (the warm
throughput), for on-demand tables from what they can serve now, and from size. A table starting
with N partitions has N equal stretches; growing splits the widest stretches in half.

Split for heat (inferred timing): a partition whose load over a minute is at least HOT_FRACTION of
its maximum, or that throttled in that minute, for SPLIT_MINUTES consecutive minutes, is split at
the heat-weighted mean hash of the keys it served, provided the heat came from more than one key
(a single key is never split: adaptive capacity "can't push a single key past the partition
ceiling"). AWS says only that tables adapt after sustained traffic (blog Part 2: "the adaptive
behavior of DynamoDB during sustained activity"), so SPLIT_MINUTES is a choice.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from typing import Optional

from dynoscale.services.dynamodb.capacity.bucket import BURST_SECONDS, TokenBucket

HASH_BITS = 24                       # partitions.PREFIX_BYTES * 8
HASH_SPACE = 1 << HASH_BITS
PARTITION_MAX = {"read": 3000.0, "write": 1000.0}
PARTITION_BYTES = 10 * 1024 ** 3
SPLIT_MINUTES = 10                   # inferred: sustained heat, "within minutes"
HOT_FRACTION = 0.8                   # inferred: "traffic near its throughput capacity limit"


def required(read: float, write: float, size_bytes: int = 0) -> int:
    """Partitions needed for `read`/`write` units per second and `size_bytes` of data."""
    by_throughput = math.ceil(read / PARTITION_MAX["read"] + write / PARTITION_MAX["write"])
    by_size = math.ceil(size_bytes / PARTITION_BYTES)
    return max(1, by_throughput, by_size)


class Partition:
    """One partition: its bucket in each direction, and this minute's heat (load as a fraction
    of the maximum, summed over requests; its hash-weighted sum; the lowest and highest hash
    served; throttled requests)."""
    __slots__ = ("read", "write", "load", "weighted", "lo", "hi", "throttled", "hot_minutes")

    def __init__(self, read: TokenBucket, write: TokenBucket, hot_minutes: int = 0):
        self.read = read
        self.write = write
        self.hot_minutes = hot_minutes
        self.reset()

    def bucket(self, direction: str) -> TokenBucket:
        return self.read if direction == "read" else self.write

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
    """The partitions of one table or GSI: `starts[i]` is partition i's first hash; `burst`
    the seconds of its maximum a partition saves, per direction."""

    def __init__(self, starts: list[int], parts: list[Partition], burst: dict):
        self.starts = starts
        self.parts = parts
        self.burst = dict(burst)

    @classmethod
    def even(cls, count: int, table_capacity: dict, now: float) -> "PartitionMap":
        pmap = cls([HASH_SPACE * i // count for i in range(count)], [],
                   burst_seconds(table_capacity))
        pmap.parts = [pmap._new_part(now) for _ in range(count)]
        return pmap

    def __len__(self) -> int:
        return len(self.starts)

    def _new_part(self, now: float) -> Partition:
        return Partition(TokenBucket.full(PARTITION_MAX["read"], now, self.burst["read"]),
                         TokenBucket.full(PARTITION_MAX["write"], now, self.burst["write"]))

    def route(self, pk: bytes) -> tuple[Partition, int]:
        h = (pk[0] << 16) | (pk[1] << 8) | pk[2]    # the 24-bit hash prefix of the stored key
        if len(self.starts) == 1:
            return self.parts[0], h
        return self.parts[bisect_right(self.starts, h) - 1], h

    # -- the table's capacity, growth (never merged) -------------------------------------------
    def set_table_capacity(self, table_capacity: dict, now: float) -> None:
        """The table's bucket changed size: so does what a partition may save."""
        self.burst = burst_seconds(table_capacity)
        for direction in ("read", "write"):
            for part in self.parts:
                bucket = part.bucket(direction)
                if bucket.burst != self.burst[direction]:
                    bucket.set_rate(PARTITION_MAX[direction], now, self.burst[direction])

    def grow_to(self, count: int, now: float) -> bool:
        """Split the widest partitions in half until there are `count`; True if any split."""
        grew = False
        while len(self.starts) < count:
            widths = [self._end(i) - s for i, s in enumerate(self.starts)]
            i = widths.index(max(widths))
            if widths[i] < 2:
                break
            self._split(i, self.starts[i] + widths[i] // 2)
            grew = True
        return grew

    def _end(self, i: int) -> int:
        return self.starts[i + 1] if i + 1 < len(self.starts) else HASH_SPACE

    def _split(self, i: int, at: int) -> None:
        """Partition i becomes [start, at) and [at, end); both halves start from its saved
        capacity (inferred: AWS does not say; a new partition is a copy of the old one's data,
        served by its own nodes)."""
        old = self.parts[i]
        old.hot_minutes = 0
        twin = Partition(TokenBucket(*old.read.snapshot()), TokenBucket(*old.write.snapshot()))
        self.starts.insert(i + 1, at)
        self.parts.insert(i + 1, twin)

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
                self._split(i, at)
                changed = True
            part.reset()
        return changed

    # -- persistence (in the table record, next to the burst buckets) --------------------------
    def snapshot(self, now: float) -> dict:
        for part in self.parts:
            part.read.refill(now)
            part.write.refill(now)
        return {"starts": list(self.starts), "burst": self.burst,
                "parts": [[p.read.snapshot(), p.write.snapshot(), p.hot_minutes]
                          for p in self.parts]}

    @classmethod
    def restore(cls, data: dict) -> "PartitionMap":
        parts = [Partition(TokenBucket.restore(r), TokenBucket.restore(w), hot)
                 for r, w, hot in data["parts"]]
        return cls(list(data["starts"]), parts, data["burst"])


def burst_seconds(table_capacity: dict) -> dict:
    """Seconds of its maximum a partition saves: 300, or less when the table's bucket holds less
    (`table_capacity`: units per direction; inf when the table is not limited)."""
    return {d: max(1e-9, min(BURST_SECONDS, table_capacity[d] / PARTITION_MAX[d]))
            for d in ("read", "write")}
