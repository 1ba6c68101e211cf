"""`--timing fast` (the default) and `--timing aws` (timing.py): table lifecycle durations.

fast: every table, GSI, stream and billing transition is due the instant it starts, so the read
after the call sees its result (boto3's waiters return on their first poll) while the call's
own answer still says CREATING / UPDATING / DELETING, as AWS's does. aws: AWS's observed
durations, in simulated time (manual clock here; --time-scale divides them like any duration).
"""

from __future__ import annotations

import time

from tests.dynamodb.helpers import STR_KEY, create
from tests.kit import error

PT = {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}


def counting(client, operation: str) -> list:
    """Record every call of `operation` the client sends."""
    calls: list = []
    client.meta.events.register(f"before-call.dynamodb.{operation}",
                                lambda **kw: calls.append(kw["params"]))
    return calls


def test_fast_create_is_active_at_the_first_describe(server, ddb, unique):
    name = unique("Fast")
    before = server.now()
    desc = ddb.create_table(TableName=name, **STR_KEY, ProvisionedThroughput=PT)["TableDescription"]
    assert desc["TableStatus"] == "CREATING"  # CreateTable's own answer, as on AWS
    calls = counting(ddb, "DescribeTable")
    ddb.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 20, "MaxAttempts": 2})
    assert len(calls) == 1  # the waiter's first poll: no 20-second sleep
    assert server.now() == before  # no simulated time had to pass
    assert ddb.describe_table(TableName=name)["Table"]["TableStatus"] == "ACTIVE"
    ddb.put_item(TableName=name, Item={"id": {"S": "a"}})  # usable at once
    assert ddb.get_item(TableName=name, Key={"id": {"S": "a"}})["Item"] == {"id": {"S": "a"}}
    ddb.delete_table(TableName=name)
    assert name not in ddb.list_tables()["TableNames"]  # gone for ListTables too, at once


def test_fast_update_and_delete_take_effect_at_once(server, ddb, unique):
    name = unique("FastUpd")
    create(server, ddb, name, active=False)
    out = ddb.update_table(TableName=name, ProvisionedThroughput={"ReadCapacityUnits": 5,
                                                                  "WriteCapacityUnits": 9})
    assert out["TableDescription"]["TableStatus"] == "UPDATING"
    assert out["TableDescription"]["ProvisionedThroughput"]["WriteCapacityUnits"] == 5  # old units
    table = ddb.describe_table(TableName=name)["Table"]
    assert (table["TableStatus"], table["ProvisionedThroughput"]["WriteCapacityUnits"]) == ("ACTIVE", 9)
    out = ddb.update_table(TableName=name, BillingMode="PAY_PER_REQUEST")
    assert out["TableDescription"]["TableStatus"] == "UPDATING"
    table = ddb.describe_table(TableName=name)["Table"]
    assert (table["TableStatus"], table["BillingModeSummary"]["BillingMode"]) == (
        "ACTIVE", "PAY_PER_REQUEST")
    out = ddb.update_table(TableName=name, StreamSpecification={"StreamEnabled": True,
                                                                "StreamViewType": "KEYS_ONLY"})
    assert out["TableDescription"]["TableStatus"] == "UPDATING"
    assert ddb.describe_table(TableName=name)["Table"]["TableStatus"] == "ACTIVE"
    assert ddb.delete_table(TableName=name)["TableDescription"]["TableStatus"] == "DELETING"
    calls = counting(ddb, "DescribeTable")
    ddb.get_waiter("table_not_exists").wait(TableName=name,
                                            WaiterConfig={"Delay": 20, "MaxAttempts": 2})
    assert len(calls) == 1
    assert error(ddb.describe_table, TableName=name)[0] == "ResourceNotFoundException"


def test_fast_gsi_create_and_delete(server, ddb, unique):
    name = unique("FastGsi")
    create(server, ddb, name, active=False)
    ddb.put_item(TableName=name, Item={"id": {"S": "a"}, "g": {"S": "x"}})
    out = ddb.update_table(
        TableName=name, AttributeDefinitions=[{"AttributeName": "g", "AttributeType": "S"}],
        GlobalSecondaryIndexUpdates=[{"Create": {
            "IndexName": "by_g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
            "Projection": {"ProjectionType": "ALL"}, "ProvisionedThroughput": PT}}])
    assert out["TableDescription"]["GlobalSecondaryIndexes"][0]["IndexStatus"] == "CREATING"
    table = ddb.describe_table(TableName=name)["Table"]
    assert table["TableStatus"] == "ACTIVE"
    assert table["GlobalSecondaryIndexes"][0]["IndexStatus"] == "ACTIVE"
    hits = ddb.query(TableName=name, IndexName="by_g", KeyConditionExpression="g = :g",
                     ExpressionAttributeValues={":g": {"S": "x"}})
    assert hits["Count"] == 1  # backfilled
    out = ddb.update_table(TableName=name, GlobalSecondaryIndexUpdates=[
        {"Delete": {"IndexName": "by_g"}}])
    assert out["TableDescription"]["GlobalSecondaryIndexes"][0]["IndexStatus"] == "DELETING"
    assert "GlobalSecondaryIndexes" not in ddb.describe_table(TableName=name)["Table"]


def test_aws_durations(aws_server, unique):
    server, ddb = aws_server, aws_server.client("dynamodb")
    name = unique("Aws")
    create(server, ddb, name, active=False)
    server.advance(4.9)  # CreateTable -> ACTIVE in 5 s (observed 4-10 s)
    assert ddb.describe_table(TableName=name)["Table"]["TableStatus"] == "CREATING"
    server.advance(0.1)
    assert ddb.describe_table(TableName=name)["Table"]["TableStatus"] == "ACTIVE"
    ddb.update_table(TableName=name, BillingMode="PAY_PER_REQUEST")  # first time: 150 s
    server.advance(149)
    assert ddb.describe_table(TableName=name)["Table"]["TableStatus"] == "UPDATING"
    server.advance(1)
    assert ddb.describe_table(TableName=name)["Table"]["TableStatus"] == "ACTIVE"
    ddb.update_table(TableName=name, BillingMode="PROVISIONED", ProvisionedThroughput=PT)
    server.advance(79)  # to provisioned: 80 s (observed 60-100 s)
    assert ddb.describe_table(TableName=name)["Table"]["TableStatus"] == "UPDATING"
    server.advance(1)
    assert ddb.describe_table(TableName=name)["Table"]["TableStatus"] == "ACTIVE"
    ddb.update_table(TableName=name, BillingMode="PAY_PER_REQUEST")  # re-flipped: 2 s
    server.advance(2)
    assert ddb.describe_table(TableName=name)["Table"]["TableStatus"] == "ACTIVE"


def test_aws_gsi_backfill_grows_with_the_table(aws_server, unique):
    server, ddb = aws_server, aws_server.client("dynamodb")

    def gsi_seconds(items: int) -> float:
        name = unique("Bf")
        create(server, ddb, name, read=100, write=100)
        for i in range(items):  # ~10 KB each
            ddb.put_item(TableName=name, Item={"id": {"S": str(i)}, "g": {"S": "x"},
                                               "pad": {"S": "p" * 10000}})
            server.advance(0.1)
        start = server.now()
        ddb.update_table(
            TableName=name, AttributeDefinitions=[{"AttributeName": "g", "AttributeType": "S"}],
            GlobalSecondaryIndexUpdates=[{"Create": {
                "IndexName": "by_g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "KEYS_ONLY"},
                "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}}}])
        while ddb.describe_table(TableName=name)["Table"]["GlobalSecondaryIndexes"][0][
                "IndexStatus"] == "CREATING":
            server.advance(10)
        return server.now() - start

    empty, full = gsi_seconds(0), gsi_seconds(30)
    assert 520 <= empty < 530  # observed 506-539 s on an empty table
    # 30 items of ~10 KB at the index's 1 WCU: ~300 s more
    assert 800 <= full < 840


def test_aws_durations_follow_the_time_scale(make_server, unique):
    # --time-scale divides the aws durations like any other: 5 s of CreateTable at x50 is 0.1 s
    server = make_server("--time-scale", "50", "--timing", "aws")
    ddb = server.client("dynamodb")
    name = unique("Scaled")
    started = time.monotonic()
    desc = ddb.create_table(TableName=name, **STR_KEY, ProvisionedThroughput=PT)["TableDescription"]
    assert desc["TableStatus"] == "CREATING"
    while ddb.describe_table(TableName=name)["Table"]["TableStatus"] != "ACTIVE":
        assert time.monotonic() - started < 10
        time.sleep(0.01)
    assert time.monotonic() - started >= 0.09
