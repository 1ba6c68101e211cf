"""The DynamoDB Streams service object: the stream log, its maintenance job, the operations, and
the StreamsApi port DynamoDB appends its changes through."""

from __future__ import annotations

from typing import Any, Optional

from dynoscale.clock import Priority
from dynoscale.services.dynamodbstreams.api import StreamsApi
from dynoscale.services.dynamodbstreams.log import StreamLog
from dynoscale.services.dynamodbstreams.operations import OPERATIONS
from dynoscale.services.dynamodbstreams.policies import StreamPolicies
from dynoscale.services.dynamodbstreams.wire import WIRE
from dynoscale.services.dynamodbstreams import access
from dynoscale.services.registry import Parts, Service, bind
from dynoscale.timing import TimingProfile

MAINTENANCE_PERIOD = 60.0  # shard roll-over and trimming are checked each simulated minute


class StreamsService:
    def __init__(self, store, clock, scheduler, timing: TimingProfile):
        self.store = store
        self.clock = clock
        self.scheduler = scheduler
        self.log = StreamLog(store, clock)
        self.policies = StreamPolicies(store)
        self.api = StreamsPort(self.log, timing, self.policies)
        self.service = Service(name=WIRE.name, operations=bind(OPERATIONS, self),
                               access=access.Requests(self.policies.for_arn))

    def start(self) -> None:
        self.scheduler.every(MAINTENANCE_PERIOD, self.log.maintain, key="dynamodbstreams:maintain",
                             priority=Priority.STREAM_MAINTENANCE)


class StreamsPort(StreamsApi):
    def __init__(self, log: StreamLog, timing: TimingProfile, policies: StreamPolicies):
        self.log = log
        self.timing = timing
        self.policies = policies

    def open_stream(self, scope: str, stream_arn: str, label: str, table_name: str,
                    key_schema: list[dict[str, str]], view_type: str, ready_in: float) -> None:
        self.log.open(scope, stream_arn, label, table_name, key_schema, view_type, ready_in)

    def close_stream(self, scope: str, stream_arn: str) -> None:
        # DISABLING lasts as long as the table's UPDATING that disabled it (timing.py
        # stream_change); AWS shows DISABLING for a few seconds.
        self.log.close(scope, stream_arn, ready_in=self.timing.stream_change)

    def append(self, scope: str, stream_arn: str, record: dict[str, Any]) -> None:
        self.log.append(scope, stream_arn, record)

    def set_policy(self, scope: str, stream_arn: str, document: Optional[str]) -> None:
        self.policies.set(scope, stream_arn, document)


def build(parts: Parts) -> StreamsService:
    return StreamsService(parts.store, parts.clock, parts.scheduler, parts.timing)
