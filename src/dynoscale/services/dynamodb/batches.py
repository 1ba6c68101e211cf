"""Steps shared by the multi-item operations (BatchGetItem, BatchWriteItem, TransactGetItems,
TransactWriteItems): table resolution in request order, per-item throttling against the table's
token bucket, throttle metrics, and the table names a request touches.

Throttling (spec 2.1.2, 2.1.6, 2.1.7): a batch is admitted item by item. An item is admitted while
the table's bucket, less what earlier items of the same request already consumed, is >= 0 — the
same debt model single-item requests follow, so a batch may drive the balance negative with its
last admitted item. PAY_PER_REQUEST tables are never throttled (2.1.9). Metrics (4.0.2): one
Read/WriteThrottleEvents per throttled item; ThrottledRequests per request (for batches only when
every item was throttled); consumed units go to the meter once per table per request (one sample
per request, 4.0.2).
"""

from __future__ import annotations

import math

from dynoscale.context import Caller
from dynoscale.services.dynamodb.tables import table_name_of

# Values for keys.* messages that come from the key VALUES (empty, too long): AWS reports these
# up front even inside transactions; key SCHEMA mismatches become cancellation reasons
# (dynamodb-conformance tier3 transactWriteItems/transactGetItems, captured from AWS).
VALUE_ERROR_MARKERS = ("cannot contain an empty", "has exceeded the maximum size limit",
                       "has exceeded the size limit")


def is_key_value_error(error) -> bool:
    return any(marker in (error.message or "") for marker in VALUE_ERROR_MARKERS)


class Usage:
    """Per-request capacity bookkeeping for several tables in one direction."""

    def __init__(self, svc, caller: Caller, direction: str, operation: str):
        self.svc = svc
        self.caller = caller
        self.direction = direction
        self.operation = operation
        self.left: dict[str, float] = {}       # table id -> units still available
        self.used: dict[str, float] = {}       # table id -> units consumed by this request
        self.tables: dict[str, dict] = {}      # table id -> table record
        self.throttled: dict[str, int] = {}    # table id -> throttled items

    def _available(self, table: dict) -> float:
        if table["billing_mode"] != "PROVISIONED":
            return math.inf
        bucket = self.svc.limiter.bucket(table, self.direction)
        bucket.refill(self.svc.clock.now())
        return bucket.balance

    def admits(self, table: dict) -> bool:
        """May the next item of `table` run? Counts a throttle event when not."""
        tid = table["id"]
        if tid not in self.left:
            self.left[tid] = self._available(table)
            self.tables[tid] = table
        if self.left[tid] >= 0:
            return True
        self.throttled[tid] = self.throttled.get(tid, 0) + 1
        return False

    def consume(self, table: dict, units: float) -> None:
        tid = table["id"]
        self.left[tid] = self.left.get(tid, math.inf) - units
        self.used[tid] = self.used.get(tid, 0.0) + units
        self.tables[tid] = table

    def settle(self, *, every_item_throttled: bool = False, any_throttled_counts: bool = False) -> None:
        """Debit the buckets and feed the meter. `every_item_throttled` (batches) or
        `any_throttled_counts` (transactions) decide whether ThrottledRequests counts."""
        now = self.svc.clock.now()
        meter = self.svc.meter
        account, region = self.caller.account_id, self.caller.region
        for tid, units in self.used.items():
            self.svc.limiter.charge(self.caller, self.tables[tid], self.direction, units)
        for tid, count in self.throttled.items():
            name = self.tables[tid]["name"]
            meter.throttle_events(account, region, name, self.direction, count, now)
            if every_item_throttled or any_throttled_counts:
                meter.throttled_request(account, region, name, self.operation, now)


def require_tables(svc, caller: Caller, names) -> dict[str, dict]:
    """Requested name (or ARN) -> table record, in request order; a missing or CREATING/DELETING
    table fails the whole request with `Requested resource not found` (dynalite getTable)."""
    out: dict[str, dict] = {}
    for name in names:
        if name not in out:
            out[name] = svc.tables.require_usable(caller.scope, name)
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

