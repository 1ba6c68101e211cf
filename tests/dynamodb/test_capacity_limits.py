"""UpdateTable/CreateTable capacity rules (spec 3.1.4, 3.2, 3.3): the per-table (and per-GSI)
maximum and the per-account maximum as LimitExceededException with AWS's texts, agreeing with
DescribeLimits; the GSI "will not change" text; per-GSI decrease budgets (3.3.1: each GSI has its
own, and a call over either budget is refused as a whole)."""

from __future__ import annotations

from tests.dynamodb.helpers import DDB_NS, STR_KEY, UPDATE_SECONDS, create, raw
from tests.kit import error

KEYS = dict(AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"},
                                  {"AttributeName": "gk", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}])


def pt(read, write):
    return {"ReadCapacityUnits": read, "WriteCapacityUnits": write}


def gsi(read=5, write=5):
    return [{"IndexName": "gsi", "KeySchema": [{"AttributeName": "gk", "KeyType": "HASH"}],
             "Projection": {"ProjectionType": "ALL"}, "ProvisionedThroughput": pt(read, write)}]


def gsi_update(read, write):
    return [{"Update": {"IndexName": "gsi", "ProvisionedThroughput": pt(read, write)}}]


def test_per_table_maximum_matches_describe_limits(server, ddb, unique):
    limits = ddb.describe_limits()
    top = limits["TableMaxReadCapacityUnits"]
    assert top == limits["TableMaxWriteCapacityUnits"] == 40000
    name = unique("Max")
    # AWS's text, quoted in full by its own auto scaling notice (spec 3.2.3)
    assert error(ddb.create_table, TableName=name, **STR_KEY,
                 ProvisionedThroughput=pt(top + 1, 1)) == (
        "LimitExceededException", f"The requested ReadCapacityUnits, {top + 1}, is above the per "
        "table maximum for the account in us-east-1. Per table maximum: 40000.", 400)
    status, body = raw(server, "CreateTable", {"TableName": name, **STR_KEY,
                                               "ProvisionedThroughput": pt(1, top + 1)})
    assert status == 400 and body["__type"] == DDB_NS + "LimitExceededException"
    assert "WriteCapacityUnits, 40001, is above the per table maximum" in body["message"]
    # the same quota applies to each GSI (DG-Q current wording)
    code, message, _ = error(ddb.create_table, TableName=name, **KEYS, ProvisionedThroughput=pt(1, 1),
                             GlobalSecondaryIndexes=gsi(top + 1, 1))
    assert (code, message) == ("LimitExceededException", "The requested ReadCapacityUnits for "
                               "index gsi, 40001, is above the per index maximum for the account "
                               "in us-east-1. Per index maximum: 40000.")
    create(server, ddb, name, read=1, write=1)
    assert error(ddb.update_table, TableName=name, ProvisionedThroughput=pt(1, top + 1)) == (
        "LimitExceededException", "The requested WriteCapacityUnits, 40001, is above the per "
        "table maximum for the account in us-east-1. Per table maximum: 40000.", 400)
    assert ddb.describe_table(TableName=name)["Table"]["TableStatus"] == "ACTIVE"


def test_gsi_will_not_change(server, ddb, unique):
    name = unique("GsiSame")
    create(server, ddb, name, keys=KEYS, GlobalSecondaryIndexes=gsi(3, 4))
    # spec 3.1.4, GSI form (ack-api-quirks DDB-TABLE-164)
    assert error(ddb.update_table, TableName=name, GlobalSecondaryIndexUpdates=gsi_update(3, 4)) == (
        "ValidationException",
        "The provisioned throughput for the index gsi will not change. The requested value equals "
        "the current value. Current ReadCapacityUnits provisioned for index gsi: 3. Requested "
        "ReadCapacityUnits: 3. Current WriteCapacityUnits provisioned for index gsi: 4. Requested "
        "WriteCapacityUnits: 4. Refer to the Amazon DynamoDB Developer Guide for current limits "
        "and how to request higher limits.", 400)


def test_each_gsi_has_its_own_decrease_budget(server, ddb, unique):
    name = unique("GsiDec")
    create(server, ddb, name, read=50, write=50, keys=KEYS, GlobalSecondaryIndexes=gsi(50, 50))
    for units in (40, 30, 20, 10):
        ddb.update_table(TableName=name, GlobalSecondaryIndexUpdates=gsi_update(units, units))
        server.advance(UPDATE_SECONDS)
    index = ddb.describe_table(TableName=name)["Table"]["GlobalSecondaryIndexes"][0]
    assert index["ProvisionedThroughput"]["NumberOfDecreasesToday"] == 4
    code, message, status = error(ddb.update_table, TableName=name,
                                  GlobalSecondaryIndexUpdates=gsi_update(5, 5))
    assert (code, status) == ("LimitExceededException", 400)
    assert message.startswith(  # spec 3.3.3
        "Subscriber limit exceeded: Provisioned throughput decreases are limited within a given "
        "UTC day. After the first 4 decreases, each subsequent decrease in the same UTC day can be "
        "performed at most once every 3600 seconds. Number of decreases today: 4. Last decrease "
        "at ")
    # one call decreasing the table and the exhausted GSI is refused as a whole (spec 3.3.1)
    assert error(ddb.update_table, TableName=name, ProvisionedThroughput=pt(40, 40),
                 GlobalSecondaryIndexUpdates=gsi_update(5, 5))[0] == "LimitExceededException"
    table = ddb.describe_table(TableName=name)["Table"]
    assert table["TableStatus"] == "ACTIVE"
    assert table["ProvisionedThroughput"]["ReadCapacityUnits"] == 50
    # the table's own budget is untouched; increasing the GSI is always allowed
    ddb.update_table(TableName=name, ProvisionedThroughput=pt(40, 40))
    server.advance(UPDATE_SECONDS)
    ddb.update_table(TableName=name, GlobalSecondaryIndexUpdates=gsi_update(20, 20))
    server.advance(UPDATE_SECONDS)
    # an hour after the last accepted decrease, one more is allowed (spec 3.3.2)
    server.advance(3600)
    ddb.update_table(TableName=name, GlobalSecondaryIndexUpdates=gsi_update(5, 5))


def test_account_maximum(server, ddb, unique):
    """Last in this module: it fills the account's 80,000 RCU, then frees them."""
    names = [unique("Acct") for _ in range(3)]
    server.advance(UPDATE_SECONDS)  # let earlier updates settle
    reserved = sum(ddb.describe_table(TableName=t)["Table"]["ProvisionedThroughput"]
                   ["ReadCapacityUnits"] + sum(g["ProvisionedThroughput"]["ReadCapacityUnits"]
                                               for g in ddb.describe_table(TableName=t)["Table"]
                                               .get("GlobalSecondaryIndexes", []))
                   for t in ddb.list_tables()["TableNames"])
    room = 80000 - reserved
    create(server, ddb, names[0], read=40000, write=1)
    create(server, ddb, names[1], read=room - 40000, write=1)
    assert error(ddb.create_table, TableName=names[2], **STR_KEY, ProvisionedThroughput=pt(2, 1)) == (
        "LimitExceededException", "This request would have caused the ReadCapacityUnits limit to "
        "be exceeded for the account in us-east-1. Current ReadCapacityUnits reserved by the "
        "account: 80000. Limit: 80000. Requested: 2", 400)
    assert error(ddb.update_table, TableName=names[1],
                 ProvisionedThroughput=pt(room - 40000 + 1, 1))[1].startswith(
        "This request would have caused the ReadCapacityUnits limit to be exceeded for the "
        f"account in us-east-1. Current ReadCapacityUnits reserved by the account: {40000 + reserved}.")
    # on-demand tables do not count (spec 3.2.1)
    ddb.create_table(TableName=names[2], **STR_KEY, BillingMode="PAY_PER_REQUEST")
    for name in names[:2]:
        ddb.delete_table(TableName=name)
    server.advance(5)
    create(server, ddb, unique("Acct"), read=40000, write=1)


def test_minimum_is_one_unit(server, ddb, unique):
    # spec 3.1.1/3.1.3: PositiveLongObject, min 1, Coral constraint text
    name = unique("Min")
    create(server, ddb, name)
    status, body = raw(server, "UpdateTable", {"TableName": name, "ProvisionedThroughput": {
        "ReadCapacityUnits": 0, "WriteCapacityUnits": 1}})
    assert (status, body) == (400, {
        "__type": "com.amazon.coral.validate#ValidationException",
        "message": "1 validation error detected: Value '0' at "
                   "'provisionedThroughput.readCapacityUnits' failed to satisfy constraint: Member "
                   "must have value greater than or equal to 1"})
