"""Which writes make stream records, over HTTP: PartiQL INSERT/UPDATE/DELETE through
ExecuteStatement, BatchExecuteStatement and ExecuteTransaction; writes that change nothing
(Developer Guide, "Change data capture for DynamoDB Streams": "If you perform a PutItem or
UpdateItem operation that does not change any data in an item, DynamoDB Streams does not write a
stream record for that operation"); failed conditions; restores (Developer Guide, "Restoring a
DynamoDB table from a backup": stream settings are among what "you must manually set up on the
restored table", so a restored table has no stream and the restore writes no records); and the
record shape, with SizeBytes as AWS computes it (records recorded from AWS in
Ankcorn/dynamodb-streams-test's README)."""

from __future__ import annotations


import pytest

from tests.dynamodb.helpers import CREATE_SECONDS, create
from tests.kit import json_call

PK = dict(AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                {"AttributeName": "sk", "AttributeType": "S"}],
          KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                     {"AttributeName": "sk", "KeyType": "RANGE"}])


@pytest.fixture(scope="module")
def streams(server):
    return server.client("dynamodbstreams")


def table_with_stream(server, ddb, unique, view="NEW_AND_OLD_IMAGES", keys=None):
    name = unique("wp")
    desc = create(server, ddb, name, keys=keys, BillingMode="PAY_PER_REQUEST",
                  StreamSpecification={"StreamEnabled": True, "StreamViewType": view})
    return name, desc["LatestStreamArn"]


def records(streams, arn):
    out = []
    for shard in streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]:
        it = streams.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"],
                                        ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        while it:
            page = streams.get_records(ShardIterator=it)
            out += page["Records"]
            it = page.get("NextShardIterator") if page["Records"] else None
    return out


def events(streams, arn):
    return [(r["eventName"], r["dynamodb"]["Keys"]["id"]["S"],
             r["dynamodb"].get("OldImage", {}).get("v", {}).get("N"),
             r["dynamodb"].get("NewImage", {}).get("v", {}).get("N")) for r in records(streams, arn)]


def test_partiql_execute_statement_writes_records(server, ddb, streams, unique):
    name, arn = table_with_stream(server, ddb, unique)
    ddb.execute_statement(Statement=f"INSERT INTO \"{name}\" VALUE {{'id': 'a', 'v': 1}}")
    ddb.execute_statement(Statement=f"UPDATE \"{name}\" SET v = 2 WHERE id = 'a'")
    ddb.execute_statement(Statement=f"UPDATE \"{name}\" SET v = 2 WHERE id = 'a'")  # same value
    ddb.execute_statement(Statement=f"DELETE FROM \"{name}\" WHERE id = 'a'")
    ddb.execute_statement(Statement=f"DELETE FROM \"{name}\" WHERE id = 'missing'")
    with pytest.raises(ddb.exceptions.DuplicateItemException):
        ddb.execute_statement(Statement=f"INSERT INTO \"{name}\" VALUE {{'id': 'b', 'v': 1}}")
        ddb.execute_statement(Statement=f"INSERT INTO \"{name}\" VALUE {{'id': 'b', 'v': 9}}")
    assert events(streams, arn) == [("INSERT", "a", None, "1"), ("MODIFY", "a", "1", "2"),
                                    ("REMOVE", "a", "2", None), ("INSERT", "b", None, "1")]


def test_partiql_batch_and_transaction_write_records(server, ddb, streams, unique):
    name, arn = table_with_stream(server, ddb, unique)
    out = ddb.batch_execute_statement(Statements=[
        {"Statement": f"INSERT INTO \"{name}\" VALUE {{'id': 'x', 'v': 1}}"},
        {"Statement": f"INSERT INTO \"{name}\" VALUE {{'id': 'y', 'v': 1}}"}])
    assert all("Error" not in r for r in out["Responses"])
    ddb.execute_transaction(TransactStatements=[
        {"Statement": f"UPDATE \"{name}\" SET v = 5 WHERE id = 'x'"},
        {"Statement": f"DELETE FROM \"{name}\" WHERE id = 'y'"}])
    with pytest.raises(ddb.exceptions.TransactionCanceledException):  # all or nothing
        ddb.execute_transaction(TransactStatements=[
            {"Statement": f"UPDATE \"{name}\" SET v = 6 WHERE id = 'x'"},
            {"Statement": f"INSERT INTO \"{name}\" VALUE {{'id': 'z', 'v': 0}}"},
            {"Statement": f"UPDATE \"{name}\" SET v = 7 WHERE id = 'y' AND v = 1"}])
    assert events(streams, arn) == [("INSERT", "x", None, "1"), ("INSERT", "y", None, "1"),
                                    ("MODIFY", "x", "1", "5"), ("REMOVE", "y", "1", None)]


def test_writes_that_change_nothing_make_no_record(server, ddb, streams, unique):
    name, arn = table_with_stream(server, ddb, unique)
    ddb.put_item(TableName=name, Item={"id": {"S": "a"}, "v": {"N": "1"}, "l": {"L": [{"S": "x"}]}})
    # UpdateItem setting the values the item already has, in other spellings of the same number
    ddb.update_item(TableName=name, Key={"id": {"S": "a"}}, UpdateExpression="SET v = :v, l = :l",
                    ExpressionAttributeValues={":v": {"N": "1.0"}, ":l": {"L": [{"S": "x"}]}})
    ddb.update_item(TableName=name, Key={"id": {"S": "a"}}, UpdateExpression="REMOVE nothing")
    ddb.update_item(TableName=name, Key={"id": {"S": "a"}},
                    AttributeUpdates={"v": {"Value": {"N": "01"}, "Action": "PUT"}})
    ddb.put_item(TableName=name, Item={"id": {"S": "a"}, "v": {"N": "1"}, "l": {"L": [{"S": "x"}]}})
    ddb.batch_write_item(RequestItems={name: [{"DeleteRequest": {"Key": {"id": {"S": "gone"}}}}]})
    ddb.transact_write_items(TransactItems=[{"Update": {
        "TableName": name, "Key": {"id": {"S": "a"}}, "UpdateExpression": "SET v = :v",
        "ExpressionAttributeValues": {":v": {"N": "1"}}}}])
    ddb.update_item(TableName=name, Key={"id": {"S": "a"}}, UpdateExpression="ADD v :one",
                    ExpressionAttributeValues={":one": {"N": "1"}})  # changes: one record
    assert events(streams, arn) == [("INSERT", "a", None, "1"), ("MODIFY", "a", "1", "2")]


def test_failed_conditions_make_no_record(server, ddb, streams, unique):
    name, arn = table_with_stream(server, ddb, unique)
    ddb.put_item(TableName=name, Item={"id": {"S": "a"}, "v": {"N": "1"}})
    fail = ddb.exceptions.ConditionalCheckFailedException
    with pytest.raises(fail):
        ddb.put_item(TableName=name, Item={"id": {"S": "a"}, "v": {"N": "2"}},
                     ConditionExpression="attribute_not_exists(id)")
    with pytest.raises(fail):
        ddb.update_item(TableName=name, Key={"id": {"S": "a"}}, UpdateExpression="SET v = :v",
                        ConditionExpression="v = :zero",
                        ExpressionAttributeValues={":v": {"N": "3"}, ":zero": {"N": "0"}})
    with pytest.raises(fail):
        ddb.delete_item(TableName=name, Key={"id": {"S": "a"}}, ConditionExpression="v > :ten",
                        ExpressionAttributeValues={":ten": {"N": "10"}})
    with pytest.raises(fail):
        ddb.execute_statement(Statement=f"UPDATE \"{name}\" SET v = 4 WHERE id = 'a' AND v = 0")
    with pytest.raises(ddb.exceptions.TransactionCanceledException):
        ddb.transact_write_items(TransactItems=[
            {"Put": {"TableName": name, "Item": {"id": {"S": "b"}}}},
            {"Delete": {"TableName": name, "Key": {"id": {"S": "a"}},
                        "ConditionExpression": "attribute_not_exists(v)"}}])
    assert events(streams, arn) == [("INSERT", "a", None, "1")]


def test_a_restored_table_has_no_stream_and_the_restore_writes_no_records(server, ddb, streams,
                                                                            unique):
    name, arn = table_with_stream(server, ddb, unique)
    ddb.put_item(TableName=name, Item={"id": {"S": "a"}, "v": {"N": "1"}})
    server.advance(3600)  # backups are available once the table is past its first minutes
    backup = ddb.create_backup(TableName=name, BackupName="before-restore")["BackupDetails"]["BackupArn"]
    restored = unique("restored")
    out = ddb.restore_table_from_backup(TargetTableName=restored, BackupArn=backup)
    server.advance(CREATE_SECONDS + 60)
    desc = ddb.describe_table(TableName=restored)["Table"]
    assert desc["TableStatus"] == "ACTIVE"
    for d in (out["TableDescription"], desc):
        assert "StreamSpecification" not in d and "LatestStreamArn" not in d
    assert streams.list_streams(TableName=restored)["Streams"] == []
    assert ddb.get_item(TableName=restored, Key={"id": {"S": "a"}})["Item"]["v"] == {"N": "1"}
    assert events(streams, arn) == [("INSERT", "a", None, "1")]  # the source's stream: no change


@pytest.mark.parametrize("view,sizes", [
    ("KEYS_ONLY", [6, 6, 6]), ("NEW_IMAGE", [20, 21, 6]), ("OLD_IMAGE", [6, 20, 21]),
    ("NEW_AND_OLD_IMAGES", [20, 35, 21])])
def test_record_sizes_and_shape_as_aws_records_them(server, ddb, streams, unique, view, sizes):
    """The records Ankcorn/dynamodb-streams-test captured from AWS (eu-west-1, 2020) for a table
    keyed pk/sk holding {pk: a, sk: b, data: test}, then data = hello, then deleted: SizeBytes is
    the item-size rule applied to Keys plus the images the record carries; eventID is 32 hex
    digits; SequenceNumber has 21 digits; ApproximateCreationDateTime is whole epoch seconds
    (botocore model: "rounded down to the closest second"), a JSON number on the wire."""
    name, arn = table_with_stream(server, ddb, unique, view, keys=PK)
    key = {"pk": {"S": "a"}, "sk": {"S": "b"}}
    ddb.put_item(TableName=name, Item={**key, "data": {"S": "test"}})
    ddb.update_item(TableName=name, Key=key, UpdateExpression="SET #d = :v",
                    ExpressionAttributeNames={"#d": "data"},
                    ExpressionAttributeValues={":v": {"S": "hello"}})
    ddb.delete_item(TableName=name, Key=key)
    got = records(streams, arn)
    assert [r["dynamodb"]["SizeBytes"] for r in got] == sizes
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    _, _, it = json_call(server, "DynamoDBStreams_20120810.GetShardIterator", {
        "StreamArn": arn, "ShardId": shard, "ShardIteratorType": "TRIM_HORIZON"}, "dynamodb")
    status, _, page = json_call(server, "DynamoDBStreams_20120810.GetRecords",
                                {"ShardIterator": it["ShardIterator"]}, "dynamodb")
    assert status == 200
    for r in page["Records"]:
        assert set(r) == {"eventID", "eventName", "eventVersion", "eventSource", "awsRegion",
                          "dynamodb"}
        assert len(r["eventID"]) == 32 and int(r["eventID"], 16) >= 0
        body = r["dynamodb"]
        assert len(body["SequenceNumber"]) == 21 and body["SequenceNumber"].isdecimal()
        created = body["ApproximateCreationDateTime"]
        assert isinstance(created, int)  # AWS's records: `"ApproximateCreationDateTime": 1594935882`
        assert abs(created - server.now()) < 5
        assert body["Keys"] == key
        assert list(body)[-3:] == ["SequenceNumber", "SizeBytes", "StreamViewType"]  # AWS's order
