"""Steps shared by the multi-item operations (BatchGetItem, BatchWriteItem, TransactGetItems,
TransactWriteItems): table resolution in request order, per-item throttling against the table's
token bucket, throttle metrics, and the table names a request touches.

Throttling (spec 2.1.2, 2.1.6, 2.1.7): a batch is admitted item by item. An item is admitted while
the table's bucket, less what earlier items of the same request already consumed, is >= 0 — the
same debt model single-item requests follow, so a batch may drive the balance negative with its
last admitted item. A write is also held back when a GSI it changes is out of write capacity
(2.1.5). PAY_PER_REQUEST tables are held item by item to an OnDemandThroughput maximum (2.1.9)
and the per-table quota; against the allowance of double the previous peak a request is judged
whole, at its start (capacity/on_demand.py, "A single request"). Metrics
(4.0.2): one Read/WriteThrottleEvents per throttled item (per table or GSI); ThrottledRequests per
request (for batches only when every item was throttled); consumed units go to the meter once per
table (and GSI) per request (one sample per request, 4.0.2).
"""

from __future__ import annotations

import math
from typing import Optional

from dynoscale.context import Caller
from dynoscale.clock import Clock
from dynoscale.services.dynamodb.capacity.limiter import (KEY_RANGE, PROVISIONED, Limiter,
                                                          throttle_error)
from dynoscale.services.dynamodb.capacity.meter import Meter
from dynoscale.services.dynamodb.table_record import TableRecord
from dynoscale.services.dynamodb.tables import Tables, table_name_of


class Usage:
    """Per-request capacity bookkeeping for several tables (and their GSIs) in one direction.
    Buckets are keyed (table id, GSI name or ""); an item whose partition is known (`pk`, its
    stored partition bytes; for a GSI write, its entry's) is also held to that partition's
    per-second maximum."""

    def __init__(self, limiter: Limiter, meter: Meter, clock: Clock, caller: Caller,
                 direction: str, operation: str):
        self.limiter, self.meter, self.clock = limiter, meter, clock
        self.caller = caller
        self.direction = direction
        self.operation = operation
        self.left: dict[tuple, float] = {}     # bucket -> units still available
        self.used: dict[tuple, float] = {}     # bucket -> units consumed by this request
        self.tables: dict[str, TableRecord] = {}  # table id -> table record
        self.throttled: dict[tuple, int] = {}  # (table id, GSI or "", limit kind) -> events
        self.part_left: dict[int, float] = {}  # id(partition) -> units still available
        self.part_used: list = []              # (table, pk, units) to debit on settle

    def _key(self, table: TableRecord, index: Optional[str] = None) -> tuple:
        key = (table.id, index or "")
        if key not in self.left:
            left = self.limiter.available(table, self.direction, index)
            if left >= 0 and self.limiter.judged_whole(table, self.direction, index):
                left = math.inf   # the on-demand allowance judges the request whole
            self.left[key] = left
            self.tables[table.id] = table
        return key

    def _throttle(self, key: tuple, kind: str) -> None:
        full = key + (kind,)
        self.throttled[full] = self.throttled.get(full, 0) + 1

    def _kind(self, table: TableRecord, index: Optional[str]) -> str:
        limit = self.limiter.limit(table, self.direction, index)
        return limit.kind if limit else PROVISIONED

    def admits(self, table: TableRecord, pk: Optional[bytes] = None) -> bool:
        """May the next item of `table` run? Counts a throttle event when not."""
        key = self._key(table)
        if self.left[key] < 0:
            self._throttle(key, self._kind(table, None))
            return False
        if pk is not None and self._partition_in_debt(table, None, pk):
            self._throttle(key, KEY_RANGE)
            return False
        return True

    def _partition_in_debt(self, table: TableRecord, index: Optional[str], pk: bytes) -> bool:
        """Is the partition of `pk` (table or GSI `index`), less what this request already drew
        from it, in debt? (Counted on the partition when it is.)"""
        part = self.limiter.partition(table, self.direction, index, pk)
        if part is None:  # a single partition: the table's (GSI's) bucket is the limit
            return False
        left = self.part_left.get(id(part))
        if left is None:
            bucket = part.bucket(self.direction)
            bucket.refill(self.clock.now())
            left = self.part_left[id(part)] = bucket.balance
        if left < 0:
            self.limiter.partition_blocked(part, self.direction, self.clock.now())
            return True
        return False

    def admits_indexes(self, table: TableRecord, gsi_units: dict,
                       gsi_pks: Optional[dict] = None) -> bool:
        """GSI back-pressure for one item write (spec 2.1.5): refused when a GSI it changes is
        out of write capacity, or the GSI partition its entry lands on (`gsi_pks`: GSI name ->
        the entry's partition bytes) is; one throttle event per such GSI."""
        blocked = []
        for name, units in gsi_units.items():
            if units <= 0:
                continue
            key = self._key(table, name)
            if self.left[key] < 0:
                blocked.append((key, self._kind(table, name)))
                continue
            pk = (gsi_pks or {}).get(name)
            if pk is not None and self._partition_in_debt(table, name, pk):
                blocked.append((key, KEY_RANGE))
        for key, kind in blocked:
            self._throttle(key, kind)
        return not blocked

    def consume(self, table: TableRecord, units: float, index: Optional[str] = None,
                pk: Optional[bytes] = None) -> None:
        key = (table.id, index or "")
        self.left[key] = self.left.get(key, math.inf) - units
        self.used[key] = self.used.get(key, 0.0) + units
        self.tables[table.id] = table
        if pk is not None:
            part = self.limiter.partition(table, self.direction, index, pk)
            if part is not None:
                self.part_left[id(part)] = self.part_left.get(id(part), math.inf) - units
            self.part_used.append((table, index, pk, units))

    def consume_write(self, table: TableRecord, cost, pk: Optional[bytes] = None) -> None:
        """A WriteCost: table + LSI units on the table (and the item's partition), GSI units on
        each GSI and the partition of its entry (spec 1.3.12)."""
        self.consume(table, cost.table_bucket_units, None, pk)
        gsi_pks = cost.gsi_pks
        for name, units in cost.gsis.items():
            if units > 0:
                self.consume(table, units, name, gsi_pks.get(name))

    def error(self):
        """The error for a request none of whose items could run (spec 2.1.6)."""
        tid, index, kind = next(iter(self.throttled))
        return throttle_error(self.tables[tid], self.direction, [index or None], kind)

    def settle(self, *, every_item_throttled: bool = False, any_throttled_counts: bool = False) -> None:
        """Debit the buckets and feed the meter. `every_item_throttled` (batches) or
        `any_throttled_counts` (transactions) decide whether ThrottledRequests counts."""
        now = self.clock.now()
        meter = self.meter
        account, region = self.caller.account_id, self.caller.region
        for (tid, index), units in self.used.items():
            self.limiter.charge(self.caller, self.tables[tid], self.direction, units,
                                index or None)
        for table, index, pk, units in self.part_used:
            self.limiter.charge_partition(table, self.direction, pk, units, index)
        for (tid, index, kind), count in self.throttled.items():
            self.limiter.throttle_events(self.caller, self.tables[tid], self.direction, count,
                                         now, index or None, kind)
        usage = self.caller.usage
        if usage is not None:  # the request log: some items of this request were throttled
            for tid in dict.fromkeys(tid for tid, _, _ in self.throttled):
                usage.throttle(self.tables[tid].name)
        if every_item_throttled or any_throttled_counts:
            for tid in dict.fromkeys(tid for tid, _, _ in self.throttled):
                meter.throttled_request(account, region, self.tables[tid].name,
                                        self.operation, now)


def require_tables(tables: Tables, scope: str, names) -> dict[str, TableRecord]:
    """Requested name (or ARN) -> table record, in request order; a missing or CREATING/DELETING
    table fails the whole request with `Requested resource not found` (dynalite getTable)."""
    out: dict[str, dict] = {}
    for name in names:
        if name not in out:
            out[name] = tables.require_usable(scope, name)
    return out


def request_table_names(request: dict) -> list[str]:
    """Table names a data-plane request names (for SuccessfulRequestLatency, which AWS reports
    per TableName + Operation, spec 4.0.3)."""
    if request.get("TableName"):
        return [table_name_of(request["TableName"])]
    names: list[str] = []
    if isinstance(request.get("RequestItems"), dict):
        names = list(request["RequestItems"])
    for action in request.get("TransactItems") or []:
        for body in action.values():
            if isinstance(body, dict) and body.get("TableName"):
                names.append(body["TableName"])
    return list(dict.fromkeys(table_name_of(n) for n in names))

