"""On-demand tables (spec 2.1.9, 2.2.3, 3.5, 3.6.1): never throttled on provisioned values, held to
an OnDemandThroughput maximum with ThrottlingException (`com.amazon.coral.availability`
namespace, DG-ERR message, `throttlingReasons` member per the botocore model), OnDemandThroughput
validation texts (ack-api-quirks DDB-TABLE-038/039/059/171), describe shapes per mode (3.5.3) and
switching to PROVISIONED with GSIs (3.1.5)."""

from __future__ import annotations

from tests.dynamodb.helpers import STR_KEY, UPDATE_SECONDS, create, raw
from tests.kit import error

PPR = {"BillingMode": "PAY_PER_REQUEST"}
ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/"
GSI_KEYS = dict(AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"},
                                      {"AttributeName": "gk", "AttributeType": "S"}],
                KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}])


def test_on_demand_throughput_validation_at_create(ddb, unique):
    name = unique("OdVal")
    for value in (0, -1, -2):
        assert error(ddb.create_table, TableName=name, **STR_KEY, **PPR,
                     OnDemandThroughput={"MaxReadRequestUnits": value}) == (
            "ValidationException", "One or more parameter values were invalid: Requested "
            "MaxReadRequestUnits for OnDemandThroughput for table is outside of valid range", 400)
    assert error(ddb.create_table, TableName=name, **STR_KEY, **PPR,
                 OnDemandThroughput={"MaxWriteRequestUnits": 40001}) == (
        "LimitExceededException", "Subscriber limit exceeded: Requested MaxWriteRequestUnits for "
        "OnDemandThroughput for table exceeds TableMaxWriteCapacityUnits of the account in region "
        "us-east-1", 400)
    assert error(ddb.create_table, TableName=name, **STR_KEY,
                 ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1},
                 OnDemandThroughput={"MaxReadRequestUnits": 5}) == (
        "ValidationException", "One or more parameter values were invalid: MaxReadRequestUnits "
        "for OnDemandThroughput cannot be specified when table BillingMode is PROVISIONED.", 400)


def test_describe_shapes_and_update_merge(server, ddb, unique):
    name = unique("OdDesc")
    create(server, ddb, name, **PPR)
    table = ddb.describe_table(TableName=name)["Table"]
    assert "OnDemandThroughput" not in table   # only when set (spec 3.6.1)
    assert table["ProvisionedThroughput"] == {"NumberOfDecreasesToday": 0, "ReadCapacityUnits": 0,
                                              "WriteCapacityUnits": 0}   # spec 3.5.3
    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    ddb.update_table(TableName=name, OnDemandThroughput={"MaxReadRequestUnits": 100})
    ddb.update_table(TableName=name, OnDemandThroughput={"MaxWriteRequestUnits": 50})
    table = ddb.describe_table(TableName=name)["Table"]
    assert table["OnDemandThroughput"] == {"MaxReadRequestUnits": 100, "MaxWriteRequestUnits": 50}
    ddb.update_table(TableName=name, OnDemandThroughput={"MaxReadRequestUnits": -1})  # removes
    table = ddb.describe_table(TableName=name)["Table"]
    assert table["OnDemandThroughput"] == {"MaxWriteRequestUnits": 50}
    assert error(ddb.update_table, TableName=name,
                 OnDemandThroughput={"MaxWriteRequestUnits": -2})[1] == (
        "One or more parameter values were invalid: Requested MaxWriteRequestUnits for "
        "OnDemandThroughput for table is outside of valid range")
    provisioned = unique("OdProv")
    create(server, ddb, provisioned)
    assert error(ddb.update_table, TableName=provisioned,
                 OnDemandThroughput={"MaxReadRequestUnits": 100}) == (
        "ValidationException", "One or more parameter values were invalid: MaxReadRequestUnits "
        "for OnDemandThroughput cannot be specified when the table BillingMode is PROVISIONED", 400)


def test_throttled_above_the_on_demand_maximum(server, ddb, unique):
    name = unique("OdMax")
    create(server, ddb, name, **PPR, OnDemandThroughput={"MaxWriteRequestUnits": 5})
    item = {"id": {"S": "a"}, "pad": {"S": "x" * 5000}}  # 5 WRU
    ddb.put_item(TableName=name, Item=item)   # 5 -> 0: admitted
    ddb.put_item(TableName=name, Item=item)   # 0 -> -5: admitted (debt)
    assert error(ddb.put_item, TableName=name, Item=item) == (
        "ThrottlingException", "Rate of requests exceeds the allowed throughput.", 400)
    status, body = raw(server, "PutItem", {"TableName": name, "Item": item})
    assert status == 400
    assert body["__type"] == "com.amazon.coral.availability#ThrottlingException"
    assert body["throttlingReasons"] == [{"reason": "TableWriteMaxOnDemandThroughputExceeded",
                                          "resource": ARN + name}]
    ddb.get_item(TableName=name, Key={"id": {"S": "a"}})  # reads are not capped
    server.advance(1)
    ddb.put_item(TableName=name, Item=item)
    # no cap: never throttled, however heavy (spec 2.1.9)
    ddb.update_table(TableName=name, OnDemandThroughput={"MaxWriteRequestUnits": -1})
    for _ in range(5):
        ddb.put_item(TableName=name, Item={"id": {"S": "b"}, "pad": {"S": "x" * 300_000}})


def test_switch_to_provisioned_needs_every_gsi(server, ddb, unique):
    name = unique("OdGsi")
    create(server, ddb, name, keys=GSI_KEYS, **PPR, GlobalSecondaryIndexes=[
        {"IndexName": "gsi", "KeySchema": [{"AttributeName": "gk", "KeyType": "HASH"}],
         "Projection": {"ProjectionType": "ALL"}}])
    throughput = {"ReadCapacityUnits": 3, "WriteCapacityUnits": 4}
    assert error(ddb.update_table, TableName=name, BillingMode="PROVISIONED",
                 ProvisionedThroughput=throughput) == (
        "ValidationException", "One or more parameter values were invalid: ProvisionedThroughput "
        "must be specified for index: gsi", 400)
    ddb.update_table(TableName=name, BillingMode="PROVISIONED", ProvisionedThroughput=throughput,
                     GlobalSecondaryIndexUpdates=[{"Update": {
                         "IndexName": "gsi",
                         "ProvisionedThroughput": {"ReadCapacityUnits": 6, "WriteCapacityUnits": 7}}}])
    server.advance(UPDATE_SECONDS)
    table = ddb.describe_table(TableName=name)["Table"]
    assert table["BillingModeSummary"]["BillingMode"] == "PROVISIONED"
    assert "LastUpdateToPayPerRequestDateTime" in table["BillingModeSummary"]  # kept (3.5.3)
    pt = table["GlobalSecondaryIndexes"][0]["ProvisionedThroughput"]
    assert (pt["ReadCapacityUnits"], pt["WriteCapacityUnits"]) == (6, 7)
    assert (table["ProvisionedThroughput"]["ReadCapacityUnits"],
            table["ProvisionedThroughput"]["WriteCapacityUnits"]) == (3, 4)
