"""Scan: paging, filters, Select, parallel segments and their validation texts (dynalite
validations/scan.js and actions/scan.js, moto's aws_verified Select tests)."""

from __future__ import annotations

import pytest

from tests.dynamodb.helpers import NUM_KEYS, create
from tests.kit import error


@pytest.fixture(scope="module")
def table(server, ddb):
    create(server, ddb, "ScanNum", read=1000, write=1000, keys=NUM_KEYS)
    for pk in range(20):
        for sk in range(2):
            ddb.put_item(TableName="ScanNum", Item={"pk": {"N": str(pk)}, "sk": {"N": str(sk)},
                                                    "even": {"BOOL": pk % 2 == 0}})
    return "ScanNum"


def keys_of(items):
    return sorted((int(i["pk"]["N"]), int(i["sk"]["N"])) for i in items)


def test_scan_pages_cover_the_table_once(ddb, table):
    seen, start, pages = [], None, 0
    while True:
        out = ddb.scan(TableName=table, Limit=7, **({"ExclusiveStartKey": start} if start else {}))
        seen += out["Items"]
        pages += 1
        assert out["ScannedCount"] <= 7
        start = out.get("LastEvaluatedKey")
        if not start:
            break
    assert keys_of(seen) == [(p, s) for p in range(20) for s in range(2)]
    assert pages == 6  # 40 items / 7 -> 6 pages, the last one short


def test_filter_select_count(ddb, table):
    out = ddb.scan(TableName=table, FilterExpression="even = :t",
                   ExpressionAttributeValues={":t": {"BOOL": True}}, Select="COUNT")
    assert out["Count"] == 20 and out["ScannedCount"] == 40 and "Items" not in out
    out = ddb.scan(TableName=table, ScanFilter={"pk": {"ComparisonOperator": "LT",
                                                      "AttributeValueList": [{"N": "10"}]}},
                   AttributesToGet=["pk"])
    assert out["Count"] == 20 and all(set(i) == {"pk"} for i in out["Items"])


def test_parallel_segments_are_disjoint_and_complete(ddb, table):
    total, seen = 3, []
    for segment in range(total):
        start = None
        while True:
            out = ddb.scan(TableName=table, Segment=segment, TotalSegments=total, Limit=5,
                           **({"ExclusiveStartKey": start} if start else {}))
            seen += out["Items"]
            start = out.get("LastEvaluatedKey")
            if not start:
                break
    assert keys_of(seen) == [(p, s) for p in range(20) for s in range(2)]


def test_consumed_capacity(ddb, table):
    out = ddb.scan(TableName=table, ReturnConsumedCapacity="TOTAL", ConsistentRead=True)
    # 40 items of 2+1+2+1+4+1 = 11 bytes: 440 bytes -> one 4 KB unit
    assert out["ConsumedCapacity"] == {"TableName": table, "CapacityUnits": 1.0}


SCAN_ERRORS = [
    (dict(Segment=1), "The TotalSegments parameter is required but was not present in the request "
                      "when Segment parameter is present"),
    (dict(TotalSegments=2), "The Segment parameter is required but was not present in the request "
                            "when parameter TotalSegments is present"),
    (dict(Segment=2, TotalSegments=2), "The Segment parameter is zero-based and must be less than "
                                       "parameter TotalSegments: Segment: 2 is not less than "
                                       "TotalSegments: 2"),
    (dict(Select="ALL_PROJECTED_ATTRIBUTES"),
     "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName"),
    (dict(Select="SPECIFIC_ATTRIBUTES"),
     "Must specify the AttributesToGet or ProjectionExpression when choosing to get "
     "SPECIFIC_ATTRIBUTES"),
    (dict(Select="ALL_ATTRIBUTES", AttributesToGet=["pk"]),
     "Cannot specify the AttributesToGet when choosing to get ALL_ATTRIBUTES"),
    (dict(ExclusiveStartKey={"pk": {"N": "1"}}),
     "The provided starting key is invalid: The provided key element does not match the schema"),
    (dict(ExclusiveStartKey={"pk": {"N": "x"}, "sk": {"N": "1"}}),
     "The provided starting key is invalid: The parameter cannot be converted to a numeric value: x"),
    (dict(IndexName="nope"), "The table does not have the specified index: nope"),
    (dict(IndexName="nope", ExclusiveStartKey={"pk": {"N": "1"}, "sk": {"N": "1"}}),
     "The provided starting key is invalid"),
    (dict(FilterExpression="a = :a"),
     "Invalid FilterExpression: An expression attribute value used in expression is not defined; "
     "attribute value: :a"),
]


@pytest.mark.parametrize("request_,message", SCAN_ERRORS)
def test_scan_validation(ddb, table, request_, message):
    assert error(ddb.scan, TableName=table, **request_) == ("ValidationException", message, 400)


def test_start_key_from_another_segment_is_rejected(ddb, table):
    first = ddb.scan(TableName=table, Segment=0, TotalSegments=2, Limit=1)["LastEvaluatedKey"]
    assert error(ddb.scan, TableName=table, Segment=1, TotalSegments=2,
                 ExclusiveStartKey=first) == (
        "ValidationException", "The provided starting key is invalid: Invalid ExclusiveStartKey. "
        "Please use ExclusiveStartKey with correct Segment. TotalSegments: 2 Segment: 1", 400)


def test_page_stops_at_one_megabyte(server, ddb, unique):
    name = unique("scanbig")
    create(server, ddb, name, read=40000, write=40000)
    blob = "x" * 300_000
    for i in range(5):
        ddb.put_item(TableName=name, Item={"id": {"S": f"k{i}"}, "d": {"S": blob}})
    out = ddb.scan(TableName=name, Select="COUNT")
    # 4 items of ~300 KB reach 1 MB: the page stops there with a LastEvaluatedKey
    assert out["ScannedCount"] == 4 and "LastEvaluatedKey" in out
    rest = ddb.scan(TableName=name, Select="COUNT", ExclusiveStartKey=out["LastEvaluatedKey"])
    assert rest["ScannedCount"] == 1 and "LastEvaluatedKey" not in rest
