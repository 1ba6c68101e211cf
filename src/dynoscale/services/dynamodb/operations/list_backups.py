"""ListBackups: on-demand and system backups. Dynoscale creates none (CreateBackup is not
implemented), so the list is always empty; AWS declares no not-found error here, so an unknown
TableName is an empty list as well. The time-range check is AWS's text (ack-api-quirks
`services/dynamodb` error catalogue DDB-TABLE-442)."""

from __future__ import annotations

from dynoscale.context import Caller
from dynoscale.services.dynamodb import errors


def handle(svc, caller: Caller, request: dict) -> dict:
    lower, upper = request.get("TimeRangeLowerBound"), request.get("TimeRangeUpperBound")
    if lower is not None and upper is not None and lower > upper:
        raise errors.invalid("Time range lower bound must be less than or equal to upper bound")
    return {"BackupSummaries": []}
