"""Item-operation behaviour recorded against AWS by scylladb's Alternator test suite
(test/alternator/*.py, run against DynamoDB; each test names the Alternator test it follows).
Written in our own words, over HTTP with boto3."""

from __future__ import annotations

import pytest

from tests.dynamodb.helpers import create
from tests.kit import error


@pytest.fixture(scope="module")
def table(server, ddb):
    create(server, ddb, "AltItems", read=1000, write=1000)
    return "AltItems"


def _get(ddb, table, key):
    return ddb.get_item(TableName=table, Key=key, ConsistentRead=True).get("Item")


@pytest.mark.parametrize("update", [
    dict(UpdateExpression="REMOVE gone"),
    dict(UpdateExpression="REMOVE gone, more"),
    dict(UpdateExpression="DELETE tags :v", ExpressionAttributeValues={":v": {"SS": ["x"]}}),
    dict(AttributeUpdates={"gone": {"Action": "DELETE"}}),
    dict(AttributeUpdates={"gone": {"Action": "DELETE"}, "more": {"Action": "DELETE"}}),
    dict(AttributeUpdates={"tags": {"Action": "DELETE", "Value": {"SS": ["x"]}}}),
])
def test_removal_only_update_of_missing_item_creates_nothing(ddb, table, unique, update):
    # scylladb test_item.py::test_update_item_non_existent and ::test_update_item_delete
    key = {"id": {"S": unique("rm")}}
    out = ddb.update_item(TableName=table, Key=key, ReturnValues="ALL_NEW", **update)
    assert "Attributes" not in out
    assert _get(ddb, table, key) is None


@pytest.mark.parametrize("update", [
    dict(),
    dict(AttributeUpdates={}),
    dict(AttributeUpdates={"gone": {"Action": "DELETE"}, "a": {"Action": "PUT", "Value": {"N": "1"}}}),
    dict(UpdateExpression="REMOVE gone SET a = :one", ExpressionAttributeValues={":one": {"N": "1"}}),
])
def test_update_that_writes_or_does_nothing_creates_missing_item(ddb, table, unique, update):
    # the same Alternator tests: an empty update still creates the item, as does any write
    key = {"id": {"S": unique("mk")}}
    ddb.update_item(TableName=table, Key=key, **update)
    item = _get(ddb, table, key)
    assert item is not None and item["id"] == key["id"]


def test_removal_only_update_of_existing_item_keeps_it(ddb, table, unique):
    key = {"id": {"S": unique("ex")}}
    ddb.put_item(TableName=table, Item={**key, "gone": {"S": "v"}})
    ddb.update_item(TableName=table, Key=key, UpdateExpression="REMOVE gone")
    assert _get(ddb, table, key) == key


def test_transact_removal_only_update_of_missing_item_creates_nothing(ddb, table, unique):
    key = {"id": {"S": unique("tx")}}
    ddb.transact_write_items(TransactItems=[
        {"Update": {"TableName": table, "Key": key, "UpdateExpression": "REMOVE gone"}}])
    assert _get(ddb, table, key) is None


def test_transact_reports_only_the_first_key_validation_error(ddb, table, unique):
    # scylladb test_transact.py::test_transact_write_cancellation_reasons_validationerror: keys
    # are checked before any action runs; the first bad one alone is reported, the rest `None`
    ok = {"id": {"S": unique("tv")}}
    with pytest.raises(ddb.exceptions.TransactionCanceledException) as e:
        ddb.transact_write_items(TransactItems=[
            {"Put": {"TableName": table, "Item": {"id": {"N": "7"}}}},
            {"Put": {"TableName": table, "Item": {"id": {"N": "8"}}}},
            {"Put": {"TableName": table, "Item": ok, "ConditionExpression": "attribute_exists(id)"}}])
    reasons = e.value.response["CancellationReasons"]
    assert [r["Code"] for r in reasons] == ["ValidationError", "None", "None"]
    assert "Message" in reasons[0] and "Message" not in reasons[1] and "Message" not in reasons[2]
    assert e.value.response["Error"]["Message"].endswith("[ValidationError, None, None]")
    assert _get(ddb, table, ok) is None


def test_transact_reports_every_failed_condition(ddb, table, unique):
    # the same Alternator file (…_conditionalcheckfailed): conditions are not short-circuited
    with pytest.raises(ddb.exceptions.TransactionCanceledException) as e:
        ddb.transact_write_items(TransactItems=[
            {"Put": {"TableName": table, "Item": {"id": {"S": unique("c")}}}},
            {"ConditionCheck": {"TableName": table, "Key": {"id": {"S": unique("c")}},
                                "ConditionExpression": "attribute_exists(id)"}},
            {"Put": {"TableName": table, "Item": {"id": {"S": unique("c")}},
                     "ConditionExpression": "attribute_exists(id)"}}])
    assert [r["Code"] for r in e.value.response["CancellationReasons"]] == [
        "None", "ConditionalCheckFailed", "ConditionalCheckFailed"]


def test_delete_table_answer_leaves_out_the_schema(server, ddb, unique):
    # scylladb test_table.py::test_delete_table_description and ::..._with_si (run against AWS)
    name = unique("deltab")
    s = lambda n: {"AttributeName": n, "AttributeType": "S"}  # noqa: E731
    create(server, ddb, name, keys=dict(
        AttributeDefinitions=[s("id"), s("r"), s("x")],
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}, {"AttributeName": "r", "KeyType": "RANGE"}]),
        BillingMode="PAY_PER_REQUEST",
        GlobalSecondaryIndexes=[{"IndexName": "gsi", "KeySchema": [{"AttributeName": "x", "KeyType": "HASH"}],
                                 "Projection": {"ProjectionType": "ALL"}}],
        LocalSecondaryIndexes=[{"IndexName": "lsi", "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"},
                                                                {"AttributeName": "x", "KeyType": "RANGE"}],
                                "Projection": {"ProjectionType": "ALL"}}])
    assert "KeySchema" in ddb.describe_table(TableName=name)["Table"]
    got = ddb.delete_table(TableName=name)["TableDescription"]
    for member in ("KeySchema", "AttributeDefinitions", "CreationDateTime",
                   "GlobalSecondaryIndexes", "LocalSecondaryIndexes"):
        assert member not in got, member
    assert got["TableName"] == name and got["TableStatus"] == "DELETING"
    assert got["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert "LastUpdateToPayPerRequestDateTime" in got["BillingModeSummary"]
    assert got["ProvisionedThroughput"] == {"NumberOfDecreasesToday": 0, "ReadCapacityUnits": 0,
                                            "WriteCapacityUnits": 0}
    assert "TableSizeBytes" in got and "ItemCount" in got


@pytest.mark.parametrize("warm,unit", [
    ({"ReadUnitsPerSecond": 11999, "WriteUnitsPerSecond": 4000}, "ReadUnitsPerSecond"),
    ({"ReadUnitsPerSecond": 12000, "WriteUnitsPerSecond": 3999}, "WriteUnitsPerSecond"),
    ({"WriteUnitsPerSecond": 100}, "WriteUnitsPerSecond"),
])
def test_on_demand_warm_throughput_below_the_default_is_refused(ddb, unique, warm, unit):
    # scylladb test_warm_throughput.py::test_create_table_warm_throughput_below_minimum
    name = unique("warmlow")
    with pytest.raises(ddb.exceptions.ClientError) as e:
        ddb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST", WarmThroughput=warm,
                         AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                         KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}])
    assert e.value.response["Error"]["Code"] == "ValidationException"
    assert unit in e.value.response["Error"]["Message"]
    assert "lower than" in e.value.response["Error"]["Message"]
    assert name not in ddb.list_tables()["TableNames"]


def test_on_demand_warm_throughput_at_the_default_is_accepted(server, ddb, unique):
    name = unique("warmok")
    out = ddb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                           WarmThroughput={"ReadUnitsPerSecond": 12000, "WriteUnitsPerSecond": 4080},
                           AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                           KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}])["TableDescription"]
    # scylladb test_warm_throughput.py::test_create_table_warm_throughput_response: while the
    # table is created its WarmThroughput reports UPDATING
    assert out["TableStatus"] == "CREATING"
    assert out["WarmThroughput"] == {"ReadUnitsPerSecond": 12000, "WriteUnitsPerSecond": 4080,
                                     "Status": "UPDATING"}


TABLE_CLASS_TEXT = ("Invalid table-class parameter provided. Please try again with a valid "
                    "table-class value: [STANDARD, STANDARD_INFREQUENT_ACCESS].")


@pytest.mark.parametrize("value", ["invalid_tableclass_name", "standard", "junk"])
def test_unknown_table_class_is_refused_in_dynamodbs_words(server, ddb, unique, value):
    # scylladb test_tableclass.py::test_tableclass_create_table_bad_tableclass, ::..._update_table
    from tests.dynamodb.helpers import raw
    name = unique("tc")
    status, doc = raw(server, "CreateTable", {
        "TableName": name, "BillingMode": "PAY_PER_REQUEST", "TableClass": value,
        "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}]})
    assert status == 400 and doc["__type"].endswith("#ValidationException")
    assert doc["message"] == TABLE_CLASS_TEXT
    create(server, ddb, name, TableClass="STANDARD")
    status, doc = raw(server, "UpdateTable", {"TableName": name, "TableClass": value})
    assert status == 400 and doc["__type"].endswith("#ValidationException")
    assert doc["message"] == TABLE_CLASS_TEXT
    ddb.update_table(TableName=name, TableClass="STANDARD_INFREQUENT_ACCESS")


# scylladb test_limits.py::test_limit_attribute_length_nonkey_good / _bad (run against AWS) and
# the service's own answer measured in ExtendDB/extenddb#365: an attribute name, top-level or a
# nested map key, of 65,536 UTF-8 bytes is refused with "Attribute name is too large", not the
# model's map-key constraint (which echoed the whole item); 65,535 bytes is stored.
TOO_LARGE = ("ValidationException", "1 validation error detected: Attribute name is too large, "
             "must be less than 65536 bytes", 400)


def test_attribute_names_of_more_than_65535_bytes_are_refused(ddb, table, unique):
    key = {"id": {"S": unique("name")}}
    longest, too_long = "n" * 65535, "n" * 65536
    ddb.put_item(TableName=table, Item={**key, longest: {"N": "1"},
                                        "doc": {"M": {longest: {"S": "x"}}}})
    assert _get(ddb, table, key)[longest] == {"N": "1"}
    # bytes, not characters: 21,846 three-byte characters are 65,538 bytes
    for item in ({**key, too_long: {"N": "1"}}, {**key, "doc": {"M": {too_long: {"S": "x"}}}},
                 {**key, "\u20ac" * 21846: {"N": "1"}},
                 {**key, "l": {"L": [{"M": {too_long: {"N": "2"}}}]}}):
        assert error(ddb.put_item, TableName=table, Item=item) == TOO_LARGE
    assert error(ddb.update_item, TableName=table, Key=key, UpdateExpression="SET doc = :v",
                 ExpressionAttributeValues={":v": {"M": {too_long: {"S": "x"}}}}) == TOO_LARGE
    assert error(ddb.update_item, TableName=table, Key=key, UpdateExpression="SET #n = :v",
                 ExpressionAttributeNames={"#n": too_long},
                 ExpressionAttributeValues={":v": {"S": "x"}}) == TOO_LARGE
    assert _get(ddb, table, key) == {**key, longest: {"N": "1"},
                                     "doc": {"M": {longest: {"S": "x"}}}}
