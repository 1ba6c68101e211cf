"""Conformance rows for Query and Scan: error type + exact message (and which check wins when
several things are wrong) as recorded against live DynamoDB in dynalite's test suite
(architect/dynalite test/scan.js, test/query.js; the `it(...)` name is cited per row).

The tables mirror dynalite's helpers.js test tables: a hash table (`a` S) and a range table
(`a` S, `b` S) with LSIs index1 (a, c; ALL) and index2 (a, d; INCLUDE c) and GSIs index3 (c; ALL)
and index4 (c, d; INCLUDE e). Calls go raw over awsJson so botocore's client-side checks do not
pre-empt the server's."""

from __future__ import annotations

import pytest

from tests.dynamodb.helpers import create, raw

THROUGHPUT = {"ReadCapacityUnits": 1000, "WriteCapacityUnits": 1000}


@pytest.fixture(scope="module")
def tables(server):
    ddb = server.client("dynamodb")
    hash_name, range_name = "ConfHash", "ConfRange"
    create(server, ddb, hash_name, read=1000, write=1000,
           keys=dict(AttributeDefinitions=[{"AttributeName": "a", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "a", "KeyType": "HASH"}]))
    s = lambda n: {"AttributeName": n, "AttributeType": "S"}  # noqa: E731
    h = lambda n: {"AttributeName": n, "KeyType": "HASH"}  # noqa: E731
    r = lambda n: {"AttributeName": n, "KeyType": "RANGE"}  # noqa: E731
    create(server, ddb, range_name, read=1000, write=1000,
           keys=dict(AttributeDefinitions=[s("a"), s("b"), s("c"), s("d")],
                     KeySchema=[h("a"), r("b")]),
           LocalSecondaryIndexes=[
               {"IndexName": "index1", "KeySchema": [h("a"), r("c")],
                "Projection": {"ProjectionType": "ALL"}},
               {"IndexName": "index2", "KeySchema": [h("a"), r("d")],
                "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["c"]}}],
           GlobalSecondaryIndexes=[
               {"IndexName": "index3", "KeySchema": [h("c")],
                "Projection": {"ProjectionType": "ALL"}, "ProvisionedThroughput": THROUGHPUT},
               {"IndexName": "index4", "KeySchema": [h("c"), r("d")],
                "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["e"]},
                "ProvisionedThroughput": THROUGHPUT}])
    server.advance(10)
    return {"HASH": hash_name, "RANGE": range_name}


def call(server, tables, operation, request):
    body = dict(request)
    if body.get("TableName") in tables:
        body["TableName"] = tables[body["TableName"]]
    return raw(server, operation, body)


def check(server, tables, operation, request, code, message):
    status, body = call(server, tables, operation, request)
    assert status == 400, body
    assert body["__type"].rsplit("#", 1)[-1] == code, body
    assert body.get("message", body.get("Message")) == message, body


VALIDATION = "ValidationException"
NOT_FOUND = "ResourceNotFoundException"
START_INVALID = "The provided starting key is invalid: "
EMPTY_VALUE = ("Supplied AttributeValue is empty, must contain exactly one of the supported "
               "datatypes")
MISMATCH = "The provided key element does not match the schema"

SCAN_ROWS = [
    ("scan.js: should return ValidationException if expression and non-expression",
     {"TableName": "abc", "ScanFilter": {"a": {"ComparisonOperator": "EQ",
                                                 "AttributeValueList": [{}]}},
      "Segment": 1, "Limit": 1, "AttributesToGet": ["a", "a"], "ExclusiveStartKey": {"a": {}},
      "ConditionalOperator": "OR", "Select": "SPECIFIC_ATTRIBUTES", "FilterExpression": "",
      "ProjectionExpression": "", "ExpressionAttributeNames": {}, "ExpressionAttributeValues": {}},
     VALIDATION, "Can not use both expression and non-expression parameters in the same request: "
     "Non-expression parameters: {AttributesToGet, ScanFilter, ConditionalOperator} "
     "Expression parameters: {ProjectionExpression, FilterExpression}"),
    ("scan.js: should return ValidationException if ExpressionAttributeNames but no "
     "FilterExpression",
     {"TableName": "abc", "ScanFilter": {"a": {"ComparisonOperator": "EQ",
                                                 "AttributeValueList": [{}]}},
      "Segment": 1, "Limit": 1, "AttributesToGet": ["a", "a"], "ExclusiveStartKey": {"a": {}},
      "ConditionalOperator": "OR", "Select": "SPECIFIC_ATTRIBUTES",
      "ExpressionAttributeNames": {}, "ExpressionAttributeValues": {}},
     VALIDATION, "ExpressionAttributeNames can only be specified when using expressions"),
    ("scan.js: should return ValidationException if ExpressionAttributeValues but no "
     "FilterExpression",
     {"TableName": "abc", "ScanFilter": {"a": {"ComparisonOperator": "EQ",
                                                 "AttributeValueList": [{}]}},
      "Segment": 1, "Limit": 1, "AttributesToGet": ["a", "a"], "ExclusiveStartKey": {"a": {}},
      "ConditionalOperator": "OR", "Select": "SPECIFIC_ATTRIBUTES",
      "ExpressionAttributeValues": {}},
     VALIDATION, "ExpressionAttributeValues can only be specified when using expressions: "
     "FilterExpression is null"),
    ("scan.js: should return ValidationException for duplicate values in AttributesToGet",
     {"TableName": "abc", "Segment": 1, "ExclusiveStartKey": {"a": {}},
      "ScanFilter": {"a": {"ComparisonOperator": "EQ",
                           "AttributeValueList": [{}, {"a": ""}, {"S": ""}]}},
      "AttributesToGet": ["a", "a"]},
     VALIDATION, "One or more parameter values were invalid: Duplicate value in attribute name: a"),
    ("scan.js: should return ValidationException for bad attribute values in ScanFilter",
     {"TableName": "abc", "Segment": 1, "ExclusiveStartKey": {"a": {}},
      "ScanFilter": {"a": {"ComparisonOperator": "EQ", "AttributeValueList": [{}, {"S": ""}]}}},
     VALIDATION, EMPTY_VALUE),
    ("scan.js: should return ValidationException for invalid values in ScanFilter",
     {"TableName": "abc", "Segment": 1, "ExclusiveStartKey": {"a": {}},
      "ScanFilter": {"a": {"ComparisonOperator": "EQ",
                           "AttributeValueList": [{"N": "1"}, {"SS": ["a", "a"]}, {}]}}},
     VALIDATION, "One or more parameter values were invalid: Input collection [a, a] contains "
     "duplicates."),
    ("scan.js: should return ValidationException for empty/invalid numbers in ScanFilter",
     {"TableName": "abc", "Segment": 1, "ExclusiveStartKey": {"a": {}},
      "ScanFilter": {"a": {"ComparisonOperator": "EQ",
                           "AttributeValueList": [{"N": "1"}, {"S": "a", "N": "b"}]}}},
     VALIDATION, "The parameter cannot be converted to a numeric value: b"),
    ("scan.js: should return ValidationException for multiple datatypes in ScanFilter",
     {"TableName": "abc", "Segment": 1, "ExclusiveStartKey": {"a": {}},
      "ScanFilter": {"a": {"ComparisonOperator": "EQ",
                           "AttributeValueList": [{"N": "1"}, {"S": "a", "N": "1"}]}}},
     VALIDATION, "Supplied AttributeValue has more than one datatypes set, must contain exactly "
     "one of the supported datatypes"),
    ("scan.js: should return ValidationException for incorrect number of ScanFilter arguments",
     {"TableName": "abc", "Segment": 1, "ExclusiveStartKey": {"a": {}},
      "ScanFilter": {"a": {"ComparisonOperator": "EQ"}, "b": {"ComparisonOperator": "NULL"},
                     "c": {"ComparisonOperator": "NULL"}}},
     VALIDATION, "One or more parameter values were invalid: Invalid number of argument(s) for the "
     "EQ ComparisonOperator"),
    ("scan.js: should return ValidationException for invalid ComparisonOperator types",
     {"TableName": "abc", "Segment": 1, "ExclusiveStartKey": {"a": {}},
      "ScanFilter": {"a": {"ComparisonOperator": "LT", "AttributeValueList": [{"SS": ["a"]}]}}},
     VALIDATION, "One or more parameter values were invalid: ComparisonOperator LT is not valid "
     "for SS AttributeValue type"),
    ("scan.js: should return ValidationException for invalid BEGINS_WITH ComparisonOperator types",
     {"TableName": "abc", "Segment": 1, "ExclusiveStartKey": {"a": {}},
      "ScanFilter": {"a": {"ComparisonOperator": "BEGINS_WITH",
                           "AttributeValueList": [{"N": "1"}]}}},
     VALIDATION, "One or more parameter values were invalid: ComparisonOperator BEGINS_WITH is "
     "not valid for N AttributeValue type"),
    ("scan.js: should return ValidationException on ExclusiveStartKey if ScanFilter ok with EQ on "
     "type SS when table does not exist",
     {"TableName": "abc", "Segment": 1, "ExclusiveStartKey": {"a": {}},
      "ScanFilter": {"a": {"ComparisonOperator": "EQ", "AttributeValueList": [{"SS": ["a"]}]}}},
     VALIDATION, START_INVALID + EMPTY_VALUE),
    ("scan.js: should return ValidationException for unsupported datatype in ExclusiveStartKey",
     {"TableName": "abc", "Segment": 1, "FilterExpression": "", "ExpressionAttributeNames": {},
      "ExpressionAttributeValues": {}, "ExclusiveStartKey": {"a": {"L": [{"a": {}}]}}},
     VALIDATION, START_INVALID + EMPTY_VALUE),
    ("scan.js: should return ValidationException for invalid values in ExclusiveStartKey",
     {"TableName": "abc", "Segment": 1, "FilterExpression": "", "ExpressionAttributeNames": {},
      "ExpressionAttributeValues": {}, "ExclusiveStartKey": {"a": {"NS": []}}},
     VALIDATION, START_INVALID + "One or more parameter values were invalid: An number set  may "
     "not be empty"),
    ("scan.js: should return ValidationException for empty/invalid numbers in ExclusiveStartKey",
     {"TableName": "abc", "Segment": 1, "FilterExpression": "", "ExpressionAttributeNames": {},
      "ExpressionAttributeValues": {}, "ExclusiveStartKey": {"a": {"N": "1e126"}}},
     VALIDATION, START_INVALID + "Number overflow. Attempting to store a number with magnitude "
     "larger than supported range"),
    ("scan.js: should return ValidationException for multiple datatypes in ExclusiveStartKey",
     {"TableName": "abc", "TotalSegments": 1, "FilterExpression": "",
      "ExpressionAttributeNames": {}, "ExpressionAttributeValues": {},
      "ExclusiveStartKey": {"a": {"S": "a", "N": "1"}}},
     VALIDATION, START_INVALID + "Supplied AttributeValue has more than one datatypes set, must "
     "contain exactly one of the supported datatypes"),
    ("scan.js: should return ValidationException for missing TotalSegments",
     {"TableName": "abc", "Segment": 1, "FilterExpression": "", "ExpressionAttributeNames": {},
      "ExpressionAttributeValues": {}},
     VALIDATION, "The TotalSegments parameter is required but was not present in the request "
     "when Segment parameter is present"),
    ("scan.js: should return ValidationException for missing Segment",
     {"TableName": "abc", "TotalSegments": 1, "FilterExpression": "",
      "ExpressionAttributeNames": {}, "ExpressionAttributeValues": {}},
     VALIDATION, "The Segment parameter is required but was not present in the request when "
     "parameter TotalSegments is present"),
    ("scan.js: should return ValidationException for Segment more than TotalSegments",
     {"TableName": "abc", "Segment": 1, "TotalSegments": 1, "FilterExpression": "",
      "ExpressionAttributeNames": {}, "ExpressionAttributeValues": {}},
     VALIDATION, "The Segment parameter is zero-based and must be less than parameter "
     "TotalSegments: Segment: 1 is not less than TotalSegments: 1"),
    ("scan.js: should return ValidationException for empty ExpressionAttributeNames",
     {"TableName": "abc", "FilterExpression": "", "ExpressionAttributeNames": {},
      "ExpressionAttributeValues": {}},
     VALIDATION, "ExpressionAttributeNames must not be empty"),
    ("scan.js: should return ValidationException for invalid ExpressionAttributeNames",
     {"TableName": "abc", "FilterExpression": "", "ExpressionAttributeNames": {"a": "a"},
      "ExpressionAttributeValues": {}},
     VALIDATION, 'ExpressionAttributeNames contains invalid key: Syntax error; key: "a"'),
    ("scan.js: should return ValidationException for empty ExpressionAttributeValues",
     {"TableName": "abc", "FilterExpression": "", "ExpressionAttributeValues": {}},
     VALIDATION, "ExpressionAttributeValues must not be empty"),
    ("scan.js: should return ValidationException for invalid ExpressionAttributeValues",
     {"TableName": "abc", "FilterExpression": "", "ExpressionAttributeValues": {"a": {"S": "b"}}},
     VALIDATION, 'ExpressionAttributeValues contains invalid key: Syntax error; key: "a"'),
    ("scan.js: should return ValidationException for empty FilterExpression",
     {"TableName": "abc", "FilterExpression": "", "ProjectionExpression": "",
      "ExpressionAttributeValues": {":0": {"S": "b"}}},
     VALIDATION, "Invalid FilterExpression: The expression can not be empty;"),
    ("scan.js: should return ValidationException for empty ProjectionExpression",
     {"TableName": "abc", "FilterExpression": "a > b", "ProjectionExpression": ""},
     VALIDATION, "Invalid ProjectionExpression: The expression can not be empty;"),
    ("scan.js: should return ValidationException for redundant parentheses",
     {"TableName": "abc", "FilterExpression": "a=a and a > ((views))"},
     VALIDATION, "Invalid FilterExpression: The expression has redundant parentheses;"),
    ("scan.js: should return ValidationException for invalid function names",
     {"TableName": "abc", "FilterExpression": "a=a and whatever((:things)) > a"},
     VALIDATION, "Invalid FilterExpression: Invalid function name; function: whatever"),
    ("scan.js: should return ValidationException for reserved keywords",
     {"TableName": "abc", "FilterExpression": ":a < abOrT"},
     VALIDATION, "Invalid FilterExpression: Attribute name is a reserved keyword; reserved "
     "keyword: abOrT"),
    ("scan.js: should return ValidationException for missing attribute names",
     {"TableName": "abc", "FilterExpression": "#4g > a"},
     VALIDATION, "Invalid FilterExpression: An expression attribute name used in the document "
     "path is not defined; attribute name: #4g"),
    ("scan.js: should return ValidationException for missing attribute values",
     {"TableName": "abc", "FilterExpression": ":a < :b"},
     VALIDATION, "Invalid FilterExpression: An expression attribute value used in expression is "
     "not defined; attribute value: :a"),
    ("scan.js: should return ValidationException for functions with incorrect operands",
     {"TableName": "abc", "FilterExpression": "size(things, a) > b"},
     VALIDATION, "Invalid FilterExpression: Incorrect number of operands for operator or "
     "function; operator or function: size, number of operands: 2"),
    ("scan.js: should return ValidationException for functions with incorrect operand type",
     {"TableName": "abc", "FilterExpression": "begins_with(:a, a)",
      "ExpressionAttributeValues": {":a": {"N": "1"}}},
     VALIDATION, "Invalid FilterExpression: Incorrect operand type for operator or function; "
     "operator or function: begins_with, operand type: N"),
    ("scan.js: should return ValidationException for functions with attr values instead of paths",
     {"TableName": "abc", "FilterExpression": "attribute_exists(:a) and a=a",
      "ExpressionAttributeValues": {":a": {"S": "1"}}},
     VALIDATION, "Invalid FilterExpression: Operator or function requires a document path; "
     "operator or function: attribute_exists"),
    ("scan.js: should return ValidationException for non-distinct expressions",
     {"TableName": "abc", "FilterExpression": "contains(ab.bc[1].a, ab.bc[1].#a)",
      "ExpressionAttributeNames": {"#a": "a"}},
     VALIDATION, "Invalid FilterExpression: The first operand must be distinct from the remaining "
     "operands for this operator or function; operator: contains, first operand: "
     "[ab, bc, [1], a]"),
    ("scan.js: should check table exists before checking key validity",
     {"TableName": "abc", "ExclusiveStartKey": {"a": {"S": "a"}, "b": {"S": "a"}}},
     NOT_FOUND, "Requested resource not found"),
    ("scan.js: should return ValidationException if unknown index and bad ExclusiveStartKey in "
     "hash table",
     {"TableName": "HASH", "IndexName": "whatever", "FilterExpression": "attribute_exists(a.b.c)",
      "ExclusiveStartKey": {"z": {"S": "a"}, "y": {"S": "a"}, "x": {"S": "a"}}},
     VALIDATION, "The table does not have the specified index: whatever"),
    ("scan.js: should return ValidationException if unknown index and bad ExclusiveStartKey in "
     "range table",
     {"TableName": "RANGE", "IndexName": "whatever", "FilterExpression": "attribute_exists(a.b.c)",
      "ExclusiveStartKey": {"z": {"S": "a"}}},
     VALIDATION, "The table does not have the specified index: whatever"),
    *[("scan.js: should return ValidationException if ExclusiveStartKey is invalid for local "
       "index", {"TableName": "RANGE", "IndexName": "index1", "ExclusiveStartKey": start},
       VALIDATION, "The provided starting key is invalid")
      for start in [{}, {"z": {"N": "1"}}, {"a": {"S": "a"}, "b": {"S": "a"}},
                    {"a": {"S": "a"}, "c": {"N": "1"}},
                    {"a": {"S": "a"}, "b": {"S": "1"}, "c": {"S": "1"}, "d": {"S": "1"}}]],
    *[("scan.js: should return ValidationException if ExclusiveStartKey is invalid for global "
       "index", {"TableName": "RANGE", "IndexName": "index3", "ExclusiveStartKey": start},
       VALIDATION, "The provided starting key is invalid")
      for start in [{}, {"c": {"N": "1"}}, {"a": {"S": "a"}, "b": {"S": "a"}, "z": {"S": "a"}},
                    {"a": {"S": "a"}, "b": {"S": "a"}, "c": {"S": "a"}, "z": {"S": "a"}}]],
    ("scan.js: should return ValidationException if global range in ExclusiveStartKey is invalid",
     {"TableName": "RANGE", "IndexName": "index4", "Select": "ALL_ATTRIBUTES",
      "ExclusiveStartKey": {"a": {"N": "1"}, "b": {"N": "1"}, "c": {"S": "1"}, "e": {"N": "1"}}},
     VALIDATION, "The provided starting key is invalid"),
    ("scan.js: should return ValidationException for specifying ALL_ATTRIBUTES when global index "
     "does not have ALL",
     {"TableName": "RANGE", "FilterExpression": "attribute_exists(a.b.c)", "IndexName": "index4",
      "Select": "ALL_ATTRIBUTES",
      "ExclusiveStartKey": {"x": {"N": "1"}, "y": {"N": "1"}, "c": {"S": "a"}, "d": {"S": "a"}}},
     VALIDATION, "One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not "
     "supported for global secondary index index4 because its projection type is not ALL"),
    *[("scan.js: should return ValidationException if ExclusiveStartKey does not match schema for "
       "local index", {"TableName": "RANGE", "IndexName": "index1", "ExclusiveStartKey": start},
       VALIDATION, MISMATCH)
      for start in [{"a": {"N": "1"}, "x": {"S": "1"}, "y": {"S": "1"}},
                    {"a": {"S": "a"}, "b": {"S": "a"}, "c": {"N": "1"}}]],
    ("scan.js: should return ValidationException if ExclusiveStartKey does not match schema for "
     "global index",
     {"TableName": "RANGE", "IndexName": "index3",
      "ExclusiveStartKey": {"x": {"S": "1"}, "y": {"S": "1"}, "c": {"N": "1"}}},
     VALIDATION, MISMATCH),
    ("scan.js: should return ValidationException if ExclusiveStartKey does not match schema for "
     "global compound index",
     {"TableName": "RANGE", "IndexName": "index4",
      "ExclusiveStartKey": {"x": {"N": "1"}, "y": {"N": "1"}, "c": {"N": "1"}, "d": {"S": "1"}}},
     VALIDATION, MISMATCH),
    *[("scan.js: should return ValidationException if ExclusiveStartKey does not match schema",
       {"TableName": "HASH", "FilterExpression": "attribute_exists(a.b.c)",
        "ExclusiveStartKey": start}, VALIDATION, START_INVALID + MISMATCH)
      for start in [{}, {"b": {"S": "a"}}, {"a": {"S": "a"}, "b": {"S": "a"}}, {"a": {"N": "1"}},
                    {"a": {"M": {}}}]],
    *[("scan.js: should return ValidationException if ExclusiveStartKey for range table is "
       "invalid", {"TableName": "RANGE", "ExclusiveStartKey": start}, VALIDATION,
       START_INVALID + MISMATCH)
      for start in [{}, {"z": {"N": "1"}}, {"a": {"S": "a"}},
                    {"a": {"N": "1"}, "b": {"N": "1"}, "z": {"N": "1"}},
                    {"a": {"S": "a"}, "b": {"S": "1"}, "c": {"S": "1"}},
                    {"a": {"S": "a"}, "b": {"N": "1"}}]],
    *[("scan.js: should return ValidationException if range in ExclusiveStartKey is invalid, but "
       "hash and local are ok", {"TableName": "RANGE", "IndexName": "index1",
                                 "ExclusiveStartKey": start}, VALIDATION, START_INVALID + MISMATCH)
      for start in [{"a": {"S": "1"}, "b": {"N": "1"}, "c": {"S": "a"}}]],
    *[("scan.js: should return ValidationException if global hash in ExclusiveStartKey but bad in "
       "query", {"TableName": "RANGE", "IndexName": "index3", "ExclusiveStartKey": start},
       VALIDATION, START_INVALID + MISMATCH)
      for start in [{"x": {"N": "1"}, "y": {"N": "1"}, "c": {"S": "a"}},
                    {"a": {"S": "1"}, "b": {"N": "1"}, "c": {"S": "a"}}]],
    *[("scan.js: should return ValidationException if global range in ExclusiveStartKey but bad "
       "in query", {"TableName": "RANGE", "IndexName": "index4", "ExclusiveStartKey": start},
       VALIDATION, START_INVALID + MISMATCH)
      for start in [{"x": {"N": "1"}, "y": {"N": "1"}, "c": {"S": "a"}, "d": {"S": "a"}},
                    {"a": {"S": "1"}, "b": {"N": "1"}, "c": {"S": "a"}, "d": {"S": "a"}}]],
    *[("scan.js: should return ValidationException for non-scalar key access",
       {"TableName": "HASH", "FilterExpression": expression,
        "ExpressionAttributeNames": {"#a": "a"}},
       VALIDATION, "Key attributes must be scalars; list random access '[]' and map lookup '.' "
       "are not allowed: Key: a")
      for expression in ["attribute_exists(a.b.c) and #a = b", "attribute_exists(#a.b.c)",
                         "attribute_exists(#a[0])"]],
]


@pytest.mark.parametrize("source,request_body,code,message", SCAN_ROWS,
                         ids=[f"{i}" for i in range(len(SCAN_ROWS))])
def test_scan_errors(server, tables, source, request_body, code, message):
    check(server, tables, "Scan", request_body, code, message)


def both(source, request, code, message, *, legacy, expression, values):
    """The same Query row with KeyConditions and with KeyConditionExpression."""
    return [(source, {**request, "KeyConditions": legacy}, code, message),
            (source, {**request, "KeyConditionExpression": expression,
                      "ExpressionAttributeValues": values}, code, message)]


def eq(value):
    return {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": value}]}


def op(name, value):
    return {"ComparisonOperator": name, "AttributeValueList": [{"S": value}]}


OUTSIDE = "The provided starting key is outside query boundaries based on provided conditions"
PREDICATE = "The provided starting key does not match the range key predicate"
ONE_ROW = "The query can return at most one row and cannot be restarted"
B = {":a": {"S": "b"}}

QUERY_ROWS = [
    *both("query.js: should return ValidationException for ExclusiveStartKey with out-of-bounds "
          "hash key",
          {"TableName": "RANGE", "ExclusiveStartKey": {"a": {"S": "a"}, "b": {"S": "a"}}},
          VALIDATION, OUTSIDE, legacy={"a": eq("b")}, expression="a = :a", values=B),
    *both("query.js: should return ValidationException for ExclusiveStartKey with local index and "
          "out-of-bounds hash key",
          {"TableName": "RANGE", "IndexName": "index1",
           "ExclusiveStartKey": {"a": {"S": "a"}, "b": {"S": "a"}, "c": {"S": "a"}}},
          VALIDATION, OUTSIDE, legacy={"a": eq("b")}, expression="a = :a", values=B),
    *both("query.js: should return ValidationException if global hash in ExclusiveStartKey but "
          "outside range",
          {"TableName": "RANGE", "IndexName": "index3",
           "ExclusiveStartKey": {"a": {"S": "a"}, "b": {"S": "a"}, "c": {"S": "a"}}},
          VALIDATION, OUTSIDE, legacy={"c": eq("b")}, expression="c = :a", values=B),
    *both("query.js: should return ValidationException if second global hash in ExclusiveStartKey "
          "but outside range",
          {"TableName": "RANGE", "IndexName": "index4",
           "ExclusiveStartKey": {"a": {"S": "a"}, "b": {"S": "a"}, "c": {"S": "a"},
                                 "d": {"S": "a"}}},
          VALIDATION, OUTSIDE, legacy={"c": eq("b")}, expression="c = :a", values=B),
    *both("query.js: should return ValidationException for ExclusiveStartKey with non-matching "
          "range key",
          {"TableName": "RANGE", "ExclusiveStartKey": {"a": {"S": "a"}, "b": {"S": "a"}}},
          VALIDATION, PREDICATE, legacy={"a": eq("b"), "b": op("GT", "a")},
          expression="a = :a and b > :a", values=B),
    *both("query.js: should return ValidationException for ExclusiveStartKey with local index and "
          "not matching predicate",
          {"TableName": "RANGE", "IndexName": "index1",
           "ExclusiveStartKey": {"a": {"S": "a"}, "b": {"S": "a"}, "c": {"S": "a"}}},
          VALIDATION, PREDICATE, legacy={"a": eq("a"), "c": op("GT", "a")},
          expression="a = :a and c > :a", values=B),
    *[row for start in [{"a": {"S": "a"}, "b": {"S": "a"}, "c": {"S": "a"}, "d": {"S": "a"}},
                        {"a": {"S": "a"}, "b": {"S": "a"}, "c": {"S": "b"}, "d": {"S": "a"}}]
      for row in both("query.js: should return ValidationException if global hash in "
                      "ExclusiveStartKey but not matching predicate",
                      {"TableName": "RANGE", "IndexName": "index4", "ExclusiveStartKey": start},
                      VALIDATION, PREDICATE, legacy={"c": eq("a"), "d": op("GT", "a")},
                      expression="c = :a and d > :a", values=B)],
    *both("query.js: should return ValidationException for ExclusiveStartKey with matching range "
          "but non-matching hash key",
          {"TableName": "RANGE", "ExclusiveStartKey": {"a": {"S": "a"}, "b": {"S": "a"}}},
          VALIDATION, ONE_ROW, legacy={"a": eq("b"), "b": op("LT", "b")},
          expression="a = :a and b < :a", values=B),
    *[("query.js: should return ValidationException if global hash in ExclusiveStartKey but exact "
       "match", {"TableName": "RANGE", "IndexName": "index4", "ExclusiveStartKey": start,
                 "KeyConditions": {"c": eq("a"), "d": eq("a")}}, VALIDATION, ONE_ROW)
      for start in [{"a": {"S": "a"}, "b": {"S": "a"}, "c": {"S": "c"}, "d": {"S": "a"}},
                    {"a": {"S": "a"}, "b": {"S": "a"}, "c": {"S": "b"}, "d": {"S": "a"}}]],
    ("query.js: should return ValidationException if hash key in QueryFilter",
     {"TableName": "HASH", "KeyConditions": {"a": eq("a")}, "QueryFilter": {"a": eq("a")}},
     VALIDATION, "QueryFilter can only contain non-primary key attributes: Primary key "
     "attribute: a"),
    *[("query.js: should return ValidationException if hash key in FilterExpression",
       {"TableName": "HASH", "FilterExpression": expression, "KeyConditionExpression": "a = :a",
        "ExpressionAttributeValues": {":a": {"S": "1"}, ":b": {"N": "1"}}},
       VALIDATION, "Filter Expression can only contain non-primary key attributes: Primary key "
       "attribute: a") for expression in ["attribute_exists(a.b) AND b = :b", "a = :b",
                                          "a[1] = :b"]],
    ("query.js: should return ValidationException if range key in QueryFilter",
     {"TableName": "RANGE", "KeyConditions": {"a": eq("a")}, "QueryFilter": {"b": eq("a")}},
     VALIDATION, "QueryFilter can only contain non-primary key attributes: Primary key "
     "attribute: b"),
    ("query.js: should return ValidationException if global range key in QueryFilter",
     {"TableName": "RANGE", "IndexName": "index4", "Select": "ALL_ATTRIBUTES",
      "KeyConditions": {"c": eq("a")}, "QueryFilter": {"d": eq("a")}},
     VALIDATION, "QueryFilter can only contain non-primary key attributes: Primary key "
     "attribute: d"),
    *[("query.js: should return ValidationException if range key in FilterExpression",
       {"TableName": "RANGE", "FilterExpression": expression, "KeyConditionExpression": "a = :a",
        "ExpressionAttributeValues": {":a": {"S": "1"}, ":b": {"N": "1"}}},
       VALIDATION, "Filter Expression can only contain non-primary key attributes: Primary key "
       "attribute: b") for expression in ["attribute_exists(b.c) AND c = :b", "b = :b",
                                          "b[1] = :b"]],
    *[("query.js: should return ValidationException for non-scalar index access in "
       "FilterExpression",
       {"TableName": "RANGE", "FilterExpression": expression, "KeyConditionExpression": "a = :a",
        "ExpressionAttributeValues": {":a": {"S": "1"}, ":b": {"N": "1"}}},
       VALIDATION, "Key attributes must be scalars; list random access '[]' and map lookup '.' "
       "are not allowed: IndexKey: d")
      for expression in ["attribute_exists(d.c) AND c = :b", "d[1] = :b"]],
    ("query.js: should return ValidationException for specifying ALL_ATTRIBUTES when global index "
     "does not have ALL (QueryFilter)",
     {"TableName": "RANGE", "IndexName": "index4", "Select": "ALL_ATTRIBUTES",
      "ExclusiveStartKey": {"a": {"S": "a"}, "b": {"S": "b"}, "c": {"S": "a"}, "d": {"S": "b"}},
      "KeyConditions": {"c": eq("a")},
      "QueryFilter": {"a": {"ComparisonOperator": "EQ", "AttributeValueList": [{"N": "1"}]}}},
     VALIDATION, "One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not "
     "supported for global secondary index index4 because its projection type is not ALL"),
    ("query.js: should return ValidationException for specifying ALL_ATTRIBUTES when global index "
     "does not have ALL (expression; wins over the non-scalar key path a.b)",
     {"TableName": "RANGE", "IndexName": "index4", "Select": "ALL_ATTRIBUTES",
      "ExclusiveStartKey": {"a": {"S": "a"}, "b": {"S": "b"}, "c": {"S": "a"}, "d": {"S": "b"}},
      "KeyConditionExpression": "c = :a", "FilterExpression": "a = :b and a.b = :a",
      "ExpressionAttributeValues": {":a": {"S": "a"}, ":b": {"N": "1"}}},
     VALIDATION, "One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not "
     "supported for global secondary index index4 because its projection type is not ALL"),
]


@pytest.mark.parametrize("source,request_body,code,message", QUERY_ROWS,
                         ids=[f"{i}" for i in range(len(QUERY_ROWS))])
def test_query_errors(server, tables, source, request_body, code, message):
    check(server, tables, "Query", request_body, code, message)


def outliers_segment(key: str, total: int) -> int:
    """dynalite's model of DynamoDB's partition hash (db/index.js hashPrefix): MD5 over
    "Outliers" + the key's UTF-8 bytes; the first 12 bits split evenly (actions/scan.js)."""
    import hashlib
    return int(hashlib.md5(b"Outliers" + key.encode()).hexdigest()[:3], 16) * total >> 12


def test_scan_segments_follow_the_partition_hash(server, tables):
    """scan.js: should return ValidationException if ExclusiveStartKey is from different segment
    (10 items a=0..9; segment 1 of 2's first item restarts segment 0 -> error)."""
    table = tables["HASH"]
    status, _ = raw(server, "BatchWriteItem", {"RequestItems": {table: [
        {"PutRequest": {"Item": {"a": {"S": f"seg{i}"}}}} for i in range(10)]}})
    assert status == 200
    for total in (2, 3, 7):
        for segment in range(total):
            status, body = raw(server, "Scan", {"TableName": table, "Segment": segment,
                                                 "TotalSegments": total})
            assert status == 200
            got = sorted(i["a"]["S"] for i in body["Items"] if i["a"]["S"].startswith("seg"))
            assert got == sorted(f"seg{i}" for i in range(10)
                                 if outliers_segment(f"seg{i}", total) == segment)
    status, body = raw(server, "Scan", {"TableName": table, "Segment": 1, "TotalSegments": 2})
    assert body["Count"] > 0
    check(server, tables, "Scan", {"TableName": "HASH", "Segment": 0, "TotalSegments": 2,
                                   "FilterExpression": "attribute_exists(a.b.c)",
                                   "ExclusiveStartKey": {"a": body["Items"][0]["a"]}},
          VALIDATION, START_INVALID + "Invalid ExclusiveStartKey. Please use ExclusiveStartKey "
          "with correct Segment. TotalSegments: 2 Segment: 0")


def test_query_response_shapes(server, tables):
    """query.js: should query a hash table when empty / with items (exact bodies)."""
    status, body = raw(server, "Query", {
        "TableName": tables["HASH"], "KeyConditionExpression": "a = :a",
        "ExpressionAttributeValues": {":a": {"S": "absent"}}, "ConsistentRead": False,
        "ReturnConsumedCapacity": "NONE", "ScanIndexForward": True, "Select": "ALL_ATTRIBUTES"})
    assert (status, body) == (200, {"Count": 0, "ScannedCount": 0, "Items": []})
    item = {"a": {"S": "present"}, "b": {"N": "5"}}
    raw(server, "PutItem", {"TableName": tables["HASH"], "Item": item})
    status, body = raw(server, "Query", {
        "TableName": tables["HASH"], "QueryFilter": {}, "ConsistentRead": True,
        "KeyConditions": {"a": {"ComparisonOperator": "EQ", "AttributeValueList": [item["a"]]}}})
    assert (status, body) == (200, {"Count": 1, "ScannedCount": 1, "Items": [item]})
