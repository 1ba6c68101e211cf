"""UpdateTable for provisioned throughput (spec 3.1, 3.3, 3.4, 3.5) and the restart safety of the
table lifecycle (transitions live in storage, the scheduler is re-armed at start)."""

from __future__ import annotations

import datetime as dt
import signal

import pytest

from tests.dynamodb.helpers import CREATE_SECONDS, CREATE_WITH_GSIS_SECONDS, UPDATE_SECONDS, create
from tests.kit import error

DAY = 86400


def throughput(read, write):
    return {"ReadCapacityUnits": read, "WriteCapacityUnits": write}


def test_increase_goes_updating_then_active_with_new_units(aws_server, unique):
    server, ddb = aws_server, aws_server.client("dynamodb")  # transitional states need `--timing aws`
    name = unique("Inc")
    create(server, ddb, name)
    now = server.now()
    desc = ddb.update_table(TableName=name, ProvisionedThroughput=throughput(5, 10))["TableDescription"]
    # spec 3.4.4: UPDATING, old units, new LastIncreaseDateTime already set
    assert desc["TableStatus"] == "UPDATING"
    pt = desc["ProvisionedThroughput"]
    assert (pt["ReadCapacityUnits"], pt["WriteCapacityUnits"]) == (5, 5)
    assert abs(pt["LastIncreaseDateTime"].timestamp() - now) < 1
    assert "LastDecreaseDateTime" not in pt
    assert error(ddb.update_table, TableName=name, ProvisionedThroughput=throughput(5, 11)) == (
        "ResourceInUseException", "Attempt to change a resource which is still in use: Table IOPS "
        f"are currently being updated. Table: {name}", 400)
    assert error(ddb.delete_table, TableName=name) == (
        "ResourceInUseException", "Attempt to change a resource which is still in use: Table: "
        f"{name} is in the process of being updated.", 400)
    server.advance(UPDATE_SECONDS)
    table = ddb.describe_table(TableName=name)["Table"]
    assert table["TableStatus"] == "ACTIVE"
    assert table["ProvisionedThroughput"]["WriteCapacityUnits"] == 10
    assert table["ProvisionedThroughput"]["NumberOfDecreasesToday"] == 0
    assert table["WarmThroughput"]["WriteUnitsPerSecond"] == 10


def test_same_values_will_not_change(server, ddb, unique):
    name = unique("Same")
    create(server, ddb, name, read=3, write=4)
    assert error(ddb.update_table, TableName=name, ProvisionedThroughput=throughput(3, 4)) == (
        "ValidationException",
        "The provisioned throughput for the table will not change. The requested value equals the "
        "current value. Current ReadCapacityUnits provisioned for the table: 3. Requested "
        "ReadCapacityUnits: 3. Current WriteCapacityUnits provisioned for the table: 4. Requested "
        "WriteCapacityUnits: 4. Refer to the Amazon DynamoDB Developer Guide for current limits and "
        "how to request higher limits.", 400)


def test_update_errors(aws_server, unique):
    server, ddb = aws_server, aws_server.client("dynamodb")  # transitional states need `--timing aws`
    assert error(ddb.update_table, TableName="NoSuchTable3",
                 ProvisionedThroughput=throughput(1, 1)) == (
        "ResourceNotFoundException", "Requested resource not found: Table: NoSuchTable3 not found", 400)
    name = unique("Upd")
    create(server, ddb, name, active=False)
    assert error(ddb.update_table, TableName=name, ProvisionedThroughput=throughput(1, 1))[0] == \
        "ResourceInUseException"
    server.advance(CREATE_SECONDS)
    assert error(ddb.update_table, TableName=name) == (
        "ValidationException", "At least one of ProvisionedThroughput, BillingMode, "
        "UpdateStreamEnabled, GlobalSecondaryIndexUpdates, SSESpecification, ReplicaUpdates, "
        "MultiAccountReplicaReady, ReplicaTransitRoleArn, MultiRegionConsistency, "
        "DeletionProtectionEnabled, OnDemandThroughput, WarmThroughput or TableClass is required",
        400)
    ppr = unique("Ppr")
    create(server, ddb, ppr, BillingMode="PAY_PER_REQUEST")
    assert error(ddb.update_table, TableName=ppr, ProvisionedThroughput=throughput(1, 1)) == (
        "ValidationException", "One or more parameter values were invalid: Neither "
        "ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is "
        "PAY_PER_REQUEST", 400)


def test_billing_mode_switch(server, ddb, unique):
    name = unique("Switch")
    create(server, ddb, name, BillingMode="PAY_PER_REQUEST")
    assert error(ddb.update_table, TableName=name, BillingMode="PROVISIONED") == (
        "ValidationException", "One or more parameter values were invalid: ProvisionedThroughput "
        "must be specified when BillingMode is PROVISIONED", 400)
    ddb.update_table(TableName=name, BillingMode="PROVISIONED",
                     ProvisionedThroughput=throughput(7, 8))
    server.advance(UPDATE_SECONDS)
    table = ddb.describe_table(TableName=name)["Table"]
    assert table["BillingModeSummary"]["BillingMode"] == "PROVISIONED"  # spec 3.5.3
    assert table["ProvisionedThroughput"]["ReadCapacityUnits"] == 7
    assert table["ProvisionedThroughput"]["WriteCapacityUnits"] == 8


def aws_utc(ts: float) -> str:
    d = dt.datetime.fromtimestamp(ts, dt.timezone.utc)
    return d.strftime("%A, %B ") + f"{d.day}, {d.year} at {d.hour % 12 or 12}:" + \
        d.strftime("%M:%S ") + ("AM" if d.hour < 12 else "PM") + " Coordinated Universal Time"


def test_decrease_limits_per_utc_day(server, ddb, unique):
    # spec 3.3: 4 decreases at any time, then one per 3600 s after the last; reset at 00:00 UTC
    now = server.now()
    to_midnight = (now // DAY + 1) * DAY - now
    if to_midnight < 2 * 3600 + 60:
        server.advance(to_midnight + 1)
    name = unique("Dec")
    create(server, ddb, name, read=100, write=100)
    for i in range(1, 5):
        last = server.now()
        desc = ddb.update_table(TableName=name, ProvisionedThroughput=throughput(100 - i, 100))
        # the counter moves when the change takes effect (spec 3.4.4)
        assert desc["TableDescription"]["ProvisionedThroughput"]["NumberOfDecreasesToday"] == i - 1
        server.advance(UPDATE_SECONDS)
    table = ddb.describe_table(TableName=name)["Table"]["ProvisionedThroughput"]
    assert table["NumberOfDecreasesToday"] == 4
    assert table["LastDecreaseDateTime"].timestamp() == pytest.approx(last, abs=0.01)
    # raising one dimension while lowering the other is still a decrease (spec 3.3.2)
    code, message, status = error(ddb.update_table, TableName=name,
                                  ProvisionedThroughput=throughput(90, 200))
    assert (code, status) == ("LimitExceededException", 400)
    assert message == (
        "Subscriber limit exceeded: Provisioned throughput decreases are limited within a given UTC "
        "day. After the first 4 decreases, each subsequent decrease in the same UTC day can be "
        "performed at most once every 3600 seconds. Number of decreases today: 4. "
        f"Last decrease at {aws_utc(last)}. Next decrease can be made at {aws_utc(last + 3600)}")
    # pure increases are always allowed
    ddb.update_table(TableName=name, ProvisionedThroughput=throughput(96, 101))
    server.advance(UPDATE_SECONDS)
    server.advance(last + 3600 - server.now())
    ddb.update_table(TableName=name, ProvisionedThroughput=throughput(95, 101))
    server.advance(UPDATE_SECONDS)
    assert ddb.describe_table(TableName=name)["Table"]["ProvisionedThroughput"][
        "NumberOfDecreasesToday"] == 5
    now = server.now()
    server.advance((now // DAY + 1) * DAY - now)  # 00:00 UTC
    assert ddb.describe_table(TableName=name)["Table"]["ProvisionedThroughput"][
        "NumberOfDecreasesToday"] == 0


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_lifecycle_survives_restart(make_server, unique, sig):
    # `--timing aws`, and its longer transitions (a billing switch, a table with a GSI), so that
    # the wall time a restart takes (the manual clock never runs behind wall time) cannot reach them
    server = make_server("--clock", "manual", "--timing", "aws")
    ddb = server.client("dynamodb")
    creating, updating = unique("Creating"), unique("Updating")
    create(server, ddb, updating)
    ddb.put_item(TableName=updating, Item={"id": {"S": "kept"}})
    ddb.update_table(TableName=updating, BillingMode="PAY_PER_REQUEST")  # 150 s (timing.py)
    create(server, ddb, creating, active=False, keys=dict(
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"},
                              {"AttributeName": "g", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}]),
        GlobalSecondaryIndexes=[{"IndexName": "by_g",
                                 "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                 "Projection": {"ProjectionType": "KEYS_ONLY"},
                                 "ProvisionedThroughput": throughput(1, 1)}])  # 16 s
    server.restart(sig)   # a kill too: the transitions are acknowledged state
    ddb = server.client("dynamodb")
    assert ddb.describe_table(TableName=creating)["Table"]["TableStatus"] == "CREATING"
    assert ddb.describe_table(TableName=updating)["Table"]["TableStatus"] == "UPDATING"
    server.advance(CREATE_WITH_GSIS_SECONDS)
    assert ddb.describe_table(TableName=creating)["Table"]["TableStatus"] == "ACTIVE"
    server.advance(150)
    table = ddb.describe_table(TableName=updating)["Table"]
    assert table["TableStatus"] == "ACTIVE"
    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert ddb.get_item(TableName=updating, Key={"id": {"S": "kept"}})["Item"] == {"id": {"S": "kept"}}
