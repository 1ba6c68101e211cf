"""DescribeBackup: BackupDetails, SourceTableDetails and SourceTableFeatureDetails of a backup
(model shapes; awscli example describe-backup.rst). An unknown ARN answers
BackupNotFoundException `Backup not found: <arn>` (errors.backup_not_found)."""

from __future__ import annotations

from dynoscale.context import Caller
from dynoscale.services.dynamodb import backups


def handle(svc, caller: Caller, request: dict) -> dict:
    backup = backups.Backups(svc.store).require(caller.scope, request["BackupArn"])
    return {"BackupDescription": backups.description(backup)}
