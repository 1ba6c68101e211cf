"""Metric alarms: PutMetricAlarm validation, the stored record, and the MetricAlarm output shape.

AWS facts (spec 5.2, 5.3): create or FULL overwrite (omitted fields are reset) keeping the current
state; new alarms start INSUFFICIENT_DATA with reason `Unchecked: Initial alarm creation`; ARN
`arn:aws:cloudwatch:<region>:<account>:alarm:<name>`; Period 10/20/30 or a multiple of 60;
Period x EvaluationPeriods <= 86,400 s when Period < 3600, never > 604,800 s; DatapointsToAlarm
<= EvaluationPeriods; Statistic xor ExtendedStatistic; `Metrics` (metric math) is checked
by math_alarms.py. DescribeAlarms echoes empty action lists and `Dimensions` as [] and omits optional
fields never set (observed describe-alarms outputs).

The record is a document {"alarm": <MetricAlarm fields>} keyed by (scope, alarm name); state
changes are written by the evaluator (evaluator.py) and SetAlarmState.
"""

from __future__ import annotations

import re
from typing import Any, Iterable, Optional

from dynoscale.context import Caller
from dynoscale.services.cloudwatch import errors, math_alarms, tags
from dynoscale.services.cloudwatch.history import History
from dynoscale.services.cloudwatch.mathexpr import MathParser

KIND = "cloudwatch:alarm"
INITIAL_REASON = "Unchecked: Initial alarm creation"
TREAT_MISSING = ("breaching", "notBreaching", "ignore", "missing")
RANGE_OPERATORS = ("LessThanLowerOrGreaterThanUpperThreshold", "LessThanLowerThreshold",
                   "GreaterThanUpperThreshold")
PERCENTILE = re.compile(r"^(p|tm|wm|tc|ts|pr)\(?[0-9]+(\.[0-9]{1,10})?(:[0-9.%]*)?\)?$")

# MetricAlarm members in the model's order; the output follows it.
OUTPUT_ORDER = (
    "AlarmName", "AlarmArn", "AlarmDescription", "AlarmConfigurationUpdatedTimestamp",
    "ActionsEnabled", "OKActions", "AlarmActions", "InsufficientDataActions", "StateValue",
    "StateReason", "StateReasonData", "StateUpdatedTimestamp", "MetricName", "Namespace",
    "Statistic", "ExtendedStatistic", "Dimensions", "Period", "Unit", "EvaluationPeriods",
    "DatapointsToAlarm", "Threshold", "ComparisonOperator", "TreatMissingData",
    "EvaluateLowSampleCountPercentile", "Metrics", "ThresholdMetricId",
    "StateTransitionedTimestamp")
# PutMetricAlarm input members copied verbatim into the record when present.
COPIED = ("AlarmDescription", "MetricName", "Namespace", "Statistic", "ExtendedStatistic",
          "Period", "Unit", "EvaluationPeriods", "DatapointsToAlarm", "Threshold",
          "ComparisonOperator", "TreatMissingData", "EvaluateLowSampleCountPercentile", "Metrics",
          "ThresholdMetricId")


CARRIED_STATE = ("StateValue", "StateReason", "StateReasonData", "StateUpdatedTimestamp",
                 "StateTransitionedTimestamp", "Tags")


def new_record(caller: Caller, request: dict[str, Any], old: Optional[dict[str, Any]], now: float,
               copied: Iterable[str]) -> dict[str, Any]:
    """The stored record of a metric or composite alarm being put: its configuration from the
    request (the fields every alarm has, then `copied` when present); its state and tags carried
    over from `old` on an update, or INSUFFICIENT_DATA and the request's Tags on creation (Tags
    are ignored on an update: model doc of PutMetricAlarm/PutCompositeAlarm Tags)."""
    name = request["AlarmName"]
    alarm: dict[str, Any] = {
        "AlarmName": name,
        "AlarmArn": alarm_arn(caller.account_id, caller.region, name),
        "AlarmConfigurationUpdatedTimestamp": now,
        "ActionsEnabled": request.get("ActionsEnabled", True),
        "OKActions": list(request.get("OKActions") or []),
        "AlarmActions": list(request.get("AlarmActions") or []),
        "InsufficientDataActions": list(request.get("InsufficientDataActions") or []),
    }
    alarm.update({k: request[k] for k in copied if request.get(k) is not None})
    if old is None:
        alarm.update(StateValue="INSUFFICIENT_DATA", StateReason=INITIAL_REASON,
                     StateUpdatedTimestamp=now, StateTransitionedTimestamp=now)
        created_tags = tags.initial(request)
        if created_tags:
            alarm["Tags"] = created_tags
    else:
        alarm.update({k: old[k] for k in CARRIED_STATE if k in old})
    return alarm


def alarm_arn(account_id: str, region: str, name: str) -> str:
    return f"arn:aws:cloudwatch:{region}:{account_id}:alarm:{name}"


def _require(request: dict[str, Any], field: str) -> None:
    if request.get(field) is None:
        raise errors.validation(f"{field} must not be null")  # [inferred] text


def _check_period(period: int, evaluation_periods: int) -> None:
    if period not in (10, 20, 30) and period % 60:
        raise errors.alarm_period_invalid()
    total = period * evaluation_periods
    # [inferred] texts; limits from the model docs of PutMetricAlarm.Period.
    if period < 3600 and total > 86400:
        raise errors.validation("The evaluation period of an alarm with a Period of less than one "
                                "hour cannot exceed 86400 seconds (Period x EvaluationPeriods)")
    if total > 604800:
        raise errors.validation("The evaluation period of an alarm cannot exceed 604800 seconds "
                                "(Period x EvaluationPeriods)")


def validate(request: dict[str, Any], parser: MathParser) -> None:
    """PutMetricAlarm's semantic checks (the model has already checked types and enums)."""
    _require(request, "EvaluationPeriods")
    _require(request, "ComparisonOperator")
    evaluation_periods = request["EvaluationPeriods"]
    operator = request["ComparisonOperator"]
    if request.get("Metrics") is not None:
        _check_period(math_alarms.validate(request, parser), evaluation_periods)
    else:
        if request.get("Statistic") is not None and request.get("ExtendedStatistic") is not None:
            # Text seen in an emulator that reproduces AWS's answers; AWS source not found.
            raise errors.validation("PutMetricAlarm request can not be made with both Statistic and "
                                    "ExtendedStatistic parameters. Only one of them should be present")
        _require(request, "MetricName")
        _require(request, "Namespace")
        if request.get("Statistic") is None and request.get("ExtendedStatistic") is None:
            raise errors.validation("Either Statistic or ExtendedStatistic must be specified")
        ext = request.get("ExtendedStatistic")
        if ext is not None and not PERCENTILE.match(ext):
            raise errors.invalid_value_for(ext, "ExtendedStatistic")
        _require(request, "Period")
        _check_period(request["Period"], evaluation_periods)
    m = request.get("DatapointsToAlarm")
    if m is not None and m > evaluation_periods:
        raise errors.datapoints_to_alarm_too_large()
    tmd = request.get("TreatMissingData")
    if tmd is not None and tmd not in TREAT_MISSING:  # [inferred] text
        raise errors.validation("TreatMissingData must be one of breaching, notBreaching, ignore, missing")
    if operator in RANGE_OPERATORS:
        if request.get("ThresholdMetricId") is None:
            raise errors.validation("ComparisonOperators for ranges require ThresholdMetricId to be set")
    elif request.get("Threshold") is None:
        raise errors.validation("Threshold must not be null")


class AlarmBook:
    """Stored alarms of every account and Region (documents of kind `cloudwatch:alarm`)."""

    def __init__(self, store: Any, clock: Any, history: History, math_parser: MathParser):
        self.store = store
        self.clock = clock
        self.history = history
        self.math_parser = math_parser

    def get(self, scope: str, name: str) -> Optional[dict[str, Any]]:
        doc = self.store.get_doc(KIND, scope, name)
        return doc["alarm"] if doc else None

    def save(self, scope: str, alarm: dict[str, Any]) -> None:
        self.store.put_doc(KIND, scope, alarm["AlarmName"], {"alarm": alarm})

    def names(self) -> list[tuple[str, str]]:
        return [(scope, name) for scope, name, _ in self.store.list_docs(KIND)]

    def in_scope(self, scope: str, prefix: str = "") -> list[dict[str, Any]]:
        return [doc["alarm"] for _, _, doc in self.store.list_docs(KIND, scope, prefix)]

    def put(self, caller: Caller, request: dict[str, Any]) -> None:
        """PutMetricAlarm: validate, then create or fully overwrite (keeping state)."""
        validate(request, self.math_parser)
        now = self.clock.now()
        name = request["AlarmName"]
        old = self.get(caller.scope, name)
        alarm = new_record(caller, request, old, now, COPIED)
        alarm["Dimensions"] = [dict(d) for d in request.get("Dimensions") or []]
        with self.store.transaction():
            self.save(caller.scope, alarm)
            verb = "created" if old is None else "updated"
            data: dict[str, Any] = {"version": "1.0", "type": "Create" if old is None else "Update"}
            data["createdAlarm" if old is None else "updatedAlarm"] = history_view(alarm)
            self.history.add(caller.scope, name, "ConfigurationUpdate", f'Alarm "{name}" {verb}',
                             data, now)

    def delete(self, scope: str, names: Iterable[str]) -> None:
        with self.store.transaction():
            for name in names:
                self.store.delete_doc(KIND, scope, name)


def public(alarm: dict[str, Any]) -> dict[str, Any]:
    """The MetricAlarm output shape, in the model's member order."""
    return {k: alarm[k] for k in OUTPUT_ORDER if k in alarm}


def history_view(alarm: dict[str, Any]) -> dict[str, Any]:
    view = public(alarm)
    for k in ("AlarmConfigurationUpdatedTimestamp", "StateUpdatedTimestamp",
              "StateTransitionedTimestamp", "StateReasonData"):
        view.pop(k, None)
    return view
