"""GetItem ProjectionExpression through the expression library: nested paths, list indexes,
#names, and AWS's projection errors.

Sources: developer guide "Projection expressions"; dynalite test/getItem.js and
validations/index.js `validateExpressions` (recorded against AWS).
"""

from __future__ import annotations

import pytest

from tests.dynamodb.helpers import create
from tests.kit import error


@pytest.fixture(scope="module")
def table(server, ddb):
    create(server, ddb, "ProjGet", read=1000, write=1000)
    return "ProjGet"


ITEM = {"id": {"S": "p"}, "a": {"N": "1"}, "b": {"S": "x"},
        "l": {"L": [{"N": "0"}, {"N": "1"}, {"N": "2"}, {"M": {"deep": {"S": "d"}}}]},
        "m": {"M": {"x": {"N": "1"}, "y": {"M": {"z": {"S": "z"}}}}}, "name": {"S": "n"}}
PROJECTIONS = [
    ("a", None, {"a": {"N": "1"}}),
    ("a, nope", None, {"a": {"N": "1"}}),
    ("m.y.z", None, {"m": {"M": {"y": {"M": {"z": {"S": "z"}}}}}}),
    ("l[2], l[0]", None, {"l": {"L": [{"N": "0"}, {"N": "2"}]}}),
    ("l[3].deep", None, {"l": {"L": [{"M": {"deep": {"S": "d"}}}]}}),
    ("l[9]", None, {}),
    ("#n, m.x", {"#n": "name"}, {"name": {"S": "n"}, "m": {"M": {"x": {"N": "1"}}}}),
]


@pytest.mark.parametrize("expression,names,expected", PROJECTIONS)
def test_projection(ddb, table, expression, names, expected):
    ddb.put_item(TableName=table, Item=ITEM)
    kwargs = dict(TableName=table, Key={"id": {"S": "p"}}, ProjectionExpression=expression)
    if names:
        kwargs["ExpressionAttributeNames"] = names
    out = ddb.get_item(**kwargs)
    assert out["Item"] == expected


def test_projection_does_not_reduce_capacity(ddb, table):
    ddb.put_item(TableName=table, Item={"id": {"S": "big"}, "a": {"S": "x" * 5000}, "b": {"N": "1"}})
    out = ddb.get_item(TableName=table, Key={"id": {"S": "big"}}, ProjectionExpression="b",
                       ReturnConsumedCapacity="TOTAL", ConsistentRead=True)
    assert out["ConsumedCapacity"]["CapacityUnits"] == 2.0  # 5 KB item -> 8 KB (spec 1.3.1)


ERRORS = [
    (dict(ProjectionExpression="name"),
     "Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: name"),
    (dict(ProjectionExpression="#n"),
     "Invalid ProjectionExpression: An expression attribute name used in the document path is "
     "not defined; attribute name: #n"),
    (dict(ProjectionExpression="a", ExpressionAttributeNames={"#n": "name"}),
     "Value provided in ExpressionAttributeNames unused in expressions: keys: {#n}"),
    (dict(ProjectionExpression="a, a"),
     "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or "
     "rewrite one of these paths; path one: [a], path two: [a]"),
    (dict(ProjectionExpression="m.x, m[0]"),
     "Invalid ProjectionExpression: Two document paths conflict with each other; must remove or "
     "rewrite one of these paths; path one: [m, x], path two: [m, [0]]"),
    (dict(ProjectionExpression=""), "Invalid ProjectionExpression: The expression can not be empty;"),
    (dict(ExpressionAttributeNames={"#n": "name"}),
     "ExpressionAttributeNames can only be specified when using expressions"),
    (dict(ProjectionExpression="a", ExpressionAttributeNames={}),
     "ExpressionAttributeNames must not be empty"),
]


@pytest.mark.parametrize("extra,message", ERRORS)
def test_projection_errors(ddb, table, extra, message):
    assert error(ddb.get_item, TableName=table, Key={"id": {"S": "p"}}, **extra) == (
        "ValidationException", message, 400)


# scylladb test_projection_expression.py::test_projection_expression_path_nesting_levels (run
# against AWS): a path of 32 elements projects, one of 33 is refused, whether the item exists
# or not, with AWS's "nesting levels" message (quoted in that test). Syntax errors still win.
def test_projection_path_of_more_than_32_levels_is_refused(ddb, table):
    deep = "a" + ".b" * 31
    assert ddb.get_item(TableName=table, Key={"id": {"S": "nobody"}},
                        ProjectionExpression=deep).get("Item") is None
    for key in ("nobody", "p"):
        assert error(ddb.get_item, TableName=table, Key={"id": {"S": key}},
                     ProjectionExpression=deep + ".b") == (
            "ValidationException", "Invalid ProjectionExpression: The document path has too many "
            "nesting levels; nesting levels: 33", 400)
    assert error(ddb.get_item, TableName=table, Key={"id": {"S": "p"}},
                 ProjectionExpression="a" + "[0]" * 33 + ",")[1].startswith(
        "Invalid ProjectionExpression: Syntax error;")
