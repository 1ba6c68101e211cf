"""Secondary indexes: CreateTable validation, descriptions, entries kept current by every write,
sparse indexes, Query/Scan on GSIs and LSIs with their projection rules, and GSI create/delete
through UpdateTable on the clock. Texts: dynalite validations/createTable.js, actions/query.js,
test/updateTable.js (recorded against AWS); moto's aws_verified Select tests."""

from __future__ import annotations

import pytest

from tests.dynamodb.helpers import create
from tests.kit import error

DEFS = [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "N"},
        {"AttributeName": "g", "AttributeType": "S"}, {"AttributeName": "gs", "AttributeType": "N"},
        {"AttributeName": "l", "AttributeType": "S"}]
KEYS = [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}]
PT = {"ReadCapacityUnits": 100, "WriteCapacityUnits": 100}
GSIS = [{"IndexName": "by_g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"},
                                            {"AttributeName": "gs", "KeyType": "RANGE"}],
         "Projection": {"ProjectionType": "KEYS_ONLY"}, "ProvisionedThroughput": PT},
        {"IndexName": "by_g_all", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
         "Projection": {"ProjectionType": "ALL"}, "ProvisionedThroughput": PT}]
LSIS = [{"IndexName": "by_l", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                                            {"AttributeName": "l", "KeyType": "RANGE"}],
         "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["inc"]}}]


@pytest.fixture(scope="module")
def table(server, ddb):
    name = "IndexedTable"
    create(server, ddb, name, read=100, write=100,
           keys=dict(AttributeDefinitions=DEFS, KeySchema=KEYS),
           GlobalSecondaryIndexes=GSIS, LocalSecondaryIndexes=LSIS)
    items = [
        {"pk": {"S": "a"}, "sk": {"N": "1"}, "g": {"S": "x"}, "gs": {"N": "3"}, "l": {"S": "m"},
         "inc": {"S": "i1"}, "other": {"S": "o1"}},
        {"pk": {"S": "a"}, "sk": {"N": "2"}, "g": {"S": "x"}, "gs": {"N": "1"}, "l": {"S": "c"},
         "inc": {"S": "i2"}, "other": {"S": "o2"}},
        {"pk": {"S": "b"}, "sk": {"N": "1"}, "g": {"S": "x"}, "gs": {"N": "2"}},
        {"pk": {"S": "c"}, "sk": {"N": "1"}, "other": {"S": "not indexed"}},
    ]
    for item in items:
        ddb.put_item(TableName=name, Item=item)
    return name


def test_describe_lists_index_descriptions(ddb, table):
    desc = ddb.describe_table(TableName=table)["Table"]
    arn = desc["TableArn"]
    gsi = {g["IndexName"]: g for g in desc["GlobalSecondaryIndexes"]}
    assert gsi["by_g"]["IndexStatus"] == "ACTIVE"
    assert gsi["by_g"]["Projection"] == {"ProjectionType": "KEYS_ONLY"}
    assert gsi["by_g"]["IndexArn"] == f"{arn}/index/by_g"
    assert gsi["by_g"]["ProvisionedThroughput"] == {"NumberOfDecreasesToday": 0,
                                                    "ReadCapacityUnits": 100,
                                                    "WriteCapacityUnits": 100}
    assert {"IndexSizeBytes", "ItemCount", "KeySchema"} <= set(gsi["by_g"])
    lsi = desc["LocalSecondaryIndexes"][0]
    assert lsi["IndexName"] == "by_l" and lsi["IndexArn"] == f"{arn}/index/by_l"
    assert lsi["Projection"] == {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["inc"]}
    assert "IndexStatus" not in lsi and "ProvisionedThroughput" not in lsi


def test_gsi_query_sparse_ordered_keys_only(ddb, table):
    out = ddb.query(TableName=table, IndexName="by_g", KeyConditionExpression="g = :g",
                    ExpressionAttributeValues={":g": {"S": "x"}})
    assert [i["gs"]["N"] for i in out["Items"]] == ["1", "2", "3"]
    assert set(out["Items"][0]) == {"pk", "sk", "g", "gs"}  # KEYS_ONLY
    out = ddb.query(TableName=table, IndexName="by_g", KeyConditionExpression="g = :g AND gs > :n",
                    ExpressionAttributeValues={":g": {"S": "x"}, ":n": {"N": "1"}}, Limit=1,
                    ScanIndexForward=False)
    assert [i["gs"]["N"] for i in out["Items"]] == ["3"]
    assert out["LastEvaluatedKey"] == {"pk": {"S": "a"}, "sk": {"N": "1"}, "g": {"S": "x"},
                                       "gs": {"N": "3"}}
    out = ddb.query(TableName=table, IndexName="by_g", KeyConditionExpression="g = :g AND gs > :n",
                    ExpressionAttributeValues={":g": {"S": "x"}, ":n": {"N": "1"}},
                    ScanIndexForward=False, ExclusiveStartKey=out["LastEvaluatedKey"])
    assert [i["gs"]["N"] for i in out["Items"]] == ["2"]
    scanned = ddb.scan(TableName=table, IndexName="by_g_all")
    assert scanned["Count"] == 3  # item c has no `g`: not in the index


def test_gsi_read_rules(ddb, table):
    base = dict(TableName=table, KeyConditionExpression="g = :g",
                ExpressionAttributeValues={":g": {"S": "x"}})
    assert error(ddb.query, IndexName="by_g", Select="ALL_ATTRIBUTES", **base) == (
        "ValidationException", "One or more parameter values were invalid: Select type "
        "ALL_ATTRIBUTES is not supported for global secondary index by_g because its projection "
        "type is not ALL", 400)
    assert error(ddb.query, IndexName="by_g", ConsistentRead=True, **base) == (
        "ValidationException", "Consistent reads are not supported on global secondary indexes", 400)
    assert error(ddb.scan, TableName=table, IndexName="by_g", Select="ALL_ATTRIBUTES") == (
        "ValidationException", "One or more parameter values were invalid: Select type "
        "ALL_ATTRIBUTES is not supported for global secondary index by_g because its projection "
        "type is not ALL", 400)
    assert ddb.query(IndexName="by_g", Select="ALL_PROJECTED_ATTRIBUTES", **base)["Count"] == 3
    out = ddb.query(IndexName="by_g_all", ReturnConsumedCapacity="INDEXES", **base)
    assert out["ConsumedCapacity"] == {"TableName": table, "CapacityUnits": 0.5,
                                       "Table": {"CapacityUnits": 0.0},
                                       "GlobalSecondaryIndexes": {"by_g_all": {"CapacityUnits": 0.5}}}


def test_lsi_query_projection_and_fetch(ddb, table):
    base = dict(TableName=table, IndexName="by_l", KeyConditionExpression="pk = :p",
                ExpressionAttributeValues={":p": {"S": "a"}})
    out = ddb.query(**base)
    assert [i["l"]["S"] for i in out["Items"]] == ["c", "m"]
    assert set(out["Items"][0]) == {"pk", "sk", "l", "inc"}
    out = ddb.query(Select="ALL_ATTRIBUTES", ReturnConsumedCapacity="INDEXES", **base)
    assert out["Items"][0]["other"] == {"S": "o2"}
    assert out["ConsumedCapacity"]["LocalSecondaryIndexes"] == {"by_l": {"CapacityUnits": 0.5}}
    assert out["ConsumedCapacity"]["Table"] == {"CapacityUnits": 0.5}
    assert out["ConsumedCapacity"]["CapacityUnits"] == 1.0


def test_writes_keep_indexes_current(ddb, table):
    key = {"pk": {"S": "w"}, "sk": {"N": "1"}}
    ddb.put_item(TableName=table, Item={**key, "g": {"S": "moving"}, "gs": {"N": "1"}})
    q = dict(TableName=table, IndexName="by_g_all", KeyConditionExpression="g = :g")
    assert ddb.query(ExpressionAttributeValues={":g": {"S": "moving"}}, **q)["Count"] == 1
    ddb.put_item(TableName=table, Item={**key, "g": {"S": "moved"}, "gs": {"N": "1"}})
    assert ddb.query(ExpressionAttributeValues={":g": {"S": "moving"}}, **q)["Count"] == 0
    assert ddb.query(ExpressionAttributeValues={":g": {"S": "moved"}}, **q)["Count"] == 1
    ddb.delete_item(TableName=table, Key=key)
    assert ddb.query(ExpressionAttributeValues={":g": {"S": "moved"}}, **q)["Count"] == 0


def test_index_key_type_is_checked_on_write(ddb, table):
    # Two GSIs on g: AWS names the last-defined one (dynalite test/putItem.js "secondary index key
    # is incorrect type" expects index4 over index3, recorded against AWS)
    assert error(ddb.put_item, TableName=table,
                 Item={"pk": {"S": "t"}, "sk": {"N": "1"}, "g": {"N": "1"}}) == (
        "ValidationException", "One or more parameter values were invalid: Type mismatch for "
        "Index Key g Expected: S Actual: N IndexName: by_g_all", 400)
    assert error(ddb.put_item, TableName=table,
                 Item={"pk": {"S": "t"}, "sk": {"N": "1"}, "l": {"S": ""}}) == (
        "ValidationException", "One or more parameter values are not valid. A value specified for "
        "a secondary index key is not supported. The AttributeValue for a key attribute cannot "
        "contain an empty string value. IndexName: by_l, IndexKey: l", 400)


CREATE_ERRORS = [
    (dict(LocalSecondaryIndexes=LSIS, KeySchema=KEYS[:1]),
     "One or more parameter values were invalid: Table KeySchema does not have a range key, which "
     "is required when specifying a LocalSecondaryIndex"),
    (dict(LocalSecondaryIndexes=[{**LSIS[0], "KeySchema": [
        {"AttributeName": "l", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}]}]),
     "One or more parameter values were invalid: Index KeySchema does not have the same leading "
     "hash key as table KeySchema for index: by_l. index hash key: l, table hash key: pk"),
    (dict(GlobalSecondaryIndexes=[{**GSIS[1], "KeySchema": [
        {"AttributeName": "zz", "KeyType": "HASH"}]}]),
     "One or more parameter values were invalid: Some index key attributes are not defined in "
     "AttributeDefinitions. Keys: [zz], AttributeDefinitions: [pk, sk, g, gs, l]"),
    (dict(GlobalSecondaryIndexes=[GSIS[1], GSIS[1]]),
     "One or more parameter values were invalid: Duplicate index name: by_g_all"),
    (dict(GlobalSecondaryIndexes=[{**GSIS[1], "Projection": {"ProjectionType": "ALL",
                                                             "NonKeyAttributes": ["a"]}}]),
     "One or more parameter values were invalid: ProjectionType is ALL, but NonKeyAttributes is "
     "specified"),
    (dict(GlobalSecondaryIndexes=[GSIS[1]]),
     "One or more parameter values were invalid: Some AttributeDefinitions are not used. "
     "AttributeDefinitions: [pk, sk, g, gs, l], keys used: [pk, sk, g]"),
]


@pytest.mark.parametrize("extra,message", CREATE_ERRORS)
def test_create_table_index_validation(ddb, unique, extra, message):
    args = dict(TableName=unique("ix"), AttributeDefinitions=DEFS, KeySchema=KEYS,
                ProvisionedThroughput=PT)
    args.update(extra)
    assert error(ddb.create_table, **args) == ("ValidationException", message, 400)


def test_update_table_creates_and_deletes_a_gsi(aws_server, unique):
    server, ddb = aws_server, aws_server.client("dynamodb")  # transitional states need `--timing aws`
    name = unique("ixu")
    create(server, ddb, name, read=100, write=100,
           keys=dict(AttributeDefinitions=DEFS[:2], KeySchema=KEYS))
    for i in range(5):
        ddb.put_item(TableName=name, Item={"pk": {"S": f"p{i}"}, "sk": {"N": "1"},
                                           "n": {"S": "same" if i % 2 else "other"}})
    out = ddb.update_table(
        TableName=name, AttributeDefinitions=[{"AttributeName": "n", "AttributeType": "S"}],
        GlobalSecondaryIndexUpdates=[{"Create": {
            "IndexName": "by_n", "KeySchema": [{"AttributeName": "n", "KeyType": "HASH"}],
            "Projection": {"ProjectionType": "ALL"}, "ProvisionedThroughput": PT}}])
    desc = out["TableDescription"]
    assert desc["TableStatus"] == "UPDATING"
    assert desc["GlobalSecondaryIndexes"][0]["IndexStatus"] == "CREATING"
    assert desc["GlobalSecondaryIndexes"][0]["Backfilling"] is True
    assert error(ddb.query, TableName=name, IndexName="by_n", KeyConditionExpression="n = :n",
                 ExpressionAttributeValues={":n": {"S": "same"}}) == (
        "ValidationException", "The table does not have the specified index: by_n", 400)
    server.advance(600)  # `--timing aws`: a GSI on a small table is ACTIVE after ~520 s
    desc = ddb.describe_table(TableName=name)["Table"]
    assert desc["TableStatus"] == "ACTIVE"
    assert desc["GlobalSecondaryIndexes"][0]["IndexStatus"] == "ACTIVE"
    out = ddb.query(TableName=name, IndexName="by_n", KeyConditionExpression="n = :n",
                    ExpressionAttributeValues={":n": {"S": "same"}})
    assert out["Count"] == 2
    assert error(ddb.update_table, TableName=name, GlobalSecondaryIndexUpdates=[
        {"Delete": {"IndexName": "by_n"}}, {"Delete": {"IndexName": "by_m"}}]) == (
        "LimitExceededException", "Subscriber limit exceeded: Only 1 online index can be created "
        "or deleted simultaneously per table", 400)
    out = ddb.update_table(TableName=name, GlobalSecondaryIndexUpdates=[
        {"Delete": {"IndexName": "by_n"}}])
    assert out["TableDescription"]["GlobalSecondaryIndexes"][0]["IndexStatus"] == "DELETING"
    server.advance(10)
    assert "GlobalSecondaryIndexes" not in ddb.describe_table(TableName=name)["Table"]


def test_update_gsi_throughput(server, ddb, unique):
    name = unique("ixt")
    create(server, ddb, name, read=100, write=100,
           keys=dict(AttributeDefinitions=DEFS[:3], KeySchema=KEYS),
           GlobalSecondaryIndexes=[GSIS[1]])
    out = ddb.update_table(TableName=name, GlobalSecondaryIndexUpdates=[{"Update": {
        "IndexName": "by_g_all",
        "ProvisionedThroughput": {"ReadCapacityUnits": 7, "WriteCapacityUnits": 8}}}])
    gsi = out["TableDescription"]["GlobalSecondaryIndexes"][0]
    assert gsi["IndexStatus"] == "UPDATING"
    assert gsi["ProvisionedThroughput"]["ReadCapacityUnits"] == 100
    server.advance(5)
    gsi = ddb.describe_table(TableName=name)["Table"]["GlobalSecondaryIndexes"][0]
    assert gsi["IndexStatus"] == "ACTIVE"
    assert (gsi["ProvisionedThroughput"]["ReadCapacityUnits"],
            gsi["ProvisionedThroughput"]["WriteCapacityUnits"]) == (7, 8)
    assert error(ddb.update_table, TableName=name, GlobalSecondaryIndexUpdates=[{"Update": {
        "IndexName": "nope", "ProvisionedThroughput": PT}}]) == (
        "ValidationException", "This operation cannot be performed with given input values. "
        "Please contact DynamoDB service team for more info: Action Blocked: IndexUpdate", 400)
