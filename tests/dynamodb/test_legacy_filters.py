"""legacy.filter_from_conditions / key_conditions / key_condition_ranges: the QueryFilter,
ScanFilter and KeyConditions conversions Query and Scan use. Pure functions (like
tests/unit/test_expr_*); the Query/Scan tests cover them over HTTP.

Messages: dynalite validations/index.js `validateConditions`, validations/query.js and
actions/query.js (recorded against live DynamoDB).
"""

from __future__ import annotations

import pytest

from dynoscale.errors import AwsError
from dynoscale.services.dynamodb.expr import legacy
from dynoscale.services.dynamodb.expr import evaluate

P = "One or more parameter values were invalid: "


def cond(op, *values):
    out = {"ComparisonOperator": op}
    if values:
        out["AttributeValueList"] = list(values)
    return out


ITEM = {"n": {"N": "5"}, "s": {"S": "hello"}, "b": {"B": b"\x01\x02"}, "ss": {"SS": ["a"]},
        "l": {"L": [{"S": "a"}]}}
FILTERS = [
    ({"n": cond("EQ", {"N": "5.00"})}, None, True),
    ({"n": cond("NE", {"N": "5"})}, None, False),
    ({"x": cond("NE", {"N": "5"})}, None, True),
    ({"n": cond("LT", {"N": "10"})}, None, True),
    ({"s": cond("GE", {"S": "hello"})}, None, True),
    ({"b": cond("GT", {"B": b"\x01"})}, None, True),
    ({"n": cond("BETWEEN", {"N": "5"}, {"N": "6"})}, None, True),
    ({"n": cond("IN", {"N": "1"}, {"N": "2"})}, None, False),
    ({"s": cond("BEGINS_WITH", {"S": "hel"})}, None, True),
    ({"ss": cond("CONTAINS", {"S": "a"})}, None, True),
    ({"l": cond("CONTAINS", {"S": "a"})}, None, True),
    ({"s": cond("NOT_CONTAINS", {"S": "z"})}, None, True),
    # false on a missing attribute, as in Expected (scylladb test_expected.py::
    # test_update_expected_1_not_contains, run against AWS)
    ({"x": cond("NOT_CONTAINS", {"S": "z"})}, None, False),
    ({"x": cond("NULL")}, None, True),
    ({"x": cond("NOT_NULL")}, None, False),
    ({"x": cond("NOT_NULL"), "n": cond("EQ", {"N": "5"})}, "OR", True),
    ({"x": cond("NOT_NULL"), "n": cond("EQ", {"N": "5"})}, "AND", False),
]


@pytest.mark.parametrize("conditions,operator,holds", FILTERS)
def test_filter_semantics(conditions, operator, holds):
    tree = legacy.filter_from_conditions(conditions, operator, "ScanFilter")
    assert evaluate(tree, ITEM) is holds


def test_no_filter():
    assert legacy.filter_from_conditions(None) is None
    assert legacy.filter_from_conditions({}) is None


FILTER_ERRORS = [
    ({"a": cond("EQ")}, P + "Invalid number of argument(s) for the EQ ComparisonOperator"),
    ({"a": cond("IN")}, P + "Invalid number of argument(s) for the IN ComparisonOperator"),
    ({"a": cond("NOT_NULL", {"N": "1"})},
     P + "Invalid number of argument(s) for the NOT_NULL ComparisonOperator"),
    ({"a": cond("IN", {"N": "1"}, {"S": "1"})},
     P + "AttributeValues inside AttributeValueList must be of same type"),
    ({"a": cond("LT", {"SS": ["a"]})}, P + "ComparisonOperator LT is not valid for SS AttributeValue type"),
    ({"a": cond("BEGINS_WITH", {"N": "1"})},
     P + "ComparisonOperator BEGINS_WITH is not valid for N AttributeValue type"),
    # EQ/NE take BOOL, L and M (scylladb test_query_filter_eq, run against AWS); ordering does not
    ({"a": cond("GT", {"BOOL": True})}, P + "ComparisonOperator GT is not valid for BOOL AttributeValue type"),
    ({"a": cond("BETWEEN", {"S": "b"}, {"S": "a"})},
     "The BETWEEN condition was provided a range where the lower bound is greater than the upper bound"),
    ({"a": cond("EQ", {"N": "x"})}, "The parameter cannot be converted to a numeric value: x"),
]


@pytest.mark.parametrize("conditions,message", FILTER_ERRORS)
def test_filter_validation(conditions, message):
    with pytest.raises(AwsError) as info:
        legacy.filter_from_conditions(conditions)
    assert (info.value.code, info.value.message) == ("ValidationException", message)


def test_key_conditions_and_ranges():
    conditions = legacy.key_conditions({"pk": cond("EQ", {"S": "p"}),
                                        "sk": cond("BETWEEN", {"N": "1"}, {"N": "3"})})
    key_range = legacy.key_condition_ranges(conditions, "pk", "sk", {"pk": "S", "sk": "N"})
    assert key_range.partition_value == {"S": "p"}
    assert key_range.matches({"pk": {"S": "p"}, "sk": {"N": "2"}})
    assert not key_range.matches({"pk": {"S": "p"}, "sk": {"N": "4"}})


KEY_ERRORS = [
    ({}, "Conditions can be of length 1 or 2 only"),
    # more conditions than a key schema can name (4 HASH + 4 RANGE on a GSI; dynalite's limit of
    # two predates multi-attribute keys)
    ({n: cond("EQ", {"S": "1"}) for n in "abcdefghi"}, "Conditions can be of length 1 or 2 only"),
    ({"sk": cond("EQ", {"N": "1"})}, "Query condition missed key schema element: pk"),
    ({"pk": cond("EQ", {"S": "1"}), "other": cond("EQ", {"N": "1"})},
     "Query condition missed key schema element: sk"),
    ({"pk": cond("EQ", {"S": "1"}), "sk": cond("NOT_NULL")},
     "Attempted conditional constraint is not an indexable operation"),
    ({"pk": cond("IN", {"S": "1"})}, "Attempted conditional constraint is not an indexable operation"),
    ({"pk": cond("GT", {"S": "1"})}, "Query key condition not supported"),
    ({"pk": cond("EQ", {"N": "1"})},
     P + "Condition parameter type does not match schema type"),
]


@pytest.mark.parametrize("conditions,message", KEY_ERRORS)
def test_key_condition_validation(conditions, message):
    with pytest.raises(AwsError) as info:
        legacy.key_condition_ranges(legacy.key_conditions(conditions), "pk", "sk",
                                    {"pk": "S", "sk": "N"})
    assert (info.value.code, info.value.message) == ("ValidationException", message)
