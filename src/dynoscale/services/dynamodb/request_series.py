"""Which request-metric series a data-plane request counts in: its tables, and the dimensions
that name the operation next to TableName.

AWS (developer guide, "DynamoDB Metrics and dimensions", section Dimensions: "Operation",
"OperationType", "Verb"):
- the item API reports under TableName + Operation (the API name), once per table a batch or
  transaction names;
- ExecuteStatement adds `Verb`, the PartiQL verb the statement ran: PartiQLSelect,
  PartiQLInsert, PartiQLUpdate or PartiQLDelete;
- BatchExecuteStatement and ExecuteTransaction add `OperationType`: Read or Write (a batch or a
  transaction is all reads or all writes; EXISTS checks ride along with writes).

The PartiQL tables come from the parsed statements (the shared statement cache, so a statement
is parsed once for running and for metrics). A statement that does not parse names no table:
its request is a user error, which has no TableName dimension anyway.
"""

from __future__ import annotations

from dynoscale.services.dynamodb.batches import request_table_names
from dynoscale.services.dynamodb.partiql import ast
from dynoscale.services.dynamodb.partiql.parser import StatementCache

PARTIQL = ("ExecuteStatement", "BatchExecuteStatement", "ExecuteTransaction")
_VERBS = {ast.Select: "PartiQLSelect", ast.Insert: "PartiQLInsert",
          ast.Update: "PartiQLUpdate", ast.Delete: "PartiQLDelete"}


def series(operation: str, request: dict, statements: StatementCache) -> list[tuple[str, tuple]]:
    """(table name, dimensions after TableName) for each table the request names, in order."""
    if operation not in PARTIQL:
        dims = (("Operation", operation),)
        return [(name, dims) for name in request_table_names(request)]
    if operation == "ExecuteStatement":
        parsed = _parse(statements, request.get("Statement"))
        table = _table(parsed)
        if table is None:
            return []
        verb = _VERBS.get(type(parsed.statement))
        return [(table, (("Operation", operation), ("Verb", verb)))] if verb else []
    key = "Statements" if operation == "BatchExecuteStatement" else "TransactStatements"
    parsed_all = [_parse(statements, entry.get("Statement")) if isinstance(entry, dict) else None
                  for entry in request.get(key) or []]
    reads = all(p is not None and isinstance(p.statement, ast.Select) for p in parsed_all)
    dims = (("Operation", operation), ("OperationType", "Read" if reads else "Write"))
    names = [_table(p) for p in parsed_all]
    return [(name, dims) for name in dict.fromkeys(n for n in names if n is not None)]


def _parse(statements: StatementCache, text) -> ast.Parsed | None:
    if not isinstance(text, str):
        return None
    try:
        return statements.parse(text)
    except Exception:  # a malformed statement: the request fails on it, with its own error
        return None


def _table(parsed: ast.Parsed | None) -> str | None:
    if parsed is None:
        return None
    node = parsed.statement
    if isinstance(node, ast.Exists):
        node = node.select
    if not isinstance(node, (ast.Select, ast.Insert, ast.Update, ast.Delete)):
        return None
    source = node.source
    if source.expr is not None or not source.components:
        return None
    return source.components[0][0] or None
