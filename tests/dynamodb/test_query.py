"""Query on tables: key conditions as range scans, order, paging, Select, capacity, and the
validation texts (dynalite test/query.js and moto's aws_verified tests, recorded against AWS)."""

from __future__ import annotations

import pytest

from tests.dynamodb.helpers import create
from tests.kit import error

KEYS = dict(AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                  {"AttributeName": "sk", "AttributeType": "N"}],
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                       {"AttributeName": "sk", "KeyType": "RANGE"}])
STR_KEYS = dict(AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                      {"AttributeName": "sk", "AttributeType": "S"}],
                KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                           {"AttributeName": "sk", "KeyType": "RANGE"}])


@pytest.fixture(scope="module")
def table(server, ddb):
    create(server, ddb, "QueryNum", read=1000, write=1000, keys=KEYS)
    for sk in [5, -1, 10, 2.5, 0, 100, 7]:
        ddb.put_item(TableName="QueryNum", Item={"pk": {"S": "a"}, "sk": {"N": str(sk)},
                                                 "v": {"N": str(sk)}, "odd": {"BOOL": sk == 5}})
    ddb.put_item(TableName="QueryNum", Item={"pk": {"S": "b"}, "sk": {"N": "1"}})
    return "QueryNum"


def sks(out):
    return [i["sk"]["N"] for i in out["Items"]]


def q(ddb, table, cond, values, **kw):
    return ddb.query(TableName=table, KeyConditionExpression=cond,
                     ExpressionAttributeValues=values, **kw)


A = {":p": {"S": "a"}}


def test_query_orders_numbers_numerically_both_directions(ddb, table):
    out = q(ddb, table, "pk = :p", A)
    assert sks(out) == ["-1", "0", "2.5", "5", "7", "10", "100"]
    assert out["Count"] == 7 and out["ScannedCount"] == 7 and "LastEvaluatedKey" not in out
    out = q(ddb, table, "pk = :p", A, ScanIndexForward=False)
    assert sks(out) == ["100", "10", "7", "5", "2.5", "0", "-1"]


@pytest.mark.parametrize("cond,values,expected", [
    ("sk = :a", {":a": {"N": "5"}}, ["5"]),
    ("sk < :a", {":a": {"N": "5"}}, ["-1", "0", "2.5"]),
    ("sk <= :a", {":a": {"N": "5"}}, ["-1", "0", "2.5", "5"]),
    ("sk > :a", {":a": {"N": "5"}}, ["7", "10", "100"]),
    (":a < sk", {":a": {"N": "5"}}, ["7", "10", "100"]),
    ("sk >= :a", {":a": {"N": "5"}}, ["5", "7", "10", "100"]),
    ("sk BETWEEN :a AND :b", {":a": {"N": "0"}, ":b": {"N": "7"}}, ["0", "2.5", "5", "7"]),
])
def test_sort_key_conditions(ddb, table, cond, values, expected):
    out = q(ddb, table, f"pk = :p AND {cond}", {**A, **values})
    assert sks(out) == expected
    out = q(ddb, table, f"pk = :p AND {cond}", {**A, **values}, ScanIndexForward=False)
    assert sks(out) == expected[::-1]


def test_limit_and_exclusive_start_key_page_through(ddb, table):
    seen, start = [], None
    while True:
        kw = {"ExclusiveStartKey": start} if start else {}
        out = q(ddb, table, "pk = :p", A, Limit=3, **kw)
        seen += sks(out)
        start = out.get("LastEvaluatedKey")
        if not start:
            break
        assert set(start) == {"pk", "sk"}
    assert seen == ["-1", "0", "2.5", "5", "7", "10", "100"]
    # The last full page (Limit reached exactly) still carries a LastEvaluatedKey.
    out = q(ddb, table, "pk = :p AND sk >= :s", {**A, ":s": {"N": "10"}}, Limit=2)
    assert out["LastEvaluatedKey"] == {"pk": {"S": "a"}, "sk": {"N": "100"}}
    out = q(ddb, table, "pk = :p AND sk >= :s", {**A, ":s": {"N": "10"}}, Limit=2,
            ExclusiveStartKey=out["LastEvaluatedKey"])
    assert out["Items"] == [] and "LastEvaluatedKey" not in out


def test_filter_counts_and_limit_counts_evaluated_items(ddb, table):
    out = q(ddb, table, "pk = :p", {**A, ":t": {"BOOL": True}}, FilterExpression="odd = :t")
    assert sks(out) == ["5"] and out["Count"] == 1 and out["ScannedCount"] == 7
    out = q(ddb, table, "pk = :p", {**A, ":t": {"BOOL": True}}, FilterExpression="odd = :t",
            Limit=2)
    assert out["Count"] == 0 and out["ScannedCount"] == 2
    assert out["LastEvaluatedKey"] == {"pk": {"S": "a"}, "sk": {"N": "0"}}


def test_select_count_and_projection(ddb, table):
    out = q(ddb, table, "pk = :p", A, Select="COUNT")
    assert "Items" not in out and out["Count"] == 7
    out = q(ddb, table, "pk = :p AND sk = :s", {**A, ":s": {"N": "5"}}, ProjectionExpression="v")
    assert out["Items"] == [{"v": {"N": "5"}}]
    out = ddb.query(TableName=table, KeyConditions={
        "pk": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "a"}]},
        "sk": {"ComparisonOperator": "GT", "AttributeValueList": [{"N": "7"}]}},
        AttributesToGet=["sk"])
    assert out["Items"] == [{"sk": {"N": "10"}}, {"sk": {"N": "100"}}]


def test_consumed_capacity(ddb, table):
    out = q(ddb, table, "pk = :p", A, ReturnConsumedCapacity="TOTAL")
    assert out["ConsumedCapacity"] == {"TableName": table, "CapacityUnits": 0.5}
    out = q(ddb, table, "pk = :p", A, ReturnConsumedCapacity="INDEXES", ConsistentRead=True)
    assert out["ConsumedCapacity"] == {"TableName": table, "CapacityUnits": 1.0,
                                       "Table": {"CapacityUnits": 1.0}}
    out = q(ddb, table, "pk = :p", {":p": {"S": "none"}}, ReturnConsumedCapacity="TOTAL")
    assert out["ConsumedCapacity"]["CapacityUnits"] == 0.5 and out["Count"] == 0


def test_capacity_sums_sizes_before_rounding(server, ddb, unique):
    name = unique("qcap")
    create(server, ddb, name, read=1000, write=1000, keys=KEYS)
    # 10 items of ~4,000 bytes: 40,000 bytes -> 40 KB (not 10 x 4 KB) -> 10 RCU strong, 5 eventual
    for i in range(10):
        ddb.put_item(TableName=name, Item={"pk": {"S": "p"}, "sk": {"N": str(i)},
                                           "d": {"S": "x" * 3990}})
    out = q(ddb, name, "pk = :p", {":p": {"S": "p"}}, ReturnConsumedCapacity="TOTAL",
            ConsistentRead=True, Select="COUNT")
    size = 10 * (2 + 1 + 2 + 1 + 1 + 3990)  # names + values per spec 1.1
    assert out["ConsumedCapacity"]["CapacityUnits"] == -(-size // 4096)


def test_begins_with_on_string_sort_keys(server, ddb, unique):
    name = unique("qstr")
    create(server, ddb, name, read=1000, write=1000, keys=STR_KEYS)
    for sk in ["a", "ab", "abc", "abd", "b", "ab\u00e9", "aa", "\U0001f600", "Z"]:
        ddb.put_item(TableName=name, Item={"pk": {"S": "p"}, "sk": {"S": sk}})
    out = q(ddb, name, "pk = :p AND begins_with(sk, :b)", {":p": {"S": "p"}, ":b": {"S": "ab"}})
    assert [i["sk"]["S"] for i in out["Items"]] == ["ab", "abc", "abd", "ab\u00e9"]
    out = q(ddb, name, "pk = :p", {":p": {"S": "p"}})
    assert [i["sk"]["S"] for i in out["Items"]] == sorted(
        ["a", "ab", "abc", "abd", "b", "ab\u00e9", "aa", "\U0001f600", "Z"],
        key=lambda s: s.encode())


QUERY_ERRORS = [
    (dict(), "Either the KeyConditions or KeyConditionExpression parameter must be specified in "
             "the request."),
    (dict(KeyConditionExpression="sk = :s", ExpressionAttributeValues={":s": {"N": "1"}}),
     "Query condition missed key schema element: pk"),
    (dict(KeyConditionExpression="pk = :s", ExpressionAttributeValues={":s": {"N": "1"}}),
     "One or more parameter values were invalid: Condition parameter type does not match schema "
     "type"),
    (dict(KeyConditionExpression="pk < :s", ExpressionAttributeValues={":s": {"S": "1"}}),
     "Query key condition not supported"),
    (dict(KeyConditionExpression="pk = :s", ExpressionAttributeValues={":s": {"S": "1"}},
          FilterExpression="sk = :s"),
     "Filter Expression can only contain non-primary key attributes: Primary key attribute: sk"),
    (dict(KeyConditionExpression="pk = :s", ExpressionAttributeValues={":s": {"S": "1"}},
          Select="ALL_PROJECTED_ATTRIBUTES"),
     "1 validation error detected: ALL_PROJECTED_ATTRIBUTES can be used only when Querying using "
     "an IndexName"),
    (dict(KeyConditionExpression="pk = :s", ExpressionAttributeValues={":s": {"S": "1"}},
          Select="SPECIFIC_ATTRIBUTES"),
     "1 validation error detected: Must specify the AttributesToGet or ProjectionExpression when "
     "choosing to get SPECIFIC_ATTRIBUTES"),
    (dict(KeyConditionExpression="pk = :s", ExpressionAttributeValues={":s": {"S": "1"}},
          Select="COUNT", ProjectionExpression="v"),
     "1 validation error detected: Cannot specify the ProjectionExpression when choosing to get "
     "only the Count"),
    (dict(KeyConditionExpression="pk = :s", ExpressionAttributeValues={":s": {"S": "1"}},
          IndexName="nope"),
     "The table does not have the specified index: nope"),
    (dict(KeyConditionExpression="pk = :s", ExpressionAttributeValues={":s": {"S": "a"}},
          ExclusiveStartKey={"pk": {"S": "a"}}),
     "The provided starting key is invalid"),
    (dict(KeyConditionExpression="pk = :s", ExpressionAttributeValues={":s": {"S": "a"}},
          ExclusiveStartKey={"pk": {"S": "a"}, "sk": {"S": "1"}}),
     "The provided starting key is invalid: The provided key element does not match the schema"),
    (dict(KeyConditionExpression="pk = :s", ExpressionAttributeValues={":s": {"S": "a"}},
          ExclusiveStartKey={"pk": {"S": "b"}, "sk": {"N": "1"}}),
     "The provided starting key is outside query boundaries based on provided conditions"),
    (dict(KeyConditionExpression="pk = :s AND sk > :n",
          ExpressionAttributeValues={":s": {"S": "a"}, ":n": {"N": "5"}},
          ExclusiveStartKey={"pk": {"S": "a"}, "sk": {"N": "1"}}),
     "The provided starting key does not match the range key predicate"),
]


@pytest.mark.parametrize("request_,message", QUERY_ERRORS)
def test_query_validation(ddb, table, request_, message):
    assert error(ddb.query, TableName=table, **request_) == ("ValidationException", message, 400)


def test_query_on_missing_table(ddb):
    assert error(ddb.query, TableName="NoSuchQueryTable", KeyConditionExpression="a = :a",
                 ExpressionAttributeValues={":a": {"S": "x"}}) == (
        "ResourceNotFoundException", "Requested resource not found", 400)


def test_resource_api_query(server, table):
    from boto3.dynamodb.conditions import Key
    t = server.resource("dynamodb").Table(table)
    out = t.query(KeyConditionExpression=Key("pk").eq("a") & Key("sk").between(0, 5))
    assert [int(i["sk"]) if i["sk"] == int(i["sk"]) else float(i["sk"]) for i in out["Items"]] \
        == [0, 2.5, 5]
