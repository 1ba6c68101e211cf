"""PutMetricData: store datapoints (Value, StatisticValues, or Values+Counts) of custom metrics.

AWS facts (spec 5.6.1, model docs of PutMetricData/MetricDatum): <= 1000 datums; Value excludes
StatisticValues and Values (StatisticValues with Values is accepted, see _points); Counts match Values (<= 150 values), default 1; values within
+-2^360 and not NaN/Infinity; Timestamp defaults to now, at most two weeks old and two hours
ahead; StorageResolution 1 or 60; the `AWS/` namespace prefix is reserved for AWS services.
The whole request is validated before anything is stored.
"""

from __future__ import annotations

import math
from typing import Any

from dynoscale.context import Caller
from dynoscale.services.cloudwatch import errors

MAX_DATUMS = 1000
MAX_VALUES = 150
LIMIT = 2.0 ** 360
TWO_WEEKS = 14 * 86400
TWO_HOURS = 2 * 3600


def _finite(value: float, parameter: str) -> float:
    if math.isnan(value) or math.isinf(value) or abs(value) > LIMIT:
        raise errors.invalid_value_for("NaN" if math.isnan(value) else value, parameter)
    return value


def _points(datum: dict[str, Any], where: str, now: float) -> list[tuple[float, ...]]:
    ts = datum.get("Timestamp", now)
    if ts < now - TWO_WEEKS or ts > now + TWO_HOURS:  # [inferred] text
        raise errors.invalid_value(
            f"The parameter {where}.Timestamp must specify a time no more than two weeks in the "
            "past and no more than two hours in the future.")
    resolution = datum.get("StorageResolution")
    if resolution is not None and resolution not in (1, 60):
        raise errors.invalid_value_for(resolution, f"{where}.StorageResolution")
    has_value = datum.get("Value") is not None
    stats = datum.get("StatisticValues")
    values = datum.get("Values")
    if has_value and stats is not None:
        raise errors.mutually_exclusive(f"{where}.Value", f"{where}.StatisticValues")
    # Value with Values is InvalidParameterCombination too, while StatisticValues with Values is
    # accepted (LocalStack tests/aws/services/cloudwatch/test_cloudwatch.py::
    # test_put_metric_data_validation, validated against AWS: "For some strange reason the AWS
    # implementation allows this"). Which of the two is then stored is not recorded: the
    # StatisticValues here [inferred].
    if has_value and values:
        raise errors.mutually_exclusive(f"{where}.Value", f"{where}.Values")
    if has_value:
        value = _finite(datum["Value"], f"{where}.Value")
        return [(ts, 1.0, value, value, value)]
    if stats is not None:
        n = _finite(stats["SampleCount"], f"{where}.StatisticValues.SampleCount")
        total = _finite(stats["Sum"], f"{where}.StatisticValues.Sum")
        low = _finite(stats["Minimum"], f"{where}.StatisticValues.Minimum")
        high = _finite(stats["Maximum"], f"{where}.StatisticValues.Maximum")
        if n <= 0:
            raise errors.invalid_value_for(n, f"{where}.StatisticValues.SampleCount")
        if low > high:  # [inferred] text
            raise errors.invalid_value(f"The parameter {where}.StatisticValues.Minimum must be "
                                       f"less than or equal to {where}.StatisticValues.Maximum.")
        return [(ts, n, total, low, high)]
    if values:
        if len(values) > MAX_VALUES:
            raise errors.collection_too_large(f"{where}.Values", MAX_VALUES)
        counts = datum.get("Counts") or [1.0] * len(values)
        if len(counts) != len(values):
            raise errors.invalid_value(f"The parameters {where}.Values and {where}.Counts must be "
                                       "of the same size.")
        points = []
        for i, (value, count) in enumerate(zip(values, counts), 1):
            _finite(value, f"{where}.Values.member.{i}")
            _finite(count, f"{where}.Counts.member.{i}")
            if count <= 0:
                continue  # a zero count carries no sample
            points.append((ts, float(count), value * count, value, value))
        return points
    # [inferred] text: AWS needs one of the three forms of a value.
    raise errors.missing(f"The parameter {where}.Value is required.")


def handle(svc, caller: Caller, request: dict) -> dict:
    namespace = request["Namespace"]
    if namespace.startswith("AWS/"):
        # Observed on AWS: the AWS/ prefix is reserved for AWS services' metrics.
        raise errors.invalid_value_for(namespace, "Namespace")
    data = request.get("MetricData")
    if not data and not request.get("EntityMetricData"):
        raise errors.missing("The parameter MetricData is required.")  # [inferred] text
    data = list(data or []) + [d for e in request.get("EntityMetricData") or []
                               for d in e.get("MetricData") or []]
    if len(data) > MAX_DATUMS:
        raise errors.collection_too_large("MetricData", MAX_DATUMS)
    now = svc.clock.now()
    batches = [(d, _points(d, f"MetricData.member.{i}", now)) for i, d in enumerate(data, 1)]
    with svc.store.transaction():
        for datum, points in batches:
            svc.metrics.add(caller.scope, namespace, datum["MetricName"], datum.get("Dimensions"),
                            datum.get("Unit"), points)
    return {}
