"""Values of metric math: scalars (float), time series (Series), arrays of time series (list),
strings and bare keywords; and the operators between them.

Rules (CloudWatch User Guide, "Using math expressions with CloudWatch metrics"):
- arithmetic `+ - * / ^` takes S S, TS TS, TS S, S TS, TS[] with TS or S; between two series
  "missing values in a time series are treated as 0" (so the result has every timestamp of
  either series), and "if the value of a data point causes a function to attempt to divide by
  zero, the data point is dropped";
- comparisons return 0/1; between two series "the function treats the missing value in the other
  time series as 0" (the guide's table: metric1 [30,20,0,0], metric2 [20,-,20,-];
  metric1 > 15 AND metric2 > 15 -> [1,0,0,0]);
- a point whose value is NaN or infinite is dropped and the result carries AWS's ArithmeticError
  message (observed in GetMetricData responses: Code `ArithmeticError`, "One or more data-points
  have been dropped due to non-numeric values (NaN, -Infinite, +Infinite)").
Array op array pairs the series one to one when both have the same length [inferred].
"""

from __future__ import annotations

import math
import operator
from dataclasses import dataclass, field
from typing import Callable, Union

from dynoscale.services.cloudwatch.mathexpr.errors import MathError


@dataclass
class Series:
    """One time series: period start -> value, ascending. `metric` marks a MetricStat's own data
    (PERIOD accepts only those)."""
    points: dict[float, float] = field(default_factory=dict)
    period: int = 60
    label: str = ""
    metric: bool = False

    def items(self) -> list[tuple[float, float]]:
        return sorted(self.points.items())

    def derived(self, points: dict[float, float]) -> "Series":
        return Series(dict(sorted(points.items())), self.period, self.label)


class Keyword(str):
    """A bare upper-case word argument (REPEAT, LINEAR, ASC, DESC, AVG, MIN, MAX, SUM)."""


class Text(str):
    """A string literal argument (METRICS("errors"), SEARCH('...'))."""


Value = Union[float, Series, list, Keyword, Text]


def kind(value: Value) -> str:
    """S, TS, TS[], word or string: the guide's argument types."""
    if isinstance(value, Series):
        return "TS"
    if isinstance(value, list):
        return "TS[]"
    if isinstance(value, Keyword):
        return "word"
    if isinstance(value, Text):
        return "string"
    return "S"


class Dropped:
    """Records that a non-numeric point was dropped (for the ArithmeticError message)."""

    def __init__(self) -> None:
        self.any = False


def clean(points: dict[float, float], dropped: Dropped) -> dict[float, float]:
    """`points` without NaN/infinite values, flagging `dropped` when one goes."""
    kept = {ts: v for ts, v in points.items() if v is not None and math.isfinite(v)}
    if len(kept) != len(points):
        dropped.any = True
    return kept


def _div(x: float, y: float) -> float:
    return x / y if y != 0 else math.nan


def _pow(x: float, y: float) -> float:
    try:
        return math.pow(x, y)
    except (ValueError, ZeroDivisionError):
        return math.nan
    except OverflowError:
        return math.inf


def _truth(x: float) -> bool:
    return x != 0 and not math.isnan(x)


OPERATORS: dict[str, Callable[[float, float], float]] = {
    "+": operator.add, "-": operator.sub, "*": operator.mul, "/": _div, "^": _pow,
    "==": lambda x, y: float(x == y), "!=": lambda x, y: float(x != y),
    "<=": lambda x, y: float(x <= y), ">=": lambda x, y: float(x >= y),
    "<": lambda x, y: float(x < y), ">": lambda x, y: float(x > y),
    "AND": lambda x, y: float(_truth(x) and _truth(y)),
    "OR": lambda x, y: float(_truth(x) or _truth(y)),
}


def scalar_op(op: str, x: float, y: float) -> float:
    try:
        return OPERATORS[op](x, y)
    except OverflowError:
        return math.inf


def binary(op: str, left: Value, right: Value, dropped: Dropped) -> Value:
    """`left op right` for every combination the guide allows; MathError otherwise."""
    lk, rk = kind(left), kind(right)
    if lk == "S" and rk == "S":
        return scalar_op(op, left, right)  # type: ignore[arg-type]
    if lk == "TS[]" or rk == "TS[]":
        return _array_op(op, left, right, dropped)
    if lk == "TS" and rk == "S":
        return left.derived(clean({ts: scalar_op(op, v, right)  # type: ignore[union-attr]
                                   for ts, v in left.points.items()}, dropped))  # type: ignore
    if lk == "S" and rk == "TS":
        return right.derived(clean({ts: scalar_op(op, left, v)  # type: ignore[union-attr]
                                    for ts, v in right.points.items()}, dropped))  # type: ignore
    if lk == "TS" and rk == "TS":
        return series_op(op, left, right, dropped)  # type: ignore[arg-type]
    raise MathError(f"Invalid operands for operator '{op}'")  # [inferred] text


def series_op(op: str, left: Series, right: Series, dropped: Dropped) -> Series:
    """Two series aligned by timestamp; a value missing on one side counts as 0 (see above)."""
    stamps = set(left.points) | set(right.points)
    points = {ts: scalar_op(op, left.points.get(ts, 0.0), right.points.get(ts, 0.0))
              for ts in stamps}
    out = Series(dict(sorted(clean(points, dropped).items())), max(left.period, right.period),
                 left.label)
    return out


def _array_op(op: str, left: Value, right: Value, dropped: Dropped) -> list:
    if kind(left) == "TS[]" and kind(right) == "TS[]":
        if len(left) != len(right):  # type: ignore[arg-type]
            raise MathError(f"Invalid operands for operator '{op}'")  # [inferred] text
        return [binary(op, a, b, dropped) for a, b in zip(left, right)]  # type: ignore[arg-type]
    if kind(left) == "TS[]":
        if kind(right) not in ("S", "TS"):
            raise MathError(f"Invalid operands for operator '{op}'")  # [inferred] text
        return [binary(op, a, right, dropped) for a in left]  # type: ignore[union-attr]
    if kind(left) not in ("S", "TS"):
        raise MathError(f"Invalid operands for operator '{op}'")  # [inferred] text
    return [binary(op, left, b, dropped) for b in right]  # type: ignore[union-attr]


def negate(value: Value, op: str, dropped: Dropped) -> Value:
    """Unary minus (S, TS, TS[]) or logical NOT."""
    fn: Callable[[float], float] = (lambda v: -v) if op == "-" else (lambda v: float(not _truth(v)))
    return map_points(value, fn, dropped, f"operator '{op}'")


def map_points(value: Value, fn: Callable[[float], float], dropped: Dropped, what: str) -> Value:
    """fn applied to a scalar, to every point of a series, or of every series of an array."""
    k = kind(value)
    if k == "S":
        return _safe(fn, value)  # type: ignore[arg-type]
    if k == "TS":
        return value.derived(clean({ts: _safe(fn, v)  # type: ignore[union-attr]
                                    for ts, v in value.points.items()}, dropped))  # type: ignore
    if k == "TS[]":
        return [map_points(s, fn, dropped, what) for s in value]  # type: ignore[union-attr]
    raise MathError(f"Invalid arguments for {what}")  # [inferred] text


def _safe(fn: Callable[[float], float], v: float) -> float:
    try:
        return fn(v)
    except (ValueError, ZeroDivisionError):
        return math.nan
    except OverflowError:
        return math.inf


def flatten(items: list[Value]) -> list[Series]:
    """An array literal's items: series and arrays of series, flattened [guide:
    SUM([METRICS("4xx"), METRICS("5xx")])]."""
    out: list[Series] = []
    for item in items:
        if isinstance(item, Series):
            out.append(item)
        elif isinstance(item, list):
            out.extend(item)
        else:
            raise MathError("Arrays can contain only time series")  # [inferred] text
    return out


def stamps_of(series: list[Series]) -> list[float]:
    return sorted(set().union(*(s.points for s in series))) if series else []


def period_of(series: list[Series], default: int) -> int:
    return max((s.period for s in series), default=default)
