"""On-demand backups over HTTP: CreateBackup, DescribeBackup, ListBackups, DeleteBackup,
RestoreTableFromBackup.

AWS facts: botocore model `dynamodb` shapes and docs; ARN and CREATING-at-create from the awscli
examples create-backup.rst / describe-backup.rst (`.../table/MusicCollection/backup/
01576616366715-b4e58d3a`); `Backup not found: <arn>` quoted from AWS in steampipe-plugin-aws
issue #1913; `Table already exists: <name>` for restores from moto; TableNotFoundException and
ContinuousBackupsUnavailableException as for UpdateContinuousBackups (ack-api-quirks live probes).
"""

from __future__ import annotations

import re

import pytest

from tests.dynamodb.helpers import DDB_NS, create, raw
from tests.kit import error

NEW_TABLE_BACKUP_WAIT = 10  # backups can be taken ~3 s after ACTIVE (ContinuousBackupsStatus)
GSI_KEYS = dict(
    AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"},
                          {"AttributeName": "g", "AttributeType": "S"}],
    KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}])
GSI = [{"IndexName": "by_g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
        "Projection": {"ProjectionType": "ALL"},
        "ProvisionedThroughput": {"ReadCapacityUnits": 3, "WriteCapacityUnits": 4}}]


def ready_table(server, ddb, unique, **extra):
    name = unique("bk")
    create(server, ddb, name, active=False, **extra)
    server.advance(NEW_TABLE_BACKUP_WAIT)
    return name


def put(ddb, name, n, **attrs):
    for i in range(n):
        ddb.put_item(TableName=name, Item={"id": {"S": f"k{i}"}, "n": {"N": str(i)},
                                           **{k: {"S": f"{v}{i % 2}"} for k, v in attrs.items()}})


def test_create_describe_delete(server, ddb, unique):
    name = ready_table(server, ddb, unique)
    put(ddb, name, 3)
    table = ddb.describe_table(TableName=name)["Table"]
    now = server.now()
    details = ddb.create_backup(TableName=name, BackupName="nightly.v1_a-b")["BackupDetails"]
    arn = details["BackupArn"]
    # 14-digit zero-padded epoch ms and 8 hex, as in AWS's examples
    assert re.fullmatch(rf"{re.escape(table['TableArn'])}/backup/0\d{{13}}-[0-9a-f]{{8}}", arn)
    assert int(arn.rsplit("/", 1)[1].split("-")[0]) == round(now * 1000)
    assert details["BackupStatus"] == "CREATING"
    assert (details["BackupName"], details["BackupType"]) == ("nightly.v1_a-b", "USER")
    assert details["BackupCreationDateTime"].timestamp() == pytest.approx(now, abs=0.001)
    assert details["BackupSizeBytes"] > 300  # 3 items + 100 bytes overhead each

    desc = ddb.describe_backup(BackupArn=arn)["BackupDescription"]
    assert desc["BackupDetails"] == {**details, "BackupStatus": "AVAILABLE"}
    source = desc["SourceTableDetails"]
    assert (source["TableName"], source["TableId"], source["TableArn"]) == (
        name, table["TableId"], table["TableArn"])
    assert source["KeySchema"] == table["KeySchema"]
    assert source["ProvisionedThroughput"] == {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}
    assert source["BillingMode"] == "PROVISIONED"
    assert desc["SourceTableFeatureDetails"] == {}

    deleted = ddb.delete_backup(BackupArn=arn)["BackupDescription"]
    assert deleted["BackupDetails"]["BackupStatus"] == "DELETED"
    assert error(ddb.describe_backup, BackupArn=arn) == (
        "BackupNotFoundException", f"Backup not found: {arn}", 400)
    assert error(ddb.delete_backup, BackupArn=arn) == (
        "BackupNotFoundException", f"Backup not found: {arn}", 400)
    assert ddb.list_backups(TableName=name)["BackupSummaries"] == []


def test_backup_error_namespace(server):
    arn = "arn:aws:dynamodb:us-east-1:123456789012:table/nope/backup/01576616366715-b4e58d3a"
    status, body = raw(server, "DescribeBackup", {"BackupArn": arn})
    assert (status, body["__type"]) == (400, DDB_NS + "BackupNotFoundException")


def test_create_backup_errors(aws_server, unique):
    server, ddb = aws_server, aws_server.client("dynamodb")  # transitional states need `--timing aws`
    missing = unique("missing")
    assert error(ddb.create_backup, TableName=missing, BackupName="bk1") == (
        "TableNotFoundException", f"Table not found: {missing}", 400)
    name = unique("creating")
    create(server, ddb, name, active=False)
    assert error(ddb.create_backup, TableName=name, BackupName="bk1") == (
        "TableNotFoundException", f"Table not found: {name}", 400)
    server.advance(5)  # ACTIVE, but backups are not enabled yet
    assert error(ddb.create_backup, TableName=name, BackupName="bk1") == (
        "ContinuousBackupsUnavailableException",
        f"Backups are being enabled for the table: {name}. Please retry later", 400)
    server.advance(5)
    code, _, status = error(ddb.create_backup, TableName=name, BackupName="a b")
    assert (code, status) == ("ValidationException", 400)  # model pattern [a-zA-Z0-9_.-]+


def test_backup_by_table_arn_and_after_table_deletion(server, ddb, unique):
    name = ready_table(server, ddb, unique)
    table_arn = ddb.describe_table(TableName=name)["Table"]["TableArn"]
    arn = ddb.create_backup(TableName=table_arn, BackupName="byarn")["BackupDetails"]["BackupArn"]
    ddb.delete_table(TableName=name)
    server.advance(5)
    listed = ddb.list_backups(TableName=table_arn)["BackupSummaries"]
    assert [b["BackupArn"] for b in listed] == [arn]
    assert ddb.describe_backup(BackupArn=arn)["BackupDescription"]["SourceTableDetails"][
        "TableName"] == name


def test_list_filters_and_paging(server, ddb, unique):
    name = ready_table(server, ddb, unique)
    other = ready_table(server, ddb, unique)
    start = server.now()
    arns = []
    for i in range(5):
        arns.append(ddb.create_backup(TableName=name, BackupName=f"bk{i}")["BackupDetails"]["BackupArn"])
        server.advance(1)
    ddb.create_backup(TableName=other, BackupName="other")
    summaries = ddb.list_backups(TableName=name)["BackupSummaries"]
    assert [s["BackupArn"] for s in summaries] == arns
    first = summaries[0]
    assert set(first) == {"TableName", "TableId", "TableArn", "BackupArn", "BackupName",
                          "BackupCreationDateTime", "BackupStatus", "BackupType", "BackupSizeBytes"}
    assert (first["TableName"], first["BackupStatus"], first["BackupType"]) == (
        name, "AVAILABLE", "USER")
    # lower bound inclusive, upper bound exclusive (model docs)
    created = [s["BackupCreationDateTime"] for s in summaries]
    window = ddb.list_backups(TableName=name, TimeRangeLowerBound=created[1],
                              TimeRangeUpperBound=created[3])["BackupSummaries"]
    assert [s["BackupName"] for s in window] == ["bk1", "bk2"]
    assert len(ddb.list_backups(TableName=name, BackupType="ALL")["BackupSummaries"]) == 5
    assert ddb.list_backups(TableName=name, BackupType="SYSTEM")["BackupSummaries"] == []
    # all tables in the account/region, restricted to this test's time window
    names = [s["BackupName"] for s in ddb.list_backups(TimeRangeLowerBound=created[0])[
        "BackupSummaries"]]
    assert names[-6:] == ["bk0", "bk1", "bk2", "bk3", "bk4", "other"]
    pages, token = [], None
    while True:
        kwargs = {"ExclusiveStartBackupArn": token} if token else {}
        page = ddb.list_backups(TableName=name, Limit=2, **kwargs)
        pages.append([s["BackupName"] for s in page["BackupSummaries"]])
        token = page.get("LastEvaluatedBackupArn")
        if not token:
            break
    assert pages == [["bk0", "bk1"], ["bk2", "bk3"], ["bk4"]]
    assert error(ddb.list_backups, TimeRangeLowerBound=start + 5, TimeRangeUpperBound=start) == (
        "ValidationException", "One or more parameter values were invalid: Time range lower bound "
        "must be less than or equal to upper bound", 400)


def test_backups_survive_restart(server, ddb, unique):
    name = ready_table(server, ddb, unique)
    put(ddb, name, 2)
    arn = ddb.create_backup(TableName=name, BackupName="durable")["BackupDetails"]["BackupArn"]
    server.restart()
    client = server.client("dynamodb")
    assert client.describe_backup(BackupArn=arn)["BackupDescription"]["BackupDetails"][
        "BackupName"] == "durable"
    target = unique("restored")
    client.restore_table_from_backup(TargetTableName=target, BackupArn=arn)
    server.advance(5)
    assert client.scan(TableName=target)["Count"] == 2


def test_restore_with_items_and_gsi(server, ddb, unique):
    name = ready_table(server, ddb, unique, keys=GSI_KEYS, GlobalSecondaryIndexes=GSI)
    put(ddb, name, 4, g="grp")
    source = ddb.describe_table(TableName=name)["Table"]
    arn = ddb.create_backup(TableName=name, BackupName="withgsi")["BackupDetails"]["BackupArn"]
    features = ddb.describe_backup(BackupArn=arn)["BackupDescription"]["SourceTableFeatureDetails"]
    assert features["GlobalSecondaryIndexes"] == [
        {"IndexName": "by_g", "KeySchema": GSI[0]["KeySchema"], "Projection": {"ProjectionType": "ALL"},
         "ProvisionedThroughput": {"ReadCapacityUnits": 3, "WriteCapacityUnits": 4}}]
    put(ddb, name, 6, g="late")  # after the backup: not restored
    target = unique("restored")
    now = server.now()
    out = ddb.restore_table_from_backup(TargetTableName=target, BackupArn=arn)["TableDescription"]
    assert out["TableStatus"] == "CREATING"
    assert out["RestoreSummary"]["RestoreInProgress"] is True
    assert (out["RestoreSummary"]["SourceBackupArn"], out["RestoreSummary"]["SourceTableArn"]) == (
        arn, source["TableArn"])
    assert out["RestoreSummary"]["RestoreDateTime"].timestamp() == pytest.approx(now, abs=0.001)
    assert out["KeySchema"] == source["KeySchema"]
    assert out["ProvisionedThroughput"]["ReadCapacityUnits"] == 5
    assert out["GlobalSecondaryIndexes"][0]["IndexName"] == "by_g"
    server.advance(5)
    table = ddb.describe_table(TableName=target)["Table"]
    assert table["TableStatus"] == "ACTIVE"
    assert table["RestoreSummary"]["RestoreInProgress"] is False
    assert table["GlobalSecondaryIndexes"][0]["IndexStatus"] == "ACTIVE"
    assert ddb.scan(TableName=target)["Count"] == 4
    hits = ddb.query(TableName=target, IndexName="by_g", KeyConditionExpression="g = :g",
                     ExpressionAttributeValues={":g": {"S": "grp1"}})
    assert sorted(i["id"]["S"] for i in hits["Items"]) == ["k1", "k3"]
    # a write to the restored table maintains its index
    ddb.put_item(TableName=target, Item={"id": {"S": "new"}, "g": {"S": "grp1"}})
    assert ddb.query(TableName=target, IndexName="by_g", KeyConditionExpression="g = :g",
                     ExpressionAttributeValues={":g": {"S": "grp1"}})["Count"] == 3


def test_restore_overrides(server, ddb, unique):
    name = ready_table(server, ddb, unique, keys=GSI_KEYS, GlobalSecondaryIndexes=GSI)
    arn = ddb.create_backup(TableName=name, BackupName="ovr")["BackupDetails"]["BackupArn"]
    target = unique("ppr")
    out = ddb.restore_table_from_backup(TargetTableName=target, BackupArn=arn,
                                        BillingModeOverride="PAY_PER_REQUEST",
                                        GlobalSecondaryIndexOverride=[])["TableDescription"]
    assert out["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert "GlobalSecondaryIndexes" not in out
    assert out["AttributeDefinitions"] == [{"AttributeName": "id", "AttributeType": "S"}]
    target = unique("prov")
    out = ddb.restore_table_from_backup(
        TargetTableName=target, BackupArn=arn,
        ProvisionedThroughputOverride={"ReadCapacityUnits": 7, "WriteCapacityUnits": 8})
    throughput = out["TableDescription"]["ProvisionedThroughput"]
    assert (throughput["ReadCapacityUnits"], throughput["WriteCapacityUnits"]) == (7, 8)


def test_restore_errors(server, ddb, unique):
    name = ready_table(server, ddb, unique)
    arn = ddb.create_backup(TableName=name, BackupName="err")["BackupDetails"]["BackupArn"]
    assert error(ddb.restore_table_from_backup, TargetTableName=name, BackupArn=arn) == (
        "TableAlreadyExistsException", f"Table already exists: {name}", 400)
    gone = arn[:-8] + "00000000"
    assert error(ddb.restore_table_from_backup, TargetTableName=unique("x"), BackupArn=gone) == (
        "BackupNotFoundException", f"Backup not found: {gone}", 400)


def test_cli_create_and_list_backups(server, ddb, unique):
    name = ready_table(server, ddb, unique)
    out = server.aws("dynamodb", "create-backup", "--table-name", name,
                     "--backup-name", "cliBackup").json
    assert out["BackupDetails"]["BackupStatus"] == "CREATING"
    listed = server.aws("dynamodb", "list-backups", "--table-name", name).json
    assert [b["BackupName"] for b in listed["BackupSummaries"]] == ["cliBackup"]
