"""The alarm evaluator: every 60 s at the minute boundary, every alarm, every account.

CloudWatch evaluates alarms each minute even when Period > 60 s (spec 5.5.2). At boundary T an
alarm with period P looks at its last EvaluationPeriods complete periods, aligned to P:
[E - (k+1)P, E - kP) for k = 0..N-1 with E = floor(T / P) * P. DynamoDB publishes the finished
minute's datapoints at the same boundary with a lower priority number, so they are visible here.
State changes are persisted (with a StateUpdate history item) before any action runs, so handlers
that read or re-put alarms see the new state; then `listeners` hear of it (composite alarms are
re-evaluated that way, composites.py). Alarms whose `Metrics` return an expression are judged by
math_alarms.py; composite alarms are never evaluated on the timer.

`delay` (the timing profile's alarm_delay, timing.py): alarms judge the periods that ended that
long before the evaluation, E = floor((T - delay) / P) * P. 0 with `--timing fast`; with
`--timing aws` the "short delay of up to a few minutes before triggering auto scaling" that the
DynamoDB Developer Guide describes ("DynamoDB Metrics and dimensions").
"""

from __future__ import annotations

import logging
import math
from typing import Any, Callable, Optional

from dynoscale.services.cloudwatch import threshold_verdict
from dynoscale.services.cloudwatch.actions import ActionDispatcher, parse_reason_data
from dynoscale.services.cloudwatch.alarms import AlarmBook
from dynoscale.services.cloudwatch.history import History, alarm_type
from dynoscale.services.cloudwatch.math_alarms import MathAlarms
from dynoscale.services.cloudwatch.metrics import MetricStore

log = logging.getLogger("dynoscale.cloudwatch.evaluator")

JOB_KEY = "cloudwatch:evaluate"


def metric_view(alarm: dict[str, Any]) -> Optional[dict[str, Any]]:
    """The single metric an alarm watches, as Namespace/MetricName/Dimensions/Unit/Statistic/
    Period; for a `Metrics` alarm, its one MetricStat that returns data. None for metric math
    alarms (math_alarms.py evaluates those)."""
    metrics = alarm.get("Metrics")
    if not metrics:
        return alarm
    returning = [q for q in metrics if q.get("ReturnData", True)]
    if len(returning) != 1 or not returning[0].get("MetricStat"):
        return None
    stat = returning[0]["MetricStat"]
    view = dict(alarm)
    view.update(Namespace=stat["Metric"].get("Namespace"), MetricName=stat["Metric"].get("MetricName"),
                Dimensions=stat["Metric"].get("Dimensions", []), Period=stat["Period"],
                Statistic=stat["Stat"])
    if stat.get("Unit"):
        view["Unit"] = stat["Unit"]
    return view


class Evaluator:
    def __init__(self, book: AlarmBook, metrics: MetricStore, actions: ActionDispatcher,
                 history: History, clock: Any, math: MathAlarms, delay: float = 0.0):
        self.delay = delay
        self.book = book
        self.math = math
        self.metrics = metrics
        self.actions = actions
        self.history = history
        self.clock = clock
        # called after every state change, e.g. to re-evaluate composite alarms
        self.listeners: list[Callable[[str, dict[str, Any], float], None]] = []

    def run(self) -> None:
        now = self.clock.now()
        for scope, name in self.book.names():
            alarm = self.book.get(scope, name)  # re-read: a handler may have changed it
            if alarm is None or alarm.get("AlarmRule") is not None:
                continue  # composite alarms change only when their children do
            try:
                self.evaluate(scope, alarm, now)
            except Exception:
                log.exception("evaluating alarm %s failed", name)

    def periods(self, scope: str, view: dict[str, Any],
                now: float) -> list[threshold_verdict.Period]:
        period = int(view["Period"])
        n = int(view["EvaluationPeriods"])
        end = math.floor((now - self.delay) / period) * period
        start = end - n * period
        points = self.metrics.read(scope, view["Namespace"], view["MetricName"],
                                   view.get("Dimensions"), view.get("Unit"), start, end)
        buckets = self.metrics.buckets(points, 0.0, period)
        return [(end - (k + 1) * period, buckets.get(end - (k + 1) * period)) for k in range(n)]

    def evaluate(self, scope: str, alarm: dict[str, Any], now: float) -> None:
        view = metric_view(alarm)
        verdict = None
        if view is not None and view.get("Namespace") and view.get("Period"):
            verdict = threshold_verdict.evaluate(view, self.periods(scope, view, now), now)
        elif view is None:
            verdict = self.math.verdict(scope, alarm, now - self.delay)
        if verdict is not None and verdict.state != alarm["StateValue"]:
            self.transition(scope, alarm, verdict.state, verdict.reason,
                            verdict.reason_data_json(), now)
            return
        reason, data = alarm.get("StateReason", ""), None
        if verdict is not None:
            reason, data = verdict.reason, verdict.reason_data
        self.actions.on_repeat(scope, alarm, now, reason,
                               data if data is not None else parse_reason_data(alarm.get("StateReasonData")))

    def transition(self, scope: str, alarm: dict[str, Any], state: str, reason: str,
                   reason_data: Optional[str], now: float) -> None:
        """Move the alarm to `state`, persist it with a history item, then run its actions."""
        old_state, old_reason = alarm["StateValue"], alarm.get("StateReason", "")
        alarm = dict(alarm, StateValue=state, StateReason=reason, StateUpdatedTimestamp=now,
                     StateTransitionedTimestamp=now)
        if reason_data is None:
            alarm.pop("StateReasonData", None)
        else:
            alarm["StateReasonData"] = reason_data
        new_state: dict[str, Any] = {"stateValue": state, "stateReason": reason}
        if reason_data:
            new_state["stateReasonData"] = parse_reason_data(reason_data)
        with self.book.store.transaction():
            self.book.save(scope, alarm)
            self.history.add(scope, alarm["AlarmName"], "StateUpdate",
                             f"Alarm updated from {old_state} to {state}",
                             {"version": "1.0",
                              "oldState": {"stateValue": old_state, "stateReason": old_reason},
                              "newState": new_state}, now, alarm_type=alarm_type(alarm))
        self.actions.on_transition(scope, alarm, now)
        for listener in self.listeners:
            listener(scope, alarm, now)

