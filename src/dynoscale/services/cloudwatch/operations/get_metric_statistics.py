"""GetMetricStatistics: statistics of one metric per period over [StartTime, EndTime).

AWS facts (spec 5.6.3, model docs): StartTime inclusive, EndTime exclusive; Statistics XOR
ExtendedStatistics; at most 1,440 datapoints per call; Period 1/5/10/20/30 or a multiple of 60;
start times are rounded down to the minute (periods of 60 s or more); without Unit every unit is
returned, each datapoint carrying its Unit; Label = MetricName. Percentiles are not kept by the
metric store, so ExtendedStatistics yield no values (documented gap).
"""

from __future__ import annotations

import math

from dynoscale.context import Caller
from dynoscale.services.cloudwatch import errors
from dynoscale.services.cloudwatch.mathexpr import grid_origin

MAX_DATAPOINTS = 1440
HIGH_RESOLUTION_PERIODS = (1, 5, 10, 20, 30)


def check_period(period: int, parameter: str = "Period") -> None:
    if period not in HIGH_RESOLUTION_PERIODS and period % 60:  # [inferred] text
        raise errors.invalid_value(f"The parameter {parameter} must be 1, 5, 10, 20, 30, or a "
                                   "multiple of 60.")


def aligned_start(start: float, period: int) -> float:
    return grid_origin(start, period)


def handle(svc, caller: Caller, request: dict) -> dict:
    period = request["Period"]
    check_period(period)
    statistics = request.get("Statistics")
    extended = request.get("ExtendedStatistics")
    if statistics and extended:  # [inferred] text
        raise errors.combination("The parameters Statistics and ExtendedStatistics are mutually "
                                 "exclusive and you have specified both.")
    if not statistics and not extended:  # [inferred] text
        raise errors.missing("The parameter Statistics or ExtendedStatistics is required.")
    start, end = request["StartTime"], request["EndTime"]
    if start >= end:
        raise errors.start_not_before_end()
    # The datapoint count is taken over the requested span, before StartTime is rounded down:
    # one day at Period 60 from a StartTime with seconds is accepted (LocalStack
    # tests/aws/services/cloudwatch/test_cloudwatch.py::test_invalid_amount_of_datapoints,
    # validated against AWS), though its rounded window spans 1,441 periods.
    requested = math.ceil((end - start) / period)
    if requested > MAX_DATAPOINTS:
        raise errors.too_many_datapoints(requested)
    start = aligned_start(start, period)
    scope, namespace, name = caller.scope, request["Namespace"], request["MetricName"]
    dimensions = request.get("Dimensions")
    units = [request["Unit"]] if request.get("Unit") else svc.metrics.units(scope, namespace, name,
                                                                            dimensions)
    datapoints = []
    for unit in units:
        points = svc.metrics.read(scope, namespace, name, dimensions, unit, start, end)
        for ts, stats in svc.metrics.buckets(points, start, period).items():
            point = {"Timestamp": ts}
            for stat in statistics or []:
                point[stat] = stats[stat]
            point["Unit"] = unit
            datapoints.append(point)
    datapoints.sort(key=lambda p: (p["Timestamp"], p["Unit"]))
    return {"Label": name, "Datapoints": datapoints}
