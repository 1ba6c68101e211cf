"""DescribeContinuousBackups: backups and point-in-time recovery status. Dynoscale emulates neither
backups nor PITR, so PITR always reads DISABLED (UpdateContinuousBackups is not implemented).

Live probes (ack-api-quirks `services/dynamodb` DDB-TABLE-111, 083, 455): a missing table, one
still CREATING and one DELETING answer TableNotFoundException `Table not found: <name>`;
ContinuousBackupsStatus reads DISABLED for ~3 s after the table turns ACTIVE and then ENABLED by
itself; PointInTimeRecoveryDescription is just `{PointInTimeRecoveryStatus: DISABLED}`.
"""

from __future__ import annotations

from dynoscale.context import Caller
from dynoscale.services.dynamodb import errors
from dynoscale.services.dynamodb.tables import CREATE_SECONDS, table_name_of

BACKUPS_READY_SECONDS = CREATE_SECONDS + 3.0


def handle(svc, caller: Caller, request: dict) -> dict:
    table = svc.tables.get(caller.scope, request["TableName"])
    if table is None or table["status"] in ("CREATING", "DELETING"):
        raise errors.backups_table_not_found(table_name_of(request["TableName"]))
    ready = svc.clock.now() >= table["created"] + BACKUPS_READY_SECONDS
    return {"ContinuousBackupsDescription": {
        "ContinuousBackupsStatus": "ENABLED" if ready else "DISABLED",
        "PointInTimeRecoveryDescription": {"PointInTimeRecoveryStatus": "DISABLED"}}}
