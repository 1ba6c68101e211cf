"""The DynamoDB service object: wires the table catalogue, capacity limiter, meter and metrics
job, binds the operations (instrumented for the AWS/DynamoDB request metrics), and implements the
DynamoDBApi port auto scaling uses."""

from __future__ import annotations

import logging
from typing import Any, Optional

from dynoscale.clock import Clock, Priority, Scheduler
from dynoscale.config import Config
from dynoscale.context import Caller
from dynoscale.errors import AwsError
from dynoscale.services.cloudwatch.api import CloudWatchApi
from dynoscale.services.dynamodb import access, errors, items, migrate, request_series
from dynoscale.services.dynamodb.api import CapacityListener, DynamoDBApi
from dynoscale.services.dynamodb.capacity.limiter import Limiter
from dynoscale.services.dynamodb.capacity.state import PartitionStore
from dynoscale.services.dynamodb.changes import ChangeCapture
from dynoscale.services.dynamodb.capacity.meter import Meter
from dynoscale.services.dynamodb.resource_policies import ResourcePolicies
from dynoscale.services.dynamodb.expr import ExpressionCache
from dynoscale.services.dynamodb.capacity import carry
from dynoscale.services.dynamodb.metrics import MetricsPublisher
from dynoscale.services.dynamodb.operations import DATA_PLANE, OPERATIONS
from dynoscale.services.dynamodb.partiql.parser import StatementCache
from dynoscale.services.dynamodb.table_record import TableRecord
from dynoscale.services.dynamodb.tables import Tables
from dynoscale.services.dynamodb.tags import TableTags
from dynoscale.services.dynamodb.transactions import TokenStore
from dynoscale.services.dynamodb.ttl import TimeToLive
from dynoscale.services.dynamodb.wire import WIRE
from dynoscale.services.dynamodbstreams.api import StreamsApi
from dynoscale.services.registry import Parts, Service
from dynoscale.storage.interface import Store
from dynoscale.timing import TimingProfile

log = logging.getLogger("dynoscale.dynamodb")

STATS_PERIOD = 6 * 3600.0  # ItemCount/TableSizeBytes are refreshed about every six hours (spec 5.4)
# Errors that are not UserErrors (spec 4.0.2 UserErrors row: throttled requests go to
# ThrottledRequests, failed conditions to ConditionalCheckFailedRequests)
NOT_USER_ERRORS = {"ProvisionedThroughputExceededException", "ConditionalCheckFailedException",
                   "ThrottlingException", "RequestLimitExceeded"}
RETURNS_ITEMS = ("Query", "Scan")  # ReturnedItemCount (spec 4.0.2)


class DynamoDBService:
    def __init__(self, store: Store, clock: Clock, scheduler: Scheduler, config: Config,
                 cloudwatch_api: CloudWatchApi, streams_api: StreamsApi, timing: TimingProfile):
        self.store = store
        self.clock = clock
        self.scheduler = scheduler
        self.config = config
        self.timing = timing  # how long table, index and billing transitions take (timing.py)
        self.meter = Meter()
        self.expression_cache = ExpressionCache()  # parsed expressions, shared by all requests
        self.statement_cache = StatementCache()  # parsed PartiQL statements, likewise
        self.limiter = Limiter(clock, self.meter, PartitionStore(store))
        self.transaction_tokens = TokenStore(store, clock)  # TransactWriteItems idempotency
        self.tables = Tables(store, clock, scheduler, streams_api, self._transitioned, timing)
        self.changes = ChangeCapture(clock, streams_api)  # stream records of item writes
        self.metrics = MetricsPublisher(clock, self.meter, self.tables, self.limiter, cloudwatch_api,
                                        lag=timing.metric_lag)
        self.tags = TableTags(store, self.tables)
        self.resource_policies = ResourcePolicies(store, clock, self.tables, streams_api)
        self.ttl = TimeToLive(store, clock, scheduler, self.tables, self.changes, cloudwatch_api)
        self.listeners: list[CapacityListener] = []
        self.api = DynamoDBPort(self)
        self.service = Service(name=WIRE.name, operations={
            name: self._instrument(name, fn) for name, fn in OPERATIONS.items()},
            access=access.Requests(self.tables, self.resource_policies.document_for))

    def start(self) -> None:
        migrate.upgrade(self.store, self.tables.all())  # data written by older versions
        self.tables.start()
        carry.take_back(self.store, self.meter)  # the meter's minutes a clean shutdown kept
        self.scheduler.every(60, self.metrics.publish, key="dynamodb:metrics",
                             priority=Priority.DYNAMODB_METRICS)
        self.scheduler.every(STATS_PERIOD, self.refresh_stats, key="dynamodb:stats",
                             priority=Priority.DYNAMODB_STATS)
        self.ttl.arm()  # expiry sweep; TTL settings are store documents

    def stop(self) -> None:
        """Clean shutdown: keep the buckets, peaks, partitions and unpublished meter minutes
        (capacity/carry.py)."""
        carry.keep(self.store, self.tables, self.limiter, self.meter)

    def _transitioned(self, scope: str, table: TableRecord, old_status: str,
                      applied: Optional[dict]) -> None:
        if old_status == "DELETING":
            self.limiter.forget(table.id)
            self.resource_policies.forget(scope, table)
            return
        if applied is None:
            return
        if applied.get("index"):  # a GSI's throughput change took effect (tables._finish_index)
            self.limiter.rate_changed(table, applied["index"])
            account, region = scope.split("/", 1)
            for listener in list(self.listeners):
                try:
                    listener(account, region, table.name, applied["index"], applied["read"],
                             applied["write"])
                except Exception:  # a listener's bug must not undo the index change
                    log.exception("capacity listener failed")
            return
        self.limiter.rate_changed(table)
        for gsi in table.gsis:  # a billing switch changes the GSIs' limits too
            self.limiter.rate_changed(table, gsi.name)
        if table.billing_mode != "PROVISIONED":
            return
        account, region = scope.split("/", 1)
        for listener in list(self.listeners):
            try:
                listener(account, region, table.name, None, table.throughput.read,
                         table.throughput.write)
            except Exception:  # a listener's bug must not undo the table change
                log.exception("capacity listener failed")

    def refresh_stats(self) -> None:
        for scope, table in self.tables.all():
            if table.status in ("ACTIVE", "UPDATING"):
                table.item_count, table.size_bytes = items.table_stats(self.store, table)
                self.tables.save(scope, table)

    # -- request metrics -----------------------------------------------------------------------
    def _instrument(self, name: str, fn):
        data_plane = name in DATA_PLANE
        meter = self.meter

        def handler(caller: Caller, request: dict[str, Any]) -> dict[str, Any]:
            started = self.clock.wall_now()
            account, region = caller.account_id, caller.region
            meter.called(account, region, name, self.clock.now())  # AWS/Usage CallCount
            try:
                result = fn(self, caller, request)
            except AwsError as e:
                now = self.clock.now()
                if e.status == 400 and e.code not in NOT_USER_ERRORS:
                    self.meter.user_error(account, region, now)
                elif e.code == "ConditionalCheckFailedException":
                    for table_name, _ in self._series(name, request):
                        self.meter.conditional_check_failed(account, region, table_name, now)
                elif e.status >= 500 and data_plane:
                    self._system_error(caller, request, name)
                raise
            except Exception:
                if data_plane:  # rendered as an HTTP 500 by the pipeline
                    self._system_error(caller, request, name)
                raise
            if data_plane:
                now = self.clock.now()
                millis = max(0.0, (self.clock.wall_now() - started) * 1000.0)
                targets = self._series(name, request)
                for table_name, dims in targets:  # batches: one per table
                    self.meter.latency(account, region, table_name, dims, millis, now)
                if targets and (name in RETURNS_ITEMS or _is_select(targets[0][1])):
                    count = result["Count"] if "Count" in result else len(result.get("Items", ()))
                    self.meter.returned_items(account, region, targets[0][0], targets[0][1],
                                              count, now)
            return result

        return handler

    def _series(self, operation: str, request: dict) -> list[tuple[str, tuple]]:
        return request_series.series(operation, request, self.statement_cache)

    def _system_error(self, caller: Caller, request: dict, operation: str) -> None:
        try:
            targets = self._series(operation, request)
        except Exception:  # a malformed request must not hide the original error
            targets = []
        for table_name, dims in targets:
            self.meter.system_error(caller.account_id, caller.region, table_name, dims,
                                    self.clock.now())


def _is_select(dims: tuple) -> bool:
    """ExecuteStatement of a SELECT: ReturnedItemCount counts its items (spec 4.0.2)."""
    return ("Verb", "PartiQLSelect") in dims


class DynamoDBPort(DynamoDBApi):
    """In-process access for Application Auto Scaling, through the same domain code and errors as
    DescribeTable and UpdateTable."""

    def __init__(self, svc: DynamoDBService):
        self.svc = svc

    def describe_table(self, caller: Caller, table_name: str) -> dict[str, Any]:
        return self.svc.tables.describe(self.svc.tables.require(caller.scope, table_name))

    def update_provisioned_throughput(self, caller: Caller, table_name: str,
                                      index_name: Optional[str] = None,
                                      read_units: Optional[int] = None,
                                      write_units: Optional[int] = None) -> dict[str, Any]:
        table = self.svc.tables.require(caller.scope, table_name)
        throughput = table.throughput_of(index_name)
        if throughput is None:  # an LSI has no throughput of its own
            raise errors.index_not_found(table.name, index_name)
        read = throughput.read if read_units is None else read_units
        write = throughput.write if write_units is None else write_units
        if index_name is not None:
            table = self.svc.tables.change_index_throughput(caller.scope, table, index_name,
                                                            read, write)
            return self.svc.tables.describe(table)
        table = self.svc.tables.change_throughput(caller.scope, table, read, write)
        return self.svc.tables.describe(table)

    def add_capacity_listener(self, listener: CapacityListener) -> None:
        self.svc.listeners.append(listener)

    def recent_seconds(self, caller: Caller, table_name: str, index_name: Optional[str],
                       start: int, end: int) -> dict[str, Any]:
        seconds = self.svc.limiter.seconds
        out = {}
        for direction in ("read", "write"):
            consumed, throttled, rate = seconds.series(
                (caller.account_id, caller.region, table_name, index_name or "", direction),
                start, end)
            out[direction] = {"consumed": consumed, "throttleEvents": throttled,
                              "provisioned": rate}
        return out


def build(parts: Parts) -> DynamoDBService:
    return DynamoDBService(parts.store, parts.clock, parts.scheduler, parts.config,
                           parts.ports["cloudwatch"], parts.ports["dynamodbstreams"],
                           parts.timing)
