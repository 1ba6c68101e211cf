"""The table catalogue: table records (store documents), their lifecycle on the scheduler, the
provisioned-throughput rules; description.py renders AWS's TableDescription from them.

Lifecycle (spec 3.4): CREATING -> ACTIVE; ACTIVE -> UPDATING -> ACTIVE (new capacity effective
only at ACTIVE, 3.4.2/3.4.4); DELETING -> gone. How long each step takes is the timing profile's
(timing.py, `--timing fast|aws`; with `fast` every step is due the instant it starts). A pending
transition is stored as `status_until` so `start()` re-arms it after a restart, and a read of a
table whose transition is due applies it first (`get`): the state a request sees is the state
at the simulated instant it is answered, whether or not the scheduler has run yet (with the
manual clock it runs only when time is advanced), so the read after a `fast` CreateTable sees
ACTIVE while CreateTable's own answer still says CREATING, as AWS's does. Decrease limits: spec 3.3 (4 per UTC day, then one per 3600 s after the last accepted one).
The record itself (fields, storage encoding) is table_record.py. Secondary indexes: LSI/GSI
definitions live in the record (`lsis`, `gsis`); a GSI added or deleted by UpdateTable has its own
timed status (CREATING with a backfill, DELETING) and per-GSI throughput changes go UPDATING ->
ACTIVE, all re-armed by `start()`. Streams: the StreamSpecification and its label/ARN
(ack-api-quirks DDB-TABLE-050).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Callable, Optional

from dynoscale.clock import Clock, Priority, Scheduler
from dynoscale.services.dynamodb import (description, encryption, errors, indexes,
                                         item_collections, items)
from dynoscale.services.dynamodb.capacity import limits
from dynoscale.services.dynamodb.table_record import (DAY, IndexRecord, Stream, TableRecord,
                                                      Throughput)
from dynoscale.services.dynamodbstreams.api import StreamsApi
from dynoscale.storage.interface import Store
from dynoscale.timing import TimingProfile

KIND = "dynamodb.table"
FREE_DECREASES = 4
DECREASE_INTERVAL = 3600.0

# status -> status after its timed transition (None: the table disappears)
NEXT_STATUS = {"CREATING": "ACTIVE", "UPDATING": "ACTIVE", "DELETING": None}


def table_name_of(name_or_arn: str) -> str:
    """Operations accept a table ARN wherever TableName is accepted (spec 5.1)."""
    if name_or_arn.startswith("arn:") and ":table/" in name_or_arn:
        return name_or_arn.split(":table/", 1)[1].split("/", 1)[0]
    return name_or_arn


class Tables:
    def __init__(self, store: Store, clock: Clock, scheduler: Scheduler, streams: StreamsApi,
                 on_transition: Callable[[str, TableRecord, str, Optional[dict]], None],
                 timing: TimingProfile):
        """`on_transition(scope, table, old_status, applied_change)` runs after each timed
        transition is stored (with the final record for a deleted table); `applied_change` is the
        pending throughput/billing change that just took effect, if any. `streams`: where the
        tables' streams are opened and closed. `timing`: how long each transition takes."""
        self.store = store
        self.clock = clock
        self.scheduler = scheduler
        self.streams = streams
        self.on_transition = on_transition
        self.timing = timing

    # -- lookup --------------------------------------------------------------------------------
    def get(self, scope: str, name: str) -> Optional[TableRecord]:
        table = self._load(scope, table_name_of(name))
        if table is not None and self._due(table):
            self._settle(scope, table)
            table = self._load(scope, table.name)
        return table

    def as_stored(self, scope: str, name: str) -> Optional[TableRecord]:
        """The record as stored, a due transition not applied: for a handler describing what it
        has just started (RestoreTableFromBackup answers CREATING, as AWS does)."""
        return self._load(scope, table_name_of(name))

    def _load(self, scope: str, name: str) -> Optional[TableRecord]:
        doc = self.store.get_doc(KIND, scope, name)
        return None if doc is None else TableRecord.from_doc(doc)

    def _due(self, table: TableRecord) -> bool:
        """A transition of the table or of one of its GSIs whose time has come."""
        if table.status_until is None and not table.gsis:
            return False  # the common case, checked without reading the clock
        now = self.clock.now()
        if table.status_until is not None and table.status_until <= now:
            return True
        return any(g.status_until is not None and g.status_until <= now for g in table.gsis)

    def _settle(self, scope: str, table: TableRecord) -> None:
        """Apply every due transition of the table and its GSIs, in the order they fell due
        (what the scheduler would have run by now; its own jobs then find nothing to do)."""
        now = self.clock.now()
        due = [(g.status_until, g.name) for g in table.gsis
               if g.status_until is not None and g.status_until <= now]
        if table.status_until is not None and table.status_until <= now:
            due.append((table.status_until, None))
        for _, index in sorted(due, key=lambda d: (d[0], d[1] is None)):
            if index is None:
                self._finish(scope, table.name)
            else:
                self._finish_index(scope, table.name, index)

    def require(self, scope: str, name: str) -> TableRecord:
        table = self.get(scope, name)
        if table is None:
            raise errors.table_not_found(table_name_of(name))
        return table

    def require_usable(self, scope: str, name: str) -> TableRecord:
        """Data-plane access: CREATING and DELETING tables answer as missing (dynalite getTable)."""
        table = self.get(scope, name)
        if table is None or table.status in ("CREATING", "DELETING"):
            raise errors.resource_not_found()
        return table

    def names(self, scope: str) -> list[str]:
        return [table.name for table in self.in_scope(scope)]

    def all(self) -> list[tuple[str, TableRecord]]:
        return [(scope, TableRecord.from_doc(doc)) for scope, _, doc in self.store.list_docs(KIND)]

    def in_scope(self, scope: str) -> list[TableRecord]:
        """The scope's tables, due transitions applied (a deleted table is gone from ListTables
        the moment its DELETING is over, as `get` sees it)."""
        tables = [TableRecord.from_doc(doc) for _, _, doc in self.store.list_docs(KIND, scope)]
        if not any(self._due(t) for t in tables):
            return tables
        for table in tables:
            if self._due(table):
                self._settle(scope, table)
        return [TableRecord.from_doc(doc) for _, _, doc in self.store.list_docs(KIND, scope)]

    def save(self, scope: str, table: TableRecord) -> None:
        self.store.put_doc(KIND, scope, table.name, table.to_doc())

    # -- lifecycle -----------------------------------------------------------------------------
    def create(self, scope: str, account: str, region: str, name: str, key_schema: list,
               attribute_definitions: list, billing_mode: str, read: int, write: int,
               deletion_protection: bool, lsis: Optional[list] = None,
               gsis: Optional[list] = None, stream: Optional[dict] = None,
               table_class: Optional[str] = None, sse: Optional[dict] = None,
               warm: tuple[int, int] = (0, 0)) -> TableRecord:
        """`lsis`, `gsis`: index definitions (create_table.index_definition: IndexName,
        KeySchema, Projection; a GSI's `read`/`write` units). `table_class`: as requested (None
        when not named); `sse`: encryption.settings; `warm`: a requested WarmThroughput."""
        now = self.clock.now()
        table = TableRecord(
            name=name, id=str(uuid.uuid4()), created=now,
            arn=f"arn:aws:dynamodb:{region}:{account}:table/{name}",
            key_schema=key_schema, attribute_definitions=attribute_definitions,
            billing_mode=billing_mode, ppr_since=now if billing_mode == "PAY_PER_REQUEST" else None,
            throughput=Throughput(read=read, write=write, decrease_day=int(now // DAY)),
            warm_read=max(read, warm[0]), warm_write=max(write, warm[1]),
            deletion_protection=deletion_protection,
            lsis=[new_lsi_record(d) for d in lsis or []],
            gsis=[new_gsi_record(g, "CREATING", now) for g in gsis or []],
            table_class=table_class, sse=sse)
        seconds = self.timing.table_create_with_gsis if gsis else self.timing.table_create
        if stream and stream.get("StreamEnabled"):
            self._open_stream(scope, table, stream, seconds)
        self._enter(scope, table, "CREATING", seconds)
        return table

    def _enter(self, scope: str, table: TableRecord, status: str, seconds: float) -> None:
        table.status = status
        table.status_until = self.clock.now() + seconds
        self.save(scope, table)
        self._arm(scope, table)

    def _arm(self, scope: str, table: TableRecord) -> None:
        name = table.name
        self.scheduler.call_at(table.status_until, lambda: self._finish(scope, name),
                               key=f"dynamodb:table:{scope}:{name}", priority=Priority.TABLE_STATUS)

    def start(self) -> None:
        """Re-arm every pending transition from storage (the scheduler keeps nothing)."""
        for scope, table in self.all():
            if table.status_until is not None:
                self._arm(scope, table)
            for gsi in table.gsis:
                if gsi.status_until is not None:
                    self._arm_index(scope, table.name, gsi)

    def _finish(self, scope: str, name: str) -> None:
        table = self._load(scope, name)
        if table is None or table.status_until is None:
            return
        old = table.status
        new = NEXT_STATUS[old]
        pending = table.throughput.pending if old == "UPDATING" else None
        if pending:
            self._apply_pending(table)
        if old == "UPDATING":
            table.sse = encryption.settled(table.sse)
        table.status_until = None
        with self.store.transaction():
            if new is None:
                self.store.delete_doc(KIND, scope, name)
                self.store.drop_items(table.id)
                indexes.drop_all(self.store, table)
                item_collections.drop(self.store, table)
            else:
                if old == "CREATING":
                    for gsi in table.gsis:
                        gsi.status = "ACTIVE"
                table.status = new
                self.save(scope, table)
        self.on_transition(scope, table, old, pending)

    def delete(self, scope: str, name: str) -> TableRecord:
        table = self.require(scope, name)
        status = table.status
        if status == "CREATING":
            raise errors.table_being_created(table.name)
        if status == "DELETING":
            raise errors.table_being_deleted(table.name)
        if status == "UPDATING":
            raise errors.table_being_updated(table.name)
        if table.deletion_protection:
            raise errors.deletion_protected()
        if table.stream is not None and table.stream.enabled:
            # The stream of a deleted table stays readable for 24 hours (Developer Guide,
            # "DynamoDB Streams": "If you delete a table, its stream ... remains readable").
            self.streams.close_stream(scope, stream_arn(table))
        self._enter(scope, table, "DELETING", self.timing.table_delete)
        return table

    # -- provisioned throughput ----------------------------------------------------------------
    def check_changeable(self, table: TableRecord) -> None:
        status = table.status
        if status == "CREATING":
            raise errors.table_being_created(table.name)
        if status == "DELETING":
            raise errors.table_being_deleted(table.name)
        if status == "UPDATING":
            raise errors.table_iops_updating(table.name)

    def check_decrease(self, throughput: Throughput, now: float) -> None:
        """spec 3.3: 4 decreases per UTC day, then one per 3600 s after the last accepted one;
        tables and each GSI have their own budget (3.3.1)."""
        count = throughput.decreases_today(now)
        last = throughput.last_decrease
        if count >= FREE_DECREASES and last is not None and now - last < DECREASE_INTERVAL:
            midnight = (now // DAY + 1) * DAY
            raise errors.decrease_limit(count, last, min(last + DECREASE_INTERVAL, midnight))

    def check_quotas(self, scope: str, requests: dict) -> None:
        """Per-table/GSI and per-account maxima (spec 3.2) for {(table, GSI|None): (r, w)}."""
        limits.check(scope.split("/", 1)[1], self.in_scope(scope), requests)

    def check_throughput_change(self, scope: str, table: TableRecord, read: int,
                                write: int) -> None:
        """Everything that may refuse a table throughput change, without changing anything (so a
        call that also updates GSIs is refused as a whole, spec 3.3.1)."""
        self.check_changeable(table)
        if table.on_demand:
            raise errors.invalid("Neither ReadCapacityUnits nor WriteCapacityUnits can be "
                                 "specified when BillingMode is PAY_PER_REQUEST")
        cur_r, cur_w = table.throughput.read, table.throughput.write
        if read == cur_r and write == cur_w:
            raise errors.throughput_will_not_change(cur_r, read, cur_w, write)
        if read < cur_r or write < cur_w:
            self.check_decrease(table.throughput, self.clock.now())
        self.check_quotas(scope, {(table.name, None): (read, write)})

    def change_throughput(self, scope: str, table: TableRecord, read: int,
                          write: int) -> TableRecord:
        """Start a provisioned-throughput change (UpdateTable and the auto scaling port)."""
        self.check_throughput_change(scope, table, read, write)
        throughput = table.throughput
        now = self.clock.now()
        increase = read > throughput.read or write > throughput.write
        decrease = read < throughput.read or write < throughput.write
        # The response already shows the new Last*DateTime but the old units (spec 3.4.4).
        if increase:
            throughput.last_increase = now
        if decrease:
            throughput.last_decrease = now
        throughput.pending = {"read": read, "write": write, "decrease": decrease}
        self._enter(scope, table, "UPDATING", self.timing.table_update)
        return table

    def switch_billing(self, scope: str, table: TableRecord, mode: str, read: int, write: int,
                       index_throughput: Optional[dict] = None) -> TableRecord:
        """Start a billing-mode switch (spec 3.5); `read`/`write` (and `index_throughput`:
        GSI name -> (read, write)) apply when switching to PROVISIONED. While switching, the
        previous mode's throughput stays in force (3.5.4)."""
        self.check_changeable(table)
        throughput = table.throughput
        if mode == "PROVISIONED":
            if read > throughput.read or write > throughput.write:
                throughput.last_increase = self.clock.now()
        throughput.pending = {"billing": mode, "read": read, "write": write, "decrease": False,
                              "gsis": {k: list(v) for k, v in (index_throughput or {}).items()}}
        timing = self.timing
        if mode == "PROVISIONED":
            seconds = timing.billing_to_provisioned
        else:  # a table that has been on-demand before switches back in seconds (timing.py)
            seconds = (timing.billing_to_on_demand_again if table.ppr_since is not None
                       else timing.billing_to_on_demand)
        self._enter(scope, table, "UPDATING", seconds)
        return table

    def _apply_pending(self, table: TableRecord) -> None:
        throughput = table.throughput
        pending = throughput.pending
        throughput.pending = None
        now = self.clock.now()
        mode = pending.get("billing")
        if mode is not None:
            table.billing_mode = mode
            if mode == "PAY_PER_REQUEST":
                table.ppr_since = now
                return
            for gsi in table.gsis:
                if gsi.name in (pending.get("gsis") or {}):
                    gsi.throughput.read, gsi.throughput.write = pending["gsis"][gsi.name]
        if pending["decrease"]:
            # counted when it takes effect, per UTC day (spec 3.3.2, 3.4.4)
            throughput.decreases = throughput.decreases_today(now) + 1
            throughput.decrease_day = int(now // DAY)
        throughput.read, throughput.write = pending["read"], pending["write"]
        table.warm_read = max(table.warm_read, pending["read"])
        table.warm_write = max(table.warm_write, pending["write"])

    # -- global secondary indexes (UpdateTable GlobalSecondaryIndexUpdates) ----------------------
    def _arm_index(self, scope: str, name: str, gsi: IndexRecord) -> None:
        index = gsi.name
        self.scheduler.call_at(gsi.status_until, lambda: self._finish_index(scope, name, index),
                               key=f"dynamodb:index:{scope}:{name}:{index}",
                               priority=Priority.TABLE_STATUS)

    def _index_enter(self, scope: str, table: TableRecord, gsi: IndexRecord, status: str,
                     seconds: float, table_updating: bool) -> None:
        gsi.status = status
        gsi.status_until = self.clock.now() + seconds
        if table_updating:
            table.status = "UPDATING"   # until the index work is done (_finish_index)
        self.save(scope, table)
        self._arm_index(scope, table.name, gsi)

    def create_index(self, scope: str, table: TableRecord, definition: dict,
                     attribute_definitions: list, read: int, write: int) -> TableRecord:
        gsi = new_gsi_record({**definition, "read": read, "write": write}, "CREATING",
                             self.clock.now())
        gsi.backfilling = True
        seconds = self.timing.index_create
        if self.timing.index_backfill_kb_per_wcu > 0:  # proportional to the table's size
            _, size = items.table_stats(self.store, table)
            seconds = self.timing.index_create_seconds(
                size, write if not table.on_demand else 4000.0)
        # The build's timeline for OnlineIndexPercentageProgress: resources are allocated
        # first (the profile's index_create), then the items are backfilled (DG "DynamoDB
        # metrics and dimensions", OnlineIndexPercentageProgress).
        now = self.clock.now()
        gsi.build = [now, now + min(self.timing.index_create, seconds), now + seconds]
        table.attribute_definitions = attribute_definitions
        table.gsis.append(gsi)
        self._index_enter(scope, table, gsi, "CREATING", seconds, True)
        return table

    def delete_index(self, scope: str, table: TableRecord, name: str) -> TableRecord:
        self._index_enter(scope, table, table.index(name), "DELETING",
                          self.timing.index_delete, True)
        return table

    def check_index_throughput_change(self, scope: str, table: TableRecord, name: str, read: int,
                                      write: int, *, switching: bool = False) -> IndexRecord:
        """Everything that may refuse a GSI throughput change; returns the GSI record.
        `switching`: part of a switch to PROVISIONED (the GSI has no provisioned values yet)."""
        gsi = table.index(name)
        if gsi is None or not gsi.is_global:
            raise errors.validation("This operation cannot be performed with given input values. "
                                    "Please contact DynamoDB service team for more info: Action "
                                    "Blocked: IndexUpdate")
        if gsi.status != "ACTIVE":
            raise errors.in_use(f"Index is being updated.  Table: {table.name} Index: {name}")
        if not switching:
            if table.on_demand:
                raise errors.invalid("Neither ReadCapacityUnits nor WriteCapacityUnits can be "
                                     "specified when BillingMode is PAY_PER_REQUEST")
            throughput = gsi.throughput
            if read == throughput.read and write == throughput.write:
                raise errors.index_throughput_will_not_change(name, throughput.read, read,
                                                              throughput.write, write)
            if read < throughput.read or write < throughput.write:
                self.check_decrease(throughput, self.clock.now())  # the GSI's own (spec 3.3.1)
        self.check_quotas(scope, {(table.name, name): (read, write)})
        return gsi

    def change_index_throughput(self, scope: str, table: TableRecord, name: str, read: int,
                                write: int) -> TableRecord:
        """Per-GSI provisioned throughput (UpdateTable Update action, auto scaling's port)."""
        gsi = self.check_index_throughput_change(scope, table, name, read, write)
        throughput = gsi.throughput
        now = self.clock.now()
        if read > throughput.read or write > throughput.write:
            throughput.last_increase = now
        decrease = read < throughput.read or write < throughput.write
        if decrease:
            throughput.last_decrease = now
        throughput.pending = {"read": read, "write": write, "decrease": decrease}
        self._index_enter(scope, table, gsi, "UPDATING", self.timing.index_update, False)
        return table

    def _finish_index(self, scope: str, name: str, index: str) -> None:
        table = self._load(scope, name)
        gsi = table.index(index) if table is not None else None
        if gsi is None or not gsi.is_global or gsi.status_until is None:
            return
        old = gsi.status
        gsi.status_until = None
        applied = None
        with self.store.transaction():
            if old == "DELETING":
                table.gsis.remove(gsi)
                self.store.drop_items(indexes.storage_id(table, index))
            elif old == "CREATING":
                indexes.backfill(self.store, table, indexes.find(table, index))
                gsi.status, gsi.backfilling = "ACTIVE", False
            else:
                throughput = gsi.throughput
                pending, throughput.pending = throughput.pending, None
                now = self.clock.now()
                if pending["decrease"]:
                    throughput.decreases = throughput.decreases_today(now) + 1
                    throughput.decrease_day = int(now // DAY)
                throughput.read, throughput.write = pending["read"], pending["write"]
                gsi.status = "ACTIVE"
                applied = {"index": index, "read": throughput.read, "write": throughput.write}
            busy = any(g.status_until is not None for g in table.gsis)
            if table.status == "UPDATING" and table.status_until is None and not busy:
                table.status = "ACTIVE"
            self.save(scope, table)
        if applied is not None:
            self.on_transition(scope, table, "UPDATING", applied)

    # -- streams (StreamSpecification; the stream itself lives in DynamoDB Streams) -------------
    def _open_stream(self, scope: str, table: TableRecord, spec: dict, ready_in: float) -> None:
        """Enable a stream: a new label (UTC, milliseconds) and ARN each time (spec 5.1)."""
        now = self.clock.now()
        utc = dt.datetime.fromtimestamp(now, dt.timezone.utc)
        label = utc.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]
        table.stream = Stream(enabled=True, view_type=spec["StreamViewType"], label=label)
        self.streams.open_stream(scope, stream_arn(table), label, table.name, table.key_schema,
                                 table.stream.view_type, ready_in)

    def change_stream(self, scope: str, table: TableRecord, spec: dict) -> TableRecord:
        stream = table.stream
        if spec["StreamEnabled"]:
            if stream and stream.enabled:
                raise errors.validation(f"Table already has an enabled stream: TableName: "
                                        f"{table.name}")
            self._open_stream(scope, table, spec, self.timing.stream_change)
        else:
            if not stream or not stream.enabled:
                raise errors.validation(f"Table has no stream to disable: TableName: {table.name}")
            stream.enabled = False
            self.streams.close_stream(scope, stream_arn(table))
        self._enter(scope, table, "UPDATING", self.timing.stream_change)
        return table

    # -- settings changed on their own (TableClass, SSESpecification) -------------------------
    def change_settings(self, scope: str, table: TableRecord) -> TableRecord:
        """Store a settings change the caller made on `table`; the table is UPDATING meanwhile,
        as for any other UpdateTable change (spec 3.4)."""
        self.check_changeable(table)
        self._enter(scope, table, "UPDATING", self.timing.table_update)
        return table

    def raise_warm(self, scope: str, table: TableRecord, read: int, write: int) -> TableRecord:
        """A WarmThroughput raise: in the description at once, Status UPDATING for the timing
        profile's table_update (inferred: as long as a throughput change) while the table stays
        ACTIVE (spec 3.6.2); the description reads the deadline, so
        nothing is scheduled."""
        self.check_changeable(table)
        table.warm_read, table.warm_write = max(table.warm_read, read), max(table.warm_write, write)
        table.warm_until = self.clock.now() + self.timing.table_update
        self.save(scope, table)
        return table

    def warm_index(self, gsi: IndexRecord, read: int, write: int) -> None:
        """A GSI's WarmThroughput raise (the caller saves the table): UPDATING for
        timing.table_update while the index stays ACTIVE, like the table's."""
        current = gsi.warm or [0, 0]
        gsi.warm = [max(current[0], read), max(current[1], write)]
        gsi.warm_until = self.clock.now() + self.timing.table_update

    # -- description ---------------------------------------------------------------------------
    def describe(self, table: TableRecord, *, warm: bool = True) -> dict:
        return description.describe(table, self.clock.now(), warm=warm)


def stream_arn(table: TableRecord) -> str:
    """The table's latest stream's ARN: `<table ARN>/stream/<label>` (DescribeTable
    LatestStreamArn)."""
    return f"{table.arn}/stream/{table.stream.label}"


def new_lsi_record(definition: dict) -> IndexRecord:
    return IndexRecord(definition["IndexName"], definition["KeySchema"], definition["Projection"],
                       is_global=False)


def new_gsi_record(definition: dict, status: str, now: float) -> IndexRecord:
    """A GSI as the table record keeps it: the definition plus its own throughput state."""
    return IndexRecord(definition["IndexName"], definition["KeySchema"], definition["Projection"],
                       is_global=True, status=status,
                       throughput=Throughput(read=definition.get("read", 0),
                                             write=definition.get("write", 0),
                                             decrease_day=int(now // DAY),
                                             on_demand=definition.get("on_demand")),
                       warm=definition.get("warm"),
                       item_count=0, size_bytes=0)
