"""Capacity units in responses (spec 1.2-1.4) and provisioned-throughput throttling (spec 2.1, 2.2):
a token bucket per table direction, 300 s of burst, debt model, refill at the new rate once an
UpdateTable is ACTIVE; botocore retries the throttling error."""

from __future__ import annotations

import pytest

from tests.dynamodb.helpers import DDB_NS, UPDATE_SECONDS, create, raw
from tests.kit import error

THROTTLED = ("ProvisionedThroughputExceededException",
             "The level of configured provisioned throughput for the table was exceeded. Consider "
             "increasing your provisioning level with the UpdateTable API.", 400)
BIG = "x" * 100_000  # item "id"+"b"+value: 98 WCU


@pytest.fixture(scope="module")
def table(server, ddb):
    create(server, ddb, "CapTable", read=10000, write=10000)
    return "CapTable"


def test_get_item_units(ddb, table):
    ddb.put_item(TableName=table, Item={"id": {"S": "small"}})
    ddb.put_item(TableName=table, Item={"id": {"S": "10k"}, "b": {"S": "x" * (10 * 1024 - 5)}})
    def units(key, **kw):
        return ddb.get_item(TableName=table, Key={"id": {"S": key}}, **kw)["ConsumedCapacity"]
    # spec 1.4.4 shapes; 1.2.3/1.2.4 amounts
    assert units("small", ReturnConsumedCapacity="TOTAL") == {"TableName": table, "CapacityUnits": 0.5}
    assert units("small", ReturnConsumedCapacity="INDEXES") == {
        "TableName": table, "CapacityUnits": 0.5, "Table": {"CapacityUnits": 0.5}}
    assert units("small", ReturnConsumedCapacity="TOTAL", ConsistentRead=True)["CapacityUnits"] == 1
    assert units("missing", ReturnConsumedCapacity="TOTAL")["CapacityUnits"] == 0.5
    assert units("10k", ReturnConsumedCapacity="TOTAL")["CapacityUnits"] == 1.5
    assert units("10k", ReturnConsumedCapacity="TOTAL", ConsistentRead=True)["CapacityUnits"] == 3
    # projection does not reduce the cost (spec 1.3.1)
    assert units("10k", ReturnConsumedCapacity="TOTAL", ConsistentRead=True,
                 ProjectionExpression="id")["CapacityUnits"] == 3
    assert "ConsumedCapacity" not in ddb.get_item(TableName=table, Key={"id": {"S": "small"}},
                                                  ReturnConsumedCapacity="NONE")


def test_write_units(ddb, table):
    def put(item, **kw):
        return ddb.put_item(TableName=table, Item=item, ReturnConsumedCapacity="TOTAL", **kw)[
            "ConsumedCapacity"]["CapacityUnits"]
    assert put({"id": {"S": "w"}}) == 1
    assert put({"id": {"S": "w"}, "b": {"S": "x" * 3000}}) == 3
    # replacing: max(old, new) (spec 1.3.6)
    assert put({"id": {"S": "w"}}) == 3
    assert put({"id": {"S": "w"}}) == 1
    out = ddb.delete_item(TableName=table, Key={"id": {"S": "w"}}, ReturnConsumedCapacity="INDEXES")
    assert out["ConsumedCapacity"] == {"TableName": table, "CapacityUnits": 1.0,
                                       "Table": {"CapacityUnits": 1.0}}
    # deleting an absent item still costs 1 WCU (spec 1.2.5)
    out = ddb.delete_item(TableName=table, Key={"id": {"S": "w"}}, ReturnConsumedCapacity="TOTAL")
    assert out["ConsumedCapacity"]["CapacityUnits"] == 1


def test_consumed_capacity_echoes_table_arn(ddb, table):
    arn = f"arn:aws:dynamodb:us-east-1:123456789012:table/{table}"
    out = ddb.put_item(TableName=arn, Item={"id": {"S": "arn"}}, ReturnConsumedCapacity="TOTAL")
    assert out["ConsumedCapacity"]["TableName"] == arn  # spec 5.1


def test_burst_then_throttle_then_refill(server, ddb, unique):
    name = unique("Burst")
    create(server, ddb, name, read=1, write=1)  # bucket: 300 WCU, full
    for i in range(4):  # 300 -> 202 -> 104 -> 6 -> -92
        ddb.put_item(TableName=name, Item={"id": {"S": str(i)}, "b": {"S": BIG}})
    assert error(ddb.put_item, TableName=name, Item={"id": {"S": "t"}}) == THROTTLED
    status, body = raw(server, "PutItem", {"TableName": name, "Item": {"id": {"S": "t"}}})
    assert status == 400
    assert body["__type"] == DDB_NS + "ProvisionedThroughputExceededException"
    # reads have their own bucket
    ddb.get_item(TableName=name, Key={"id": {"S": "0"}})
    server.advance(91)  # -92 + 91 < 0: still in debt
    assert error(ddb.put_item, TableName=name, Item={"id": {"S": "t"}}) == THROTTLED
    server.advance(1)
    ddb.put_item(TableName=name, Item={"id": {"S": "t"}})
    # a throttled write stored nothing
    assert ddb.get_item(TableName=name, Key={"id": {"S": "t"}})["Item"] == {"id": {"S": "t"}}


def test_botocore_retries_throttling(server, unique):
    # botocore treats ProvisionedThroughputExceededException (HTTP 400) as retryable (spec 2.3).
    ddb = server.client("dynamodb", retries={"max_attempts": 3, "mode": "legacy"})
    name = unique("Retry")
    create(server, ddb, name, read=1, write=1)
    for i in range(4):
        ddb.put_item(TableName=name, Item={"id": {"S": str(i)}, "b": {"S": BIG}})
    with pytest.raises(ddb.exceptions.ProvisionedThroughputExceededException) as info:
        ddb.put_item(TableName=name, Item={"id": {"S": "t"}})
    # legacy mode: the client config max_attempts counts retries
    assert info.value.response["ResponseMetadata"]["RetryAttempts"] == 3


def test_refill_at_new_rate_once_active(aws_server, unique):
    server, ddb = aws_server, aws_server.client("dynamodb")  # transitional states need `--timing aws`
    name = unique("Rate")
    create(server, ddb, name, read=1, write=1)
    for i in range(4):
        ddb.put_item(TableName=name, Item={"id": {"S": str(i)}, "b": {"S": BIG}})
    ddb.update_table(TableName=name, ProvisionedThroughput={"ReadCapacityUnits": 1,
                                                             "WriteCapacityUnits": 100})
    server.advance(UPDATE_SECONDS - 1)
    # still UPDATING: the old rate applies (spec 3.4.2): -92 + 1 < 0
    assert error(ddb.put_item, TableName=name, Item={"id": {"S": "t"}}) == THROTTLED
    server.advance(1)  # ACTIVE now: -92 + 2 = -90 at the old rate, then 100/s
    assert error(ddb.put_item, TableName=name, Item={"id": {"S": "t"}}) == THROTTLED
    server.advance(1)
    ddb.put_item(TableName=name, Item={"id": {"S": "t"}})


def test_on_demand_is_not_throttled(server, ddb, unique):
    name = unique("Ppr")
    create(server, ddb, name, BillingMode="PAY_PER_REQUEST")
    for i in range(8):
        ddb.put_item(TableName=name, Item={"id": {"S": str(i)}, "b": {"S": BIG}})
