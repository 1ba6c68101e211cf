"""UpdateContinuousBackups: turn point-in-time recovery on or off and set its recovery period.

AWS facts: model docs of UpdateContinuousBackups and PointInTimeRecoverySpecification (PITR on or
off; RecoveryPeriodInDays 1..35, range checked by the protocol layer, "If no value is provided,
the value will default to 35"; the answer is the current ContinuousBackupsDescription). Missing,
CREATING and DELETING tables answer TableNotFoundException as DescribeContinuousBackups does;
in the first ~3 s after the table turns ACTIVE the call answers
ContinuousBackupsUnavailableException (live probes, ack-api-quirks `services/dynamodb`). The
setting lives in the table record (`pitr`: {enabled_at, days} or None), so it survives restarts
and goes with the table. Re-enabling after a disable restarts the restore window; changing only
the period keeps it.
"""

from __future__ import annotations

from dynoscale.context import Caller
from dynoscale.services.dynamodb import errors
from dynoscale.services.dynamodb.operations.describe_continuous_backups import (
    backups_ready, backups_table, description)
from dynoscale.services.dynamodb.tables import table_name_of

DEFAULT_RECOVERY_DAYS = 35


def handle(svc, caller: Caller, request: dict) -> dict:
    spec = request["PointInTimeRecoverySpecification"]
    enabled = spec["PointInTimeRecoveryEnabled"]
    days = spec.get("RecoveryPeriodInDays")
    table = backups_table(svc, caller, request["TableName"])
    now = svc.clock.now()
    if not backups_ready(table, now, svc.timing.backups_ready):
        raise errors.backups_being_enabled(table_name_of(request["TableName"]))
    if days is not None and not enabled:
        raise errors.recovery_period_without_pitr()
    current = table.pitr
    if enabled:
        start = current["enabled_at"] if current else now
        table.pitr = {"enabled_at": start, "days": days or DEFAULT_RECOVERY_DAYS}
    else:
        table.pitr = None
    svc.tables.save(caller.scope, table)
    return {"ContinuousBackupsDescription": description(table, now, svc.timing.backups_ready)}
