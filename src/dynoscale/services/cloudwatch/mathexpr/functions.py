"""The metric math functions, with the argument and return types of the CloudWatch User Guide's
table ("Using math expressions with CloudWatch metrics", "Functions supported for metric math")
and its section "Using IF expressions".

Choices the guide leaves open, all [inferred]: MIN/MAX/STDDEV of an array look at the series that
have a value at each timestamp (AVG counts a missing value as 0, as the guide says); STDDEV is the
population standard deviation; DIFF/DIFF_TIME/RATE have no value at a series' first point; FILL
with REPEAT leaves the gap before the first value, LINEAR only fills between two values;
SORT puts series without values last. Functions that need the request's time range (FILL,
TIME_SERIES, MINUTE...EPOCH) use every period start of the range ("non-sparse"). SEARCH,
ANOMALY_DETECTION_BAND, INSIGHT_RULE_METRIC, SERVICE_QUOTA and DB_PERF_INSIGHTS are recognised but
have no data here: they yield empty series (and alarms using them are not evaluated).
"""

from __future__ import annotations

import bisect
import math
import statistics
from datetime import datetime, timezone
from typing import Callable, Optional, Protocol

from dynoscale.services.cloudwatch.mathexpr.errors import MathError
from dynoscale.services.cloudwatch.mathexpr.series import (
    Dropped, Series, Value, clean, kind, map_points, period_of, stamps_of)


class Context(Protocol):
    dropped: Dropped
    default_period: int

    def grid(self, period: int) -> list[float]: ...

    def metrics(self, needle: Optional[str]) -> list[Series]: ...


Function = Callable[[Context, str, list], Value]


def bad(name: str) -> MathError:
    return MathError(f"Invalid arguments for function {name}")  # [inferred] text


# -- per point ---------------------------------------------------------------------------------
def _pointwise(fn: Callable[[float], float]) -> Function:
    def apply(ctx: Context, name: str, args: list) -> Value:
        if len(args) != 1 or kind(args[0]) not in ("S", "TS", "TS[]"):
            raise bad(name)
        return map_points(args[0], fn, ctx.dropped, f"function {name}")
    return apply


def _ceil(v: float) -> float:
    return float(math.ceil(v))


def _floor(v: float) -> float:
    return float(math.floor(v))


# -- aggregates: TS -> S, TS[] -> TS -----------------------------------------------------------
def _reduce(name: str, values: list[float], width: int) -> float:
    if name == "SUM":
        return math.fsum(values)
    if name == "DATAPOINT_COUNT":
        return float(len(values))
    if not values:
        return math.nan
    if name == "AVG":
        return math.fsum(values) / max(width, len(values))
    if name == "MAX":
        return max(values)
    if name == "MIN":
        return min(values)
    return statistics.pstdev(values)  # STDDEV


def _aggregate(ctx: Context, name: str, args: list) -> Value:
    if len(args) != 1:
        raise bad(name)
    arg = args[0]
    if kind(arg) == "TS":
        return _reduce(name, list(arg.points.values()), 0)
    if kind(arg) != "TS[]":
        raise bad(name)
    points = {}
    for ts in stamps_of(arg):
        present = [s.points[ts] for s in arg if ts in s.points]
        points[ts] = _reduce(name, present, len(arg) if name == "AVG" else 0)
    return Series(clean(points, ctx.dropped), period_of(arg, ctx.default_period))


# -- along one series --------------------------------------------------------------------------
def _along(step: Callable[[float, float, float, float], float]) -> Function:
    """value at each point from (previous ts, previous value, ts, value); none at the first."""
    def one(ctx: Context, series: Series) -> Series:
        items = series.items()
        points = {ts: step(pt, pv, ts, v) for (pt, pv), (ts, v) in zip(items, items[1:])}
        return series.derived(clean(points, ctx.dropped))

    def apply(ctx: Context, name: str, args: list) -> Value:
        if len(args) != 1 or kind(args[0]) not in ("TS", "TS[]"):
            raise bad(name)
        if kind(args[0]) == "TS":
            return one(ctx, args[0])
        return [one(ctx, s) for s in args[0]]
    return apply


def _running_sum(ctx: Context, name: str, args: list) -> Value:
    if len(args) != 1 or kind(args[0]) not in ("TS", "TS[]"):
        raise bad(name)

    def one(series: Series) -> Series:
        total, points = 0.0, {}
        for ts, v in series.items():
            total += v
            points[ts] = total
        return series.derived(clean(points, ctx.dropped))
    return one(args[0]) if kind(args[0]) == "TS" else [one(s) for s in args[0]]


# -- FILL, IF, TIME_SERIES, time parts ---------------------------------------------------------
def _fill_one(ctx: Context, series: Series, filler: Value) -> Series:
    points = dict(series.points)
    known = series.items()
    stamps = [t for t, _ in known]
    for ts in ctx.grid(series.period):
        if ts in points:
            continue
        if kind(filler) == "S":
            points[ts] = filler  # type: ignore[assignment]
        elif kind(filler) == "TS":
            if ts in filler.points:  # type: ignore[union-attr]
                points[ts] = filler.points[ts]  # type: ignore[union-attr]
        else:
            at = bisect.bisect_left(stamps, ts)  # known[at - 1] is the last value before ts
            if filler == "REPEAT" and at > 0:
                points[ts] = known[at - 1][1]
            elif filler == "LINEAR" and 0 < at < len(known):
                (t0, v0), (t1, v1) = known[at - 1], known[at]
                points[ts] = v0 + (v1 - v0) * (ts - t0) / (t1 - t0)
    return series.derived(clean(points, ctx.dropped))


def _fill(ctx: Context, name: str, args: list) -> Value:
    if len(args) != 2 or kind(args[0]) not in ("TS", "TS[]"):
        raise bad(name)
    filler = args[1]
    if not (kind(filler) in ("S", "TS") or filler in ("REPEAT", "LINEAR")):
        raise bad(name)
    if kind(args[0]) == "TS":
        return _fill_one(ctx, args[0], filler)
    return [_fill_one(ctx, s, filler) for s in args[0]]


def _if(ctx: Context, name: str, args: list) -> Value:
    if len(args) not in (2, 3) or any(kind(a) not in ("S", "TS") for a in args):
        raise bad(name)
    cond, when_true = args[0], args[1]
    when_false = args[2] if len(args) == 3 else None
    if kind(cond) == "S":
        chosen = when_true if cond != 0 and not math.isnan(cond) else when_false
        if chosen is None:
            return Series(period=ctx.default_period)
        return chosen
    points = {}
    for ts, v in cond.items():
        truthy = v != 0 and not math.isnan(v)
        branch = when_true if truthy else when_false
        if branch is None:
            continue
        if kind(branch) == "S":
            points[ts] = branch
        elif ts in branch.points:
            points[ts] = branch.points[ts]
        elif truthy:
            points[ts] = 0.0  # guide: TRUE and no data point in metric2 -> 0
    return cond.derived(clean(points, ctx.dropped))


def _time_series(ctx: Context, name: str, args: list) -> Value:
    if len(args) != 1 or kind(args[0]) != "S":
        raise bad(name)
    points = {ts: args[0] for ts in ctx.grid(ctx.default_period)}
    return Series(clean(points, ctx.dropped), ctx.default_period)


def _time_part(part: Callable[[datetime], int]) -> Function:
    def apply(ctx: Context, name: str, args: list) -> Value:
        if len(args) != 1 or kind(args[0]) != "TS":
            raise bad(name)
        period = args[0].period
        return Series({ts: float(part(datetime.fromtimestamp(ts, timezone.utc)))
                       for ts in ctx.grid(period)}, period)
    return apply


def _period(ctx: Context, name: str, args: list) -> Value:
    # guide: "Valid input is metrics, not the results of other expressions"
    if len(args) != 1 or kind(args[0]) != "TS" or not args[0].metric:
        raise bad(name)
    return float(args[0].period)


# -- arrays ------------------------------------------------------------------------------------
def _metrics(ctx: Context, name: str, args: list) -> Value:
    if len(args) > 1 or (args and kind(args[0]) != "string"):
        raise bad(name)
    return ctx.metrics(str(args[0]) if args else None)


def _first_last(ctx: Context, name: str, args: list) -> Value:
    if len(args) != 1 or kind(args[0]) != "TS[]":
        raise bad(name)
    if not args[0]:
        return Series(period=ctx.default_period)
    return args[0][0] if name == "FIRST" else args[0][-1]


def _metric_count(ctx: Context, name: str, args: list) -> Value:
    if len(args) != 1 or kind(args[0]) != "TS[]":
        raise bad(name)
    return float(len(args[0]))


def _remove_empty(ctx: Context, name: str, args: list) -> Value:
    if len(args) != 1 or kind(args[0]) != "TS[]":
        raise bad(name)
    return [s for s in args[0] if s.points]


def _slice(ctx: Context, name: str, args: list) -> Value:
    if len(args) not in (2, 3) or kind(args[0]) != "TS[]" or any(kind(a) != "S" for a in args[1:]):
        raise bad(name)
    start = int(args[1])
    end = int(args[2]) if len(args) == 3 else None
    return args[0][start:end]


def _sort(ctx: Context, name: str, args: list) -> Value:
    if len(args) not in (3, 4) or kind(args[0]) != "TS[]" or kind(args[1]) != "word" \
            or args[1] not in ("AVG", "MIN", "MAX", "SUM") or args[2] not in ("ASC", "DESC") \
            or (len(args) == 4 and kind(args[3]) != "S"):
        raise bad(name)
    keyed = [(_reduce(str(args[1]), list(s.points.values()), 0), s) for s in args[0]]
    with_values = [(k, s) for k, s in keyed if not math.isnan(k)]
    empty = [s for k, s in keyed if math.isnan(k)]
    with_values.sort(key=lambda ks: ks[0], reverse=args[2] == "DESC")
    ordered = [s for _, s in with_values] + empty
    return ordered[:int(args[3])] if len(args) == 4 else ordered


# -- recognised, without data here --------------------------------------------------------------
def _no_series(ctx: Context, name: str, args: list) -> Value:
    return Series(period=ctx.default_period)


def _no_array(ctx: Context, name: str, args: list) -> Value:
    return []


UNSUPPORTED = frozenset({"SEARCH", "ANOMALY_DETECTION_BAND", "INSIGHT_RULE_METRIC",
                         "SERVICE_QUOTA", "DB_PERF_INSIGHTS"})

FUNCTIONS: dict[str, Function] = {
    "ABS": _pointwise(abs), "CEIL": _pointwise(_ceil), "FLOOR": _pointwise(_floor),
    "LOG": _pointwise(math.log), "LOG10": _pointwise(math.log10),
    "AVG": _aggregate, "MAX": _aggregate, "MIN": _aggregate, "SUM": _aggregate,
    "STDDEV": _aggregate, "DATAPOINT_COUNT": _aggregate,
    "DIFF": _along(lambda pt, pv, t, v: v - pv),
    "DIFF_TIME": _along(lambda pt, pv, t, v: t - pt),
    "RATE": _along(lambda pt, pv, t, v: (v - pv) / (t - pt)),
    "RUNNING_SUM": _running_sum, "FILL": _fill, "IF": _if, "TIME_SERIES": _time_series,
    "MINUTE": _time_part(lambda d: d.minute), "HOUR": _time_part(lambda d: d.hour),
    "DAY": _time_part(lambda d: d.isoweekday()), "DATE": _time_part(lambda d: d.day),
    "MONTH": _time_part(lambda d: d.month), "YEAR": _time_part(lambda d: d.year),
    "EPOCH": _time_part(lambda d: int(d.timestamp())),
    "PERIOD": _period, "METRICS": _metrics, "FIRST": _first_last, "LAST": _first_last,
    "METRIC_COUNT": _metric_count, "REMOVE_EMPTY": _remove_empty, "SLICE": _slice, "SORT": _sort,
    "SEARCH": _no_array, "ANOMALY_DETECTION_BAND": _no_array,
    "INSIGHT_RULE_METRIC": _no_series, "SERVICE_QUOTA": _no_series, "DB_PERF_INSIGHTS": _no_series,
}
