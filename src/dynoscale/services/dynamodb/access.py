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

Condition key `dynamodb:LeadingKeys` ("Using IAM policy conditions for fine-grained access
control"): the partition key values of the items a GetItem, PutItem, UpdateItem, DeleteItem,
BatchGetItem, BatchWriteItem, TransactGetItems or TransactWriteItems call names, per table.
Query and Scan do not set it here [inferred gap: Query's value sits in its key condition
expression]; `ForAllValues:` conditions on it then hold, as AWS's documentation warns for
absent keys.

Resource-based policies ("Using resource-based policies for DynamoDB"): every permission on a
table, one of its indexes or a stream carries the policy attached to it (an index's is its
table's) for IAM to evaluate with the caller's identity policies. CreateTable with a
ResourcePolicy needs dynamodb:PutResourcePolicy as well (CreateTable API reference). The
account's root may always delete a table's policy, whatever it denies (DeleteResourcePolicy API
reference: so that no one is locked out of their own resources), and a new policy must leave
its author dynamodb:PutResourcePolicy unless ConfirmRemoveSelfResourceAccess says otherwise.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any, Callable, Optional

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


class Requests:
    """The access map, with the tables' key schemas for dynamodb:LeadingKeys and `policy_for`
    (resource ARN -> the resource-based policy governing it, JSON text, or None)."""

    def __init__(self, tables, policy_for: Callable[[str], Optional[str]]):
        self.tables = tables
        self.policy_for = policy_for

    def __call__(self, caller, operation: str, request: dict[str, Any]) -> list[Access]:
        needs = self._keyed(caller, operation, request)
        if operation == "DeleteResourcePolicy" and caller.principal is not None \
                and caller.principal.kind == "root":
            return needs
        out = []
        for need in needs:
            policy = self.policy_for(need.resource) if need.resource != "*" else None
            out.append(dataclasses.replace(need, resource_policy=policy) if policy else need)
        if operation == "PutResourcePolicy" and not request.get("ConfirmRemoveSelfResourceAccess"):
            out.append(_lockout_check(request))
        return out

    def _keyed(self, caller, operation: str, request: dict[str, Any]) -> list[Access]:
        needs = requests(caller, operation, request)
        if operation not in _KEYED:
            return needs
        keys = _keys_by_table(operation, request)
        out = []
        for need, table in zip(needs, _tables_in_order(operation, request)):
            values = self._leading(caller, table, keys.get(table, []))
            out.append(Access(need.action, need.resource,
                              context={"dynamodb:leadingkeys": values}) if values else need)
        return out

    def _leading(self, caller, table: str, items: list) -> list[str]:
        # a table named by its ARN counts too when the ARN is the caller's own table's (else a
        # TableName spelled as an ARN would escape a LeadingKeys condition)
        if table.startswith("arn:") and not table.startswith(table_arn(caller, "")):
            return []
        record = self.tables.get(caller.scope, table)
        if record is None:
            return []
        hash_name = next(k["AttributeName"] for k in record.key_schema if k["KeyType"] == "HASH")
        values = []
        for item in items:
            value = (item or {}).get(hash_name)
            if isinstance(value, dict) and value:
                scalar = next(iter(value.values()))
                if isinstance(scalar, (str, int, float)):
                    values.append(str(scalar))
        return values


# ack-api-quirks `services/dynamodb` DDB-TABLE-210 (AccessDeniedException, HTTP 400)
LOCKOUT = "The new resource policy will not allow you to update the resource policy in the future."


def _lockout_check(request: dict[str, Any]) -> Access:
    """PutResourcePolicy without ConfirmRemoveSelfResourceAccess: the caller must still be allowed
    dynamodb:PutResourcePolicy under the new policy (PutResourcePolicy API reference; recorded
    for explicit Denies, also one narrowed to the caller by an aws:PrincipalArn condition; a Deny
    of DeleteResourcePolicy alone is accepted). [inferred: a new policy that merely stops
    granting the caller the permission is refused too, as the parameter's documentation speaks
    of removing one's permissions.]"""
    return Access(f"{PREFIX}:PutResourcePolicy", request["ResourceArn"],
                  resource_policy=request.get("Policy") or "{}", refusal=LOCKOUT)


_KEYED = {"GetItem", "PutItem", "UpdateItem", "DeleteItem", "BatchGetItem", "BatchWriteItem",
          "TransactGetItems", "TransactWriteItems"}


def _tables_in_order(operation: str, request: dict[str, Any]) -> list[str]:
    """The table of each Access `requests` returns, in its order."""
    if operation in ("BatchGetItem", "BatchWriteItem"):
        return list(request.get("RequestItems") or {})
    if operation == "TransactWriteItems":
        return [item[kind]["TableName"] for item in request.get("TransactItems") or []
                for kind in _TRANSACT_WRITE if kind in item]
    if operation == "TransactGetItems":
        return [item["Get"]["TableName"] for item in request.get("TransactItems") or []
                if "Get" in item]
    return [request.get("TableName", "")]


def _keys_by_table(operation: str, request: dict[str, Any]) -> dict[str, list]:
    """table -> the keys (or items) the call names in it."""
    out: dict[str, list] = {}
    if operation in ("GetItem", "UpdateItem", "DeleteItem"):
        out[request.get("TableName", "")] = [request.get("Key")]
    elif operation == "PutItem":
        out[request.get("TableName", "")] = [request.get("Item")]
    elif operation == "BatchGetItem":
        for table, spec in (request.get("RequestItems") or {}).items():
            out[table] = list(spec.get("Keys") or [])
    elif operation == "BatchWriteItem":
        for table, writes in (request.get("RequestItems") or {}).items():
            out[table] = [(w.get("PutRequest") or {}).get("Item")
                          or (w.get("DeleteRequest") or {}).get("Key") for w in writes]
    else:  # transactions
        for item in request.get("TransactItems") or []:
            for spec in item.values():
                out.setdefault(spec.get("TableName", ""), []).append(
                    spec.get("Key") or spec.get("Item"))
    return out


def requests(caller, operation: str, request: dict[str, Any]) -> list[Access]:
    action = f"{PREFIX}:{operation}"
    if operation == "ListTables":
        # AWS names `table/*` as the resource of a refused ListTables (its AccessDenied text as
        # quoted in public issue threads) [inferred: policies granting `table/*` allow it].
        return [Access(action, table_arn(caller, "*"))]
    if operation in UNSCOPED:
        return [Access(action, "*")]
    if operation == "CreateTable" and request.get("ResourcePolicy") is not None:
        arn = table_arn(caller, request["TableName"])
        return [Access(action, arn), Access(f"{PREFIX}:PutResourcePolicy", arn)]
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
