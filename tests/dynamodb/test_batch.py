"""BatchGetItem and BatchWriteItem: round trips through the client and resource APIs (batch_writer),
per-table projections and consistency, capacity per table (spec 1.3.2, 1.3.9, 1.4.4), the 16 MB
response limit, throttled batches returning Unprocessed* and failing only when nothing could be
processed (spec 2.1.6), and the validation texts (dynalite test/batchGetItem.js and
test/batchWriteItem.js, dynamodb-conformance tier3, both recorded against AWS)."""

from __future__ import annotations

import pytest

from tests.dynamodb.helpers import NUM_KEYS, VALIDATE_NS, create, raw
from tests.kit import error

THROTTLED = ("ProvisionedThroughputExceededException",
             "The level of configured provisioned throughput for the table was exceeded. Consider "
             "increasing your provisioning level with the UpdateTable API.", 400)
DUPLICATES = ("ValidationException", "Provided list of item keys contains duplicates", 400)
SCHEMA = ("ValidationException", "The provided key element does not match the schema", 400)
NOT_FOUND = ("ResourceNotFoundException", "Requested resource not found", 400)


@pytest.fixture(scope="module")
def tables(server, ddb):
    create(server, ddb, "BatchStr", read=10000, write=10000)
    create(server, ddb, "BatchNum", read=10000, write=10000, keys=NUM_KEYS)
    return "BatchStr", "BatchNum"


def s(value):
    return {"S": value}


def test_write_then_get_across_tables(ddb, tables, unique):
    a, b = tables
    ka, kb = unique("a"), unique("b")
    out = ddb.batch_write_item(RequestItems={
        a: [{"PutRequest": {"Item": {"id": s(ka), "v": s("x")}}}],
        b: [{"PutRequest": {"Item": {"pk": {"N": "1.50"}, "sk": {"N": "2"}, "tag": s(kb)}}}]})
    assert out["UnprocessedItems"] == {}
    got = ddb.batch_get_item(RequestItems={
        a: {"Keys": [{"id": s(ka)}, {"id": s(unique("missing"))}], "ConsistentRead": True},
        b: {"Keys": [{"pk": {"N": "1.5"}, "sk": {"N": "2"}}]}})
    assert got["Responses"][a] == [{"id": s(ka), "v": s("x")}]
    assert got["Responses"][b] == [{"pk": {"N": "1.5"}, "sk": {"N": "2"}, "tag": s(kb)}]
    assert got["UnprocessedKeys"] == {}
    # tables with nothing found still appear, as empty lists (dynalite "empty responses")
    none = ddb.batch_get_item(RequestItems={a: {"Keys": [{"id": s(unique("no"))}]}})
    assert none["Responses"] == {a: []} and none["UnprocessedKeys"] == {}
    # deletes, of present and absent items alike
    out = ddb.batch_write_item(RequestItems={a: [{"DeleteRequest": {"Key": {"id": s(ka)}}},
                                                 {"DeleteRequest": {"Key": {"id": s(unique("x"))}}}]})
    assert out == {"UnprocessedItems": {}, "ResponseMetadata": out["ResponseMetadata"]}
    assert "Item" not in ddb.get_item(TableName=a, Key={"id": s(ka)})


def test_resource_batch_writer_and_batch_get(server, tables, unique):
    a, _ = tables
    res = server.resource("dynamodb")
    prefix = unique("bw")
    table = res.Table(a)
    with table.batch_writer() as writer:  # 30 puts: boto3 sends two BatchWriteItem calls
        for i in range(30):
            writer.put_item(Item={"id": f"{prefix}-{i}", "n": i})
    with table.batch_writer(overwrite_by_pkeys=["id"]) as writer:
        writer.delete_item(Key={"id": f"{prefix}-0"})
    got = res.batch_get_item(RequestItems={a: {"Keys": [{"id": f"{prefix}-{i}"} for i in range(3)],
                                               "ConsistentRead": True}})
    assert sorted(item["n"] for item in got["Responses"][a]) == [1, 2]


def test_projections_per_table(ddb, tables, unique):
    a, b = tables
    key = unique("p")
    ddb.put_item(TableName=a, Item={"id": s(key), "x": s("1"), "y": s("2"), "m": {"M": {"z": s("3")}}})
    ddb.put_item(TableName=b, Item={"pk": {"N": "7"}, "sk": {"N": "7"}, "x": s("b")})
    got = ddb.batch_get_item(RequestItems={
        a: {"Keys": [{"id": s(key)}], "ProjectionExpression": "#y, m.z",
            "ExpressionAttributeNames": {"#y": "y"}},
        b: {"Keys": [{"pk": {"N": "7"}, "sk": {"N": "7"}}], "ProjectionExpression": "x"}})
    assert got["Responses"][a] == [{"y": s("2"), "m": {"M": {"z": s("3")}}}]
    assert got["Responses"][b] == [{"x": s("b")}]
    # AttributesToGet: an item without the attributes comes back as {} (dynalite test)
    got = ddb.batch_get_item(RequestItems={a: {"Keys": [{"id": s(key)}],
                                               "AttributesToGet": ["nope"]}})
    assert got["Responses"][a] == [{}]


def test_get_capacity_per_table(ddb, tables, unique):
    # dynalite "ConsumedCapacity from each specified table" (spec 1.3.2, 1.4.4): each key rounded
    # to 4 KB on its own; missing keys cost the minimum; one entry per table
    a, b = tables
    big, small = unique("big"), unique("small")
    ddb.put_item(TableName=a, Item={"id": s(big), "b": s("x" * 5000)})
    ddb.put_item(TableName=a, Item={"id": s(small)})
    items = {a: {"Keys": [{"id": s(big)}, {"id": s(small)}, {"id": s(unique("none"))}]},
             b: {"Keys": [{"pk": {"N": "404"}, "sk": {"N": "0"}}]}}
    out = ddb.batch_get_item(RequestItems=items, ReturnConsumedCapacity="TOTAL")
    assert sorted(out["ConsumedCapacity"], key=lambda c: c["TableName"]) == sorted(
        [{"TableName": a, "CapacityUnits": 2.0}, {"TableName": b, "CapacityUnits": 0.5}],
        key=lambda c: c["TableName"])
    items[a]["ConsistentRead"] = True
    out = ddb.batch_get_item(RequestItems=items, ReturnConsumedCapacity="INDEXES")
    assert {"TableName": a, "CapacityUnits": 4.0, "Table": {"CapacityUnits": 4.0}} \
        in out["ConsumedCapacity"]


def test_write_capacity_per_item(ddb, tables, unique):
    # spec 1.3.9: 500 B + 3.5 KB = 1 + 4 = 5 WCU; a delete of an absent item costs 1
    a, b = tables
    out = ddb.batch_write_item(ReturnConsumedCapacity="TOTAL", RequestItems={
        a: [{"PutRequest": {"Item": {"id": s(unique("k")), "b": s("x" * 480)}}},
            {"PutRequest": {"Item": {"id": s(unique("k")), "b": s("x" * 3500)}}}],
        b: [{"DeleteRequest": {"Key": {"pk": {"N": "9"}, "sk": {"N": "9"}}}}]})
    assert out["ConsumedCapacity"] == [{"TableName": a, "CapacityUnits": 5.0},
                                       {"TableName": b, "CapacityUnits": 1.0}]


def test_get_validation_texts(server, ddb, tables, unique):
    a, b = tables
    key = {"id": s(unique("d"))}
    assert error(ddb.batch_get_item, RequestItems={a: {"Keys": [key, {"id": s("o")}, key]}}) == \
        DUPLICATES
    assert error(ddb.batch_get_item, RequestItems={
        a: {"Keys": [{"id": s(str(i))} for i in range(100)]},
        b: {"Keys": [{"pk": {"N": "1"}, "sk": {"N": "1"}}]}}) == (
        "ValidationException", "Too many items requested for the BatchGetItem call", 400)
    assert error(ddb.batch_get_item, RequestItems={unique("nope"): {"Keys": [key]}}) == NOT_FOUND
    assert error(ddb.batch_get_item, RequestItems={a: {"Keys": [{"id": {"N": "1"}}]}}) == SCHEMA
    assert error(ddb.batch_get_item, RequestItems={a: {"Keys": [key], "AttributesToGet": ["x", "x"]}}) \
        == ("ValidationException",
            "One or more parameter values were invalid: Duplicate value in attribute name: x", 400)
    assert error(ddb.batch_get_item, RequestItems={a: {"Keys": [key], "AttributesToGet": ["id"],
                                                       "ProjectionExpression": "id"}}) == (
        "ValidationException", "Can not use both expression and non-expression parameters in the "
        "same request: Non-expression parameters: {AttributesToGet} Expression parameters: "
        "{ProjectionExpression}", 400)
    assert error(ddb.batch_get_item, RequestItems={a: {"Keys": [{"id": s("")}]}}) == (
        "ValidationException", "One or more parameter values are not valid. The AttributeValue for "
        "a key attribute cannot contain an empty string value. Key: id", 400)
    status, body = raw(server, "BatchGetItem", {"RequestItems": {a: {"Keys": [key, key]}}})
    assert (status, body["__type"]) == (400, VALIDATE_NS + "ValidationException")


def test_write_validation_texts(ddb, tables, unique):
    a, b = tables
    item = {"id": s(unique("w")), "c": s("c")}
    # put then delete of one item, either order (dynalite test/batchWriteItem.js)
    assert error(ddb.batch_write_item, RequestItems={a: [
        {"PutRequest": {"Item": item}}, {"DeleteRequest": {"Key": {"id": item["id"]}}}]}) == DUPLICATES
    assert error(ddb.batch_write_item, RequestItems={a: [
        {"DeleteRequest": {"Key": {"id": item["id"]}}}, {"PutRequest": {"Item": item}}]}) == DUPLICATES
    assert error(ddb.batch_write_item, RequestItems={a: [{}]}) == (
        "ValidationException", "Supplied AttributeValue has more than one datatypes set, must "
        "contain exactly one of the supported datatypes", 400)
    assert error(ddb.batch_write_item, RequestItems={
        a: [{"PutRequest": {"Item": {"id": s(str(i))}}} for i in range(20)],
        b: [{"PutRequest": {"Item": {"pk": {"N": str(i)}, "sk": {"N": "0"}}}} for i in range(6)]}) \
        == ("ValidationException", "Too many items requested for the BatchWriteItem call", 400)
    # one oversized item rejects the whole batch before any table is looked at (spec 1.1.9)
    assert error(ddb.batch_write_item, RequestItems={unique("nope"): [
        {"PutRequest": {"Item": {"id": s("k"), "b": s("x" * 409_600)}}}]}) == (
        "ValidationException", "Item size has exceeded the maximum allowed size", 400)
    assert error(ddb.batch_write_item, RequestItems={unique("nope"): [
        {"PutRequest": {"Item": item}}]}) == NOT_FOUND
    # a put item missing or mistyping its key answers with the key-schema text
    assert error(ddb.batch_write_item, RequestItems={a: [{"PutRequest": {"Item": {"b": s("a")}}}]}) \
        == SCHEMA
    assert error(ddb.batch_write_item, RequestItems={a: [{"PutRequest": {"Item": {"id": {"N": "1"}}}}]}) \
        == SCHEMA
    assert error(ddb.batch_write_item, RequestItems={b: [{"PutRequest": {"Item": {"pk": {"N": "1"}}}}]}) \
        == SCHEMA
    assert error(ddb.batch_write_item, RequestItems={a: [{"PutRequest": {"Item": {"id": s("a" * 2049)}}}]}) \
        == ("ValidationException", "One or more parameter values were invalid: Size of hashkey has "
            "exceeded the maximum size limit of2048 bytes", 400)
    assert "Item" not in ddb.get_item(TableName=a, Key={"id": item["id"]})


def test_throttled_write_returns_unprocessed_items(server, ddb, unique):
    # 1 WCU: 300 units of burst. Two 200 KB puts (196 WCU each) drain it into debt; the third waits
    # in UnprocessedItems; a batch that can write nothing fails (spec 2.1.6).
    name = unique("bw1")
    create(server, ddb, name, read=1, write=1)
    puts = [{"PutRequest": {"Item": {"id": s(f"k{i}"), "b": s("x" * 200_000)}}} for i in range(3)]
    out = ddb.batch_write_item(RequestItems={name: puts}, ReturnConsumedCapacity="TOTAL")
    assert out["UnprocessedItems"] == {name: [puts[2]]}
    assert out["ConsumedCapacity"] == [{"TableName": name, "CapacityUnits": 392.0}]
    assert error(ddb.batch_write_item, RequestItems={name: [puts[2]]}) == THROTTLED
    server.advance(92)  # 300 - 392 = -92 -> 0: admitted again
    out = ddb.batch_write_item(RequestItems=out["UnprocessedItems"])
    assert out["UnprocessedItems"] == {}
    assert ddb.get_item(TableName=name, Key={"id": s("k2")}, ConsistentRead=False)["Item"]["id"] == s("k2")


def test_throttled_get_returns_unprocessed_keys(server, ddb, unique):
    # 1 RCU: 300 units. Strong reads of ~405 KB items cost 99 each: keys 1-4 are read (the 4th
    # starts at 3), the 5th comes back with its table's settings in UnprocessedKeys.
    name = unique("bg1")
    create(server, ddb, name, read=1, write=10000)
    for i in range(5):
        ddb.put_item(TableName=name, Item={"id": s(f"k{i}"), "b": s("x" * 405_000)})
    spec = {"Keys": [{"id": s(f"k{i}")} for i in range(5)], "ConsistentRead": True,
            "ProjectionExpression": "#i", "ExpressionAttributeNames": {"#i": "id"}}
    out = ddb.batch_get_item(RequestItems={name: spec}, ReturnConsumedCapacity="TOTAL")
    assert len(out["Responses"][name]) == 4
    assert out["UnprocessedKeys"] == {name: {**spec, "Keys": [{"id": s("k4")}]}}
    assert out["ConsumedCapacity"] == [{"TableName": name, "CapacityUnits": 396.0}]
    assert error(ddb.batch_get_item, RequestItems=out["UnprocessedKeys"]) == THROTTLED
    server.advance(96)  # -96 -> 0
    out = ddb.batch_get_item(RequestItems=out["UnprocessedKeys"])
    assert out["Responses"][name] == [{"id": s("k4")}] and out["UnprocessedKeys"] == {}


def test_response_limit_16_mb(server, ddb, unique):
    # MODEL BatchGetItem doc: at most 16 MB of items per response; the rest are UnprocessedKeys
    name = unique("big")
    create(server, ddb, name, read=1000, write=1000)
    value = "x" * 409_000
    for start in range(0, 45, 9):
        ddb.batch_write_item(RequestItems={name: [
            {"PutRequest": {"Item": {"id": s(f"k{i:02}"), "b": s(value)}}}
            for i in range(start, start + 9)]})
    keys = [{"id": s(f"k{i:02}")} for i in range(45)]
    out = ddb.batch_get_item(RequestItems={name: {"Keys": keys}})
    returned = {item["id"]["S"] for item in out["Responses"][name]}
    left = [k["id"]["S"] for k in out["UnprocessedKeys"][name]["Keys"]]
    assert len(returned) == 41 and len(left) == 4 and returned.isdisjoint(left)
