"""ListBackups: the account/region's on-demand backups, oldest first, with the model's filters.

Model docs: TimeRangeLowerBound inclusive, TimeRangeUpperBound exclusive; BackupType defaults to
USER, ALL = USER and SYSTEM (Dynoscale makes only USER backups; SYSTEM and AWS_BACKUP list
nothing); Limit 1..100 (protocol layer); LastEvaluatedBackupArn -> ExclusiveStartBackupArn.
TableName may be a name or an ARN; AWS declares no not-found error here, so an unknown table is
an empty list (backups of deleted tables are still listed). The time-range check is AWS's text
(ack-api-quirks `services/dynamodb` error catalogue DDB-TABLE-442). LastEvaluatedBackupArn is
sent only when more backups follow [inferred].
"""

from __future__ import annotations

from dynoscale.context import Caller
from dynoscale.services.dynamodb import backups, errors
from dynoscale.services.dynamodb.tables import table_name_of

LISTED_TYPES = {"USER": {"USER"}, "ALL": {"USER", "SYSTEM"}, "SYSTEM": {"SYSTEM"},
                "AWS_BACKUP": {"AWS_BACKUP"}}


def handle(svc, caller: Caller, request: dict) -> dict:
    lower, upper = request.get("TimeRangeLowerBound"), request.get("TimeRangeUpperBound")
    if lower is not None and upper is not None and lower > upper:
        raise errors.invalid("Time range lower bound must be less than or equal to upper bound")
    table = request.get("TableName")
    table = table_name_of(table) if table is not None else None
    types = LISTED_TYPES[request.get("BackupType", "USER")]
    found = []
    for backup in backups.Backups(svc.store).all(caller.scope):
        if table is not None and backups.source_table(backup).name != table:
            continue
        if backup["type"] not in types:
            continue
        if lower is not None and backup["created"] < lower:
            continue
        if upper is not None and backup["created"] >= upper:
            continue
        found.append(backup)
    found.sort(key=lambda b: backups.sort_key_of_arn(b["arn"]))
    start = request.get("ExclusiveStartBackupArn")
    after = backups.sort_key_of_arn(start) if start else None
    if after is not None:
        found = [b for b in found if backups.sort_key_of_arn(b["arn"]) > after]
    limit = request.get("Limit")
    out: dict = {"BackupSummaries": [backups.summary(b) for b in found[:limit]]}
    if limit is not None and len(found) > limit:
        out["LastEvaluatedBackupArn"] = found[limit - 1]["arn"]
    return out
