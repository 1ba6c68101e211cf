"""DescribeContinuousBackups: backups and point-in-time recovery status. On-demand backups are
backups.py's; point-in-time recovery is a stored setting (UpdateContinuousBackups) whose restore
window follows the clock, and point-in-time restores are not emulated.

Live probes (ack-api-quirks `services/dynamodb` DDB-TABLE-111, 083, 455): a missing table, one
still CREATING and one DELETING answer TableNotFoundException `Table not found: <name>`;
ContinuousBackupsStatus reads DISABLED for ~3 s after the table turns ACTIVE and then ENABLED by
itself; PointInTimeRecoveryDescription is just `{PointInTimeRecoveryStatus: DISABLED}` while PITR
is off. With PITR on (model docs of PointInTimeRecoveryDescription and UpdateContinuousBackups):
RecoveryPeriodInDays (default 35), EarliestRestorableDateTime = the moment PITR was enabled, or
now minus the recovery period once that is later; LatestRestorableDateTime "typically 5 minutes
before the current time", never before the earliest time.
"""

from __future__ import annotations

from typing import Optional

from dynoscale.context import Caller
from dynoscale.services.dynamodb import errors
from dynoscale.services.dynamodb.table_record import TableRecord
from dynoscale.services.dynamodb.tables import table_name_of

LATEST_LAG_SECONDS = 300.0
DAY_SECONDS = 86400.0


def backups_table(svc, caller: Caller, name: str) -> TableRecord:
    """The table a backup/PITR operation addresses (CREATING/DELETING tables count as missing)."""
    table = svc.tables.get(caller.scope, name)
    if table is None or table.status in ("CREATING", "DELETING"):
        raise errors.backups_table_not_found(table_name_of(name))
    return table


def backups_ready(table: TableRecord, now: float, ready_after: float) -> bool:
    """Continuous backups answer ENABLED `ready_after` seconds after CreateTable (timing.py
    backups_ready: a few seconds after ACTIVE on AWS, at once with `--timing fast`)."""
    return now >= table.created + ready_after


def pitr_description(pitr: Optional[dict], now: float) -> dict:
    if not pitr:
        return {"PointInTimeRecoveryStatus": "DISABLED"}
    days = pitr["days"]
    earliest = max(pitr["enabled_at"], now - days * DAY_SECONDS)
    latest = max(earliest, now - LATEST_LAG_SECONDS)
    return {"PointInTimeRecoveryStatus": "ENABLED", "RecoveryPeriodInDays": days,
            "EarliestRestorableDateTime": earliest, "LatestRestorableDateTime": latest}


def description(table: TableRecord, now: float, ready_after: float) -> dict:
    ready = backups_ready(table, now, ready_after)
    return {"ContinuousBackupsStatus": "ENABLED" if ready else "DISABLED",
            "PointInTimeRecoveryDescription": pitr_description(table.pitr, now)}


def handle(svc, caller: Caller, request: dict) -> dict:
    table = backups_table(svc, caller, request["TableName"])
    return {"ContinuousBackupsDescription": description(table, svc.clock.now(),
                                                        svc.timing.backups_ready)}
