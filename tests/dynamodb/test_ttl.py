"""UpdateTimeToLive / DescribeTimeToLive and expiry on the clock (live-probed texts and timing:
ack-api-quirks `services/dynamodb` DDB-TABLE-143..147, 442; scylladb test/alternator/test_ttl.py,
recorded against DynamoDB; DG "Time to Live")."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.dynamodb.helpers import NUM_KEYS, VALIDATE_NS, create, raw
from tests.kit import error

COOLDOWN = 31 * 60  # measured: rejected at 1811.6 s, accepted at 1871.7 s (DDB-TABLE-143)
SWEEP = 60
FIVE_YEARS = 5 * 365 * 86400


@pytest.fixture
def table(server, ddb, unique):
    name = unique("ttl")
    create(server, ddb, name)
    return name


def describe(ddb, name):
    return ddb.describe_time_to_live(TableName=name)["TimeToLiveDescription"]


def enable(ddb, name, attr="expires", on=True):
    return ddb.update_time_to_live(TableName=name, TimeToLiveSpecification={"AttributeName": attr,
                                                                            "Enabled": on})


def test_fresh_table_is_disabled_without_attribute(ddb, table):
    assert describe(ddb, table) == {"TimeToLiveStatus": "DISABLED"}


def test_enable_echoes_the_request_and_settles_at_once(ddb, table):
    out = enable(ddb, table)
    assert out["TimeToLiveSpecification"] == {"AttributeName": "expires", "Enabled": True}
    # ENABLING was never observed on AWS (DDB-TABLE-144/145); suites assert ENABLED right away
    assert describe(ddb, table) == {"TimeToLiveStatus": "ENABLED", "AttributeName": "expires"}


def test_content_errors_precede_the_cooldown(ddb, table):
    assert error(enable, ddb, table, on=False) == (
        "ValidationException", "TimeToLive is already disabled", 400)
    enable(ddb, table, "ttl_a")
    assert error(enable, ddb, table, "ttl_a") == ("ValidationException", "TimeToLive is already enabled", 400)
    different = ("ValidationException",
                 "TimeToLive is active on a different AttributeName: current AttributeName is ttl_a", 400)
    assert error(enable, ddb, table, "ttl_b") == different
    assert error(enable, ddb, table, "ttl_b", on=False) == different
    assert error(enable, ddb, table, "ttl_a", on=False) == (
        "ValidationException", "Time to live has been modified multiple times within a fixed interval", 400)


def test_cooldown_then_disable_then_new_cooldown(server, ddb, table):
    enable(ddb, table, "ttl_a")
    server.advance(COOLDOWN - 60)
    assert error(enable, ddb, table, "ttl_a", on=False)[1] == \
        "Time to live has been modified multiple times within a fixed interval"
    server.advance(60)
    out = enable(ddb, table, "ttl_a", on=False)
    assert out["TimeToLiveSpecification"] == {"AttributeName": "ttl_a", "Enabled": False}
    assert describe(ddb, table) == {"TimeToLiveStatus": "DISABLED"}  # the attribute is forgotten
    assert error(enable, ddb, table, "ttl_b")[1] == \
        "Time to live has been modified multiple times within a fixed interval"
    server.advance(COOLDOWN)
    enable(ddb, table, "ttl_b")
    assert describe(ddb, table) == {"TimeToLiveStatus": "ENABLED", "AttributeName": "ttl_b"}


def test_missing_and_creating_tables(aws_server, unique):
    server, ddb = aws_server, aws_server.client("dynamodb")  # transitional states need `--timing aws`
    name = unique("ttl")
    missing = ("ResourceNotFoundException", f"Requested resource not found: Table: {name} not found", 400)
    assert error(ddb.describe_time_to_live, TableName=name) == missing
    assert error(enable, ddb, name) == missing
    create(server, ddb, name, active=False)
    assert error(ddb.describe_time_to_live, TableName=name) == (
        "ValidationException",
        "Cannot describe time to live while table is in CREATING state: Current table state is CREATING", 400)
    status, body = raw(server, "DescribeTimeToLive", {"TableName": name})
    assert status == 400 and body["__type"] == VALIDATE_NS + "ValidationException"


def test_attribute_name_length_is_model_validated(server, table):
    status, body = raw(server, "UpdateTimeToLive", {
        "TableName": table, "TimeToLiveSpecification": {"AttributeName": "x" * 256, "Enabled": True}})
    assert status == 400 and "Member must have length less than or equal to 255" in body["message"]


def test_expiry_deletes_on_the_clock(server, ddb, unique):
    name = unique("ttl")
    create(server, ddb, name, keys=NUM_KEYS)
    now = int(server.now())
    table = server.resource("dynamodb").Table(name)
    items = {
        1: {"expires": now - 60},                     # expired
        2: {},                                        # no TTL attribute: never
        3: {"expires": now - FIVE_YEARS - 86400},     # more than 5 years ago: never
        4: {"expires": now + 600},                    # expires in 10 minutes
        5: {"expires": str(now - 60)},                # a string: never
        6: {"expires": Decimal(f"{(now - 60) // 10}e1")},   # 1234567e1 form: expired
        7: {"expires": Decimal(f"{now - 60}.25")},    # fractional: expired
    }
    table.put_item(Item={"pk": 0, "sk": 0, "expires": now - 60})  # present before TTL is enabled
    for sk, extra in items.items():
        table.put_item(Item={"pk": 1, "sk": sk, **extra})
    # expired items are still readable until the sweep runs
    assert "Item" in table.get_item(Key={"pk": 1, "sk": 1})
    enable(ddb, name)
    server.advance(SWEEP + 1)

    def alive():
        return {int(i["sk"]) for i in table.query(KeyConditionExpression="pk = :p",
                                                  ExpressionAttributeValues={":p": 1})["Items"]}
    assert alive() == {2, 3, 4, 5}
    assert "Item" not in table.get_item(Key={"pk": 0, "sk": 0})
    server.advance(600)
    assert alive() == {2, 3, 5}


def test_expiry_stops_when_disabled(server, ddb, table):
    enable(ddb, table)
    server.advance(COOLDOWN)
    enable(ddb, table, on=False)
    ddb.put_item(TableName=table, Item={"id": {"S": "a"}, "expires": {"N": str(int(server.now()) - 10)}})
    server.advance(SWEEP * 2)
    assert "Item" in ddb.get_item(TableName=table, Key={"id": {"S": "a"}})


def test_expiry_consumes_no_capacity_and_is_counted(server, ddb, unique):
    name = unique("ttl")
    create(server, ddb, name, read=1, write=1)
    enable(ddb, name)
    past = str(int(server.now()) - 10)
    for i in range(5):
        ddb.put_item(TableName=name, Item={"id": {"S": f"i{i}"}, "expires": {"N": past}})
    server.advance(120)
    start = server.now() - 600
    cw = server.client("cloudwatch")

    def total(metric):
        points = cw.get_metric_statistics(
            Namespace="AWS/DynamoDB", MetricName=metric, Dimensions=[{"Name": "TableName", "Value": name}],
            StartTime=start, EndTime=server.now() + 60, Period=60, Statistics=["Sum"])["Datapoints"]
        return sum(p["Sum"] for p in points)
    assert ddb.scan(TableName=name)["Count"] == 0
    assert total("TimeToLiveDeletedItemCount") == 5
    assert total("ConsumedWriteCapacityUnits") == 5  # the five puts only


def test_ttl_setting_and_sweep_survive_a_restart(make_server, unique):
    srv = make_server("--clock", "manual")
    ddb = srv.client("dynamodb")
    name = unique("ttl")
    create(srv, ddb, name)
    enable(ddb, name)
    ddb.put_item(TableName=name, Item={"id": {"S": "a"}, "expires": {"N": str(int(srv.now()) + 30)}})
    srv.restart()
    ddb = srv.client("dynamodb")
    assert describe(ddb, name) == {"TimeToLiveStatus": "ENABLED", "AttributeName": "expires"}
    assert error(enable, ddb, name, on=False)[1] == \
        "Time to live has been modified multiple times within a fixed interval"
    srv.advance(SWEEP * 2)
    assert "Item" not in ddb.get_item(TableName=name, Key={"id": {"S": "a"}})


def test_recreated_table_starts_disabled(server, ddb, unique):
    name = unique("ttl")
    create(server, ddb, name)
    enable(ddb, name)
    ddb.delete_table(TableName=name)
    server.advance(10)
    create(server, ddb, name)
    assert describe(ddb, name) == {"TimeToLiveStatus": "DISABLED"}
    enable(ddb, name)  # no cooldown carried over (DDB-TABLE-377)


def test_cli(server, table):
    out = server.aws("dynamodb", "update-time-to-live", "--table-name", table,
                     "--time-to-live-specification", "Enabled=true,AttributeName=ttl").json
    assert out == {"TimeToLiveSpecification": {"Enabled": True, "AttributeName": "ttl"}}
    out = server.aws("dynamodb", "describe-time-to-live", "--table-name", table).json
    assert out == {"TimeToLiveDescription": {"TimeToLiveStatus": "ENABLED", "AttributeName": "ttl"}}


def test_expired_items_leave_global_secondary_indexes(server, ddb, unique):
    name = unique("ttl")
    ddb.create_table(
        TableName=name, BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"},
                              {"AttributeName": "g", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        GlobalSecondaryIndexes=[{"IndexName": "by-g",
                                 "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                 "Projection": {"ProjectionType": "ALL"}}])
    server.advance(10)
    enable(ddb, name)
    ddb.put_item(TableName=name, Item={"id": {"S": "a"}, "g": {"S": "x"},
                                       "expires": {"N": str(int(server.now()) - 5)}})

    def in_index():
        return ddb.query(TableName=name, IndexName="by-g", KeyConditionExpression="g = :g",
                         ExpressionAttributeValues={":g": {"S": "x"}})["Count"]
    assert in_index() == 1
    server.advance(SWEEP + 1)
    assert in_index() == 0
