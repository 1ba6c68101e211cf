"""Tree-walking evaluation of one parsed metric math expression.

`Evaluator.evaluate(tree)` returns a scalar, a Series or a list of Series. Query Ids are resolved
through a callback (queries.py evaluates the referenced query, once); METRICS() and the functions
that need the request's time range read the `Window`. Type errors (an argument of a kind the
CloudWatch User Guide's function table does not allow) raise MathError.
"""

from __future__ import annotations

import math
from typing import Callable, Optional

from dynoscale.services.cloudwatch.mathexpr import parser as p
from dynoscale.services.cloudwatch.mathexpr.errors import MathError
from dynoscale.services.cloudwatch.mathexpr.functions import FUNCTIONS
from dynoscale.services.cloudwatch.mathexpr.series import (
    Dropped, Keyword, Series, Text, Value, binary, flatten, negate)


def grid_origin(start: float, period: int) -> float:
    """Where the periods of a request start: StartTime rounded down to the minute (periods of
    60 s or more) or to the period (high resolution) - GetMetricData's StartTime doc."""
    step = 60 if period >= 60 else period
    return math.floor(start / step) * step


class Window:
    """The time range of one evaluation, [start, end), and its default period."""

    def __init__(self, start: float, end: float, default_period: int):
        self.start = start
        self.end = end
        self.default_period = default_period

    def grid(self, period: int) -> list[float]:
        origin = grid_origin(self.start, period)
        count = max(0, math.ceil((self.end - origin) / period))
        return [origin + k * period for k in range(count)]


class Evaluator:
    """Evaluates trees of one query: `resolve(id)` gives another query's value, `metrics()` the
    MetricStat series of the request (for METRICS())."""

    def __init__(self, window: Window, default_period: int, resolve: Callable[[str], Value],
                 metrics: Callable[[Optional[str]], list[Series]]):
        self.window = window
        self.default_period = default_period
        self.resolve = resolve
        self._metrics = metrics
        self.dropped = Dropped()

    # the Context the functions see
    def grid(self, period: int) -> list[float]:
        return self.window.grid(period)

    def metrics(self, needle: Optional[str]) -> list[Series]:
        return self._metrics(needle)

    def evaluate(self, node: p.Node) -> Value:
        if isinstance(node, p.Num):
            return node.value
        if isinstance(node, p.Str):
            return Text(node.value)
        if isinstance(node, p.Word):
            return Keyword(node.name)
        if isinstance(node, p.Ref):
            return self.resolve(node.name)
        if isinstance(node, p.Unary):
            return negate(self.evaluate(node.operand), node.op, self.dropped)
        if isinstance(node, p.Binary):
            return binary(node.op, self.evaluate(node.left), self.evaluate(node.right),
                          self.dropped)
        if isinstance(node, p.Array):
            return flatten([self.evaluate(item) for item in node.items])
        if isinstance(node, p.Call):
            args = [self.evaluate(arg) for arg in node.args]
            return FUNCTIONS[node.name](self, node.name, args)
        if isinstance(node, p.Sql):
            return Series(period=self.default_period)  # Metrics Insights: no data here
        raise MathError("Unsupported expression")  # unreachable: the parser builds only these
