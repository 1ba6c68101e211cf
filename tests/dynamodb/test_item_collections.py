"""ReturnItemCollectionMetrics=SIZE: every write to a table with local secondary indexes reports the
item collection it touched (ItemCollectionKey: the partition key; SizeEstimateRangeGB: [lower,
upper] gigabytes, [0.0, 1.0] for a small collection as in DG "Local secondary indexes", Item
collections); tables without LSIs, NONE and an absent member report nothing (botocore
ItemCollectionMetrics docs). The 10 GB ItemCollectionSizeLimitExceededException is not exercised:
reaching it takes 10 GB of writes and no test-only limit exists."""

from __future__ import annotations

import json

import pytest

from dynoscale.services.dynamodb import item_collections
from tests.dynamodb.helpers import create, raw
from tests.kit import error

ON_DEMAND = {"BillingMode": "PAY_PER_REQUEST"}
DEFS = [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "N"},
        {"AttributeName": "l", "AttributeType": "S"}]
KEYS = [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}]
LSI = [{"IndexName": "by_l", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                                           {"AttributeName": "l", "KeyType": "RANGE"}],
        "Projection": {"ProjectionType": "ALL"}}]
GSI = [{"IndexName": "by_l_global", "KeySchema": [{"AttributeName": "l", "KeyType": "HASH"}],
        "Projection": {"ProjectionType": "ALL"}}]
SMALL = [0.0, 1.0]
SIZE = {"ReturnItemCollectionMetrics": "SIZE"}


@pytest.fixture(scope="module")
def tables(server, ddb):
    create(server, ddb, "WithLsi", keys=dict(AttributeDefinitions=DEFS, KeySchema=KEYS),
           LocalSecondaryIndexes=LSI, **ON_DEMAND)
    create(server, ddb, "WithoutLsi", keys=dict(AttributeDefinitions=DEFS, KeySchema=KEYS),
           GlobalSecondaryIndexes=GSI, **ON_DEMAND)
    return "WithLsi", "WithoutLsi"


def metrics(pk):
    return {"ItemCollectionKey": {"pk": {"S": pk}}, "SizeEstimateRangeGB": SMALL}


def item(pk, sk, **extra):
    return {"pk": {"S": pk}, "sk": {"N": str(sk)}, "l": {"S": f"l{sk}"}, **extra}


def test_single_item_writes_report_their_collection(ddb, tables):
    lsi, _ = tables
    out = ddb.put_item(TableName=lsi, Item=item("a", 1), **SIZE)
    assert out["ItemCollectionMetrics"] == metrics("a")
    out = ddb.update_item(TableName=lsi, Key={"pk": {"S": "a"}, "sk": {"N": "1"}},
                          UpdateExpression="SET v = :v",
                          ExpressionAttributeValues={":v": {"S": "x"}}, **SIZE)
    assert out["ItemCollectionMetrics"] == metrics("a")
    out = ddb.update_item(TableName=lsi, Key={"pk": {"S": "new"}, "sk": {"N": "1"}},
                          UpdateExpression="SET v = :v",
                          ExpressionAttributeValues={":v": {"S": "x"}}, **SIZE)
    assert out["ItemCollectionMetrics"] == metrics("new")   # an upsert creates the collection
    out = ddb.delete_item(TableName=lsi, Key={"pk": {"S": "a"}, "sk": {"N": "1"}}, **SIZE)
    assert out["ItemCollectionMetrics"] == metrics("a")
    out = ddb.delete_item(TableName=lsi, Key={"pk": {"S": "gone"}, "sk": {"N": "1"}}, **SIZE)
    assert out["ItemCollectionMetrics"] == metrics("gone")


def test_large_items_stay_in_the_first_gigabyte(ddb, tables):
    lsi, _ = tables
    big = "x" * 390_000
    for sk in range(3):   # ~2.3 MB with the LSI's ALL projection: far below 1 GB
        out = ddb.put_item(TableName=lsi, Item=item("big", sk, blob={"S": big}), **SIZE)
        assert out["ItemCollectionMetrics"] == metrics("big")


@pytest.mark.parametrize("asked", [{}, {"ReturnItemCollectionMetrics": "NONE"}])
def test_not_asked_for(ddb, tables, asked):
    lsi, _ = tables
    assert "ItemCollectionMetrics" not in ddb.put_item(TableName=lsi, Item=item("n", 1), **asked)
    assert "ItemCollectionMetrics" not in ddb.delete_item(
        TableName=lsi, Key={"pk": {"S": "n"}, "sk": {"N": "1"}}, **asked)
    out = ddb.batch_write_item(RequestItems={lsi: [{"PutRequest": {"Item": item("n", 2)}}]},
                               **asked)
    assert "ItemCollectionMetrics" not in out


def test_tables_without_local_indexes_have_no_item_collections(ddb, tables):
    _, plain = tables
    assert "ItemCollectionMetrics" not in ddb.put_item(TableName=plain, Item=item("a", 1), **SIZE)
    assert "ItemCollectionMetrics" not in ddb.update_item(
        TableName=plain, Key={"pk": {"S": "a"}, "sk": {"N": "1"}}, UpdateExpression="SET v = :v",
        ExpressionAttributeValues={":v": {"S": "x"}}, **SIZE)
    assert "ItemCollectionMetrics" not in ddb.delete_item(
        TableName=plain, Key={"pk": {"S": "a"}, "sk": {"N": "1"}}, **SIZE)
    out = ddb.batch_write_item(RequestItems={plain: [{"PutRequest": {"Item": item("a", 2)}}]},
                               **SIZE)
    assert "ItemCollectionMetrics" not in out
    out = ddb.transact_write_items(TransactItems=[{"Put": {"TableName": plain,
                                                           "Item": item("a", 3)}}], **SIZE)
    assert "ItemCollectionMetrics" not in out


def test_batch_write_reports_each_collection_once_per_table(ddb, tables):
    lsi, plain = tables
    out = ddb.batch_write_item(RequestItems={
        lsi: [{"PutRequest": {"Item": item("b1", 1)}}, {"PutRequest": {"Item": item("b2", 1)}},
              {"PutRequest": {"Item": item("b1", 2)}},
              {"DeleteRequest": {"Key": {"pk": {"S": "b3"}, "sk": {"N": "1"}}}}],
        plain: [{"PutRequest": {"Item": item("b1", 1)}}]}, **SIZE)
    assert out["ItemCollectionMetrics"] == {lsi: [metrics("b1"), metrics("b2"), metrics("b3")]}


def test_transact_write_reports_written_collections(ddb, tables):
    lsi, plain = tables
    ddb.put_item(TableName=lsi, Item=item("t2", 1))
    ddb.put_item(TableName=lsi, Item=item("t4", 1))
    out = ddb.transact_write_items(TransactItems=[
        {"Put": {"TableName": lsi, "Item": item("t1", 1)}},
        {"Update": {"TableName": lsi, "Key": {"pk": {"S": "t2"}, "sk": {"N": "1"}},
                    "UpdateExpression": "SET v = :v",
                    "ExpressionAttributeValues": {":v": {"S": "x"}}}},
        {"Delete": {"TableName": lsi, "Key": {"pk": {"S": "t3"}, "sk": {"N": "1"}}}},
        {"ConditionCheck": {"TableName": lsi, "Key": {"pk": {"S": "t4"}, "sk": {"N": "1"}},
                            "ConditionExpression": "attribute_exists(pk)"}},
        {"Put": {"TableName": plain, "Item": item("t1", 1)}},
    ], **SIZE)
    assert out["ItemCollectionMetrics"] == {lsi: [metrics("t1"), metrics("t2"), metrics("t3")]}


def test_failed_condition_is_an_error_not_metrics(ddb, tables):
    lsi, _ = tables
    assert error(ddb.put_item, TableName=lsi, Item=item("c", 1),
                 ConditionExpression="attribute_exists(pk)", **SIZE)[0] == (
        "ConditionalCheckFailedException")


@pytest.mark.parametrize("size,expected", [
    (0, [0.0, 1.0]), (item_collections.GB - 1, [0.0, 1.0]), (item_collections.GB, [1.0, 2.0]),
    (int(2.5 * item_collections.GB), [2.0, 3.0]),
    (item_collections.LIMIT_BYTES - 1, [9.0, 10.0]), (item_collections.LIMIT_BYTES, [10.0, 11.0])])
def test_size_estimate_buckets(size, expected):
    # the bucketing is inferred (module docstring); this pins it
    assert item_collections.size_estimate_range(size) == expected


def test_raw_json_and_aws_cli(server, tables):
    lsi, _ = tables
    status, body = raw(server, "PutItem", {"TableName": lsi, "Item": item("raw", 1),
                                           "ReturnItemCollectionMetrics": "SIZE"})
    assert status == 200
    assert body == {"ItemCollectionMetrics": {"ItemCollectionKey": {"pk": {"S": "raw"}},
                                              "SizeEstimateRangeGB": [0.0, 1.0]}}
    out = server.aws("dynamodb", "delete-item", "--table-name", lsi, "--key",
                     json.dumps({"pk": {"S": "raw"}, "sk": {"N": "1"}}),
                     "--return-item-collection-metrics", "SIZE").json
    assert out == {"ItemCollectionMetrics": {"ItemCollectionKey": {"pk": {"S": "raw"}},
                                             "SizeEstimateRangeGB": [0.0, 1.0]}}
