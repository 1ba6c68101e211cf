"""PartiQL runs on the item API's engine: its writes make the same DynamoDB Streams records, its
capacity shows in the table's CloudWatch metrics, and its requests are throttled by the same
token buckets (issue: "each statement is charged and throttled exactly as the equivalent item
operation ... and shows in ReturnConsumedCapacity and in the table's CloudWatch metrics")."""

from __future__ import annotations

from botocore.exceptions import ClientError

from tests.dynamodb.helpers import create
from tests.dynamodb.test_metrics import next_minute, stats
from tests.kit import error


def test_writes_make_stream_records(server, ddb, unique):
    name = unique("PqStream")
    arn = create(server, ddb, name, StreamSpecification={
        "StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})["LatestStreamArn"]
    ddb.execute_statement(Statement=f"INSERT INTO \"{name}\" VALUE {{'id': 'a', 'v': 1}}")
    ddb.execute_statement(Statement=f"UPDATE \"{name}\" SET v = v + 1 WHERE id = 'a'")
    ddb.execute_statement(Statement=f"UPDATE \"{name}\" SET v = 2 WHERE id = 'a'")  # no change
    ddb.execute_statement(Statement=f"DELETE FROM \"{name}\" WHERE id = 'a'")
    streams = server.client("dynamodbstreams")
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]
    it = streams.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"],
                                    ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    records = streams.get_records(ShardIterator=it)["Records"]
    assert [(r["eventName"], r["dynamodb"].get("OldImage"), r["dynamodb"].get("NewImage"))
            for r in records] == [
        ("INSERT", None, {"id": {"S": "a"}, "v": {"N": "1"}}),
        ("MODIFY", {"id": {"S": "a"}, "v": {"N": "1"}}, {"id": {"S": "a"}, "v": {"N": "2"}}),
        ("REMOVE", {"id": {"S": "a"}, "v": {"N": "2"}}, None)]


def test_capacity_shows_in_cloudwatch(server, ddb, cw, unique):
    name = unique("PqMetrics")
    create(server, ddb, name, read=100, write=100)
    minute = next_minute(server)
    ddb.execute_statement(Statement=f"INSERT INTO \"{name}\" VALUE {{'id': 'a', 'b': '{'x' * 1500}'}}")
    ddb.execute_statement(Statement=f"SELECT * FROM \"{name}\" WHERE id = 'a'", ConsistentRead=True)
    ddb.execute_statement(Statement=f"SELECT * FROM \"{name}\"")
    server.advance(60)
    writes = stats(cw, "ConsumedWriteCapacityUnits", name, minute, minute + 60)
    reads = stats(cw, "ConsumedReadCapacityUnits", name, minute, minute + 60)
    assert [(p["Sum"], p["SampleCount"]) for p in writes] == [(2, 1)]
    assert [(p["Sum"], p["SampleCount"]) for p in reads] == [(1.5, 2)]


def drain(call) -> None:
    """Call until the table's bucket throttles (300 s of burst at 1 unit per second)."""
    for i in range(1000):
        try:
            call(i)
        except ClientError as e:
            assert e.response["Error"]["Code"] == "ProvisionedThroughputExceededException"
            return
    raise AssertionError("never throttled")


def test_statements_are_throttled_like_item_operations(server, ddb, unique):
    name = unique("PqThrottle")
    create(server, ddb, name, read=1, write=1)
    drain(lambda i: ddb.put_item(TableName=name, Item={"id": {"S": str(i)}}))
    code, message, status = error(ddb.execute_statement,
                                  Statement=f"INSERT INTO \"{name}\" VALUE {{'id': 'new'}}")
    assert (code, status) == ("ProvisionedThroughputExceededException", 400)
    assert message.startswith("The level of configured provisioned throughput for the table")
    assert ddb.get_item(TableName=name, Key={"id": {"S": "new"}}).get("Item") is None
    drain(lambda i: ddb.get_item(TableName=name, Key={"id": {"S": "0"}}, ConsistentRead=True))
    assert error(ddb.execute_statement, Statement=f"SELECT * FROM \"{name}\" WHERE id = '0'")[0] == \
        "ProvisionedThroughputExceededException"


def _fanout_table(server, ddb, unique):
    name = unique("PqFan")
    create(server, ddb, name, read=1000, write=1000,
           keys=dict(AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                           {"AttributeName": "sk", "AttributeType": "N"}],
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                                {"AttributeName": "sk", "KeyType": "RANGE"}]))
    for p in "abcdef":
        for i in range(3):  # 18 items of about 1 KB
            ddb.put_item(TableName=name, Item={"pk": {"S": p}, "sk": {"N": str(i)},
                                               "body": {"S": "y" * 1000}})
    return name


def _keys(out):
    return [(i["pk"]["S"], int(i["sk"]["N"])) for i in out["Items"]]


def test_in_and_or_on_the_partition_key_read_only_those_partitions(server, ddb, unique):
    """Developer guide "PartiQL select statements for DynamoDB": `WHERE OrderID IN [...]` and
    `WHERE OrderID = 100 or OrderID = 200` do not scan the table: only the named partitions are
    read, so only they are charged (6 items of ~1 KB: 0.5 RCU; the whole table: 2.5)."""
    name = _fanout_table(server, ddb, unique)
    out = ddb.execute_statement(Statement=f"SELECT pk, sk FROM \"{name}\" WHERE pk IN ['c', 'a']",
                                ReturnConsumedCapacity="TOTAL")
    assert _keys(out) == [("c", 0), ("c", 1), ("c", 2), ("a", 0), ("a", 1), ("a", 2)]
    assert out["ConsumedCapacity"]["CapacityUnits"] == 1.0
    out = ddb.execute_statement(Statement=f"SELECT pk, sk FROM \"{name}\" "
                                          "WHERE (pk = 'e' OR pk = 'b') AND sk >= 1",
                                ReturnConsumedCapacity="TOTAL")
    assert _keys(out) == [("e", 1), ("e", 2), ("b", 1), ("b", 2)]
    assert out["ConsumedCapacity"]["CapacityUnits"] == 0.5  # the sort condition bounds reads
    scan = ddb.execute_statement(Statement=f"SELECT pk FROM \"{name}\" WHERE body = 'none'",
                                 ReturnConsumedCapacity="TOTAL")
    assert scan["Items"] == [] and scan["ConsumedCapacity"]["CapacityUnits"] == 2.5
    # values of another type than the key's, and keys with no items, match nothing
    out = ddb.execute_statement(Statement=f"SELECT pk FROM \"{name}\" WHERE pk IN ['zz', 1, 'f']")
    assert [i["pk"]["S"] for i in out["Items"]] == ["f", "f", "f"]


def test_in_on_the_partition_key_pages_across_partitions(server, ddb, unique):
    name = _fanout_table(server, ddb, unique)
    statement = f"SELECT pk, sk FROM \"{name}\" WHERE pk IN ['c', 'a', 'b']"
    seen, token, pages = [], None, 0
    while True:
        kw = {"NextToken": token} if token else {}
        out = ddb.execute_statement(Statement=statement, Limit=4, **kw)
        seen += _keys(out)
        pages += 1
        token = out.get("NextToken")
        if token is None:
            break
    assert seen == [(p, i) for p in "cab" for i in range(3)] and pages == 3
