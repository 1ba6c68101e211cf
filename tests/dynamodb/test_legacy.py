"""Legacy parameters over HTTP: Expected + ConditionalOperator on PutItem/DeleteItem/UpdateItem,
AttributeUpdates on UpdateItem, AttributesToGet on GetItem.

Messages: dynalite validations/index.js `validateAttributeConditions`, validations/updateItem.js
and actions/updateItem.js (recorded against live DynamoDB). Semantics: developer guide "Legacy
conditional parameters" (ComparisonOperator reference).
"""

from __future__ import annotations

import pytest

from tests.dynamodb.helpers import create
from tests.kit import error

FAILED = ("ConditionalCheckFailedException", "The conditional request failed", 400)
P = "One or more parameter values were invalid: "


@pytest.fixture(scope="module")
def table(server, ddb):
    create(server, ddb, "LegacyStr", read=1000, write=1000)
    return "LegacyStr"


ITEM = {"n": {"N": "5"}, "s": {"S": "hello"}, "ss": {"SS": ["a", "b"]}, "ns": {"NS": ["1"]}}
# (Expected, ConditionalOperator, holds on ITEM)
EXPECTED = [
    ({"n": {"Value": {"N": "5"}}}, None, True),
    ({"n": {"Value": {"N": "6"}}}, None, False),
    ({"n": {"Exists": True, "Value": {"N": "5"}}}, None, True),
    ({"x": {"Exists": False}}, None, True),
    ({"n": {"Exists": False}}, None, False),
    ({"n": {"ComparisonOperator": "GT", "AttributeValueList": [{"N": "4"}]}}, None, True),
    ({"n": {"ComparisonOperator": "LE", "Value": {"N": "4"}}}, None, False),
    ({"n": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"N": "1"}, {"N": "5"}]}},
     None, True),
    ({"n": {"ComparisonOperator": "IN", "AttributeValueList": [{"N": "1"}, {"N": "5"}]}},
     None, True),
    ({"x": {"ComparisonOperator": "NULL"}}, None, True),
    ({"n": {"ComparisonOperator": "NOT_NULL"}}, None, True),
    ({"x": {"ComparisonOperator": "NE", "AttributeValueList": [{"N": "1"}]}}, None, True),
    ({"s": {"ComparisonOperator": "BEGINS_WITH", "AttributeValueList": [{"S": "he"}]}}, None, True),
    ({"s": {"ComparisonOperator": "CONTAINS", "AttributeValueList": [{"S": "ell"}]}}, None, True),
    ({"ss": {"ComparisonOperator": "CONTAINS", "AttributeValueList": [{"S": "b"}]}}, None, True),
    ({"ns": {"ComparisonOperator": "NOT_CONTAINS", "AttributeValueList": [{"N": "1"}]}}, None,
     False),
    # a missing attribute fails NOT_CONTAINS in Expected (scylladb test_expected.py::
    # test_update_expected_1_not_contains, run against AWS)
    ({"x": {"ComparisonOperator": "NOT_CONTAINS", "AttributeValueList": [{"N": "1"}]}}, None,
     False),
    ({"n": {"Value": {"N": "6"}}, "s": {"Value": {"S": "hello"}}}, "OR", True),
    ({"n": {"Value": {"N": "6"}}, "s": {"Value": {"S": "hello"}}}, "AND", False),
    ({"n": {"Value": {"N": "6"}}, "s": {"Value": {"S": "hello"}}}, None, False),
]


@pytest.mark.parametrize("expected,operator,holds", EXPECTED)
def test_expected_semantics(ddb, table, unique, expected, operator, holds):
    key = {"id": {"S": unique("e")}}
    ddb.put_item(TableName=table, Item={**key, **ITEM})
    kwargs = dict(TableName=table, Key=key, Expected=expected)
    if operator:
        kwargs["ConditionalOperator"] = operator
    if holds:
        ddb.update_item(AttributeUpdates={"done": {"Value": {"BOOL": True}}}, **kwargs)
        assert ddb.get_item(TableName=table, Key=key)["Item"]["done"] == {"BOOL": True}
    else:
        assert error(ddb.delete_item, **kwargs) == FAILED


EXPECTED_ERRORS = [
    ({"a": {"Value": {"N": "1"}, "AttributeValueList": [{"N": "1"}]}},
     P + "Value and AttributeValueList cannot be used together for Attribute: a"),
    ({"a": {"Exists": True, "ComparisonOperator": "NULL"}},
     P + "Exists and ComparisonOperator cannot be used together for Attribute: a"),
    ({"a": {"ComparisonOperator": "EQ"}},
     P + "Value or AttributeValueList must be used with ComparisonOperator: EQ for Attribute: a"),
    ({"a": {"ComparisonOperator": "EQ", "AttributeValueList": [{"N": "1"}, {"N": "2"}]}},
     P + "Invalid number of argument(s) for the EQ ComparisonOperator"),
    ({"a": {"ComparisonOperator": "NULL", "AttributeValueList": [{"N": "1"}]}},
     P + "Invalid number of argument(s) for the NULL ComparisonOperator"),
    ({"a": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"N": "1"}]}},
     P + "Invalid number of argument(s) for the BETWEEN ComparisonOperator"),
    ({"a": {"ComparisonOperator": "IN", "AttributeValueList": [{"N": "1"}, {"S": "1"}]}},
     P + "AttributeValues inside AttributeValueList must be of same type"),
    ({"a": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"N": "2"}, {"N": "1"}]}},
     "The BETWEEN condition was provided a range where the lower bound is greater than the "
     "upper bound"),
    ({"a": {"AttributeValueList": [{"N": "1"}]}},
     P + "AttributeValueList can only be used with a ComparisonOperator for Attribute: a"),
    ({"a": {}}, P + "Value must be provided when Exists is null for Attribute: a"),
    ({"a": {"Exists": True}}, P + "Value must be provided when Exists is true for Attribute: a"),
    ({"a": {"Exists": False, "Value": {"N": "1"}}},
     P + "Value cannot be used when Exists is false for Attribute: a"),
]


@pytest.mark.parametrize("expected,message", EXPECTED_ERRORS)
def test_expected_validation(ddb, table, expected, message):
    assert error(ddb.put_item, TableName=table, Item={"id": {"S": "v"}}, Expected=expected) == (
        "ValidationException", message, 400)


def test_attribute_updates(ddb, table, unique):
    key = {"id": {"S": unique("au")}}
    ddb.put_item(TableName=table, Item={**key, "n": {"N": "1"}, "ss": {"SS": ["a", "b"]},
                                        "l": {"L": [{"S": "x"}]}, "gone": {"S": "bye"}})
    out = ddb.update_item(TableName=table, Key=key, ReturnValues="UPDATED_NEW", AttributeUpdates={
        "n": {"Action": "ADD", "Value": {"N": "2.5"}},
        "new_n": {"Action": "ADD", "Value": {"N": "3"}},
        "ss": {"Action": "DELETE", "Value": {"SS": ["a"]}},
        "l": {"Action": "ADD", "Value": {"L": [{"S": "y"}]}},
        "gone": {"Action": "DELETE"},
        "p": {"Value": {"S": "put"}}})  # Action defaults to PUT
    assert out["Attributes"] == {"n": {"N": "3.5"}, "new_n": {"N": "3"}, "ss": {"SS": ["b"]},
                                 "l": {"L": [{"S": "x"}, {"S": "y"}]}, "p": {"S": "put"}}
    assert "gone" not in ddb.get_item(TableName=table, Key=key)["Item"]
    assert error(ddb.update_item, TableName=table, Key=key,
                 AttributeUpdates={"p": {"Action": "ADD", "Value": {"N": "1"}}}) == (
        "ValidationException", "Type mismatch for attribute to update", 400)


ATTRIBUTE_UPDATE_ERRORS = [
    ({"a": {"Action": "PUT"}}, P + "Only DELETE action is allowed when no attribute value is "
                                   "specified"),
    ({"a": {"Action": "DELETE", "Value": {"S": "x"}}},
     P + "DELETE action with value is not supported for the type S"),
    ({"a": {"Action": "ADD", "Value": {"S": "x"}}},
     P + "ADD action is not supported for the type S"),
    ({"id": {"Action": "PUT", "Value": {"S": "x"}}},
     P + "Cannot update attribute id. This attribute is part of the key"),
]


@pytest.mark.parametrize("updates,message", ATTRIBUTE_UPDATE_ERRORS)
def test_attribute_updates_validation(ddb, table, updates, message):
    assert error(ddb.update_item, TableName=table, Key={"id": {"S": "v"}},
                 AttributeUpdates=updates) == ("ValidationException", message, 400)


def test_mixing_legacy_and_expressions(ddb, table):
    assert error(ddb.update_item, TableName=table, Key={"id": {"S": "v"}},
                 AttributeUpdates={"a": {"Action": "DELETE"}}, ConditionExpression="attribute_exists(a)") == (
        "ValidationException", "Can not use both expression and non-expression parameters in the "
        "same request: Non-expression parameters: {AttributeUpdates} Expression parameters: "
        "{ConditionExpression}", 400)


def test_attributes_to_get(ddb, table, unique):
    key = {"id": {"S": unique("ag")}}
    ddb.put_item(TableName=table, Item={**key, "a": {"N": "1"}, "b": {"N": "2"}})
    got = ddb.get_item(TableName=table, Key=key, AttributesToGet=["a", "missing"])
    assert got["Item"] == {"a": {"N": "1"}}
    assert error(ddb.get_item, TableName=table, Key=key, AttributesToGet=["a", "a"]) == (
        "ValidationException", P + "Duplicate value in attribute name: a", 400)
    assert error(ddb.get_item, TableName=table, Key=key, AttributesToGet=["a"],
                 ProjectionExpression="b") == (
        "ValidationException", "Can not use both expression and non-expression parameters in the "
        "same request: Non-expression parameters: {AttributesToGet} Expression parameters: "
        "{ProjectionExpression}", 400)
