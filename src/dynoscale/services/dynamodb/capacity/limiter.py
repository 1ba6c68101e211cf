"""Provisioned-throughput enforcement for data-plane requests: one read and one write TokenBucket
per provisioned table, plus the meter that feeds the metrics.

spec 2.1: a request is checked against its table's bucket before it runs; if throttled it
consumes nothing and counts one throttle event and one throttled request (4.0.2); otherwise it
runs and is charged its actual units. PAY_PER_REQUEST tables are not throttled (2.1.9). Buckets
live in memory; their state is snapshotted into the table record each minute (metrics.py) and
restored from there after a restart.
"""

from __future__ import annotations

from dynoscale.clock import Clock
from dynoscale.context import Caller
from dynoscale.services.dynamodb import errors
from dynoscale.services.dynamodb.capacity.bucket import TokenBucket
from dynoscale.services.dynamodb.capacity.meter import Meter


class Limiter:
    def __init__(self, clock: Clock, meter: Meter):
        self.clock = clock
        self.meter = meter
        self.buckets: dict[tuple[str, str], TokenBucket] = {}  # (table id, read|write)

    def bucket(self, table: dict, direction: str) -> TokenBucket:
        key = (table["id"], direction)
        bucket = self.buckets.get(key)
        if bucket is None:
            saved = (table.get("buckets") or {}).get(direction)
            rate = table[direction]
            if saved:
                bucket = TokenBucket.restore(saved)
                if bucket.rate != rate:
                    bucket.set_rate(rate, self.clock.now())
            else:
                bucket = TokenBucket.full(rate, self.clock.now())
            self.buckets[key] = bucket
        return bucket

    def admit(self, caller: Caller, table: dict, direction: str, operation: str) -> None:
        if table["billing_mode"] != "PROVISIONED":
            return
        now = self.clock.now()
        if not self.bucket(table, direction).admits(now):
            self.meter.throttled(caller.account_id, caller.region, table["name"], direction,
                                 operation, now)
            raise errors.throughput_exceeded()

    def charge(self, caller: Caller, table: dict, direction: str, units: float) -> None:
        now = self.clock.now()
        if table["billing_mode"] == "PROVISIONED":
            self.bucket(table, direction).debit(units, now)
        self.meter.consumed(caller.account_id, caller.region, table["name"], direction, units, now)

    def rate_changed(self, table: dict) -> None:
        """A throughput change became effective (ACTIVE): refill at the new rates from now on."""
        now = self.clock.now()
        for direction in ("read", "write"):
            bucket = self.buckets.get((table["id"], direction))
            if bucket is None:
                saved = (table.get("buckets") or {}).get(direction)
                if not saved:
                    continue
                bucket = self.buckets[(table["id"], direction)] = TokenBucket.restore(saved)
            bucket.set_rate(table[direction], now)

    def snapshot(self, table: dict) -> dict:
        out = dict(table.get("buckets") or {})
        for direction in ("read", "write"):
            bucket = self.buckets.get((table["id"], direction))
            if bucket is not None:
                bucket.refill(self.clock.now())
                out[direction] = bucket.snapshot()
        return out

    def forget(self, table_id: str) -> None:
        for direction in ("read", "write"):
            self.buckets.pop((table_id, direction), None)
