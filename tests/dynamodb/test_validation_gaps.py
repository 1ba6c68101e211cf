"""Validations that used to let bad requests through: index key sizes on writes (and the backfill
that skips what it cannot index), duplicate attribute definitions and projected attributes, a
conflicting type redeclared by UpdateTable, empty ExpressionAttributeNames values, Scan capacity
on large items. Raw awsJson where `__type` matters or boto3 would refuse the request itself.

Sources, per test: DG "Detecting and correcting index key violations" (backfill skips, later
writes refused); dynalite db/index.js checkKeySize (texts recorded against AWS); scylladb issue
#13870 and ack-api-quirks DDB-TABLE-442 (live AWS texts); paritysuite/dynamodb-conformance issue
#78 (a conflicting redeclaration of an attribute the new index does not key on is accepted,
characterised against AWS), scylladb test_gsi_updatetable.py (one the new GSI keys on is refused,
run against AWS); DG "Read consumption" for
Scan capacity (item sizes summed, rounded up to 4 KB once).
"""

from __future__ import annotations

import base64
import json
import time

import pytest

from tests.dynamodb.helpers import CREATE_SECONDS, DDB_NS, VALIDATE_NS, raw
from tests.kit import AUTH, post

VALIDATION = VALIDATE_NS + "ValidationException"
INVALID = "One or more parameter values were invalid: "
HASH_TOO_BIG = INVALID + "Size of hashkey has exceeded the maximum size limit of2048 bytes"
RANGE_TOO_BIG = (INVALID + "Aggregated size of all range keys has exceeded the size limit of "
                 "1024 bytes")


def ad(*pairs):
    return [{"AttributeName": n, "AttributeType": t} for n, t in pairs]


def ks(hash_name, range_name=None):
    out = [{"AttributeName": hash_name, "KeyType": "HASH"}]
    if range_name:
        out.append({"AttributeName": range_name, "KeyType": "RANGE"})
    return out


def refused(server, operation, body) -> str:
    status, doc = raw(server, operation, body)
    assert (status, doc["__type"]) == (400, VALIDATION), doc
    return doc["message"]


def ok(server, operation, body) -> dict:
    status, doc = raw(server, operation, body)
    assert status == 200, doc
    return doc


@pytest.fixture(scope="module")
def indexed(server):
    """Table a/b with GSI g/h (KEYS_ONLY), GSI bin on binary x, LSI a/l."""
    ok(server, "CreateTable", {
        "TableName": "GapsIndexed", "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": ad(("a", "S"), ("b", "S"), ("g", "S"), ("h", "S"), ("x", "B"),
                                   ("l", "S")),
        "KeySchema": ks("a", "b"),
        "GlobalSecondaryIndexes": [
            {"IndexName": "gsi", "KeySchema": ks("g", "h"),
             "Projection": {"ProjectionType": "KEYS_ONLY"}},
            {"IndexName": "bin", "KeySchema": ks("x"), "Projection": {"ProjectionType": "ALL"}}],
        "LocalSecondaryIndexes": [
            {"IndexName": "lsi", "KeySchema": ks("a", "l"),
             "Projection": {"ProjectionType": "ALL"}}]})
    server.advance(CREATE_SECONDS)
    return "GapsIndexed"


def b64(size: int) -> str:
    return base64.b64encode(b"x" * size).decode()


def item(**extra):
    return {"a": {"S": "p"}, "b": {"S": "s"}, **extra}


# -- index key sizes on writes ----------------------------------------------------------------
@pytest.mark.parametrize("extra, message", [
    ({"g": {"S": "x" * 2049}}, HASH_TOO_BIG),
    ({"g": {"S": "é" * 1025}}, HASH_TOO_BIG),            # UTF-8 bytes, not characters
    ({"g": {"S": "g"}, "h": {"S": "x" * 1025}}, RANGE_TOO_BIG),
    ({"l": {"S": "x" * 1025}}, RANGE_TOO_BIG),            # an LSI's sort key
    ({"x": {"B": b64(2049)}}, HASH_TOO_BIG),              # decoded bytes count
])
def test_put_item_refuses_an_oversized_index_key(server, indexed, extra, message):
    assert refused(server, "PutItem", {"TableName": indexed, "Item": item(**extra)}) == message
    assert "Item" not in ok(server, "GetItem", {"TableName": indexed,
                                               "Key": {"a": {"S": "p"}, "b": {"S": "s"}}})


def test_index_keys_at_the_limits_are_accepted(server, indexed):
    full = item(g={"S": "x" * 2048}, h={"S": "y" * 1024}, l={"S": "z" * 1024},
                x={"B": b64(2048)})
    ok(server, "PutItem", {"TableName": indexed, "Item": {**full, "a": {"S": "limits"}}})
    found = ok(server, "Query", {"TableName": indexed, "IndexName": "gsi",
                                 "KeyConditionExpression": "g = :g",
                                 "ExpressionAttributeValues": {":g": {"S": "x" * 2048}}})
    assert found["Count"] == 1


def test_update_item_refuses_an_oversized_index_key(server, indexed):
    key = {"a": {"S": "upd"}, "b": {"S": "s"}}
    body = {"TableName": indexed, "Key": key, "UpdateExpression": "SET g = :v",
            "ExpressionAttributeValues": {":v": {"S": "x" * 2049}}}
    assert refused(server, "UpdateItem", body) == HASH_TOO_BIG
    assert "Item" not in ok(server, "GetItem", {"TableName": indexed, "Key": key})


def test_a_transaction_cancels_on_an_oversized_index_key(server, indexed):
    status, doc = raw(server, "TransactWriteItems", {"TransactItems": [
        {"Put": {"TableName": indexed, "Item": item(a={"S": "tx"}, g={"S": "x" * 2049})}}]})
    assert (status, doc["__type"]) == (400, DDB_NS + "TransactionCanceledException")
    assert doc["CancellationReasons"] == [{"Code": "ValidationError", "Message": HASH_TOO_BIG}]


def test_backfill_skips_items_that_violate_the_new_index_key(server, ddb, unique):
    name = unique("Backfill")
    ok(server, "CreateTable", {"TableName": name, "BillingMode": "PAY_PER_REQUEST",
                               "AttributeDefinitions": ad(("id", "S")), "KeySchema": ks("id")})
    server.advance(CREATE_SECONDS)
    rows = {"fits": {"S": "g1"}, "too-long": {"S": "g" * 2049}, "empty": {"S": ""},
            "number": {"N": "1"}}
    for key, value in rows.items():
        ok(server, "PutItem", {"TableName": name, "Item": {"id": {"S": key}, "g": value}})
    ok(server, "UpdateTable", {
        "TableName": name, "AttributeDefinitions": ad(("g", "S")),
        "GlobalSecondaryIndexUpdates": [{"Create": {"IndexName": "by_g", "KeySchema": ks("g"),
                                                    "Projection": {"ProjectionType": "ALL"}}}]})
    server.advance(60)
    table = ddb.describe_table(TableName=name)["Table"]
    assert table["GlobalSecondaryIndexes"][0]["IndexStatus"] == "ACTIVE"
    indexed_ids = [i["id"]["S"] for i in ok(server, "Scan", {"TableName": name,
                                                             "IndexName": "by_g"})["Items"]]
    assert indexed_ids == ["fits"]
    assert ok(server, "Scan", {"TableName": name, "Select": "COUNT"})["Count"] == 4
    # after the backfill, a write that violates the index key is refused
    assert refused(server, "PutItem", {"TableName": name, "Item": {
        "id": {"S": "later"}, "g": {"S": "g" * 2049}}}) == HASH_TOO_BIG


# -- duplicate and conflicting definitions -------------------------------------------------------
@pytest.mark.parametrize("definitions", [
    ad(("a", "S"), ("a", "S")),
    ad(("a", "S"), ("a", "N")),
])
def test_duplicate_attribute_definitions(server, unique, definitions):
    assert refused(server, "CreateTable", {
        "TableName": unique("Dup"), "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": definitions, "KeySchema": ks("a")}) == (
        "Attribute Name is duplicated: a")


def test_duplicate_non_key_attributes(server, unique):
    assert refused(server, "CreateTable", {
        "TableName": unique("DupProj"), "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": ad(("a", "S"), ("g", "S")), "KeySchema": ks("a"),
        "GlobalSecondaryIndexes": [{"IndexName": "gsi", "KeySchema": ks("g"),
                                    "Projection": {"ProjectionType": "INCLUDE",
                                                   "NonKeyAttributes": ["x", "y", "x"]}}]}) == (
        INVALID + "Duplicate element in NonKeyAttributes: x")


def test_another_index_key_may_be_projected(server, unique):
    # scylladb test_gsi.py test_gsi_projection_include_otherkey (run against AWS)
    ok(server, "CreateTable", {
        "TableName": unique("OtherKey"), "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": ad(("a", "S"), ("g", "S"), ("h", "S")), "KeySchema": ks("a"),
        "GlobalSecondaryIndexes": [
            {"IndexName": "by_g", "KeySchema": ks("g"),
             "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["h", "z"]}},
            {"IndexName": "by_h", "KeySchema": ks("h"),
             "Projection": {"ProjectionType": "KEYS_ONLY"}}]})


def test_update_table_keeps_the_existing_type_of_a_redeclared_attribute(server, ddb, unique):
    name = unique("Redeclare")
    ok(server, "CreateTable", {"TableName": name, "BillingMode": "PAY_PER_REQUEST",
                               "AttributeDefinitions": ad(("id", "S")), "KeySchema": ks("id")})
    server.advance(CREATE_SECONDS)
    ok(server, "UpdateTable", {
        "TableName": name, "AttributeDefinitions": ad(("id", "N"), ("g", "S")),
        "GlobalSecondaryIndexUpdates": [{"Create": {"IndexName": "by_g", "KeySchema": ks("g"),
                                                    "Projection": {"ProjectionType": "ALL"}}}]})
    server.advance(60)
    definitions = ddb.describe_table(TableName=name)["Table"]["AttributeDefinitions"]
    assert {d["AttributeName"]: d["AttributeType"] for d in definitions} == {"id": "S", "g": "S"}
    ok(server, "PutItem", {"TableName": name, "Item": {"id": {"S": "still-a-string"}}})
    assert refused(server, "UpdateTable", {
        "TableName": name, "AttributeDefinitions": ad(("h", "S"), ("h", "S")),
        "GlobalSecondaryIndexUpdates": [{"Create": {"IndexName": "by_h", "KeySchema": ks("h"),
                                                    "Projection": {"ProjectionType": "ALL"}}}]}
    ) == "Attribute Name is duplicated: h"


def test_update_table_refuses_a_new_gsi_key_redefined_with_another_type(server, ddb, unique):
    """scylladb test_gsi_updatetable.py::test_gsi_key_type_conflict_on_update (run against AWS,
    its comment records the text): a new GSI keyed on `xyz`, which an existing GSI keys as S,
    with `xyz` redeclared as N is refused; nothing is created."""
    name = unique("Redefine")
    ok(server, "CreateTable", {
        "TableName": name, "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": ad(("p", "S"), ("xyz", "S")), "KeySchema": ks("p"),
        "GlobalSecondaryIndexes": [{"IndexName": "index1", "KeySchema": ks("xyz"),
                                    "Projection": {"ProjectionType": "ALL"}}]})
    server.advance(CREATE_SECONDS)
    assert refused(server, "UpdateTable", {
        "TableName": name, "AttributeDefinitions": ad(("xyz", "N")),
        "GlobalSecondaryIndexUpdates": [{"Create": {"IndexName": "index2", "KeySchema": ks("xyz"),
                                                    "Projection": {"ProjectionType": "ALL"}}}]}
    ) == (INVALID + "Attributes cannot be redefined. Please check that your attribute has the "
          "same type as previously defined. Existing schema: Schema:[SchemaElement: "
          "key{xyz:S:HASH}] New schema: Schema:[SchemaElement: key{xyz:N:HASH}]")
    table = ddb.describe_table(TableName=name)["Table"]
    assert [g["IndexName"] for g in table["GlobalSecondaryIndexes"]] == ["index1"]
    assert table["AttributeDefinitions"] == ad(("p", "S"), ("xyz", "S"))
    # the same type again is no redefinition: the index is created
    ok(server, "UpdateTable", {
        "TableName": name, "AttributeDefinitions": ad(("xyz", "S")),
        "GlobalSecondaryIndexUpdates": [{"Create": {"IndexName": "index2", "KeySchema": ks("xyz"),
                                                    "Projection": {"ProjectionType": "ALL"}}}]})


# -- empty names -------------------------------------------------------------------------------
@pytest.mark.parametrize("operation, body", [
    ("GetItem", {"Key": {"a": {"S": "p"}, "b": {"S": "s"}}, "ProjectionExpression": "#n"}),
    ("UpdateItem", {"Key": {"a": {"S": "p"}, "b": {"S": "s"}}, "UpdateExpression": "SET #n = :v",
                    "ExpressionAttributeValues": {":v": {"S": "v"}}}),
    ("Scan", {"FilterExpression": "attribute_exists(#n)"}),
])
def test_empty_expression_attribute_name(server, indexed, operation, body):
    request = {"TableName": indexed, **body, "ExpressionAttributeNames": {"#n": ""}}
    assert refused(server, operation, request) == (
        "ExpressionAttributeNames contains invalid value: Empty attribute name for key #n")


# -- capacity of a Scan over large items -------------------------------------------------------
def test_scan_capacity_on_large_items(server, unique):
    name = unique("Large")
    ok(server, "CreateTable", {"TableName": name, "BillingMode": "PAY_PER_REQUEST",
                               "AttributeDefinitions": ad(("id", "S")), "KeySchema": ks("id")})
    server.advance(CREATE_SECONDS)
    for i in range(4):  # 300,004-byte items: id 2+1, v 1+300,000
        ok(server, "PutItem", {"TableName": name,
                               "Item": {"id": {"S": str(i)}, "v": {"S": "x" * 300_000}}})
    first = ok(server, "Scan", {"TableName": name, "ReturnConsumedCapacity": "TOTAL",
                                "Select": "COUNT"})
    # the page ends once 1 MB has been read: the fourth item crosses it and is the last one read
    assert (first["Count"], first["ScannedCount"]) == (4, 4)
    assert "LastEvaluatedKey" in first
    # 4 x 300,004 bytes summed then rounded up to 4 KB once (293 units), halved when eventually
    # consistent; per-item rounding would give 4 x 74 = 296
    assert first["ConsumedCapacity"]["CapacityUnits"] == 146.5
    strong = ok(server, "Scan", {"TableName": name, "ReturnConsumedCapacity": "TOTAL",
                                 "Select": "COUNT", "ConsistentRead": True})
    assert strong["ConsumedCapacity"]["CapacityUnits"] == 293.0


# -- nesting: deep values are refused, never a 500 --------------------------------------------
NESTED = ("Nesting Levels have exceeded supported limits: Attributes in the item have nested "
          "levels beyond supported limit")


def nested_text(levels: int, kind: str) -> str:
    """An AttributeValue `levels` containers deep, as JSON text (json.dumps would need a higher
    recursion limit in this process than the test is about)."""
    head, tail = ('{"L":[', ']}') if kind == "L" else ('{"M":{"m":', '}}')
    return head * levels + '{"S":"x"}' + tail * levels


def raw_text(server, operation: str, text: str):
    status, _, body = post(server, text.encode(), {
        "Content-Type": "application/x-amz-json-1.0",
        "X-Amz-Target": f"DynamoDB_20120810.{operation}", "Authorization": AUTH.format(
            svc="dynamodb")})
    return status, json.loads(body)


@pytest.mark.parametrize("kind", ["L", "M"])
@pytest.mark.parametrize("levels", [32, 300, 510])  # 510: just inside the decoder's 1024 levels
def test_deeply_nested_values_are_refused_as_too_deep(server, indexed, kind, levels):
    # 31 wraps are the deepest AWS stores, 32 are refused (dynamodb-conformance nesting tests,
    # captured against AWS); far deeper values get the same answer rather than a server error
    value = nested_text(levels, kind)
    put = (f'{{"TableName":"{indexed}","Item":{{"a":{{"S":"deep"}},"b":{{"S":"s"}},'
           f'"n":{value}}}}}')
    status, doc = raw_text(server, "PutItem", put)
    assert (status, doc["__type"], doc["message"]) == (400, VALIDATION, NESTED)
    condition = (f'{{"TableName":"{indexed}","Item":{{"a":{{"S":"deep"}},"b":{{"S":"s"}}}},'
                 f'"ConditionExpression":"n = :v","ExpressionAttributeValues":{{":v":{value}}}}}')
    status, doc = raw_text(server, "PutItem", condition)
    assert (status, doc["__type"]) == (400, VALIDATION), doc
    assert doc["message"] == f"ExpressionAttributeValues contains invalid value: {NESTED} for key :v"


def test_an_update_may_not_deepen_a_document_beyond_the_limit(server, indexed):
    key = {"a": {"S": "deepen"}, "b": {"S": "s"}}
    ok(server, "PutItem", {"TableName": indexed, "Item": {**key, "n": json.loads(
        nested_text(30, "M"))}})
    path = "n." + ".".join(["m"] * 30)  # the innermost string, 31 levels down
    one_more = {"M": {"k": {"S": "y"}}}
    ok(server, "UpdateItem", {"TableName": indexed, "Key": key,
                              "UpdateExpression": f"SET {path} = :v",
                              "ExpressionAttributeValues": {":v": one_more}})
    deeper = {"M": {"k": {"M": {"z": {"S": "y"}}}}}
    body = {"TableName": indexed, "Key": key, "UpdateExpression": f"SET {path} = :v",
            "ExpressionAttributeValues": {":v": deeper}}
    assert refused(server, "UpdateItem", body) == NESTED
    status, doc = raw(server, "TransactWriteItems", {"TransactItems": [{"Update": body}]})
    assert (status, doc["__type"]) == (400, DDB_NS + "TransactionCanceledException")
    assert doc["CancellationReasons"] == [{"Code": "ValidationError", "Message": NESTED}]


# -- expression nesting: deep parentheses answer at once, never a server error ------------------
@pytest.mark.parametrize("condition, message", [
    # scylladb test_limits.py test_deeply_nested_expression_1 (run against AWS: a
    # ConditionExpression error); the syntax error AWS gives for unclosed parentheses
    ("(" * 4096, 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "("'),
    # test_deeply_nested_expression_3: "The expression has redundant parentheses"
    ("(" * 2046 + "x<y" + ")" * 2046,
     "Invalid ConditionExpression: The expression has redundant parentheses;"),
    # test_deeply_nested_expression_2: more than 300 operators
    ("x<y " + "or (x<y " * 454 + ")" * 454,
     "Invalid ConditionExpression: The expression contains too many operators; operator count: "
     "909"),
])
def test_deeply_nested_conditions(server, indexed, condition, message):
    started = time.monotonic()
    body = {"TableName": indexed, "Key": {"a": {"S": "p"}, "b": {"S": "s"}},
            "UpdateExpression": "SET z = :v", "ConditionExpression": condition,
            "ExpressionAttributeValues": {":v": {"N": "1"}}}
    assert refused(server, "UpdateItem", body) == message
    # a run of 4 KB of parentheses once took the parser close to a minute (quadratic retries)
    assert time.monotonic() - started < 10


def test_a_batch_with_an_oversized_index_key_writes_nothing(server, indexed):
    good = item(a={"S": "batch-good"})
    bad = item(a={"S": "batch-bad"}, g={"S": "x" * 2049})
    assert refused(server, "BatchWriteItem", {"RequestItems": {indexed: [
        {"PutRequest": {"Item": good}}, {"PutRequest": {"Item": bad}}]}}) == HASH_TOO_BIG
    assert "Item" not in ok(server, "GetItem", {"TableName": indexed,
                                               "Key": {"a": good["a"], "b": good["b"]}})
