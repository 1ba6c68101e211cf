"""UpdateItem with UpdateExpression: SET (arithmetic, if_not_exists, list_append), REMOVE, ADD,
DELETE, upserts, key rules, size limit, capacity, conditions, and the resource API.

Sources: dynalite test/updateItem.js and actions/updateItem.js (recorded against AWS); the key
message as AWS sends it (quoted by dynoxide and moto); spec 1.3.7 (capacity), 1.3.10.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from boto3.dynamodb.conditions import Attr
from botocore.exceptions import ClientError

from tests.dynamodb.helpers import NUM_KEYS, create
from tests.kit import error

FAILED = ("ConditionalCheckFailedException", "The conditional request failed", 400)


@pytest.fixture(scope="module")
def table(server, ddb):
    create(server, ddb, "UpdStr", read=1000, write=1000)
    return "UpdStr"


@pytest.fixture(scope="module")
def num_table(server, ddb):
    create(server, ddb, "UpdNum", read=1000, write=1000, keys=NUM_KEYS)
    return "UpdNum"


def get(ddb, table, key):
    return ddb.get_item(TableName=table, Key=key, ConsistentRead=True).get("Item")


def test_upsert_creates_item_from_key(ddb, table, unique):
    key = {"id": {"S": unique("u")}}
    out = ddb.update_item(TableName=table, Key=key, UpdateExpression="SET a = :a, c = id",
                          ExpressionAttributeValues={":a": {"N": "1"}}, ReturnValues="ALL_NEW")
    # SET may read the key attributes of an item being created (dynalite test/updateItem.js)
    assert out["Attributes"] == {**key, "a": {"N": "1"}, "c": key["id"]}
    assert get(ddb, table, key) == out["Attributes"]


def test_update_without_actions_creates_key_only_item(ddb, table, unique):
    key = {"id": {"S": unique("u")}}
    assert "Attributes" not in ddb.update_item(TableName=table, Key=key)
    assert get(ddb, table, key) == key


def test_set_remove_add_delete(ddb, table, unique):
    key = {"id": {"S": unique("u")}}
    ddb.put_item(TableName=table, Item={**key, "n": {"N": "10"}, "l": {"L": [{"S": "a"}]},
                                        "ss": {"SS": ["x", "y", "z"]}, "s2": {"SS": ["q"]}, "gone": {"S": "bye"},
                                        "m": {"M": {"in": {"N": "1"}}}})
    ddb.update_item(
        TableName=table, Key=key,
        UpdateExpression="SET n = n - :one, l = list_append(l, :more), m.#in = m.#in + :one, "
                         "fresh = if_not_exists(fresh, :zero), n2 = if_not_exists(n, :zero) "
                         "REMOVE gone ADD cnt :one, s2 :add DELETE ss :del",
        ExpressionAttributeNames={"#in": "in"},
        ExpressionAttributeValues={":one": {"N": "1"}, ":more": {"L": [{"S": "b"}]},
                                   ":zero": {"N": "0"}, ":add": {"SS": ["w"]},
                                   ":del": {"SS": ["x", "y"]}})
    item = get(ddb, table, key)
    assert item["n"] == {"N": "9"} and item["n2"] == {"N": "10"} and item["fresh"] == {"N": "0"}
    assert item["l"] == {"L": [{"S": "a"}, {"S": "b"}]}
    assert item["m"] == {"M": {"in": {"N": "2"}}}
    assert item["cnt"] == {"N": "1"}
    assert item["ss"] == {"SS": ["z"]} and sorted(item["s2"]["SS"]) == ["q", "w"]
    assert "gone" not in item
    # deleting every member removes the set attribute
    ddb.update_item(TableName=table, Key=key, UpdateExpression="DELETE ss :all",
                    ExpressionAttributeValues={":all": {"SS": ["z"]}})
    assert "ss" not in get(ddb, table, key)


def test_exact_arithmetic(ddb, table, unique):
    key = {"id": {"S": unique("u")}}
    ddb.put_item(TableName=table, Item={**key, "n": {"N": "0.1"}})
    out = ddb.update_item(TableName=table, Key=key, UpdateExpression="SET n = n + :v",
                          ExpressionAttributeValues={":v": {"N": "0.2"}}, ReturnValues="UPDATED_NEW")
    assert out["Attributes"] == {"n": {"N": "0.3"}}
    big = "9" * 38
    assert error(ddb.update_item, TableName=table, Key=key, UpdateExpression="SET n = :b + :one",
                 ExpressionAttributeValues={":b": {"N": big}, ":one": {"N": "0.1"}}) == (
        # AWS's wording for a result beyond 38 digits (scylladb test/alternator/test_number.py::
        # test_update_expression_plus_imprecise, run against AWS)
        "ValidationException", "Number overflow. Attempting to store a number with magnitude "
        "larger than supported range", 400)


RUNTIME_ERRORS = [
    ("SET n = s + :one", {":one": {"N": "1"}},
     "An operand in the update expression has an incorrect data type"),
    ("SET x = nope", None,
     "The provided expression refers to an attribute that does not exist in the item"),
    ("SET a.b.c = :one", {":one": {"N": "1"}},
     "The document path provided in the update expression is invalid for update"),
    ("ADD s :one", {":one": {"N": "1"}},
     "An operand in the update expression has an incorrect data type"),
    ("SET l2 = list_append(s, :l)", {":l": {"L": []}},
     "An operand in the update expression has an incorrect data type"),
]


@pytest.mark.parametrize("expression,values_,message", RUNTIME_ERRORS)
def test_update_runtime_errors(ddb, table, unique, expression, values_, message):
    key = {"id": {"S": unique("u")}}
    ddb.put_item(TableName=table, Item={**key, "s": {"S": "str"}})
    kwargs = dict(TableName=table, Key=key, UpdateExpression=expression)
    if values_:
        kwargs["ExpressionAttributeValues"] = values_
    assert error(ddb.update_item, **kwargs) == ("ValidationException", message, 400)
    assert get(ddb, table, key) == {**key, "s": {"S": "str"}}  # nothing written


KEY_UPDATES = [
    ("SET id = :v", {":v": {"S": "other"}}, "id"),
    ("REMOVE id", None, "id"),
    ("ADD id :n", {":n": {"N": "1"}}, "id"),
]


@pytest.mark.parametrize("expression,values_,name", KEY_UPDATES)
def test_key_attributes_cannot_be_updated(ddb, table, expression, values_, name):
    kwargs = dict(TableName=table, Key={"id": {"S": "k"}}, UpdateExpression=expression)
    if values_:
        kwargs["ExpressionAttributeValues"] = values_
    assert error(ddb.update_item, **kwargs) == (
        "ValidationException", f"One or more parameter values were invalid: Cannot update "
        f"attribute {name}. This attribute is part of the key", 400)


def test_range_key_cannot_be_updated(ddb, num_table):
    assert error(ddb.update_item, TableName=num_table, Key={"pk": {"N": "1"}, "sk": {"N": "2"}},
                 UpdateExpression="SET #s = :v", ExpressionAttributeNames={"#s": "sk"},
                 ExpressionAttributeValues={":v": {"N": "3"}}) == (
        "ValidationException", "One or more parameter values were invalid: Cannot update "
        "attribute sk. This attribute is part of the key", 400)


def test_item_size_limit_after_update(ddb, table, unique):
    key = {"id": {"S": unique("u")}}
    ddb.put_item(TableName=table, Item={**key, "a": {"S": "x" * 300000}})
    assert error(ddb.update_item, TableName=table, Key=key, UpdateExpression="SET b = :b",
                 ExpressionAttributeValues={":b": {"S": "y" * 200000}}) == (
        "ValidationException", "Item size to update has exceeded the maximum allowed size", 400)


def test_capacity_is_max_of_old_and_new(ddb, table, unique):
    key = {"id": {"S": unique("u")}}
    kwargs = dict(TableName=table, Key=key, ReturnConsumedCapacity="TOTAL")
    out = ddb.update_item(UpdateExpression="SET a = :a",
                          ExpressionAttributeValues={":a": {"S": "x" * 2500}}, **kwargs)
    assert out["ConsumedCapacity"] == {"TableName": table, "CapacityUnits": 3.0}
    # shrinking to a few bytes is still charged on the 2.5 KB old item (spec 1.3.7)
    out = ddb.update_item(UpdateExpression="REMOVE a", **kwargs)
    assert out["ConsumedCapacity"]["CapacityUnits"] == 3.0
    out = ddb.update_item(UpdateExpression="SET b = :b", ExpressionAttributeValues={
        ":b": {"N": "1"}}, **{**kwargs, "ReturnConsumedCapacity": "INDEXES"})
    assert out["ConsumedCapacity"] == {"TableName": table, "CapacityUnits": 1.0,
                                       "Table": {"CapacityUnits": 1.0}}


def test_conditional_update(ddb, table, unique):
    key = {"id": {"S": unique("u")}}
    ddb.put_item(TableName=table, Item={**key, "version": {"N": "1"}})
    args = dict(TableName=table, Key=key, UpdateExpression="SET version = version + :one",
                ConditionExpression="version = :expected")
    ddb.update_item(**args, ExpressionAttributeValues={":one": {"N": "1"}, ":expected": {"N": "1"}})
    with pytest.raises(ClientError) as info:
        ddb.update_item(**args, ReturnValuesOnConditionCheckFailure="ALL_OLD",
                        ExpressionAttributeValues={":one": {"N": "1"}, ":expected": {"N": "1"}})
    assert info.value.response["Error"]["Code"] == "ConditionalCheckFailedException"
    assert info.value.response["Error"]["Message"] == "The conditional request failed"
    assert info.value.response["Item"] == {**key, "version": {"N": "2"}}
    # a failed condition never creates the item
    missing = {"id": {"S": unique("none")}}
    assert error(ddb.update_item, TableName=table, Key=missing, UpdateExpression="SET a = :a",
                 ConditionExpression="attribute_exists(id)",
                 ExpressionAttributeValues={":a": {"N": "1"}}) == FAILED
    assert get(ddb, table, missing) is None


def test_resource_api_update(server, table, unique):
    t = server.resource("dynamodb").Table(table)
    key = {"id": unique("r")}
    out = t.update_item(Key=key, UpdateExpression="SET tags = :t, n = :n",
                        ExpressionAttributeValues={":t": {"a"}, ":n": 5},
                        ConditionExpression=Attr("id").not_exists(), ReturnValues="ALL_NEW")
    assert out["Attributes"] == {**key, "tags": {"a"}, "n": Decimal(5)}
    out = t.update_item(Key=key, UpdateExpression="ADD tags :t, n :n",
                        ExpressionAttributeValues={":t": {"b"}, ":n": -2},
                        ConditionExpression=Attr("n").gte(5) & Attr("tags").contains("a"),
                        ReturnValues="UPDATED_OLD")
    assert out["Attributes"] == {"tags": {"a"}, "n": Decimal(5)}
    assert t.get_item(Key=key, ConsistentRead=True)["Item"] == {**key, "tags": {"a", "b"},
                                                                 "n": Decimal(3)}


VALIDATION = [
    (dict(UpdateExpression="SET a = :a", AttributeUpdates={"b": {"Action": "DELETE"}},
          ExpressionAttributeValues={":a": {"N": "1"}}),
     "Can not use both expression and non-expression parameters in the same request: "
     "Non-expression parameters: {AttributeUpdates} Expression parameters: {UpdateExpression}"),
    (dict(ExpressionAttributeValues={":a": {"N": "1"}}),
     "ExpressionAttributeValues can only be specified when using expressions: UpdateExpression "
     "and ConditionExpression are null"),
    (dict(UpdateExpression="SET a = :a"),
     "Invalid UpdateExpression: An expression attribute value used in expression is not "
     "defined; attribute value: :a"),
    (dict(UpdateExpression="SET a = :a", ConditionExpression="b = :b",
          ExpressionAttributeValues={":a": {"N": "1"}}),
     "Invalid ConditionExpression: An expression attribute value used in expression is not "
     "defined; attribute value: :b"),
    (dict(UpdateExpression="SET a = :a, a = :a", ExpressionAttributeValues={":a": {"N": "1"}}),
     "Invalid UpdateExpression: Two document paths overlap with each other; must remove or "
     "rewrite one of these paths; path one: [a], path two: [a]"),
    (dict(UpdateExpression="ADD a :a", ExpressionAttributeValues={":a": {"S": "x"}}),
     "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: "
     "ADD, operand type: STRING"),
    (dict(UpdateExpression="SET a = :a", ExpressionAttributeValues={":a": {"N": "1"},
                                                                    ":b": {"N": "1"}}),
     "Value provided in ExpressionAttributeValues unused in expressions: keys: {:b}"),
    (dict(UpdateExpression="SET a = :a", ExpressionAttributeValues={":a": {"N": "1"}},
          ReturnValues="ALL_NEW", Key={"id": {"N": "1"}}),
     "The provided key element does not match the schema"),
]


@pytest.mark.parametrize("extra,message", VALIDATION)
def test_update_validation(ddb, table, extra, message):
    args = {"TableName": table, "Key": {"id": {"S": "v"}}, **extra}
    assert error(ddb.update_item, **args) == ("ValidationException", message, 400)


def test_missing_table(ddb):
    assert error(ddb.update_item, TableName="NoSuchUpd", Key={"id": {"S": "a"}}) == (
        "ResourceNotFoundException", "Requested resource not found", 400)
