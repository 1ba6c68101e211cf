"""ListContributorInsights: lists tables and GSIs whose Contributor Insights status is not DISABLED
(live probe DDB-TABLE-095/343, ack-api-quirks `services/dynamodb`). Dynoscale enables it nowhere,
so the list is empty; a named table must exist (ResourceNotFoundException, DDB-TABLE-094)."""

from __future__ import annotations

from dynoscale.context import Caller
from dynoscale.services.dynamodb.operations.describe_contributor_insights import require_table


def handle(svc, caller: Caller, request: dict) -> dict:
    if request.get("TableName") is not None:
        require_table(svc, caller, request["TableName"])
    return {"ContributorInsightsSummaries": []}
