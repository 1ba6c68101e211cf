"""Conformance rows for the single-item operations (PutItem, GetItem, UpdateItem, DeleteItem) and
the expression language: error type + exact message (and which check wins when several things are
wrong) and response shapes (Attributes, ConsumedCapacity).

Sources, cited per row: dynalite test/putItem.js, getItem.js, updateItem.js, deleteItem.js
(architect/dynalite, recorded against live DynamoDB; the `it(...)` name is given), and extenddb
tests/test_conditional_operator.py (dual-targeted against Amazon DynamoDB) for ConditionalOperator.
Where dynalite's recording predates a change in AWS, the newer behaviour wins and the row says so.

The tables mirror dynalite's helpers.js: a hash table (`a` S) and a range table (`a` S, `b` S)
with LSIs index1 (a, c) and index2 (a, d) and GSIs index3 (c) and index4 (c, d). Calls go raw over
awsJson so botocore's client-side checks do not pre-empt the server's.
"""

from __future__ import annotations

import uuid

import pytest

from tests.dynamodb.helpers import create, raw

H, R = "ConfItemsHash", "ConfItemsRange"
THROUGHPUT = {"ReadCapacityUnits": 1000, "WriteCapacityUnits": 1000}
INVALID = "One or more parameter values were invalid: "
VALIDATE = "com.amazon.coral.validate#ValidationException"
NOT_FOUND = "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException"
CONDITIONAL = "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException"
MAX = 409_600
MIXING = "Can not use both expression and non-expression parameters in the same request: "
CONDOP_NONE = "ConditionalOperator cannot be used without Filter or Expected"
CONDOP_ONE = "ConditionalOperator can only be used when Filter or Expected has two or more elements"
EQ_X = {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "x"}]}


def rs(n: int = 20) -> str:
    return uuid.uuid4().hex[:n]


@pytest.fixture(scope="module")
def tables(server):
    ddb = server.client("dynamodb")
    s = lambda n: {"AttributeName": n, "AttributeType": "S"}  # noqa: E731
    h = lambda n: {"AttributeName": n, "KeyType": "HASH"}  # noqa: E731
    r = lambda n: {"AttributeName": n, "KeyType": "RANGE"}  # noqa: E731
    create(server, ddb, H, read=1000, write=1000,
           keys=dict(AttributeDefinitions=[s("a")], KeySchema=[h("a")]))
    create(server, ddb, R, read=1000, write=1000,
           keys=dict(AttributeDefinitions=[s("a"), s("b"), s("c"), s("d")],
                     KeySchema=[h("a"), r("b")]),
           LocalSecondaryIndexes=[
               {"IndexName": "index1", "KeySchema": [h("a"), r("c")],
                "Projection": {"ProjectionType": "ALL"}},
               {"IndexName": "index2", "KeySchema": [h("a"), r("d")],
                "Projection": {"ProjectionType": "ALL"}}],
           GlobalSecondaryIndexes=[
               {"IndexName": "index3", "KeySchema": [h("c")],
                "Projection": {"ProjectionType": "ALL"}, "ProvisionedThroughput": THROUGHPUT},
               {"IndexName": "index4", "KeySchema": [h("c"), r("d")],
                "Projection": {"ProjectionType": "ALL"}, "ProvisionedThroughput": THROUGHPUT}])
    server.advance(10)
    return server


def call(server, op: str, body: dict) -> tuple[int, dict]:
    return raw(server, op, body)


def assert_validation(server, op: str, body: dict, message: str) -> None:
    status, out = call(server, op, body)
    assert (status, out.get("__type"), out.get("message")) == (400, VALIDATE, message), out


# -- request validation: rows (source test, operation, request, message) ------------------------
EAV = {":a": {"S": "a"}, ":b": {"S": "a"}}
EAN = {"#a": "a", "#b": "b"}
TYPED = {":a": {"S": "a"}, ":b": {"N": "1"}, ":c": {"B": "YQ=="}, ":d": {"BOOL": False},
         ":e": {"NULL": True}, ":f": {"SS": ["a"]}, ":g": {"NS": ["1"]}, ":h": {"BS": ["YQ=="]},
         ":i": {"M": {}}, ":j": {"L": []}}
U, P, G, D = "UpdateItem", "PutItem", "GetItem", "DeleteItem"

STATIC_ROWS = [
    ("updateItem: expression and non-expression", U,
     dict(Key={"a": {}}, Expected={"a": {}}, AttributeUpdates={}, ExpressionAttributeNames={},
          ExpressionAttributeValues={}, ConditionExpression="", UpdateExpression=""),
     MIXING + "Non-expression parameters: {AttributeUpdates, Expected} "
              "Expression parameters: {UpdateExpression, ConditionExpression}"),
    ("updateItem: ExpressionAttributeNames but no ConditionExpression", U,
     dict(Key={"a": {}}, Expected={"a": {}}, ExpressionAttributeNames={},
          ExpressionAttributeValues={}),
     "ExpressionAttributeNames can only be specified when using expressions"),
    ("updateItem: ExpressionAttributeValues but no ConditionExpression", U,
     dict(Key={"a": {}}, Expected={"a": {}}, ExpressionAttributeValues={}),
     "ExpressionAttributeValues can only be specified when using expressions: UpdateExpression "
     "and ConditionExpression are null"),
    ("updateItem: unsupported datatype in Key", U,
     dict(Key={"a": {"L": [{}]}}, ConditionExpression="", UpdateExpression="",
          ExpressionAttributeNames={}, ExpressionAttributeValues={}),
     "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"),
    ("updateItem: invalid values in Key (wins over AttributeUpdates)", U,
     dict(Key={"a": {"BS": ["Yg==", "Yg=="]}}, Expected={"a": {}}, AttributeUpdates={"a": {}}),
     INVALID + "Input collection [Yg==, Yg==]of type BS contains duplicates."),
    ("updateItem: empty/invalid numbers in Key", U, dict(Key={"a": {"NS": ["1", "1"]}}),
     "Input collection contains duplicates"),
    ("updateItem: update has no value", U,
     dict(Key={}, Expected={"a": {}}, AttributeUpdates={"a": {}}),
     INVALID + "Only DELETE action is allowed when no attribute value is specified"),
    ("updateItem: trying to delete incorrect types", U,
     dict(Key={}, AttributeUpdates={"a": {"Action": "DELETE", "Value": {"M": {}}}}),
     INVALID + "DELETE action with value is not supported for the type M"),
    ("updateItem: trying to add incorrect types", U,
     dict(Key={}, AttributeUpdates={"a": {"Action": "ADD", "Value": {"B": "Yg=="}}}),
     INVALID + "ADD action is not supported for the type B"),
    ("updateItem: no value and no exists", U, dict(Key={}, Expected={"a": {}}),
     INVALID + "Value must be provided when Exists is null for Attribute: a"),
    ("updateItem: Exists true with no value", U, dict(Key={}, Expected={"a": {"Exists": True}}),
     INVALID + "Value must be provided when Exists is true for Attribute: a"),
    ("updateItem: empty ExpressionAttributeNames", U,
     dict(Key={}, ExpressionAttributeNames={}, ExpressionAttributeValues={},
          ConditionExpression="", UpdateExpression=""),
     "ExpressionAttributeNames must not be empty"),
    ("updateItem: invalid ExpressionAttributeNames", U,
     dict(Key={}, ExpressionAttributeNames={"a": "a"}, ExpressionAttributeValues={},
          ConditionExpression="", UpdateExpression=""),
     'ExpressionAttributeNames contains invalid key: Syntax error; key: "a"'),
    ("updateItem: invalid keys in ExpressionAttributeValues", U,
     dict(Key={}, ExpressionAttributeValues={":b": {"a": ""}, "b": {"S": "a"}},
          ConditionExpression="", UpdateExpression=""),
     'ExpressionAttributeValues contains invalid key: Syntax error; key: "b"'),
    ("updateItem: invalid values in ExpressionAttributeValues", U,
     dict(Key={}, ExpressionAttributeValues={":b": {"SS": ["a", "a"]}},
          ConditionExpression="", UpdateExpression=""),
     "ExpressionAttributeValues contains invalid value: " + INVALID +
     "Input collection [a, a] contains duplicates. for key :b"),
    ("updateItem: empty/invalid numbers in ExpressionAttributeValues", U,
     dict(Key={}, ExpressionAttributeValues={":b": {"NS": ["1", "b"]}},
          ConditionExpression="", UpdateExpression=""),
     "ExpressionAttributeValues contains invalid value: The parameter cannot be converted to a "
     "numeric value: b for key :b"),
    ("updateItem: empty UpdateExpression", U,
     dict(Key={}, ConditionExpression="", UpdateExpression=""),
     "Invalid UpdateExpression: The expression can not be empty;"),
    ("updateItem: empty ConditionExpression", U, dict(Key={}, ConditionExpression=""),
     "Invalid ConditionExpression: The expression can not be empty;"),
    ("updateItem: reserved keywords", U,
     dict(Key={}, UpdateExpression=" remove Absolute ", ExpressionAttributeValues=EAV,
          ExpressionAttributeNames=EAN),
     "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: Absolute"),
    ("updateItem: multiple sections", U,
     dict(Key={}, UpdateExpression="add #d :e set a = b add e :f", ExpressionAttributeValues=EAV,
          ExpressionAttributeNames=EAN),
     'Invalid UpdateExpression: The "ADD" section can only be used once in an update expression;'),
    ("updateItem: overlapping paths", U,
     dict(Key={}, UpdateExpression="set #c[3].#d = a, #c[3] = a",
          ExpressionAttributeNames={"#c": "c", "#d": "[3]"}),
     "Invalid UpdateExpression: Two document paths overlap with each other; must remove or "
     "rewrite one of these paths; path one: [c, [3], [3]], path two: [c, [3]]"),
    ("updateItem: conflicting paths", U,
     dict(Key={}, UpdateExpression="remove a.#c set a[1] = #d",
          ExpressionAttributeNames={"#b": "b", "#c": "c", "#d": "[3]"}),
     "Invalid UpdateExpression: Two document paths conflict with each other; must remove or "
     "rewrite one of these paths; path one: [a, c], path two: [a, [1]]"),
    ("updateItem: incorrect types in UpdateExpression", U,
     dict(Key={}, UpdateExpression="set b = list_append(:a, a), c = if_not_exists(a) add a.b :a",
          ExpressionAttributeValues={":a": {"S": "a"}, ":b": {"S": "a"}}),
     "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, "
     "operand type: STRING"),
    ("updateItem: incorrect types to functions", U,
     dict(Key={}, UpdateExpression="set a = :c + a", ExpressionAttributeValues=TYPED,
          ExpressionAttributeNames=EAN),
     "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or "
     "function: +, operand type: B"),
    ("updateItem: incorrect number of operands", U,
     dict(Key={}, UpdateExpression="set a = list_append(c)", ExpressionAttributeValues=EAV,
          ExpressionAttributeNames=EAN),
     "Invalid UpdateExpression: Incorrect number of operands for operator or function; operator "
     "or function: list_append, number of operands: 1"),
    ("updateItem: incorrect operand path type", U,
     dict(Key={}, UpdateExpression="set a = if_not_exists(:a, c)", ExpressionAttributeValues=EAV,
          ExpressionAttributeNames=EAN),
     "Invalid UpdateExpression: Operator or function requires a document path; operator or "
     "function: if_not_exists"),
    ("updateItem: extra ExpressionAttributeValues", U,
     dict(Key={}, UpdateExpression="remove a", ConditionExpression="a = :b",
          ExpressionAttributeValues={":b": {"S": "a"}, ":c": {"S": "a"}}),
     "Value provided in ExpressionAttributeValues unused in expressions: keys: {:c}"),
    ("putItem: incorrect ReturnValues", P, dict(Item={}, ReturnValues="UPDATED_NEW"),
     "ReturnValues can only be ALL_OLD or NONE"),
    ("putItem: empty key type", P, dict(Item={"a": {}}),
     "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"),
    ("putItem: false null", P, dict(Item={"a": {"NULL": False}}),
     INVALID + "Null attribute value types must have the value of true"),
    ("putItem: empty numeric in set", P, dict(Item={"a": {"NS": ["1", ""]}}),
     "The parameter cannot be converted to a numeric value"),
    ("putItem: incorrect numeric type in set (first bad member named)", P,
     dict(Item={"a": {"NS": ["1", "b", "a"]}}),
     "The parameter cannot be converted to a numeric value: b"),
    ("putItem: multiple types", P, dict(Item={"a": {"S": "a", "N": "1"}}),
     "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the "
     "supported datatypes"),
    ("putItem: empty expected value", P, dict(Item={}, Expected={"a": {"Value": {}}}),
     "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"),
    ("putItem: long digited number", P,
     dict(Item={"a": {"N": "-1.23456789012345678901234567890123456789"}}),
     "Attempting to store more than 38 significant digits in a Number"),
    ("putItem: huge negative number", P, dict(Item={"a": {"N": "-1e126"}}),
     "Number overflow. Attempting to store a number with magnitude larger than supported range"),
    ("putItem: tiny positive number", P, dict(Item={"a": {"N": "1e-131"}}),
     "Number underflow. Attempting to store a number with magnitude smaller than supported range"),
    ("putItem: ComparisonOperator used alone", P,
     dict(Item={}, Expected={"a": {"ComparisonOperator": "LT"}}),
     INVALID + "Value or AttributeValueList must be used with ComparisonOperator: LT for "
               "Attribute: a"),
    ("putItem: ComparisonOperator and Exists together", P,
     dict(Item={}, Expected={"a": {"Exists": True, "ComparisonOperator": "LT"}}),
     INVALID + "Exists and ComparisonOperator cannot be used together for Attribute: a"),
    ("putItem: AttributeValueList and Value together", P,
     dict(Item={}, Expected={"a": {"AttributeValueList": [{"S": "a"}], "Value": {"S": "a"},
                                   "ComparisonOperator": "LT"}}),
     INVALID + "Value and AttributeValueList cannot be used together for Attribute: a"),
    ("putItem: AttributeValueList used with Exists", P,
     dict(Item={}, Expected={"a": {"Exists": True, "AttributeValueList": [{"S": "a"}]}}),
     INVALID + "AttributeValueList can only be used with a ComparisonOperator for Attribute: a"),
    ("putItem: AttributeValueList incorrect length: IN", P,
     dict(Item={}, Expected={"a": {"AttributeValueList": [], "ComparisonOperator": "IN"}}),
     INVALID + "Invalid number of argument(s) for the IN ComparisonOperator"),
    ("putItem: Value incorrect number of attributes: BETWEEN", P,
     dict(Item={}, Expected={"a": {"Value": {"S": "a"}, "ComparisonOperator": "BETWEEN"}}),
     INVALID + "Invalid number of argument(s) for the BETWEEN ComparisonOperator"),
    ("getItem: duplicate values in AttributesToGet", G, dict(Key={}, AttributesToGet=["a", "a"]),
     INVALID + "Duplicate value in attribute name: a"),
    ("getItem: key has long digited number", G,
     dict(Key={"a": {"N": "-1.23456789012345678901234567890123456789"}}),
     "Attempting to store more than 38 significant digits in a Number"),
    ("deleteItem: incorrect ReturnValues", D, dict(Key={}, ReturnValues="ALL_NEW"),
     "ReturnValues can only be ALL_OLD or NONE"),
    ("deleteItem: Exists false with value", D,
     dict(Key={}, Expected={"a": {"Exists": False, "Value": {"S": "a"}}}),
     INVALID + "Value cannot be used when Exists is false for Attribute: a"),
]


@pytest.mark.parametrize("source, op, body, message", STATIC_ROWS, ids=[r[0] for r in STATIC_ROWS])
def test_request_validation(tables, source, op, body, message):
    # These fire before the table is looked up: 'abc' does not exist.
    assert_validation(tables, op, {"TableName": "abc", **body}, message)


SYNTAX_ERRORS = ["whatever", "set a", "delete a = b", "add abort b", "remove :a", "set a = b / c",
                 'set a[1] = "eight"', "SET if_not_exist(a, b) = a", "set a = b + c + d"]


@pytest.mark.parametrize("expression", SYNTAX_ERRORS)
def test_update_expression_syntax_errors(tables, expression):
    # dynalite updateItem.js "should return ValidationException for syntax errors in UpdateExpression"
    status, out = call(tables, U, {"TableName": "abc", "Key": {}, "UpdateExpression": expression})
    assert status == 400 and out["__type"] == VALIDATE
    assert out["message"].startswith("Invalid UpdateExpression: Syntax error; "), out


# -- ConditionalOperator (extenddb tests/test_conditional_operator.py, dual-target vs AWS) ---------
CONDOP_ROWS = [
    ("test_put_item_condop_without_expected", P, dict(Item={"a": {"S": "k2"}}), CONDOP_NONE),
    ("test_put_item_condop_single_condition_expected", P,
     dict(Item={"a": {"S": "k2"}}, Expected={"b": EQ_X}), CONDOP_ONE),
    ("test_delete_item_condop_without_expected", D, dict(Key={"a": {"S": "k1"}}), CONDOP_NONE),
    ("test_delete_item_condop_single_condition_expected", D,
     dict(Key={"a": {"S": "k1"}}, Expected={"b": EQ_X}), CONDOP_ONE),
    ("test_update_item_condop_without_expected", U,
     dict(Key={"a": {"S": "k1"}}, AttributeUpdates={"b": {"Value": {"S": "v"}, "Action": "PUT"}}),
     CONDOP_NONE),
    ("test_update_item_condop_no_updates_at_all", U, dict(Key={"a": {"S": "k1"}}), CONDOP_NONE),
    ("test_put_item_condop_with_condition_expression", P,
     dict(Item={"a": {"S": "k2"}}, ConditionExpression="attribute_exists(a)"),
     MIXING + "Non-expression parameters: {ConditionalOperator} "
              "Expression parameters: {ConditionExpression}"),
    ("test_put_item_expected_condop_with_condition_expression", P,
     dict(Item={"a": {"S": "k2"}}, Expected={"b": EQ_X}, ConditionExpression="attribute_exists(a)"),
     MIXING + "Non-expression parameters: {Expected, ConditionalOperator} "
              "Expression parameters: {ConditionExpression}"),
    ("test_delete_item_condop_with_condition_expression", D,
     dict(Key={"a": {"S": "k1"}}, ConditionExpression="attribute_exists(a)"),
     MIXING + "Non-expression parameters: {ConditionalOperator} "
              "Expression parameters: {ConditionExpression}"),
    ("test_update_item_condop_with_update_expression", U,
     dict(Key={"a": {"S": "k1"}}, UpdateExpression="SET b = :v",
          ExpressionAttributeValues={":v": {"S": "x"}}),
     MIXING + "Non-expression parameters: {ConditionalOperator} "
              "Expression parameters: {UpdateExpression}"),
    ("test_update_item_full_sets_ordering", U,
     dict(Key={"a": {"S": "k1"}}, AttributeUpdates={"b": {"Value": {"S": "v"}, "Action": "PUT"}},
          Expected={"b": EQ_X}, UpdateExpression="SET b = :v",
          ConditionExpression="attribute_exists(a)", ExpressionAttributeValues={":v": {"S": "x"}}),
     MIXING + "Non-expression parameters: {AttributeUpdates, Expected, ConditionalOperator} "
              "Expression parameters: {UpdateExpression, ConditionExpression}"),
]


@pytest.mark.parametrize("source, op, body, message", CONDOP_ROWS, ids=[r[0] for r in CONDOP_ROWS])
def test_conditional_operator(tables, source, op, body, message):
    assert_validation(tables, op, {"TableName": H, "ConditionalOperator": "AND", **body}, message)


def test_conditional_operator_or_with_two_expected(tables):
    # putItem.js "should succeed for multiple conditional checks if one is invalid and OR is specified"
    item = {"a": {"S": rs()}, "c": {"S": rs()}}
    assert call(tables, P, {"TableName": H, "Item": item}) == (200, {})
    expected = {"a": {"ComparisonOperator": "EQ", "AttributeValueList": [item["a"]]},
                "b": {"ComparisonOperator": "NULL"},
                "c": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": rs()}]}}
    assert call(tables, P, {"TableName": H, "Item": item, "ConditionalOperator": "OR",
                            "Expected": expected}) == (200, {})
    status, out = call(tables, P, {"TableName": H, "Item": item, "Expected": expected})
    assert (status, out["__type"]) == (400, CONDITIONAL)


# -- checks against the table -----------------------------------------------------------------
def key_rows():
    rows = [("getItem: key is empty and table does exist", G, H, dict(Key={}),
             "The provided key element does not match the schema"),
            ("getItem: key has extra attributes", G, H,
             dict(Key={"a": {"S": "a"}, "b": {"S": "a"}}),
             "The provided key element does not match the schema"),
            ("getItem: missing range key", G, R, dict(Key={"a": {"S": "a"}}),
             "The provided key element does not match the schema"),
            ("getItem: hash key is too big", G, H, dict(Key={"a": {"S": "a" * 2049}}),
             INVALID + "Size of hashkey has exceeded the maximum size limit of2048 bytes"),
            ("getItem: range key is too big", G, R,
             dict(Key={"a": {"S": "a"}, "b": {"S": "a" * 1025}}),
             INVALID + "Aggregated size of all range keys has exceeded the size limit of 1024 bytes"),
            ("getItem: non-scalar key access in ProjectionExpression", G, H,
             dict(Key={"a": {"S": "x"}}, ProjectionExpression="#a.b.c",
                  ExpressionAttributeNames={"#a": "a"}),
             "Key attributes must be scalars; list random access '[]' and map lookup '.' are not "
             "allowed: Key: a"),
            ("getItem: non-scalar index access in ProjectionExpression", G, R,
             dict(Key={"a": {"S": "x"}, "b": {"S": "y"}}, ProjectionExpression="#d[0]",
                  ExpressionAttributeNames={"#d": "d"}),
             "Key attributes must be scalars; list random access '[]' and map lookup '.' are not "
             "allowed: IndexKey: d"),
            ("putItem: key is empty and table does exist", P, H, dict(Item={}),
             INVALID + "Missing the key a in the item"),
            ("putItem: missing range key", P, R, dict(Item={"a": {"S": "a"}}),
             INVALID + "Missing the key b in the item"),
            ("putItem: secondary index key is incorrect type", P, R,
             dict(Item={"a": {"S": "a"}, "b": {"S": "a"}, "c": {"N": "1"}}),
             INVALID + "Type mismatch for Index Key c Expected: S Actual: N IndexName: index4"),
            ("deleteItem: key is incorrect binary type", D, H, dict(Key={"a": {"B": "abcd"}}),
             "The provided key element does not match the schema"),
            ("updateItem: Key does not match range schema", U, R, dict(Key={"a": {"S": "a"}}),
             "The provided key element does not match the schema")]
    for t, v in [("B", "abcd"), ("N", "1"), ("SS", ["a"]), ("NS", ["1"]), ("BS", ["aaaa"])]:
        rows.append((f"putItem: key is incorrect {t} type", P, H, dict(Item={"a": {t: v}}),
                     INVALID + f"Type mismatch for key a expected: S actual: {t}"))
    hash_updates = [{"AttributeUpdates": {"a": {"Value": {"S": "x"}}}},
                    {"UpdateExpression": "add a.b :a", "ExpressionAttributeValues": {":a": {"N": "1"}}},
                    {"UpdateExpression": "remove d set b = :a, a = :a",
                     "ExpressionAttributeValues": {":a": {"N": "1"}}},
                    {"UpdateExpression": "set a = a.b + a[1]"}]
    for i, extra in enumerate(hash_updates):
        rows.append((f"updateItem: trying to update key #{i}", U, H, dict(Key={"a": {"S": "k"}}, **extra),
                     INVALID + "Cannot update attribute a. This attribute is part of the key"))
    range_key = {"a": {"S": "k"}, "b": {"S": "k"}}
    rows += [
        ("updateItem: trying to update range key", U, R,
         dict(Key=range_key, UpdateExpression="set d[1] = :a add b.b :a",
              ExpressionAttributeValues={":a": {"N": "1"}}),
         INVALID + "Cannot update attribute b. This attribute is part of the key"),
        ("updateItem: wrong type on index (AttributeUpdates)", U, R,
         dict(Key=range_key, AttributeUpdates={"d": {"Value": {"N": "1"}}, "c": {"Value": {"N": "1"}}}),
         INVALID + "Type mismatch for Index Key c Expected: S Actual: N IndexName: index4"),
        ("updateItem: wrong type on index (ADD wins over nested index path)", U, R,
         dict(Key=range_key, UpdateExpression="set d.a = a add c :a",
              ExpressionAttributeValues={":a": {"N": "1"}}),
         INVALID + "Type mismatch for Index Key c Expected: S Actual: N IndexName: index4"),
        ("updateItem: wrong type on index (arithmetic)", U, R,
         dict(Key=range_key, UpdateExpression="set e = c[1], c = a + :a",
              ExpressionAttributeValues={":a": {"N": "1"}}),
         INVALID + "Type mismatch for Index Key c Expected: S Actual: N IndexName: index4"),
        ("updateItem: trying to update index map (ADD)", U, R,
         dict(Key=range_key, UpdateExpression="add d.b :a",
              ExpressionAttributeValues={":a": {"N": "1"}}),
         "Key attributes must be scalars; list random access '[]' and map lookup '.' are not "
         "allowed: IndexKey: d"),
        ("updateItem: trying to update index map (SET)", U, R,
         dict(Key=range_key, UpdateExpression="set d[1] = :a",
              ExpressionAttributeValues={":a": {"N": "1"}}),
         "Key attributes must be scalars; list random access '[]' and map lookup '.' are not "
         "allowed: IndexKey: d"),
        ("updateItem: trying to update index map (read in a SET value)", U, R,
         dict(Key=range_key, UpdateExpression="set e = list_append(a, b), f = d[1]"),
         "Key attributes must be scalars; list random access '[]' and map lookup '.' are not "
         "allowed: IndexKey: d"),
        ("updateItem: reference non-existent attribute", U, H,
         dict(Key={"a": {"S": rs()}}, UpdateExpression="set e = list_append(b, c)"),
         "The provided expression refers to an attribute that does not exist in the item"),
        ("updateItem: non-existent nested attribute in non-existent item", U, H,
         dict(Key={"a": {"S": rs()}}, UpdateExpression="set b[1] = a"),
         "The document path provided in the update expression is invalid for update"),
        ("updateItem: update item is too big", U, H,
         dict(Key={"a": {"S": rs()}},
              AttributeUpdates={"b": {"Action": "PUT", "Value": {"S": "a" * (MAX - 1)}},
                                "c": {"Action": "PUT", "Value": {"N": "1" * 38 + "0" * 88}}}),
         "Item size to update has exceeded the maximum allowed size"),
    ]
    return rows


KEY_ROWS = key_rows()


@pytest.mark.parametrize("source, op, table, body, message", KEY_ROWS,
                         ids=[r[0] for r in KEY_ROWS])
def test_checks_against_the_table(tables, source, op, table, body, message):
    assert_validation(tables, op, {"TableName": table, **body}, message)


@pytest.mark.parametrize("op, body", [
    (P, {"Item": {}}), (G, {"Key": {}}), (U, {"Key": {}}), (D, {"Key": {}})])
def test_missing_table_after_request_checks(tables, op, body):
    # *.js "should return ResourceNotFoundException if key is empty and table does not exist"
    status, out = call(tables, op, {"TableName": "missing-" + rs(), **body})
    assert (status, out["__type"], out["message"]) == (400, NOT_FOUND, "Requested resource not found")


@pytest.mark.parametrize("attrs, extra, too_big", [
    ({"b": 1}, 0, True), ({"b": 2}, 0, False),
    ({"bb": 7}, {"ccc": {"S": "cc"}}, True), ({"bb": 8}, {"ccc": {"S": "cc"}}, False),
    ({"b": 1 + 1 + 20}, {"c": {"N": "1" * 38 + "0" * 88}}, True),
    ({"b": 1 + 1 + 2}, {"c": {"N": "1" + "0" * 125}}, True),
    ({"b": 1 + 1 + 5}, {"c": {"N": "1111111" + "0" * 119}}, True),
])
def test_put_item_size_boundaries(tables, attrs, extra, too_big):
    # putItem.js "item is too big / just small enough with ..." (400 KB = 409,600 bytes): the size
    # check runs before the table lookup, so "just small enough" reaches ResourceNotFound
    key = rs()
    (name, minus), = attrs.items()
    item = {"a": {"S": key}, name: {"S": "a" * (MAX - len(key) - minus)}, **(extra or {})}
    status, out = call(tables, P, {"TableName": "missing-" + rs(), "Item": item})
    assert out["__type"] == (VALIDATE if too_big else NOT_FOUND), out


# -- stateful checks (dynalite updateItem.js) -----------------------------------------------------
def test_type_mismatch_for_attribute_to_update(tables):
    # "should return ValidationException if trying to delete/add incorrect types"
    key = {"a": {"S": rs()}}
    assert call(tables, U, {"TableName": H, "Key": key, "AttributeUpdates": {
        "b": {"Value": {"SS": ["1"]}}, "c": {"Value": {"N": "1"}}, "d": {"Value": {"NS": ["1"]}}}})[0] == 200
    for updates in [{"b": {"Action": "DELETE", "Value": {"NS": ["1"]}}},
                    {"c": {"Action": "DELETE", "Value": {"NS": ["1"]}}},
                    {"b": {"Action": "ADD", "Value": {"NS": ["1"]}}},
                    {"d": {"Action": "ADD", "Value": {"N": "1"}}}]:
        assert_validation(tables, U, {"TableName": H, "Key": key, "AttributeUpdates": updates},
                          "Type mismatch for attribute to update")


def test_incorrect_operand_type_against_the_item(tables):
    # "should return ValidationException if using expression to delete/add incorrect types"
    key = {"a": {"S": rs()}}
    assert call(tables, U, {"TableName": H, "Key": key, "UpdateExpression": "set b = :b, c = :c, d = :d",
                            "ExpressionAttributeValues": {":b": {"M": {"a": {"SS": ["1"]}}},
                                                          ":c": {"N": "1"}, ":d": {"NS": ["1"]}}})[0] == 200
    for expression, value in [("delete d :a", {"SS": ["1"]}), ("delete b.a :a", {"BS": ["YQ=="]}),
                              ("add b :a", {"NS": ["1"]}), ("add d :a", {"N": "1"}),
                              ("set e = b - :a", {"N": "1"}),
                              ("set e = list_append(d, if_not_exists(f, :a))", {"L": []})]:
        assert_validation(tables, U, {"TableName": H, "Key": key, "UpdateExpression": expression,
                                      "ExpressionAttributeValues": {":a": value}},
                          "An operand in the update expression has an incorrect data type")


def test_invalid_document_paths_in_existing_item(tables):
    # "should return ValidationException if trying to update non-existent nested attribute in
    # existing item"
    key = {"a": {"S": rs()}}
    assert call(tables, U, {"TableName": H, "Key": key, "UpdateExpression": "set b = a, c = :c, d = :d",
                            "ExpressionAttributeValues": {":c": {"M": {"1": {"S": "a"}}},
                                                          ":d": {"L": [{"S": "a"}, {"S": "b"}]}}})[0] == 200
    for expression in ["set b.a = :a, #1 = :a", "set c[1] = :a, #1 = :a", "set d.#1 = :a",
                       "remove y[1] set #1 = :a", "remove d.#1 set #1 = :a",
                       "delete c[1] :a set #1 = :a", "add y.a :a set #1 = :a", "add d.#1 :a"]:
        assert_validation(tables, U, {"TableName": H, "Key": key, "UpdateExpression": expression,
                                      "ExpressionAttributeNames": {"#1": "1"},
                                      "ExpressionAttributeValues": {":a": {"SS": ["a"]}}},
                          "The document path provided in the update expression is invalid for update")


def test_set_index_key_from_attribute_of_wrong_type(tables):
    # "should return ValidationException if trying to update existing index": the type is only
    # known once the item is read, and AWS words it differently from the static check
    key = {"a": {"S": rs()}, "b": {"S": rs()}}
    assert call(tables, U, {"TableName": R, "Key": key, "UpdateExpression": "set e = :a",
                            "ExpressionAttributeValues": {":a": {"N": "1"}}})[0] == 200
    for expression in ["set c = e", "set d = e"]:
        assert_validation(tables, U, {"TableName": R, "Key": key, "UpdateExpression": expression},
                          "The update expression attempted to update the secondary index key to "
                          "unsupported type")
    item = call(tables, G, {"TableName": R, "Key": key, "ConsistentRead": True})[1]["Item"]
    assert item == {**key, "e": {"N": "1"}}  # nothing was written


# -- response shapes ------------------------------------------------------------------------------
def test_update_nested_attributes_updated_new(tables):
    # "should update nested attributes": UPDATED_NEW projects the *literal* target paths onto the
    # new item, so c[4] shows the value ADD c[6] appended there, and c[6]/c[8] (past the end after
    # appending) are absent. This settles SET l[9] past the end: nothing comes back for it.
    key = {"a": {"S": rs()}}
    assert call(tables, U, {"TableName": H, "Key": key, "UpdateExpression": "set b = :b, c = :c",
                            "ExpressionAttributeValues": {
                                ":b": {"M": {"a": {"N": "1"}, "b": {"N": "2"}, "c": {"N": "3"}}},
                                ":c": {"L": [{"N": "1"}, {"N": "3"}]}}})[0] == 200
    status, out = call(tables, U, {
        "TableName": H, "Key": key, "ReturnValues": "UPDATED_NEW",
        "UpdateExpression": "set b.c=((c[1])+(b.a)),b.a = a,c[1] = a, c[4] = b.a - b.b, "
                            "c[2] = b.c add c[8] :b, c[6] :a",
        "ExpressionAttributeValues": {":a": {"N": "2"}, ":b": {"SS": ["a"]}}})
    assert out == {"Attributes": {"b": {"M": {"a": key["a"], "c": {"N": "4"}}},
                                  "c": {"L": [key["a"], {"N": "3"}, {"N": "2"}]}}}
    item = call(tables, G, {"TableName": H, "Key": key, "ConsistentRead": True})[1]["Item"]
    assert item == {"a": key["a"], "b": {"M": {"a": key["a"], "b": {"N": "2"}, "c": {"N": "4"}}},
                    "c": {"L": [{"N": "1"}, key["a"], {"N": "3"}, {"N": "-1"}, {"N": "2"},
                                {"SS": ["a"]}]}}
    status, out = call(tables, U, {"TableName": H, "Key": key, "ReturnValues": "UPDATED_NEW",
                                   "UpdateExpression": "set c[9] = :v",
                                   "ExpressionAttributeValues": {":v": {"N": "9"}}})
    assert (status, out) == (200, {})


@pytest.mark.parametrize("updates", [
    {"AttributeUpdates": {"b": {"Action": "DELETE"}, "c": {"Action": "DELETE", "Value": {"SS": ["a", "b"]}},
                          "d": {"Action": "ADD", "Value": {"N": "5"}},
                          "e": {"Action": "ADD", "Value": {"SS": ["a", "b"]}},
                          "f": {"Action": "ADD", "Value": {"L": [{"S": "a"}, {"N": "1"}]}}}},
    {"UpdateExpression": "ADD #e :e,#d :d DELETE #c :c REMOVE #b SET #f = :f",
     "ExpressionAttributeValues": {":c": {"SS": ["a", "b"]}, ":d": {"N": "5"}, ":e": {"SS": ["a", "b"]},
                                   ":f": {"L": [{"S": "a"}, {"N": "1"}]}},
     "ExpressionAttributeNames": {"#b": "b", "#c": "c", "#d": "d", "#e": "e", "#f": "f"}}])
def test_add_actions_when_nothing_exists(tables, updates):
    # "should just add valid ADD actions if nothing exists"
    key = {"a": {"S": rs()}}
    out = call(tables, U, {"TableName": H, "Key": key, "ReturnValues": "UPDATED_NEW", **updates})[1]
    assert out == {"Attributes": {"d": {"N": "5"}, "e": {"SS": ["a", "b"]},
                                  "f": {"L": [{"S": "a"}, {"N": "1"}]}}}


def test_return_values_shapes(tables):
    # updateItem.js "should return empty when there are no old values", "should return updated old
    # nested values when they exist"; putItem.js "should return correct old values when they exist"
    key = {"a": {"S": rs()}}
    assert call(tables, U, {"TableName": H, "Key": key, "ReturnValues": "ALL_OLD"}) == (200, {})
    assert call(tables, U, {"TableName": H, "Key": key, "AttributeUpdates": {
        "b": {"Value": {"M": {"a": {"S": "a"}, "b": {"L": []}}}}, "c": {"Value": {"N": "1"}}}})[0] == 200
    out = call(tables, U, {"TableName": H, "Key": key, "ReturnValues": "UPDATED_OLD", "AttributeUpdates": {
        "b": {"Value": {"M": {"a": {"S": "b"}, "b": {"L": []}}}}, "c": {"Action": "ADD", "Value": {"N": "1"}}}})[1]
    assert out == {"Attributes": {"b": {"M": {"a": {"S": "a"}, "b": {"L": []}}}, "c": {"N": "1"}}}
    item = {"a": {"S": rs()}, "b": {"N": "-0015.789e6"}, "c": {"S": "a"}}
    assert call(tables, P, {"TableName": H, "Item": item}) == (200, {})
    out = call(tables, P, {"TableName": H, "Item": {**item, "b": {"S": "b"}}, "ReturnValues": "ALL_OLD"})[1]
    assert out == {"Attributes": {**item, "b": {"N": "-15789000"}}}
    out = call(tables, D, {"TableName": H, "Key": {"a": item["a"]}, "ReturnValues": "ALL_OLD"})[1]
    assert out == {"Attributes": {**item, "b": {"S": "b"}}}
    assert call(tables, D, {"TableName": H, "Key": {"a": item["a"]}, "ReturnValues": "ALL_OLD"}) == (200, {})


def test_put_long_numbers_come_back_canonical(tables):
    # putItem.js "should put really long numbers"
    item = {"a": {"S": rs()}, "b": {"N": "0000012345678901234567890123456789012345678"},
            "c": {"N": "-00001.23456789012345678901234567890123456780000"},
            "d": {"N": "0009.99999999999999999999999999999999999990000e125"},
            "f": {"N": "0001.000e-130"}}
    assert call(tables, P, {"TableName": H, "Item": item}) == (200, {})
    got = call(tables, G, {"TableName": H, "Key": {"a": item["a"]}, "ConsistentRead": True})[1]["Item"]
    assert got == {"a": item["a"], "b": {"N": "12345678901234567890123456789012345678"},
                   "c": {"N": "-1.2345678901234567890123456789012345678"},
                   "d": {"N": "9" * 38 + "0" * 88}, "f": {"N": "0." + "0" * 129 + "1"}}


@pytest.mark.parametrize("op, stored, operand, passes", [
    ("EQ", "b", ["b"], True), ("NE", "b", ["b"], False), ("LE", "b", ["c"], True),
    ("LE", "d", ["c"], False), ("LT", "d", ["c"], False), ("GE", "b", ["a"], True),
    ("GE", "b", ["c"], False), ("GT", "a", ["c"], False), ("CONTAINS", "hello", ["ell"], True),
    ("CONTAINS", "hello", ["goodbye"], False), ("BEGINS_WITH", "hello", ["he"], True),
    ("NOT_CONTAINS", "hello", ["ell"], False), ("NOT_CONTAINS", "hello", ["goodbye"], True),
    ("IN", "b", ["c", "b"], True), ("IN", "d", ["c"], False), ("BETWEEN", "b", ["a", "c"], True),
    ("BETWEEN", "b", ["c", "d"], False)])
def test_legacy_expected_operators(tables, op, stored, operand, passes):
    # putItem.js "should succeed/fail if condition is valid/invalid: <OP>"
    item = {"a": {"S": rs()}, "x": {"S": stored}}
    assert call(tables, P, {"TableName": H, "Item": item}) == (200, {})
    status, out = call(tables, P, {"TableName": H, "Item": item, "Expected": {"x": {
        "ComparisonOperator": op, "AttributeValueList": [{"S": v} for v in operand]}}})
    assert (status, out.get("__type")) == ((200, None) if passes else (400, CONDITIONAL))


@pytest.mark.parametrize("op, fill, bs, units", [
    (P, 1010, ["AQI=", "Ag==", "AQ=="], 1), (P, 1012, ["AQI=", "Ag=="], 2),
    (U, 1010, ["AQI=", "Ag==", "AQ=="], 1), (U, 1012, ["AQI=", "Ag=="], 2)])
def test_write_consumed_capacity(tables, op, fill, bs, units):
    # putItem.js / updateItem.js "should return ConsumedCapacity for small/larger item" (1 KB units)
    a = rs()
    attrs = {"b": {"S": "b" * (fill - 1 - len(a))}, "c": {"N": "12.3456"}, "d": {"B": "AQI="},
             "e": {"BS": bs}}
    body = ({"Item": {"a": {"S": a}, **attrs}} if op == P else
            {"Key": {"a": {"S": a}}, "AttributeUpdates": {k: {"Value": v} for k, v in attrs.items()}})
    assert call(tables, op, {"TableName": H, "ReturnConsumedCapacity": "TOTAL", **body})[1] == \
        {"ConsumedCapacity": {"CapacityUnits": units, "TableName": H}}
    assert call(tables, op, {"TableName": H, "ReturnConsumedCapacity": "INDEXES", **body})[1] == \
        {"ConsumedCapacity": {"CapacityUnits": units, "Table": {"CapacityUnits": units}, "TableName": H}}


def test_put_capacity_is_max_of_old_and_new(tables):
    # putItem.js "should return ConsumedCapacity for larger item": replacing a 2 KB item with a
    # key-only one costs 2, the next put (old item now small) costs 1
    a = rs()
    big = {"a": {"S": a}, "b": {"S": "b" * (1011 - len(a))}, "c": {"N": "12.3456"},
           "d": {"B": "AQI="}, "e": {"BS": ["AQI=", "Ag=="]}}
    assert call(tables, P, {"TableName": H, "Item": big})[0] == 200
    small = {"TableName": H, "Item": {"a": {"S": a}}, "ReturnConsumedCapacity": "TOTAL"}
    assert call(tables, P, small)[1]["ConsumedCapacity"]["CapacityUnits"] == 2
    assert call(tables, P, small)[1]["ConsumedCapacity"]["CapacityUnits"] == 1


@pytest.mark.parametrize("consistent, units", [(None, 0.5), (True, 1)])
def test_get_missing_item_capacity(tables, consistent, units):
    # getItem.js "should return (full) ConsumedCapacity if specified"
    body = {"TableName": H, "Key": {"a": {"S": rs()}}, "ReturnConsumedCapacity": "INDEXES"}
    if consistent:
        body["ConsistentRead"] = True
    assert call(tables, G, body) == (200, {"ConsumedCapacity": {
        "CapacityUnits": units, "Table": {"CapacityUnits": units}, "TableName": H}})


@pytest.mark.parametrize("fill, bs, units", [(1010, ["AQI=", "Ag==", "AQ=="], 1), (1012, ["AQI=", "Ag=="], 2)])
def test_delete_consumed_capacity(tables, fill, bs, units):
    # deleteItem.js "should return ConsumedCapacity for small/larger item"
    a = rs()
    item = {"a": {"S": a}, "b": {"S": "b" * (fill - 1 - len(a))}, "c": {"N": "12.3456"},
            "d": {"B": "AQI="}, "e": {"BS": bs}}
    assert call(tables, P, {"TableName": H, "Item": item})[0] == 200
    assert call(tables, D, {"TableName": H, "Key": {"a": item["a"]}, "ReturnConsumedCapacity": "TOTAL"}) == \
        (200, {"ConsumedCapacity": {"CapacityUnits": units, "TableName": H}})
