"""CloudWatch metric math: the expression language of MetricDataQuery.Expression.

Used by GetMetricData (operations/get_metric_data.py) and by the alarm evaluator for alarms whose
`Metrics` return an expression (math_alarms.py). Pure: no HTTP and no storage; MetricStat data
comes in through a `fetch` callback.

    parser = MathParser()                                   # one per service (svc.math_parser)
    program = compile_queries(queries, parser)              # QueryError(id, detail) if wrong
    outcomes = run(program, fetch, Window(start, end, program.default_period))
    outcomes["e1"].value                                    # float | Series | list[Series]

Modules: lexer.py (tokens), parser.py (tree, cache), series.py (values and operators),
functions.py (the function table), engine.py (evaluation), queries.py (query lists).
Facts: CloudWatch User Guide "Using math expressions with CloudWatch metrics"; botocore model
docs of MetricDataQuery.
"""

from dynoscale.services.cloudwatch.mathexpr.engine import Window, grid_origin
from dynoscale.services.cloudwatch.mathexpr.errors import MathError
from dynoscale.services.cloudwatch.mathexpr.parser import MathParser
from dynoscale.services.cloudwatch.mathexpr.queries import (
    Outcome, Program, Query, QueryError, compile_queries, run)
from dynoscale.services.cloudwatch.mathexpr.series import Series, kind

__all__ = ["MathError", "MathParser", "Outcome", "Program", "Query", "QueryError", "Series",
           "Window", "compile_queries", "grid_origin", "kind", "run"]
