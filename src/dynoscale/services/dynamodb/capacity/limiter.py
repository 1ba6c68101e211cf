"""Throughput enforcement for data-plane requests: one read and one write TokenBucket per table and
per GSI, plus the meter that feeds the metrics.

spec 2.1: a request is checked against its table's (or, for a GSI Query/Scan, the index's) bucket
before it runs; if throttled it consumes nothing and counts one throttle event and one throttled
request (4.0.2); otherwise it runs and is charged its actual units. A write is also refused when
any GSI it would change lacks write capacity (GSI back-pressure, spec 1.3.12/2.1.5: "A table write
is throttled if the table OR any affected GSI lacks capacity"); LSI writes draw on the table's
bucket. PROVISIONED tables use their provisioned rates with 300 s of burst; PAY_PER_REQUEST tables
are never throttled on provisioned values (2.1.9) but are held to an OnDemandThroughput maximum
when one is set (3.6.1), answered with ThrottlingException. Buckets live in memory; their state is
snapshotted into the table record (the table's and each GSI's `Throughput.buckets`) each minute
(metrics.py) and restored from there after a restart.
"""

from __future__ import annotations

from typing import Iterable, NamedTuple, Optional

from dynoscale.clock import Clock
from dynoscale.context import Caller
from dynoscale.services.dynamodb import errors
from dynoscale.services.dynamodb.capacity.bucket import BURST_SECONDS, TokenBucket
from dynoscale.services.dynamodb.capacity.meter import Meter
from dynoscale.services.dynamodb.table_record import TableRecord

PROVISIONED = "ProvisionedThroughputExceeded"
MAX_ON_DEMAND = "MaxOnDemandThroughputExceeded"
ON_DEMAND_BURST_SECONDS = 1.0
DIRECTIONS = ("read", "write")
ON_DEMAND_MEMBER = {"read": "MaxReadRequestUnits", "write": "MaxWriteRequestUnits"}


class Limit(NamedTuple):
    rate: float
    burst: float
    kind: str   # the throttling-reason LimitType (spec 2.2.2)


def limit_of(table: TableRecord, direction: str, index: Optional[str] = None) -> Optional[Limit]:
    """The rate a table (index None) or GSI is held to in `direction`; None = not limited."""
    throughput = table.throughput_of(index)
    if throughput is None:
        return None
    if table.billing_mode == "PROVISIONED":
        return Limit(float(throughput.units(direction)), BURST_SECONDS, PROVISIONED)
    cap = (throughput.on_demand or {}).get(ON_DEMAND_MEMBER[direction])
    if cap is not None and cap > 0:
        return Limit(float(cap), ON_DEMAND_BURST_SECONDS, MAX_ON_DEMAND)
    return None


def resource_arn(table: TableRecord, index: Optional[str]) -> str:
    return table.arn if index is None else table.index_arn(index)


def throttle_error(table: TableRecord, direction: str, indexes: list, kind: str):
    """The error for a request throttled on the table (indexes == [None]) or on GSIs, with
    ThrottlingReasons (spec 2.2.2: `<Table|Index><Read|Write><LimitType>` plus the ARN)."""
    reasons = [{"reason": ("Table" if index is None else "Index") + direction.capitalize() + kind,
                "resource": resource_arn(table, index)} for index in indexes]
    if kind == MAX_ON_DEMAND:
        return errors.on_demand_throttled(reasons)
    return errors.throughput_exceeded(reasons, index=indexes != [None])


class Limiter:
    def __init__(self, clock: Clock, meter: Meter):
        self.clock = clock
        self.meter = meter
        # (table id, GSI name or "", read|write) -> bucket
        self.buckets: dict[tuple[str, str, str], TokenBucket] = {}

    # -- buckets -------------------------------------------------------------------------------
    def bucket(self, table: TableRecord, direction: str, index: Optional[str] = None
               ) -> Optional[TokenBucket]:
        """The bucket in force, or None when the table/GSI is not throttled in `direction`."""
        limit = limit_of(table, direction, index)
        if limit is None:
            return None
        key = (table.id, index or "", direction)
        bucket = self.buckets.get(key)
        now = self.clock.now()
        if bucket is None:
            saved = (table.throughput_of(index).buckets or {}).get(direction)
            if saved:
                bucket = TokenBucket.restore(saved)
            else:
                bucket = TokenBucket.full(limit.rate, now, limit.burst)
            self.buckets[key] = bucket
        if bucket.rate != limit.rate or bucket.burst != limit.burst:
            bucket.set_rate(limit.rate, now, limit.burst)
        return bucket

    def available(self, table: TableRecord, direction: str, index: Optional[str] = None) -> float:
        bucket = self.bucket(table, direction, index)
        if bucket is None:
            return float("inf")
        bucket.refill(self.clock.now())
        return bucket.balance

    # -- admission -----------------------------------------------------------------------------
    def admit(self, caller: Caller, table: TableRecord, direction: str, operation: str,
              index: Optional[str] = None) -> None:
        """Throttle the request unless the table's (or GSI `index`'s) bucket is out of debt."""
        now = self.clock.now()
        bucket = self.bucket(table, direction, index)
        if bucket is None or bucket.admits(now):
            return
        self.meter.throttle_events(caller.account_id, caller.region, table.name, direction, 1,
                                   now, index)
        self.meter.throttled_request(caller.account_id, caller.region, table.name, operation,
                                     now)
        if caller.usage is not None:
            caller.usage.throttle(table.name)
        raise throttle_error(table, direction, [index], limit_of(table, direction, index).kind)

    def blocked_indexes(self, table: TableRecord, gsi_units: dict) -> list[str]:
        """GSIs a write would change (units > 0) whose write bucket is in debt."""
        return [name for name, units in gsi_units.items()
                if units > 0 and self.available(table, "write", name) < 0]

    def admit_index_writes(self, caller: Caller, table: TableRecord, gsi_units: dict,
                           operation: str) -> None:
        """GSI back-pressure for a single-item write (spec 1.3.12, 2.1.5): one WriteThrottleEvent
        per throttled GSI (TableName + GlobalSecondaryIndexName), one ThrottledRequest."""
        blocked = self.blocked_indexes(table, gsi_units)
        if not blocked:
            return
        now = self.clock.now()
        for name in blocked:
            self.meter.throttle_events(caller.account_id, caller.region, table.name, "write", 1,
                                       now, name)
        self.meter.throttled_request(caller.account_id, caller.region, table.name, operation,
                                     now)
        if caller.usage is not None:
            caller.usage.throttle(table.name)
        raise throttle_error(table, "write", blocked, limit_of(table, "write", blocked[0]).kind)

    # -- charging ------------------------------------------------------------------------------
    def charge(self, caller: Caller, table: TableRecord, direction: str, units: float,
               index: Optional[str] = None) -> None:
        now = self.clock.now()
        bucket = self.bucket(table, direction, index)
        if bucket is not None:
            bucket.debit(units, now)
        self.meter.consumed(caller.account_id, caller.region, table.name, direction, units, now,
                            index)
        if caller.usage is not None:
            caller.usage.consumed(table.name, units)

    def charge_write(self, caller: Caller, table: TableRecord, cost) -> None:
        """A write's WriteCost: table + LSI units on the table, each GSI's on its own bucket and
        series (CloudWatch's TableName-only series excludes GSIs, spec 1.3.12)."""
        self.charge(caller, table, "write", cost.table_bucket_units)
        for name, units in cost.gsis.items():
            if units > 0:
                self.charge(caller, table, "write", units, name)

    # -- rate changes, persistence -------------------------------------------------------------
    def rate_changed(self, table: TableRecord, index: Optional[str] = None) -> None:
        """A throughput or billing change became effective (ACTIVE): settle at the old rates up
        to now, refill at the new ones from now on."""
        for direction in DIRECTIONS:
            key = (table.id, index or "", direction)
            if limit_of(table, direction, index) is None:
                # no longer limited (e.g. switched to on-demand): start afresh if limited again
                self.buckets.pop(key, None)
                throughput = table.throughput_of(index)
                if throughput is not None and throughput.buckets:
                    throughput.buckets = None
            elif key in self.buckets or self._saved(table, direction, index):
                self.bucket(table, direction, index)

    @staticmethod
    def _saved(table: TableRecord, direction: str, index: Optional[str]) -> bool:
        throughput = table.throughput_of(index)
        return bool(throughput and (throughput.buckets or {}).get(direction))

    def snapshot(self, table: TableRecord) -> bool:
        """Copy the live buckets of a table and its GSIs into the (caller-saved) record; True
        when there was anything to copy."""
        now = self.clock.now()
        changed = False
        owners = [("", table.throughput)] + [(g.name, g.throughput) for g in table.gsis]
        for index, throughput in owners:
            for direction in DIRECTIONS:
                bucket = self.buckets.get((table.id, index, direction))
                if bucket is not None:
                    bucket.refill(now)
                    throughput.buckets = {**(throughput.buckets or {}),
                                          direction: bucket.snapshot()}
                    changed = True
        return changed

    def forget(self, table_id: str, index: Optional[str] = None) -> None:
        for key in [k for k in self.buckets if k[0] == table_id
                    and (index is None or k[1] == index)]:
            del self.buckets[key]

    def tables_with_buckets(self) -> Iterable[str]:
        return {k[0] for k in self.buckets}
