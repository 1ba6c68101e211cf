"""The IAM permissions each DynamoDB call needs under `--auth enforce`.

From the Service Authorization Reference, "Actions, resources, and condition keys for Amazon
DynamoDB": the action is `dynamodb:<Operation>` on the table
(`arn:aws:dynamodb:<region>:<account>:table/<name>`), on the index
(`.../table/<name>/index/<index>`) for a Query or Scan of an index, on the stream or backup ARN
for stream and backup calls, and on `*` for ListTables, ListBackups, DescribeLimits,
DescribeEndpoints. Batch calls need their action on every table they name; transactions need
each item's own action (TransactWriteItems: PutItem, UpdateItem, DeleteItem, ConditionCheckItem;
TransactGetItems: GetItem) on its table ("Using IAM with DynamoDB transactions"). PartiQL
statements need dynamodb:PartiQLSelect / PartiQLInsert / PartiQLUpdate / PartiQLDelete on the
table they name ("IAM security policies with PartiQL for DynamoDB").
"""

from __future__ import annotations

import re
from typing import Any

from dynoscale.services.registry import Access

PREFIX = "dynamodb"
UNSCOPED = {"ListTables", "ListBackups", "DescribeLimits", "DescribeEndpoints",
            "ListContributorInsights", "ListGlobalTables", "ListExports", "ListImports",
            "ListStreams"}
_TRANSACT_WRITE = {"Put": "PutItem", "Update": "UpdateItem", "Delete": "DeleteItem",
                   "ConditionCheck": "ConditionCheckItem"}
_PARTIQL = {"select": "PartiQLSelect", "insert": "PartiQLInsert", "update": "PartiQLUpdate",
            "delete": "PartiQLDelete", "exists": "PartiQLSelect"}
# the first table a statement names: SELECT ... FROM t, INSERT INTO t, UPDATE t, DELETE FROM t
_STATEMENT_TABLE = re.compile(r'(?is)^\s*(?:select\b.*?\bfrom|insert\s+into|update|delete\s+from'
                              r'|exists\s*\(\s*select\b.*?\bfrom)\s+("(?:[^"]|"")+"|[\w.-]+)')


def table_arn(caller, name: str) -> str:
    if name.startswith("arn:"):
        return name
    return f"arn:aws:dynamodb:{caller.region}:{caller.account_id}:table/{name}"


def requests(caller, operation: str, request: dict[str, Any]) -> list[Access]:
    action = f"{PREFIX}:{operation}"
    if operation == "ListTables":
        # AWS names `table/*` as the resource of a refused ListTables (its AccessDenied text as
        # quoted in public issue threads) [inferred: policies granting `table/*` allow it].
        return [Access(action, table_arn(caller, "*"))]
    if operation in UNSCOPED:
        return [Access(action, "*")]
    if operation in ("BatchGetItem", "BatchWriteItem"):
        return [Access(action, table_arn(caller, t)) for t in request.get("RequestItems") or {}]
    if operation == "TransactWriteItems":
        out = []
        for item in request.get("TransactItems") or []:
            for kind, op in _TRANSACT_WRITE.items():
                if kind in item:
                    out.append(Access(f"{PREFIX}:{op}", table_arn(caller, item[kind]["TableName"])))
        return out
    if operation == "TransactGetItems":
        return [Access(f"{PREFIX}:GetItem", table_arn(caller, item["Get"]["TableName"]))
                for item in request.get("TransactItems") or [] if "Get" in item]
    if operation == "ExecuteStatement":
        return [_statement(caller, request.get("Statement", ""))]
    if operation in ("BatchExecuteStatement", "ExecuteTransaction"):
        members = request.get("Statements") or request.get("TransactStatements") or []
        return [_statement(caller, m.get("Statement", "")) for m in members]
    for member in ("ResourceArn", "StreamArn", "BackupArn"):
        if request.get(member):
            return [Access(action, request[member])]
    name = request.get("TableName") or request.get("TargetTableName")
    if not name:
        return [Access(action, "*")]
    arn = table_arn(caller, name)
    if operation in ("Query", "Scan") and request.get("IndexName"):
        arn = f"{arn}/index/{request['IndexName']}"
    return [Access(action, arn)]


def _statement(caller, statement: str) -> Access:
    verb = statement.strip().split(None, 1)[0].lower() if statement.strip() else ""
    verb = "exists" if verb.startswith("exists") else verb
    action = f"{PREFIX}:{_PARTIQL.get(verb, 'PartiQLSelect')}"
    m = _STATEMENT_TABLE.match(statement)
    if m is None:
        return Access(action, "*")
    name = m.group(1)
    if name.startswith('"'):
        name = name[1:-1].replace('""', '"')
    return Access(action, table_arn(caller, name.split(".", 1)[0]))
