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
(metrics.py) and at a clean shutdown (capacity/carry.py), and restored from there after a
restart. Next to the meter, `seconds` keeps the
last minutes second by second for the dashboard (seconds.py): units charged, throttle events and
the provisioned rate in force.
"""

from __future__ import annotations

from typing import Iterable, NamedTuple, Optional

from dynoscale.clock import Clock
from dynoscale.context import Caller
from dynoscale.services.dynamodb import errors
from dynoscale.services.dynamodb.capacity.bucket import BURST_SECONDS, TokenBucket
from dynoscale.services.dynamodb.capacity.limits import TABLE_MAX_UNITS
from dynoscale.services.dynamodb.capacity.meter import Meter
from dynoscale.services.dynamodb.capacity.on_demand import INITIAL_PEAK, Peak
from dynoscale.services.dynamodb.capacity.partitions import Partition, PartitionMap, required
from dynoscale.services.dynamodb.capacity.seconds import RecentSeconds
from dynoscale.services.dynamodb.capacity.state import PartitionStore
from dynoscale.services.dynamodb.table_record import TableRecord

PROVISIONED = "ProvisionedThroughputExceeded"
MAX_ON_DEMAND = "MaxOnDemandThroughputExceeded"
KEY_RANGE = "KeyRangeThroughputExceeded"
ACCOUNT_LIMIT = "AccountLimitExceeded"
ON_DEMAND_BURST_SECONDS = 1.0
DIRECTIONS = ("read", "write")
ON_DEMAND_MEMBER = {"read": "MaxReadRequestUnits", "write": "MaxWriteRequestUnits"}
ON_DEMAND_WARM = {"read": 12000.0, "write": 4000.0}   # description.ON_DEMAND_WARM (spec 3.6.2)


class Limit(NamedTuple):
    rate: float
    burst: float
    kind: str   # the throttling-reason LimitType (spec 2.2.2)


def provisioned_limit(table: TableRecord, direction: str,
                      index: Optional[str] = None) -> Optional[Limit]:
    """A PROVISIONED table's (or GSI's) rate; None for on-demand or an unknown index."""
    throughput = table.throughput_of(index)
    if throughput is None or table.billing_mode != "PROVISIONED":
        return None
    return Limit(float(throughput.units(direction)), BURST_SECONDS, PROVISIONED)


def on_demand_limit(table: TableRecord, direction: str, index: Optional[str],
                    allowance: float) -> Limit:
    """The tightest of an on-demand table's limits: OnDemandThroughput maximum, per-table quota
    (limits.TABLE_MAX_UNITS, "40,000 table-level read and write throughput" also for on-demand,
    ServiceQuotas.html), what it can serve now (on_demand.py). Ties name the configured maximum,
    then the quota (inferred: the limit the customer set is the one to report)."""
    rate, kind = allowance, KEY_RANGE
    if TABLE_MAX_UNITS <= rate:
        rate, kind = float(TABLE_MAX_UNITS), ACCOUNT_LIMIT
    caps = table.throughput_of(index).on_demand
    if caps:
        cap = caps.get(ON_DEMAND_MEMBER[direction])
        if cap is not None and 0 < cap <= rate:
            rate, kind = float(cap), MAX_ON_DEMAND
    return Limit(rate, ON_DEMAND_BURST_SECONDS, kind)


def _provisioned(table: TableRecord, bucket: Optional[TokenBucket]) -> Optional[float]:
    """The provisioned rate a second was held to (None on demand, as CloudWatch publishes no
    Provisioned* series for an on-demand table)."""
    return bucket.rate if bucket is not None and table.billing_mode == "PROVISIONED" else None


def resource_arn(table: TableRecord, index: Optional[str]) -> str:
    return table.arn if index is None else table.index_arn(index)


def throttle_error(table: TableRecord, direction: str, indexes: list, kind: str):
    """The error for a request throttled on the table (indexes == [None]) or on GSIs, with
    ThrottlingReasons (spec 2.2.2: `<Table|Index><Read|Write><LimitType>` plus the ARN). A hot
    partition of a PROVISIONED table is a ProvisionedThroughputExceededException with the
    KeyRange reason (inferred from client code written against DynamoDB that matches
    `ProvisionedThroughputExceededException` carrying `TableWriteKeyRangeThroughputExceeded`;
    DG-ERR lists KeyRange reasons under ThrottlingException only for on-demand tables)."""
    reasons = [{"reason": ("Table" if index is None else "Index") + direction.capitalize() + kind,
                "resource": resource_arn(table, index)} for index in indexes]
    on_index = indexes != [None]
    if kind == MAX_ON_DEMAND:
        return errors.on_demand_throttled(reasons)
    if kind == ACCOUNT_LIMIT:
        return errors.request_limit_exceeded(reasons)
    if kind == KEY_RANGE and table.billing_mode != "PROVISIONED":
        return errors.on_demand_scaling(reasons, index=on_index)
    return errors.throughput_exceeded(reasons, index=on_index)


class Limiter:
    def __init__(self, clock: Clock, meter: Meter, partition_store: PartitionStore):
        self.clock = clock
        self.meter = meter
        self.partition_store = partition_store
        # (table id, GSI name or "", read|write) -> bucket of the table's (GSI's) total
        self.buckets: dict[tuple[str, str, str], TokenBucket] = {}
        # (table id, GSI name or "") -> its partitions
        self.maps: dict[tuple[str, str], PartitionMap] = {}
        # (table id, GSI name or "", read|write) -> on-demand previous peak
        self.peaks: dict[tuple[str, str, str], Peak] = {}
        self.seconds = RecentSeconds()  # the dashboard's per-second series

    # -- limits --------------------------------------------------------------------------------
    def limit(self, table: TableRecord, direction: str, index: Optional[str] = None
              ) -> Optional[Limit]:
        """The rate a table (index None) or GSI is held to in `direction` as a whole."""
        if table.billing_mode == "PROVISIONED":
            return provisioned_limit(table, direction, index)
        if index is not None and table.throughput_of(index) is None:
            return None
        peak = self.peaks.get((table.id, index or "", direction)) or self.peak(
            table, direction, index)
        if peak.adapt(self.clock.now()):
            self._grow(table, index)   # a new peak: more partitions (on_demand.py)
        return on_demand_limit(table, direction, index,
                               peak.allowance(self._warm(table, direction, index)))

    def _grow(self, table: TableRecord, index: Optional[str]) -> None:
        pmap = self.maps.get((table.id, index or ""))
        if pmap is not None:
            pmap.grow_to(self.required_partitions(table, index), self.clock.now())

    @staticmethod
    def _warm(table: TableRecord, direction: str, index: Optional[str]) -> float:
        """Warm throughput of an on-demand table: at least the on-demand default (spec 3.6.2)."""
        if index is None:
            have = table.warm_read if direction == "read" else table.warm_write
        else:   # a GSI's requested WarmThroughput (UpdateTable/CreateTable), if any
            record = table.index(index)
            warm = record.warm if record is not None else None
            have = (warm[0] if direction == "read" else warm[1]) if warm else 0
        return max(float(have), ON_DEMAND_WARM[direction])

    def peak(self, table: TableRecord, direction: str, index: Optional[str] = None) -> Peak:
        key = (table.id, index or "", direction)
        peak = self.peaks.get(key)
        if peak is None:
            throughput = table.throughput_of(index)
            saved = (throughput.peaks or {}).get(direction)
            peak = Peak.restore(saved) if saved else Peak(INITIAL_PEAK[direction])
            # switched from provisioned: half the most ever provisioned, if higher (on_demand.py)
            provisioned = (table.warm_read if direction == "read" else table.warm_write) \
                if index is None else throughput.units(direction)
            peak.peak = max(peak.peak, provisioned / 2.0)
            self.peaks[key] = peak
        return peak

    # -- buckets -------------------------------------------------------------------------------
    def bucket(self, table: TableRecord, direction: str, index: Optional[str] = None
               ) -> Optional[TokenBucket]:
        """The bucket in force, or None when the table/GSI is not throttled in `direction`."""
        limit = self.limit(table, direction, index)
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
            if limit.burst == ON_DEMAND_BURST_SECONDS and bucket.burst == limit.burst:
                # an on-demand table's limit moved at once (OnDemandThroughput set or removed, a
                # new peak): it holds one second, nothing saved to carry over (inferred)
                bucket = self.buckets[key] = TokenBucket.full(limit.rate, now, limit.burst)
            else:
                bucket.set_rate(limit.rate, now, limit.burst)
            pmap = self.maps.get((table.id, index or ""))
            if pmap is not None:
                pmap.set_table_capacity(self.table_capacity(table, index), now)
        return bucket

    def available(self, table: TableRecord, direction: str, index: Optional[str] = None) -> float:
        bucket = self.bucket(table, direction, index)
        if bucket is None:
            return float("inf")
        bucket.refill(self.clock.now())
        return bucket.balance

    # -- partitions ----------------------------------------------------------------------------
    def partitions(self, table: TableRecord, index: Optional[str] = None) -> PartitionMap:
        key = (table.id, index or "")
        pmap = self.maps.get(key)
        if pmap is None:
            saved = self.partition_store.get(table.id, index)
            pmap = PartitionMap.restore(saved) if saved else PartitionMap.even(
                self.required_partitions(table, index), self.table_capacity(table, index),
                self.clock.now())
            self.maps[key] = pmap
        return pmap

    def table_capacity(self, table: TableRecord, index: Optional[str] = None) -> dict:
        """Units the table's (GSI's) bucket holds when full, per direction, leaving out an
        OnDemandThroughput maximum (a cost cap the table's bucket enforces, not a property of
        its partitions): what a partition may save at most (partitions.py)."""
        if table.billing_mode == "PROVISIONED":
            throughput = table.throughput_of(index)
            return {d: float(throughput.units(d)) * BURST_SECONDS for d in DIRECTIONS}
        return {d: self.on_demand_rate(table, d, index) * ON_DEMAND_BURST_SECONDS
                for d in DIRECTIONS}

    def on_demand_rate(self, table: TableRecord, direction: str, index: Optional[str]) -> float:
        """What an on-demand table can serve now within the per-table quota (on_demand.py)."""
        allowance = self.peak(table, direction, index).allowance(
            self._warm(table, direction, index))
        return min(float(TABLE_MAX_UNITS), allowance)

    def required_partitions(self, table: TableRecord, index: Optional[str] = None) -> int:
        """From the highest throughput ever provisioned (the warm throughput), or for on-demand
        from what it can serve now, and from size (partitions.py)."""
        throughput = table.throughput_of(index)
        record = table.index(index) if index else None
        size = (record.size_bytes or 0) if record is not None else table.size_bytes
        if table.billing_mode != "PROVISIONED":
            read, write = (self.on_demand_rate(table, d, index) for d in DIRECTIONS)
        elif index is None:
            read = max(table.warm_read, throughput.read)
            write = max(table.warm_write, throughput.write)
        else:
            read, write = throughput.read, throughput.write
        return required(read, write, size)

    def partition(self, table: TableRecord, direction: str, index: Optional[str],
                  pk: bytes) -> Optional[Partition]:
        """The partition `pk` routes to when it has a bucket of its own (two or more
        partitions; one partition is the table's bucket), else None."""
        pmap = self.partitions(table, index)
        if len(pmap.starts) == 1:
            return None
        return pmap.route(pk)[0]

    def charge_partition(self, table: TableRecord, direction: str, pk: bytes,
                         units: float, index: Optional[str] = None) -> None:
        """Debit the partition of `pk` in the table (or GSI `index`); batches charge the table's
        (GSI's) bucket separately."""
        pmap = self.partitions(table, index)
        part, h = pmap.route(pk)
        if len(pmap.starts) > 1:
            part.bucket(direction).debit(units, self.clock.now())
        part.served(direction, units, h)

    @staticmethod
    def partition_blocked(part: Partition, direction: str, now: float) -> bool:
        """A partition in debt: the request is throttled (KeyRangeThroughputExceeded)."""
        if part.bucket(direction).admits(now):
            return False
        part.throttled += 1
        return True

    # -- admission -----------------------------------------------------------------------------
    def admit(self, caller: Caller, table: TableRecord, direction: str, operation: str,
              index: Optional[str] = None, pk: Optional[bytes] = None) -> None:
        """Throttle the request unless the table's (or GSI `index`'s) bucket is out of debt and,
        when the request's partition key is known (`pk`, its stored partition bytes), so is its
        partition's."""
        now = self.clock.now()
        bucket = self.bucket(table, direction, index)
        if bucket is not None and not bucket.admits(now):
            self._throttled(caller, table, direction, operation, index, now,
                            self.limit(table, direction, index).kind)
        if pk is not None:   # inlined partition()/partition_blocked(): once per request
            pmap = self.maps.get((table.id, index or "")) or self.partitions(table, index)
            if len(pmap.starts) > 1:
                part = pmap.route(pk)[0]
                if not (part.read if direction == "read" else part.write).admits(now):
                    part.throttled += 1
                    self._throttled(caller, table, direction, operation, index, now, KEY_RANGE)

    def _throttled(self, caller: Caller, table: TableRecord, direction: str, operation: str,
                   index: Optional[str], now: float, kind: str) -> None:
        self.throttle_events(caller, table, direction, 1, now, index, kind)
        self.meter.throttled_request(caller.account_id, caller.region, table.name, operation,
                                     now)
        if caller.usage is not None:
            caller.usage.throttle(table.name)
        raise throttle_error(table, direction, [index], kind)

    def index_block(self, table: TableRecord, name: str, units: float,
                    pk: Optional[bytes] = None) -> Optional[str]:
        """Why a write of `units` to GSI `name` (its partition bytes `pk`, if known) must wait:
        the GSI's limit kind, KEY_RANGE for its partition, or None."""
        if units <= 0:
            return None
        if self.available(table, "write", name) < 0:
            return self.limit(table, "write", name).kind
        if pk is not None:
            part = self.partition(table, "write", name, pk)
            if part is not None and self.partition_blocked(part, "write", self.clock.now()):
                return KEY_RANGE
        return None

    def blocked_indexes(self, table: TableRecord, gsi_units: dict,
                        gsi_pks: Optional[dict] = None) -> dict[str, str]:
        """GSIs a write would change (units > 0) that must wait -> the limit kind."""
        out = {}
        for name, units in gsi_units.items():
            kind = self.index_block(table, name, units, (gsi_pks or {}).get(name))
            if kind is not None:
                out[name] = kind
        return out

    def admit_index_writes(self, caller: Caller, table: TableRecord, gsi_units: dict,
                           operation: str, gsi_pks: Optional[dict] = None) -> None:
        """GSI back-pressure for a single-item write (spec 1.3.12, 2.1.5): one WriteThrottleEvent
        per throttled GSI (TableName + GlobalSecondaryIndexName), one ThrottledRequest."""
        blocked = self.blocked_indexes(table, gsi_units, gsi_pks)
        if not blocked:
            return
        now = self.clock.now()
        for name, kind in blocked.items():
            self.throttle_events(caller, table, "write", 1, now, name, kind)
        self.meter.throttled_request(caller.account_id, caller.region, table.name, operation,
                                     now)
        if caller.usage is not None:
            caller.usage.throttle(table.name)
        names = list(blocked)
        raise throttle_error(table, "write", names, blocked[names[0]])

    # -- charging ------------------------------------------------------------------------------
    def charge(self, caller: Caller, table: TableRecord, direction: str, units: float,
               index: Optional[str] = None, pk: Optional[bytes] = None) -> None:
        now = self.clock.now()
        key = (table.id, index or "", direction)
        # the bucket admit() brought up to date in this request, when there was an admit()
        bucket = self.buckets.get(key) or self.bucket(table, direction, index)
        if bucket is not None:
            bucket.debit(self._bucket_units(table, direction, index, bucket, units, now), now)
        if table.billing_mode != "PROVISIONED":
            (self.peaks.get(key) or self.peak(table, direction, index)).served(units, now)
        if pk is not None:
            pmap = self.maps.get(key[:2]) or self.partitions(table, index)
            part, h = pmap.route(pk)
            if len(pmap.starts) > 1:
                part.bucket(direction).debit(units, now)
            part.served(direction, units, h)
        self.meter.consumed(caller.account_id, caller.region, table.name, direction, units, now,
                            index)
        self.seconds.ring((caller.account_id, caller.region, table.name, index or "", direction)
                          ).add(now, units, _provisioned(table, bucket))
        if caller.usage is not None:
            caller.usage.consumed(table.name, units)

    def judged_whole(self, table: TableRecord, direction: str, index: Optional[str]) -> bool:
        """Is the table (GSI) held to the on-demand allowance (double the previous peak), whose
        requests are judged whole at their start (on_demand.py, "A single request")?"""
        if table.billing_mode == "PROVISIONED":
            return False
        limit = self.limit(table, direction, index)
        return limit is not None and limit.kind == KEY_RANGE

    def _bucket_units(self, table: TableRecord, direction: str, index: Optional[str],
                      bucket: TokenBucket, units: float, now: float) -> float:
        """What a request of `units` draws from the table's (GSI's) bucket: all of it, but for a
        request larger than a second of the on-demand allowance, what the bucket holds
        (on_demand.py, "A single request")."""
        if units <= bucket.capacity or not self.judged_whole(table, direction, index):
            return units
        bucket.refill(now)
        return min(units, max(bucket.balance, 0.0))

    def throttle_events(self, caller: Caller, table: TableRecord, direction: str, count: int,
                        now: float, index: Optional[str], kind: str) -> None:
        """`count` Read/WriteThrottleEvents (of limit `kind`) on the table or GSI, per minute
        (the meter) and per second (`seconds`)."""
        self.meter.throttle_events(caller.account_id, caller.region, table.name, direction, count,
                                   now, index, kind)
        bucket = self.buckets.get((table.id, index or "", direction))
        self.seconds.ring((caller.account_id, caller.region, table.name, index or "", direction)
                          ).throttle(now, count, _provisioned(table, bucket))

    def charge_write(self, caller: Caller, table: TableRecord, cost,
                     pk: Optional[bytes] = None) -> None:
        """A write's WriteCost: table + LSI units on the table, each GSI's on its own bucket and
        series (CloudWatch's TableName-only series excludes GSIs, spec 1.3.12)."""
        self.charge(caller, table, "write", cost.table_bucket_units, None, pk)
        gsi_pks = cost.gsi_pks
        for name, units in cost.gsis.items():
            if units > 0:
                self.charge(caller, table, "write", units, name, gsi_pks.get(name))

    # -- rate changes, the minute, persistence -------------------------------------------------
    def rate_changed(self, table: TableRecord, index: Optional[str] = None) -> None:
        """A throughput or billing change became effective (ACTIVE), or an on-demand table
        reached a new peak: settle at the old rates up to now, refill at the new ones from now
        on; add the partitions the new rates need (never merged)."""
        for direction in DIRECTIONS:
            key = (table.id, index or "", direction)
            limit = self.limit(table, direction, index)
            live = self.buckets.get(key)
            if limit is None or (live is not None and live.burst != limit.burst):
                # no longer limited, or a billing switch: the new mode's bucket starts afresh
                self.buckets.pop(key, None)
                throughput = table.throughput_of(index)
                if throughput is not None and throughput.buckets:
                    throughput.buckets = None
            elif live is not None or self._saved(table, direction, index):
                self.bucket(table, direction, index)
        if table.throughput_of(index) is not None:
            now = self.clock.now()
            pmap = self.partitions(table, index)
            pmap.set_table_capacity(self.table_capacity(table, index), now)
            pmap.grow_to(self.required_partitions(table, index), now)

    @staticmethod
    def _saved(table: TableRecord, direction: str, index: Optional[str]) -> bool:
        throughput = table.throughput_of(index)
        return bool(throughput and (throughput.buckets or {}).get(direction))

    def minute_passed(self, table: TableRecord) -> None:
        """Once a minute: split for heat, partitions for size and peaks (partitions.py)."""
        now = self.clock.now()
        # spec 2.1.4 (DG-BP): no isolation of hot items with LSIs, or for provisioned tables
        # with a stream
        splittable = not table.lsis and not (table.billing_mode == "PROVISIONED"
                                             and table.stream is not None
                                             and table.stream.enabled)
        for index in [None] + [g.name for g in table.gsis]:
            pmap = self.maps.get((table.id, index or ""))
            if pmap is not None:
                pmap.minute_passed(now, splittable)
                pmap.grow_to(self.required_partitions(table, index), now)

    def snapshot(self, table: TableRecord) -> bool:
        """Copy the live buckets and peaks of a table and its GSIs into the (caller-saved) record,
        True when anything changed; save its partition maps (capacity/state.py)."""
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
                peak = self.peaks.get((table.id, index, direction))
                if peak is not None:
                    saved = peak.snapshot()
                    if (throughput.peaks or {}).get(direction) != saved:
                        throughput.peaks = {**(throughput.peaks or {}), direction: saved}
                        changed = True
            pmap = self.maps.get((table.id, index))
            if pmap is not None:
                self.partition_store.put(table.id, index or None, pmap.snapshot(now))
        return changed

    def forget(self, table_id: str, index: Optional[str] = None) -> None:
        """A deleted table (or GSI): drop its live state and its saved partition maps."""
        for store in (self.buckets, self.maps, self.peaks):
            for key in [k for k in store if k[0] == table_id
                        and (index is None or k[1] == index)]:
                del store[key]
        self.partition_store.delete(table_id, index)

    def tables_with_buckets(self) -> Iterable[str]:
        return {k[0] for k in self.buckets} | {k[0] for k in self.maps} | {k[0] for k in self.peaks}
