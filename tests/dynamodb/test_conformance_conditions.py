"""Conditions and filters where Dynoscale once diverged from AWS: legacy QueryFilter/ScanFilter
and Expected operators, ConditionExpression and FilterExpression semantics and errors.

Each test names the scylladb test/alternator test (written and run against Amazon DynamoDB) that
records the behaviour. Calls go through boto3 over HTTP against a real server.
"""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from tests.dynamodb.helpers import create

KEYS = dict(AttributeDefinitions=[{"AttributeName": "p", "AttributeType": "S"},
                                  {"AttributeName": "c", "AttributeType": "N"}],
            KeySchema=[{"AttributeName": "p", "KeyType": "HASH"},
                       {"AttributeName": "c", "KeyType": "RANGE"}])


@pytest.fixture(scope="module")
def table(server, ddb):
    create(server, ddb, "ConfConditions", keys=KEYS)
    return "ConfConditions"


def _eq_p(p):
    return {"p": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": p}]}}


def _filtered(ddb, table, p, name, op, value):
    out = ddb.query(TableName=table, KeyConditions=_eq_p(p), ConsistentRead=True,
                    QueryFilter={name: {"ComparisonOperator": op, "AttributeValueList": [value]}})
    return [int(item["c"]["N"]) for item in out["Items"]]


# scylladb test_query_filter.py::test_query_filter_eq, test_query_filter_ne and
# test_query_filter_r_eq: EQ and NE compare lists, maps and booleans too (they were rejected as
# "ComparisonOperator EQ is not valid for L AttributeValue type").
@pytest.mark.parametrize("value,other", [
    ({"L": [{"N": "1"}, {"S": "x"}]}, {"L": [{"N": "2"}]}),
    ({"M": {"k": {"N": "1"}}}, {"M": {"k": {"N": "2"}}}),
    ({"BOOL": True}, {"BOOL": False}),
    ({"NULL": True}, {"S": "not null"}),
])
def test_query_filter_eq_and_ne_accept_document_types(ddb, table, unique, value, other):
    p = unique()
    ddb.put_item(TableName=table, Item={"p": {"S": p}, "c": {"N": "1"}, "a": value})
    ddb.put_item(TableName=table, Item={"p": {"S": p}, "c": {"N": "2"}, "a": other})
    ddb.put_item(TableName=table, Item={"p": {"S": p}, "c": {"N": "3"}})
    assert _filtered(ddb, table, p, "a", "EQ", value) == [1]
    # NE holds for a different value and for a missing attribute
    assert _filtered(ddb, table, p, "a", "NE", value) == [2, 3]


def test_scan_filter_eq_on_a_list(ddb, table, unique):
    p = unique()
    ddb.put_item(TableName=table, Item={"p": {"S": p}, "c": {"N": "1"}, "l": {"L": [{"S": p}]}})
    out = ddb.scan(TableName=table, ConsistentRead=True, ScanFilter={
        "l": {"ComparisonOperator": "EQ", "AttributeValueList": [{"L": [{"S": p}]}]}})
    assert [item["p"]["S"] for item in out["Items"]] == [p]


@pytest.mark.parametrize("op", ["LT", "GE", "BETWEEN"])
def test_query_filter_ordering_operators_still_reject_lists(ddb, table, unique, op):
    values = [{"L": [{"N": "1"}]}] * (2 if op == "BETWEEN" else 1)
    with pytest.raises(ClientError) as info:
        ddb.query(TableName=table, KeyConditions=_eq_p(unique()),
                  QueryFilter={"a": {"ComparisonOperator": op, "AttributeValueList": values}})
    assert info.value.response["Error"] == {
        "Code": "ValidationException",
        "Message": f"One or more parameter values were invalid: ComparisonOperator {op} is not "
                   "valid for L AttributeValue type"}


# -- Expected ----------------------------------------------------------------------------------
def _put_abc(ddb, table, p):
    ddb.put_item(TableName=table, Item={
        "p": {"S": p}, "c": {"N": "0"}, "s": {"S": "hello"}, "ns": {"NS": ["2", "4"]},
        "l": {"L": [{"N": "2"}, {"N": "4"}]}, "n": {"N": "3"}})


def _expect(ddb, table, p, expected):
    ddb.update_item(TableName=table, Key={"p": {"S": p}, "c": {"N": "0"}},
                    AttributeUpdates={"z": {"Value": {"N": "1"}, "Action": "PUT"}},
                    Expected=expected)


# scylladb test_expected.py::test_update_expected_1_contains, _1_not_contains, _1_in,
# _1_between and _1_begins_with_false: an operand of a type the operator does not take is a
# ValidationException, as in QueryFilter; it used to be evaluated and fail the condition.
@pytest.mark.parametrize("op,operands,kind", [
    ("CONTAINS", [{"L": [{"N": "1"}]}], "L"),
    ("NOT_CONTAINS", [{"L": [{"N": "1"}]}], "L"),
    ("IN", [{"L": [{"N": "1"}]}, {"L": [{"N": "2"}]}], "L"),
    ("BETWEEN", [{"NS": ["1"]}, {"NS": ["2"]}], "NS"),
    ("BEGINS_WITH", [{"N": "3"}], "N"),
    ("LT", [{"L": [{"N": "2"}]}], "L"),
])
def test_expected_rejects_operand_types_the_operator_does_not_take(ddb, table, unique, op,
                                                                     operands, kind):
    p = unique()
    _put_abc(ddb, table, p)
    with pytest.raises(ClientError) as info:
        _expect(ddb, table, p, {"l": {"ComparisonOperator": op, "AttributeValueList": operands}})
    assert info.value.response["Error"] == {
        "Code": "ValidationException",
        "Message": f"One or more parameter values were invalid: ComparisonOperator {op} is not "
                   f"valid for {kind} AttributeValue type"}
    assert "z" not in ddb.get_item(TableName=table, Key={"p": {"S": p}, "c": {"N": "0"}},
                                   ConsistentRead=True)["Item"]


def test_expected_begins_with_on_a_number_attribute_is_a_failed_condition(ddb, table, unique):
    p = unique()
    _put_abc(ddb, table, p)
    with pytest.raises(ClientError) as info:
        _expect(ddb, table, p, {"n": {"ComparisonOperator": "BEGINS_WITH",
                                      "AttributeValueList": [{"S": "3"}]}})
    assert info.value.response["Error"]["Code"] == "ConditionalCheckFailedException"


# scylladb test_expected.py::test_update_expected_1_not_contains: in Expected, NOT_CONTAINS on a
# missing attribute fails (both CONTAINS and NOT_CONTAINS are false), unlike NE.
def test_expected_not_contains_on_a_missing_attribute_fails(ddb, table, unique):
    p = unique()
    _put_abc(ddb, table, p)
    not_contains = {"ComparisonOperator": "NOT_CONTAINS", "AttributeValueList": [{"N": "1"}]}
    with pytest.raises(ClientError) as info:
        _expect(ddb, table, p, {"missing": not_contains})
    assert info.value.response["Error"]["Code"] == "ConditionalCheckFailedException"
    # present attributes still work both ways
    _expect(ddb, table, p, {"ns": not_contains, "l": not_contains, "s": {
        "ComparisonOperator": "NOT_CONTAINS", "AttributeValueList": [{"S": "dog"}]}})
    with pytest.raises(ClientError):
        _expect(ddb, table, p, {"ns": {"ComparisonOperator": "NOT_CONTAINS",
                                       "AttributeValueList": [{"N": "4"}]}})
    # NE on a missing attribute holds
    _expect(ddb, table, p, {"missing": {"ComparisonOperator": "NE",
                                        "AttributeValueList": [{"N": "1"}]}})


# The legacy NOT_CONTAINS on a missing attribute is false in QueryFilter and ScanFilter too, as in
# Expected (scylladb test_expected.py::test_update_expected_1_not_contains, run against AWS): the
# legacy operators have one meaning for Expected, QueryFilter and ScanFilter (the developer guide's
# "Writing conditions with legacy parameters" describes them once for all three), and Alternator
# evaluates all three with one check_NOT_CONTAINS that is false for a missing attribute (inferred
# for filters from those two). FilterExpression's `NOT contains(...)` still holds for it.
def test_query_and_scan_filter_not_contains_skips_a_missing_attribute(ddb, table, unique):
    p = unique()
    ddb.put_item(TableName=table, Item={"p": {"S": p}, "c": {"N": "1"}, "s": {"S": "dog"}})
    ddb.put_item(TableName=table, Item={"p": {"S": p}, "c": {"N": "2"}, "s": {"S": "cat"}})
    ddb.put_item(TableName=table, Item={"p": {"S": p}, "c": {"N": "3"}})
    assert _filtered(ddb, table, p, "s", "NOT_CONTAINS", {"S": "o"}) == [2]
    assert _filtered(ddb, table, p, "s", "CONTAINS", {"S": "o"}) == [1]
    out = ddb.scan(TableName=table, ConsistentRead=True, ScanFilter={
        "p": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": p}]},
        "s": {"ComparisonOperator": "NOT_CONTAINS", "AttributeValueList": [{"S": "o"}]}})
    assert sorted(int(item["c"]["N"]) for item in out["Items"]) == [2]
    out = ddb.query(TableName=table, KeyConditionExpression="p = :p", ConsistentRead=True,
                    FilterExpression="NOT contains(s, :o)",
                    ExpressionAttributeValues={":p": {"S": p}, ":o": {"S": "o"}})
    assert [int(item["c"]["N"]) for item in out["Items"]] == [2, 3]


# -- ConditionExpression / FilterExpression ------------------------------------------------------
# scylladb test_condition_expression.py::test_update_condition_lt, _le, _gt, _ge and _between:
# an ordering operand from ExpressionAttributeValues of a type that has no order (a list here) is
# a ValidationException; the same type in the item only fails the condition.
def _update_if(ddb, table, p, condition, values):
    ddb.update_item(TableName=table, Key={"p": {"S": p}, "c": {"N": "0"}},
                    UpdateExpression="SET z = :new", ConditionExpression=condition,
                    ExpressionAttributeValues={":new": {"N": "1"}, **values})


LIST = {"L": [{"N": "1"}, {"N": "2"}]}


@pytest.mark.parametrize("condition,op", [
    ("n < :v", "<"), (":v < n", "<"), ("n <= :v", "<="), ("n > :v", ">"), (":v >= n", ">="),
    ("n BETWEEN :v AND :w", "BETWEEN"),
])
def test_ordering_a_list_value_is_a_validation_error(ddb, table, unique, condition, op):
    p = unique()
    _put_abc(ddb, table, p)
    values = {":v": LIST, **({":w": LIST} if ":w" in condition else {})}
    with pytest.raises(ClientError) as info:
        _update_if(ddb, table, p, condition, values)
    assert info.value.response["Error"] == {
        "Code": "ValidationException",
        "Message": "Invalid ConditionExpression: Incorrect operand type for operator or function; "
                   f"operator or function: {op}, operand type: L"}


@pytest.mark.parametrize("condition", ["l < :one", ":one <= l", "n BETWEEN l AND :one"])
def test_ordering_a_list_attribute_fails_the_condition(ddb, table, unique, condition):
    p = unique()
    _put_abc(ddb, table, p)
    with pytest.raises(ClientError) as info:
        _update_if(ddb, table, p, condition, {":one": {"N": "1"}})
    assert info.value.response["Error"]["Code"] == "ConditionalCheckFailedException"


def test_filter_ordering_a_map_value_is_a_validation_error(ddb, table, unique):
    with pytest.raises(ClientError) as info:
        ddb.query(TableName=table, KeyConditionExpression="p = :p", FilterExpression="n >= :m",
                  ExpressionAttributeValues={":p": {"S": unique()}, ":m": {"M": {}}})
    assert info.value.response["Error"] == {
        "Code": "ValidationException",
        "Message": "Invalid FilterExpression: Incorrect operand type for operator or function; "
                   "operator or function: >=, operand type: M"}


def test_ordering_size_and_scalars_still_work(ddb, table, unique):
    p = unique()
    _put_abc(ddb, table, p)
    _update_if(ddb, table, p, "size(l) < :three AND s >= :s AND n BETWEEN :one AND :three",
               {":three": {"N": "3"}, ":s": {"S": "hello"}, ":one": {"N": "1"}})
