"""Time to Live: the per-table TTL setting (UpdateTimeToLive / DescribeTimeToLive) and the job that
deletes expired items on the clock.

AWS facts:
- Settings and messages (live probes, ack-api-quirks `services/dynamodb` table-subresources.md
  DDB-TABLE-143..147 and the error catalogue DDB-TABLE-442; dynalite actions/updateTimeToLive.js):
  enabling when enabled -> `TimeToLive is already enabled` (same attribute) or `TimeToLive is active
  on a different AttributeName: current AttributeName is <a>`; disabling when disabled ->
  `TimeToLive is already disabled`; disabling with another attribute -> the "different
  AttributeName" text. These content checks come first; then any change within the cooldown after
  the previous successful change -> `Time to live has been modified multiple times within a fixed
  interval` (documented as up to one hour; measured: still rejected at 1811.6 s, accepted at
  1871.7 s, so COOLDOWN_SECONDS = 31 min). Any attribute name is accepted, key attributes included.
  All are ValidationException. The response echoes the request's specification.
- Status: AWS documents ENABLING/DISABLING, but five probed tables showed the settled
  ENABLED/DISABLED status on the first DescribeTimeToLive after the update (DDB-TABLE-144/145), and
  suites recorded against AWS assert ENABLED right away (scylladb test/alternator/test_ttl.py
  test_ttl_enable). SETTLE_SECONDS is therefore 0; a positive value would show the transitional
  status for that long (derived from the stored change time, no job needed).
  A disabled table describes as `{TimeToLiveStatus: DISABLED}` without AttributeName.
- DescribeTimeToLive on a CREATING/DELETING table -> ValidationException `Cannot describe time to
  live while table is in <S> state: Current table state is <S>`; a missing table ->
  ResourceNotFoundException naming it (DDB-TABLE-442, service.md missing-table probe).
- Expiry (DG "Time to Live", "Formatting an item's TTL attribute"): an item expires when its TTL
  attribute is a Number holding epoch seconds less than the current time; values more than five
  years in the past, non-Number values and items without the attribute never expire. Deletion is
  a background delete: it consumes no capacity and is counted in TimeToLiveDeletedItemCount
  (spec 4, one-minute metric, dimension TableName). AWS deletes within days (typically minutes);
  Dynoscale sweeps every SWEEP_SECONDS.

Storage: one document per table (kind `dynamodb.ttl`, id = table name) with the table id, so a
table re-created under the same name starts with TTL disabled and no cooldown (DDB-TABLE-377).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Optional

import orjson

from dynoscale.clock import Clock, Priority, Scheduler
from dynoscale.services.cloudwatch.api import CloudWatchApi
from dynoscale.services.dynamodb import errors, items, values
from dynoscale.services.dynamodb.changes import ChangeCapture
from dynoscale.services.dynamodb.metrics import NAMESPACE
from dynoscale.services.dynamodb.table_record import TableRecord
from dynoscale.services.dynamodb.tables import Tables
from dynoscale.storage.interface import Store

KIND = "dynamodb.ttl"
COOLDOWN_SECONDS = 31 * 60.0
SETTLE_SECONDS = 0.0
SWEEP_SECONDS = 60.0
MAX_PAST_SECONDS = 5 * 365 * 86400.0
SWEEP_OFFSET = 30.0  # mid-minute, away from the metrics job at :00


def _status(doc: Optional[dict], now: float) -> str:
    if doc is None or doc["changed"] is None:
        return "DISABLED"
    settling = now < doc["changed"] + SETTLE_SECONDS
    if doc["enabled"]:
        return "ENABLING" if settling else "ENABLED"
    return "DISABLING" if settling else "DISABLED"


def expires_at(stored_value: Optional[dict]) -> Optional[Decimal]:
    """The epoch seconds of a stored (DynamoDB-JSON) TTL attribute value, if it is a Number."""
    if not isinstance(stored_value, dict) or "N" not in stored_value:
        return None
    try:
        return Decimal(stored_value["N"])
    except InvalidOperation:
        return None



class TimeToLive:
    """The TTL settings of every table (documents in `store`) and the sweep that deletes expired
    items, recording the deletions as stream records (`changes`) and as the CloudWatch metric."""

    def __init__(self, store: Store, clock: Clock, scheduler: Scheduler, tables: Tables,
                 changes: ChangeCapture, cloudwatch: CloudWatchApi):
        self.store, self.clock, self.scheduler = store, clock, scheduler
        self.tables, self.changes, self.cloudwatch = tables, changes, cloudwatch

    # -- the setting -------------------------------------------------------------------------------
    def describe(self, scope: str, table: TableRecord) -> dict:
        if table.status in ("CREATING", "DELETING"):
            raise errors.ttl_table_state(table.status)
        doc = self._setting(scope, table)
        status = _status(doc, self.clock.now())
        out = {"TimeToLiveStatus": status}
        if status != "DISABLED":
            out["AttributeName"] = doc["attribute"]
        return out

    def update(self, scope: str, table: TableRecord, spec: dict) -> dict:
        attribute, enabled = spec["AttributeName"], spec["Enabled"]
        now = self.clock.now()
        doc = self._setting(scope, table)
        active = doc is not None and doc["enabled"]
        if enabled and active:
            if doc["attribute"] == attribute:
                raise errors.validation("TimeToLive is already enabled")
            raise errors.ttl_on_different_attribute(doc["attribute"])
        if not enabled:
            if not active:
                raise errors.validation("TimeToLive is already disabled")
            if doc["attribute"] != attribute:
                raise errors.ttl_on_different_attribute(doc["attribute"])
        if doc is not None and doc["changed"] is not None \
                and now < doc["changed"] + COOLDOWN_SECONDS:
            raise errors.ttl_cooldown()
        self.store.put_doc(KIND, scope, table.name, {"table_id": table.id, "attribute": attribute,
                                                     "enabled": enabled, "changed": now})
        return {"Enabled": enabled, "AttributeName": attribute}

    def _setting(self, scope: str, table: TableRecord) -> Optional[dict]:
        doc = self.store.get_doc(KIND, scope, table.name)
        return doc if doc is not None and doc["table_id"] == table.id else None

    # -- expiry ------------------------------------------------------------------------------------
    def arm(self) -> None:
        """Start the sweep (service start); settings live in the store, so nothing else to
        re-arm."""
        self.scheduler.every(SWEEP_SECONDS, self.sweep, key="dynamodb:ttl",
                             offset=SWEEP_OFFSET, priority=Priority.TTL_SWEEP)

    def sweep(self) -> None:
        now = self.clock.now()
        for scope, name, doc in self.store.list_docs(KIND):
            table = self.tables.get(scope, name)
            if table is None or table.id != doc["table_id"]:
                self.store.delete_doc(KIND, scope, name)  # the table is gone: so is its setting
                continue
            if _status(doc, now) != "ENABLED" or table.status in ("CREATING", "DELETING"):
                continue
            deleted = self._expire(table, doc["attribute"], now)
            if deleted:
                account, region = scope.split("/", 1)
                self.cloudwatch.put_datapoints(
                    account, region, NAMESPACE, "TimeToLiveDeletedItemCount",
                    [{"Name": "TableName", "Value": table.name}], "Count",
                    [(now // 60 * 60, 1, deleted, deleted, deleted)])

    def _expire(self, table: TableRecord, attribute: str, now: float) -> int:
        oldest = Decimal(repr(now - MAX_PAST_SECONDS))
        current = Decimal(repr(now))
        expired = []
        for pk, sk, raw in self.store.scan_items(table.id):
            stored = orjson.loads(raw)
            when = expires_at(stored.get(attribute))
            if when is not None and oldest <= when < current:
                expired.append(((pk, sk), stored))
        # Deleted outside the capacity limiter: TTL deletes consume no write capacity.
        # items.remove keeps the secondary indexes in step.
        with self.store.transaction():
            for key, stored in expired:
                items.remove(self.store, table, key, values.item_from_json(stored),
                             changes=self.changes, expired=True)
        return len(expired)
