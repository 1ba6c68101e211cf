"""DeleteBackup: drop a backup and its items; the answer is its BackupDescription with
BackupStatus DELETED (model BackupStatus enum; moto answers the same). An unknown ARN answers
BackupNotFoundException `Backup not found: <arn>`."""

from __future__ import annotations

from dynoscale.context import Caller
from dynoscale.services.dynamodb import backups


def handle(svc, caller: Caller, request: dict) -> dict:
    store = backups.Backups(svc.store)
    backup = store.require(caller.scope, request["BackupArn"])
    store.delete(caller.scope, backup)
    return {"BackupDescription": backups.description(backup, "DELETED")}
