"""ListTables: table names of the caller's account and Region in name order, paged by
ExclusiveStartTableName (exclusive) and Limit (1..100, default 100; the range is model-validated).
LastEvaluatedTableName is returned only when more names follow the page (MODEL ListTablesOutput
doc: "use this value as the ExclusiveStartTableName ... to obtain the next page").
Tables in any status are listed (CREATING, DELETING included).
"""

from __future__ import annotations

from dynoscale.context import Caller

DEFAULT_LIMIT = 100


def handle(svc, caller: Caller, request: dict) -> dict:
    names = svc.tables.names(caller.scope)
    start = request.get("ExclusiveStartTableName")
    if start is not None:
        names = [n for n in names if n > start]
    limit = request.get("Limit", DEFAULT_LIMIT)
    page = names[:limit]
    out: dict = {"TableNames": page}
    if len(names) > limit:
        out["LastEvaluatedTableName"] = page[-1]
    return out
