"""A list of MetricDataQuery (GetMetricData, or an alarm's `Metrics`): compile, then evaluate.

`compile_queries` parses every Expression (cached), checks that every Id an expression names is
a query of the same list and that no expression depends on itself, directly or through others
(botocore model doc of MetricDataQuery.Expression: "A math expression can use the Id of the other
metrics or queries ... and can also use the Id of other expressions"). `run` evaluates each
query at most once: MetricStat queries through the caller's `fetch`, expressions through the
engine. METRICS() yields the MetricStat queries in request order, optionally those whose Id
contains a string (User Guide, "The METRICS() function"); math expressions are not included.
Errors carry the Id of the expression at fault; texts are [inferred] (see errors.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional

from dynoscale.services.cloudwatch.mathexpr.engine import Evaluator, Window
from dynoscale.services.cloudwatch.mathexpr.errors import MathError
from dynoscale.services.cloudwatch.mathexpr.parser import MathParser, Parsed
from dynoscale.services.cloudwatch.mathexpr.series import Series, Value

DEFAULT_PERIOD = 60  # [inferred] period of an expression when no query gives one


class QueryError(Exception):
    def __init__(self, query_id: str, detail: str):
        super().__init__(f"{query_id}: {detail}")
        self.query_id = query_id
        self.detail = detail


@dataclass
class Query:
    id: str
    index: int                 # 1-based position in the list (".member.N")
    spec: dict
    parsed: Optional[Parsed]   # None for MetricStat queries
    qualifier: str = ""        # appended to a MetricStat query's default label (see below)

    @property
    def is_metric(self) -> bool:
        return self.spec.get("MetricStat") is not None

    @property
    def period(self) -> Optional[int]:
        if self.is_metric:
            return self.spec["MetricStat"]["Period"]
        return self.spec.get("Period")

    @property
    def label(self) -> str:
        """Label, or by default the metric name (MetricStat) and its qualifier, or the Id
        (expression): observed GetMetricData results (`"Id": "e1", "Label": "e1"`)."""
        if self.spec.get("Label"):
            return self.spec["Label"]
        if self.is_metric:
            return self.spec["MetricStat"]["Metric"].get("MetricName", "") + self.qualifier
        return self.id


@dataclass
class Program:
    queries: list[Query]
    by_id: dict[str, Query]

    @property
    def metrics(self) -> list[Query]:
        return [q for q in self.queries if q.is_metric]

    @property
    def default_period(self) -> int:
        return min((q.period for q in self.metrics if q.period), default=DEFAULT_PERIOD)

    def depends_on_unsupported(self, query_id: str) -> bool:
        """True when the query's value needs SEARCH, anomaly bands, Insights... (no data here)."""
        seen: set[str] = set()
        stack = [query_id]
        while stack:
            q = self.by_id[stack.pop()]
            if q.id in seen or q.parsed is None:
                continue
            seen.add(q.id)
            if q.parsed.unsupported:
                return True
            stack.extend(ref.name for ref in q.parsed.refs)
        return False


@dataclass
class Outcome:
    value: Value
    dropped: bool   # a NaN/infinite point was dropped (ArithmeticError message)


def compile_queries(specs: list[dict], parser: MathParser) -> Program:
    """Parse and cross-check the expressions of an Id-unique query list; QueryError if wrong."""
    queries = []
    for index, spec in enumerate(specs, 1):
        parsed = None
        if spec.get("MetricStat") is None and spec.get("Expression") is not None:
            try:
                parsed = parser.parse(spec["Expression"])
            except MathError as exc:
                raise QueryError(spec["Id"], exc.detail) from None
        queries.append(Query(spec["Id"], index, spec, parsed))
    _qualify_default_labels(queries)
    program = Program(queries, {q.id: q for q in queries})
    for q in queries:
        for ref in q.parsed.refs if q.parsed else ():
            if ref.name not in program.by_id:  # [inferred] text
                raise QueryError(q.id, f"Unrecognized metric or expression Id '{ref.name}' "
                                       f"at char {ref.pos}")
    _check_cycles(program)
    return program


def _qualify_default_labels(queries: list[Query]) -> None:
    """When the MetricStat queries of one list differ in Stat, each default label gains
    " <Stat>"; when they differ in Period, " <Period>" (both: "metric1 Sum 60"); a difference in
    Unit alone adds nothing. Recorded against AWS: LocalStack snapshot
    tests/aws/services/cloudwatch/test_cloudwatch.snapshot.json::test_label_generation and
    test_get_metric_data_with_zero_and_labels (queries on one metric). Comparing across every
    MetricStat query of the list, whatever its metric, is [inferred]."""
    metrics = [q for q in queries if q.is_metric]
    stats = {q.spec["MetricStat"]["Stat"] for q in metrics}
    periods = {q.spec["MetricStat"]["Period"] for q in metrics}
    if len(stats) < 2 and len(periods) < 2:
        return
    for q in metrics:
        stat = q.spec["MetricStat"]
        q.qualifier = (f" {stat['Stat']}" if len(stats) > 1 else "") + \
                      (f" {stat['Period']}" if len(periods) > 1 else "")


def _check_cycles(program: Program) -> None:
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done

    def visit(q: Query, path: list[str]) -> None:
        state[q.id] = 1
        for ref in q.parsed.refs if q.parsed else ():
            target = program.by_id[ref.name]
            if state.get(target.id) == 1:
                cycle = path[path.index(target.id):] + [target.id]
                raise QueryError(cycle[0], "Circular dependency between expressions "
                                           f"{' -> '.join(cycle)}")  # [inferred] text
            if state.get(target.id) is None:
                visit(target, path + [target.id])
        state[q.id] = 2

    for q in program.queries:
        if state.get(q.id) is None:
            visit(q, [q.id])


def run(program: Program, fetch: Callable[[Query], Series], window: Window,
        wanted: Optional[list[str]] = None) -> dict[str, Outcome]:
    """Evaluate the queries named in `wanted` (default: all) and what they depend on."""
    outcomes: dict[str, Outcome] = {}

    def value_of(query_id: str) -> Outcome:
        if query_id in outcomes:
            return outcomes[query_id]
        q = program.by_id[query_id]
        if q.is_metric:
            series = fetch(q)
            series.label, series.metric = q.label, True
            outcomes[query_id] = Outcome(series, False)
            return outcomes[query_id]
        evaluator: Evaluator

        def resolve(name: str) -> Value:
            found = value_of(name)
            if found.dropped:
                evaluator.dropped.any = True
            return found.value

        def metrics(needle: Optional[str]) -> list[Series]:
            return [value_of(m.id).value for m in program.metrics  # type: ignore[misc]
                    if needle is None or needle in m.id]

        evaluator = Evaluator(window, q.period or window.default_period, resolve, metrics)
        try:
            value = evaluator.evaluate(q.parsed.root)  # type: ignore[union-attr]
        except MathError as exc:
            raise QueryError(q.id, exc.detail) from None
        outcomes[query_id] = Outcome(value, evaluator.dropped.any)
        return outcomes[query_id]

    for query_id in wanted if wanted is not None else [q.id for q in program.queries]:
        value_of(query_id)
    return outcomes
