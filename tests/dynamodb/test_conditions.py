"""Conditional PutItem/DeleteItem: ConditionExpression (client and boto3 resource builders), the
ConditionalCheckFailedException shape, ReturnValuesOnConditionCheckFailure, capacity on failure.

Sources: dynalite db/index.js `conditionalError` and test/putItem.js, test/deleteItem.js
(recorded against AWS); API reference ConditionalCheckFailedException.Item; spec 1.3.10/1.4.5.
"""

from __future__ import annotations

import pytest
from boto3.dynamodb.conditions import Attr
from botocore.exceptions import ClientError

from tests.dynamodb.helpers import DDB_NS, create, raw
from tests.kit import error

FAILED = ("ConditionalCheckFailedException", "The conditional request failed", 400)


@pytest.fixture(scope="module")
def table(server, ddb):
    create(server, ddb, "CondStr", read=1000, write=1000)
    return "CondStr"


def put(ddb, table, key, **attrs):
    item = {"id": {"S": key}, **attrs}
    ddb.put_item(TableName=table, Item=item)
    return item


def test_attribute_not_exists_guards_creation(ddb, table, unique):
    key = unique("c")
    kwargs = dict(TableName=table, Item={"id": {"S": key}, "v": {"N": "1"}},
                  ConditionExpression="attribute_not_exists(id)")
    ddb.put_item(**kwargs)
    assert error(ddb.put_item, **kwargs) == FAILED
    assert ddb.get_item(TableName=table, Key={"id": {"S": key}})["Item"]["v"] == {"N": "1"}


def test_failure_body_shape_and_no_consumed_capacity(server, ddb, table, unique):
    key = unique("c")
    put(ddb, table, key, v={"N": "1"}, b={"B": b"\x00\x01"})
    old = {"id": {"S": key}, "v": {"N": "1"}, "b": {"B": "AAE="}}  # binary as base64 on the wire
    status, body = raw(server, "PutItem", {
        "TableName": table, "Item": {"id": {"S": key}}, "ConditionExpression": "v = :two",
        "ExpressionAttributeValues": {":two": {"N": "2"}}, "ReturnConsumedCapacity": "TOTAL",
        "ReturnValuesOnConditionCheckFailure": "ALL_OLD"})
    assert status == 400
    assert body == {"__type": DDB_NS + "ConditionalCheckFailedException",
                    "message": "The conditional request failed", "Item": old}


def test_return_values_on_condition_check_failure(ddb, table, unique):
    key = unique("c")
    old = put(ddb, table, key, v={"N": "1"}, s={"SS": ["a"]})
    for call, extra in ((ddb.put_item, {"Item": {"id": {"S": key}}}),
                        (ddb.delete_item, {"Key": {"id": {"S": key}}})):
        with pytest.raises(ClientError) as info:
            call(TableName=table, ConditionExpression="attribute_not_exists(v)",
                 ReturnValuesOnConditionCheckFailure="ALL_OLD", **extra)
        assert info.value.response["Error"]["Code"] == "ConditionalCheckFailedException"
        assert info.value.response["Item"] == old
        with pytest.raises(ClientError) as info:  # NONE (the default): no Item
            call(TableName=table, ConditionExpression="attribute_not_exists(v)", **extra)
        assert "Item" not in info.value.response
    # a missing item under ALL_OLD: nothing to send back
    with pytest.raises(ClientError) as info:
        ddb.delete_item(TableName=table, Key={"id": {"S": unique("none")}},
                        ConditionExpression="attribute_exists(id)",
                        ReturnValuesOnConditionCheckFailure="ALL_OLD")
    assert "Item" not in info.value.response


# (condition, names, values, holds on {v: 5, s: "hello", l: [1, "x"], m: {a: {b: true}}, ns: {1,2}})
CONDITIONS = [
    ("v = :five", None, {":five": {"N": "5.0"}}, True),
    ("v <> :five", None, {":five": {"N": "5"}}, False),
    ("nope <> :five", None, {":five": {"N": "5"}}, True),
    ("v BETWEEN :lo AND :hi", None, {":lo": {"N": "1"}, ":hi": {"N": "5"}}, True),
    ("v IN (:a, :b)", None, {":a": {"N": "4"}, ":b": {"N": "6"}}, False),
    ("begins_with(s, :p)", None, {":p": {"S": "he"}}, True),
    ("contains(s, :p)", None, {":p": {"S": "ll"}}, True),
    ("contains(ns, :n)", None, {":n": {"N": "2"}}, True),
    ("contains(l, :x)", None, {":x": {"S": "x"}}, True),
    ("size(s) = :five", None, {":five": {"N": "5"}}, True),
    ("size(l) > :five", None, {":five": {"N": "5"}}, False),
    ("attribute_type(v, :t)", None, {":t": {"S": "N"}}, True),
    ("m.a.b = :t", None, {":t": {"BOOL": True}}, True),
    ("#m.#a.b = :t", {"#m": "m", "#a": "a"}, {":t": {"BOOL": True}}, True),
    ("l[1] = :x", None, {":x": {"S": "x"}}, True),
    ("v < :s", None, {":s": {"S": "z"}}, False),  # different types never order
    ("NOT attribute_exists(v) OR v > :a AND v < :b", None, {":a": {"N": "4"}, ":b": {"N": "6"}},
     True),
    ("(NOT attribute_exists(v) OR v > :a) AND v < :b", None, {":a": {"N": "6"}, ":b": {"N": "9"}},
     False),
]


@pytest.mark.parametrize("expression,names,values_,holds", CONDITIONS)
def test_condition_semantics(ddb, table, unique, expression, names, values_, holds):
    key = unique("c")
    put(ddb, table, key, v={"N": "5"}, s={"S": "hello"}, l={"L": [{"N": "1"}, {"S": "x"}]},
        m={"M": {"a": {"M": {"b": {"BOOL": True}}}}}, ns={"NS": ["1", "2"]})
    kwargs = dict(TableName=table, Key={"id": {"S": key}}, ConditionExpression=expression,
                  ExpressionAttributeValues=values_)
    if names:
        kwargs["ExpressionAttributeNames"] = names
    if holds:
        ddb.delete_item(**kwargs)
        assert "Item" not in ddb.get_item(TableName=table, Key={"id": {"S": key}})
    else:
        assert error(ddb.delete_item, **kwargs) == FAILED


def test_resource_api_condition_builders(server, table, unique):
    t = server.resource("dynamodb").Table(table)
    key = unique("r")
    t.put_item(Item={"id": key, "n": 1, "tags": {"a", "b"}},
               ConditionExpression=Attr("id").not_exists())
    with pytest.raises(ClientError) as info:
        t.put_item(Item={"id": key}, ConditionExpression=Attr("id").not_exists())
    assert info.value.response["Error"]["Code"] == "ConditionalCheckFailedException"
    t.put_item(Item={"id": key, "n": 2},
               ConditionExpression=Attr("n").eq(1) & Attr("tags").contains("a"))
    with pytest.raises(ClientError):
        t.delete_item(Key={"id": key}, ConditionExpression=Attr("n").between(3, 9) |
                      Attr("n").is_in([5, 6]))
    t.delete_item(Key={"id": key}, ConditionExpression=~Attr("n").lt(2))
    assert "Item" not in t.get_item(Key={"id": key})


def test_condition_on_missing_item(ddb, table, unique):
    key = {"id": {"S": unique("m")}}
    # comparisons against a missing item fail; attribute_not_exists holds
    assert error(ddb.put_item, TableName=table, Item=key, ConditionExpression="v = :v",
                 ExpressionAttributeValues={":v": {"N": "1"}}) == FAILED
    ddb.put_item(TableName=table, Item=key, ConditionExpression="attribute_not_exists(v)")


def test_failed_condition_still_consumes_capacity(server, ddb, unique):
    # spec 1.3.10: a failed conditional write is charged. With 1 WCU provisioned and the burst
    # bucket (300 s of capacity) drained by failing writes, the next write is throttled.
    name = unique("cap")
    create(server, ddb, name, read=1, write=1)
    key = {"id": {"S": "k"}}
    ddb.put_item(TableName=name, Item={**key, "big": {"S": "x" * 3000}})  # 3 KB -> 3 WCU each
    throttled = False
    for _ in range(200):
        try:
            ddb.put_item(TableName=name, Item=key, ConditionExpression="attribute_not_exists(id)")
        except ClientError as e:
            code = e.response["Error"]["Code"]
            if code == "ProvisionedThroughputExceededException":
                throttled = True
                break
            assert code == "ConditionalCheckFailedException"
    assert throttled


VALIDATION = [
    (dict(ConditionExpression="a = :v"),
     "Invalid ConditionExpression: An expression attribute value used in expression is not "
     "defined; attribute value: :v"),
    (dict(ConditionExpression="a = :v", ExpressionAttributeValues={":v": {"N": "1"},
                                                                  ":w": {"N": "2"}}),
     "Value provided in ExpressionAttributeValues unused in expressions: keys: {:w}"),
    (dict(ConditionExpression="#a = :v", ExpressionAttributeNames={"#a": "a", "#b": "b"},
          ExpressionAttributeValues={":v": {"N": "1"}}),
     "Value provided in ExpressionAttributeNames unused in expressions: keys: {#b}"),
    (dict(ConditionExpression="a = :v", Expected={"a": {"Exists": False}},
          ExpressionAttributeValues={":v": {"N": "1"}}),
     "Can not use both expression and non-expression parameters in the same request: "
     "Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}"),
    (dict(ExpressionAttributeValues={":v": {"N": "1"}}),
     "ExpressionAttributeValues can only be specified when using expressions: "
     "ConditionExpression is null"),
    (dict(ExpressionAttributeNames={"#a": "a"}),
     "ExpressionAttributeNames can only be specified when using expressions"),
    (dict(ConditionExpression=""), "Invalid ConditionExpression: The expression can not be empty;"),
    (dict(ConditionExpression="attribute_exists(name)"),
     "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: name"),
    (dict(ConditionExpression="size(a)"),
     "Invalid ConditionExpression: The function is not allowed to be used this way in an "
     "expression; function: size"),
]


@pytest.mark.parametrize("extra,message", VALIDATION)
@pytest.mark.parametrize("operation", ["put_item", "delete_item"])
def test_condition_validation(ddb, table, operation, extra, message):
    target = {"Item": {"id": {"S": "x"}}} if operation == "put_item" else {"Key": {"id": {"S": "x"}}}
    assert error(getattr(ddb, operation), TableName=table, **target, **extra) == (
        "ValidationException", message, 400)
