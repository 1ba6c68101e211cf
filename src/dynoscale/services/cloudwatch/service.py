"""CloudWatch (botocore name `cloudwatch`): metrics, metric math, metric and composite alarms,
their evaluation and actions.

Wiring only: the metric store (metrics.py), alarms (alarms.py, math_alarms.py, composites.py),
history (history.py), actions (actions.py) and the per-minute evaluator (evaluator.py) share one
Store; `start()` re-arms the evaluator, the only timed job (nothing in the scheduler is durable).
Composite alarms need no timer: they are evaluated when a child alarm changes state.
"""

from __future__ import annotations

from typing import Any

from dynoscale.clock import Priority
from dynoscale.services.cloudwatch.actions import ActionDispatcher
from dynoscale.services.cloudwatch.alarms import AlarmBook
from dynoscale.services.cloudwatch.composites import Composites
from dynoscale.services.cloudwatch.evaluator import JOB_KEY, Evaluator
from dynoscale.services.cloudwatch.history import History
from dynoscale.services.cloudwatch.math_alarms import MathAlarms
from dynoscale.services.cloudwatch.mathexpr import MathParser
from dynoscale.services.cloudwatch.metrics import MetricStore
from dynoscale.services.cloudwatch.operations import OPERATIONS
from dynoscale.services.cloudwatch.port import CloudWatchPort
from dynoscale.services.cloudwatch.tags import AlarmTags
from dynoscale.services.cloudwatch.wire import WIRE
from dynoscale.services.cloudwatch import access
from dynoscale.services.registry import Parts, Service, bind


class CloudWatchService:
    def __init__(self, store: Any, clock: Any, scheduler: Any, config: Any,
                 alarm_delay: float = 0.0):
        self.store = store
        self.clock = clock
        self.scheduler = scheduler
        self.config = config
        self.metrics = MetricStore(store)
        self.math_parser = MathParser()  # metric math trees cached by expression text
        self.history = History(store)
        self.alarms = AlarmBook(store, clock, self.history, self.math_parser)
        self.actions = ActionDispatcher(self.history)
        self.evaluator = Evaluator(self.alarms, self.metrics, self.actions, self.history, clock,
                                   MathAlarms(self.metrics, self.math_parser), delay=alarm_delay)
        self.composites = Composites(self.alarms, self.history, self.evaluator, clock)
        self.tags = AlarmTags(self.alarms)
        self.api = CloudWatchPort(self)
        self.service = Service(name=WIRE.name, operations=bind(OPERATIONS, self),
                               access=access.requests)

    def start(self) -> None:
        self.scheduler.every(60, self.evaluator.run, key=JOB_KEY,
                             priority=Priority.ALARM_EVALUATION)


def build(parts: Parts) -> CloudWatchService:
    return CloudWatchService(parts.store, parts.clock, parts.scheduler, parts.config,
                             alarm_delay=parts.timing.alarm_delay)
