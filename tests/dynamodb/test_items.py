"""PutItem, GetItem, DeleteItem: round trips, ReturnValues, projections, and the AttributeValue
and key validation texts (dynalite validations/index.js and db/index.js, recorded against AWS;
post-2020 empty-key wording from moto/dynoxide)."""

from __future__ import annotations

import pytest

from tests.dynamodb.helpers import NUM_KEYS, VALIDATE_NS, create, raw
from tests.kit import error


@pytest.fixture(scope="module")
def table(server, ddb):
    create(server, ddb, "ItemsStr", read=1000, write=1000)
    return "ItemsStr"


@pytest.fixture(scope="module")
def num_table(server, ddb):
    create(server, ddb, "ItemsNum", read=1000, write=1000, keys=NUM_KEYS)
    return "ItemsNum"


def test_put_get_delete_round_trip(ddb, table, unique):
    key = {"id": {"S": unique("k")}}
    item = {**key, "s": {"S": ""}, "b": {"B": b"\x00\xff"}, "bool": {"BOOL": False},
            "null": {"NULL": True}, "ss": {"SS": ["a", "b"]}, "bs": {"BS": [b"1", b"2"]},
            "l": {"L": [{"S": "x"}, {"M": {"n": {"N": "1"}}}]}, "m": {"M": {}}}
    # Nothing asked for, nothing returned: Attributes only with ReturnValues ALL_OLD,
    # ConsumedCapacity only with ReturnConsumedCapacity, ItemCollectionMetrics only with
    # ReturnItemCollectionMetrics (botocore model, PutItemOutput member docs).
    out = ddb.put_item(TableName=table, Item=item)
    assert set(out) == {"ResponseMetadata"}
    got = ddb.get_item(TableName=table, Key=key, ConsistentRead=True)["Item"]
    assert got == item
    assert ddb.delete_item(TableName=table, Key=key, ReturnValues="ALL_OLD")["Attributes"] == item
    assert "Item" not in ddb.get_item(TableName=table, Key=key)
    # deleting an absent item is fine and returns no Attributes
    assert "Attributes" not in ddb.delete_item(TableName=table, Key=key, ReturnValues="ALL_OLD")


def test_put_return_values(ddb, table, unique):
    key = {"id": {"S": unique("rv")}}
    out = ddb.put_item(TableName=table, Item={**key, "v": {"N": "1"}}, ReturnValues="ALL_OLD")
    assert "Attributes" not in out
    out = ddb.put_item(TableName=table, Item={**key, "v": {"N": "2"}}, ReturnValues="ALL_OLD")
    assert out["Attributes"] == {**key, "v": {"N": "1"}}
    assert error(ddb.put_item, TableName=table, Item=key, ReturnValues="ALL_NEW") == (
        "ValidationException", "ReturnValues can only be ALL_OLD or NONE", 400)
    assert error(ddb.delete_item, TableName=table, Key=key, ReturnValues="UPDATED_OLD") == (
        "ValidationException", "ReturnValues can only be ALL_OLD or NONE", 400)


def test_numbers_are_stored_canonical(ddb, num_table):
    ddb.put_item(TableName=num_table, Item={"pk": {"N": "0042"}, "sk": {"N": "1.50"},
                                           "e": {"N": "1.5E3"}, "z": {"N": "-0.000"},
                                           "ns": {"NS": ["1", "2.0"]}})
    got = ddb.get_item(TableName=num_table, Key={"pk": {"N": "42"}, "sk": {"N": "1.5"}})["Item"]
    assert got["pk"] == {"N": "42"} and got["sk"] == {"N": "1.5"}
    assert got["e"] == {"N": "1500"} and got["z"] == {"N": "0"}
    assert sorted(got["ns"]["NS"]) == ["1", "2"]


BAD_VALUES = [
    ({"n": {"N": "abc"}}, "The parameter cannot be converted to a numeric value: abc"),
    ({"n": {"N": ""}}, "The parameter cannot be converted to a numeric value"),
    ({"n": {"N": "1" * 39}}, "Attempting to store more than 38 significant digits in a Number"),
    ({"n": {"N": "1E+126"}}, "Number overflow. Attempting to store a number with magnitude "
                             "larger than supported range"),
    ({"n": {"N": "1E-131"}}, "Number underflow. Attempting to store a number with magnitude "
                             "smaller than supported range"),
    ({"n": {"NULL": False}}, "One or more parameter values were invalid: Null attribute value "
                             "types must have the value of true"),
    ({"n": {"SS": []}}, "1 validation error detected: One or more parameter values were invalid: "
                        "An string set  may not be empty"),
    ({"n": {"NS": []}}, "1 validation error detected: One or more parameter values were invalid: "
                        "An number set  may not be empty"),
    ({"n": {"BS": []}}, "1 validation error detected: One or more parameter values were invalid: "
                        "Binary sets should not be empty"),
    ({"n": {"SS": ["a", "a"]}}, "1 validation error detected: One or more parameter values were "
                                "invalid: Input collection [a, a] contains duplicates."),
    ({"n": {"NS": ["1", "1.0"]}}, "1 validation error detected: Input collection contains duplicates"),
    ({"n": {"L": [{"N": "x"}]}}, "The parameter cannot be converted to a numeric value: x"),
]


@pytest.mark.parametrize("attrs,message", BAD_VALUES)
def test_attribute_value_validation(ddb, table, attrs, message):
    assert error(ddb.put_item, TableName=table, Item={"id": {"S": "v"}, **attrs}) == (
        "ValidationException", message, 400)


def test_attribute_value_with_two_types(server, table):
    status, body = raw(server, "PutItem", {"TableName": table, "Item": {
        "id": {"S": "x"}, "v": {"S": "a", "N": "1"}}})
    assert status == 400 and body["__type"] == VALIDATE_NS + "ValidationException"
    assert body["message"] == ("Supplied AttributeValue has more than one datatypes set, must "
                               "contain exactly one of the supported datatypes")
    status, body = raw(server, "PutItem", {"TableName": table, "Item": {"id": {"S": "x"}, "v": {}}})
    assert status == 400 and body["message"] == (
        "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes")


def test_key_validation_on_put(ddb, num_table):
    assert error(ddb.put_item, TableName=num_table, Item={"pk": {"N": "1"}}) == (
        "ValidationException", "One or more parameter values were invalid: Missing the key sk in "
        "the item", 400)
    assert error(ddb.put_item, TableName=num_table, Item={"pk": {"S": "1"}, "sk": {"N": "1"}}) == (
        "ValidationException", "One or more parameter values were invalid: Type mismatch for key "
        "pk expected: N actual: S", 400)


def test_empty_string_key_rejected(ddb, table):
    expected = ("ValidationException", "One or more parameter values are not valid. The "
                "AttributeValue for a key attribute cannot contain an empty string value. Key: id", 400)
    assert error(ddb.put_item, TableName=table, Item={"id": {"S": ""}}) == expected
    assert error(ddb.get_item, TableName=table, Key={"id": {"S": ""}}) == expected


def test_hash_key_size_limit(ddb, table):
    assert error(ddb.put_item, TableName=table, Item={"id": {"S": "x" * 2049}}) == (
        "ValidationException", "One or more parameter values were invalid: Size of hashkey has "
        "exceeded the maximum size limit of2048 bytes", 400)
    ddb.put_item(TableName=table, Item={"id": {"S": "x" * 2048}})


def test_key_must_match_schema(ddb, table, num_table):
    mismatch = ("ValidationException", "The provided key element does not match the schema", 400)
    assert error(ddb.get_item, TableName=table, Key={"id": {"N": "1"}}) == mismatch
    assert error(ddb.get_item, TableName=table, Key={"id": {"S": "a"}, "x": {"S": "b"}}) == mismatch
    assert error(ddb.get_item, TableName=num_table, Key={"pk": {"N": "1"}}) == mismatch
    assert error(ddb.delete_item, TableName=table, Key={"other": {"S": "a"}}) == mismatch


def test_item_size_limit(ddb, table):
    # 400 KB = 409,600 bytes including names (spec 1.1.9): "id"(2) + "k"(1) + 1 + value
    ddb.put_item(TableName=table, Item={"id": {"S": "a"}, "b": {"S": "x" * (409600 - 4)}})
    assert error(ddb.put_item, TableName=table,
                 Item={"id": {"S": "a"}, "b": {"S": "x" * (409600 - 3)}}) == (
        "ValidationException", "Item size has exceeded the maximum allowed size", 400)


def test_missing_table(ddb):
    assert error(ddb.put_item, TableName="NoSuchTable4", Item={"id": {"S": "a"}}) == (
        "ResourceNotFoundException", "Requested resource not found", 400)


def test_projections(ddb, table, unique):
    key = {"id": {"S": unique("p")}}
    ddb.put_item(TableName=table, Item={**key, "a": {"S": "1"}, "b": {"N": "2"},
                                        "m": {"M": {"x": {"S": "y"}, "z": {"L": [{"N": "1"}, {"N": "2"}]}}}})
    assert ddb.get_item(TableName=table, Key=key, AttributesToGet=["a", "nope"])["Item"] == {
        "a": {"S": "1"}}
    got = ddb.get_item(TableName=table, Key=key, ProjectionExpression="#a, m.z[1], b",
                       ExpressionAttributeNames={"#a": "a"})["Item"]
    assert got == {"a": {"S": "1"}, "b": {"N": "2"}, "m": {"M": {"z": {"L": [{"N": "2"}]}}}}
    assert ddb.get_item(TableName=table, Key=key, ProjectionExpression="nope")["Item"] == {}
    assert error(ddb.get_item, TableName=table, Key=key, ProjectionExpression="#x") == (
        "ValidationException", "Invalid ProjectionExpression: An expression attribute name used in "
        "the document path is not defined; attribute name: #x", 400)
    assert error(ddb.get_item, TableName=table, Key=key, ProjectionExpression="a",
                 ExpressionAttributeNames={"#a": "a"}) == (
        "ValidationException", "Value provided in ExpressionAttributeNames unused in expressions: "
        "keys: {#a}", 400)
    assert error(ddb.get_item, TableName=table, Key=key, ProjectionExpression="a",
                 AttributesToGet=["a"]) == (
        "ValidationException", "Can not use both expression and non-expression parameters in the "
        "same request: Non-expression parameters: {AttributesToGet} Expression parameters: "
        "{ProjectionExpression}", 400)


def test_tutorial_program_items(server, ddb, unique):
    # Seed Step 5's writes through boto3's resource layer (Python types, a map filler).
    name = unique("Tut")
    create(server, ddb, name, keys=NUM_KEYS, read=5, write=5000)
    t = server.resource("dynamodb").Table(name)
    t.put_item(Item={"pk": 1, "sk": 2, "filler": {"S": "x" * 100000}})
    got = t.get_item(Key={"pk": 1, "sk": 2})["Item"]
    assert got["filler"] == {"S": "x" * 100000} and got["pk"] == 1
