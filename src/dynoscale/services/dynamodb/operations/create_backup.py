"""CreateBackup: snapshot a table's schema and items into an on-demand backup (backups.py).

The table is addressed by name or ARN; a missing, CREATING or DELETING table answers
TableNotFoundException `Table not found: <name>`, and a table in its first seconds after turning
ACTIVE answers ContinuousBackupsUnavailableException, as UpdateContinuousBackups does (live probes,
ack-api-quirks `services/dynamodb`; errors.backups_being_enabled). BackupName's length and
pattern are checked by the protocol layer (model BackupName: 3..255, `[a-zA-Z0-9_.-]+`).
The answer's BackupStatus is CREATING (awscli example create-backup.rst); see backups.py.
"""

from __future__ import annotations

from dynoscale.context import Caller
from dynoscale.services.dynamodb import backups, errors
from dynoscale.services.dynamodb.operations.describe_continuous_backups import (
    backups_ready, backups_table)
from dynoscale.services.dynamodb.tables import table_name_of


def handle(svc, caller: Caller, request: dict) -> dict:
    table = backups_table(svc, caller, request["TableName"])
    now = svc.clock.now()
    if not backups_ready(table, now, svc.timing.backups_ready):
        raise errors.backups_being_enabled(table_name_of(request["TableName"]))
    backup = backups.Backups(svc.store).create(caller.scope, table, request["BackupName"], now)
    return {"BackupDetails": backups.details(backup, "CREATING")}
