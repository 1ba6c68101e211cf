"""DescribeContributorInsights: Dynoscale does not emulate Contributor Insights, so every table and
GSI reads DISABLED (UpdateContributorInsights is not implemented).

Live probes (ack-api-quirks `services/dynamodb` DDB-TABLE-089, 094, 097): a never-configured table
answers exactly `{TableName, ContributorInsightsStatus: DISABLED}`; a missing or CREATING table ->
ResourceNotFoundException `Requested resource not found: Table: <name> not found`; an LSI or unknown
index -> `Requested resource not found: Index: <index> not found for table: <name>`; a DELETING
table still answers.
"""

from __future__ import annotations

from dynoscale.context import Caller
from dynoscale.services.dynamodb import errors
from dynoscale.services.dynamodb.table_record import TableRecord


def require_table(svc, caller: Caller, name: str) -> TableRecord:
    table = svc.tables.require(caller.scope, name)
    if table.status == "CREATING":
        raise errors.table_not_found(table.name)
    return table


def handle(svc, caller: Caller, request: dict) -> dict:
    table = require_table(svc, caller, request["TableName"])
    out = {"TableName": table.name}
    index = request.get("IndexName")
    if index is not None:
        record = table.index(index)
        if record is None or not record.is_global:
            raise errors.index_not_found(table.name, index)
        out["IndexName"] = index
    out["ContributorInsightsStatus"] = "DISABLED"
    return out
