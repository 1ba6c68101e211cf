"""DynamoDB Streams over HTTP with boto3's `dynamodbstreams` client and the aws CLI: the stream
lifecycle from CreateTable/UpdateTable/DeleteTable, records of every write path and view type,
shards and paging, iterators and their errors, retention, roll-over and restart (manual clock).
AWS facts: DynamoDB Streams API Reference (API_streams_*), Developer Guide "Change data capture
for DynamoDB Streams"; the cited texts are in services/dynamodbstreams/errors.py."""

from __future__ import annotations

import json

import pytest

from tests.dynamodb.helpers import STR_KEY, create
from tests.kit import error

VIEWS = ("KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES")


@pytest.fixture(scope="module")
def streams(server):
    return server.client("dynamodbstreams")


def with_stream(server, ddb, name, view="NEW_AND_OLD_IMAGES", **extra):
    table = create(server, ddb, name, StreamSpecification={"StreamEnabled": True,
                                                            "StreamViewType": view}, **extra)
    return table["LatestStreamArn"]


def read_all(streams, arn, kind="TRIM_HORIZON"):
    """Every record of every shard, walking shards in order (the consumer loop AWS documents)."""
    out = []
    for shard in streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]:
        it = streams.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"],
                                        ShardIteratorType=kind)["ShardIterator"]
        for _ in range(100):
            page = streams.get_records(ShardIterator=it)
            out += page["Records"]
            it = page.get("NextShardIterator")
            if it is None or not page["Records"]:
                break
    return out


def test_a_new_stream_is_listed_and_described(server, ddb, streams, unique):
    name = unique("st")
    arn = with_stream(server, ddb, name, "KEYS_ONLY")
    label = arn.rsplit("/stream/", 1)[1]
    assert arn == f"arn:aws:dynamodb:us-east-1:123456789012:table/{name}/stream/{label}"
    listed = streams.list_streams(TableName=name)["Streams"]
    assert listed == [{"StreamArn": arn, "TableName": name, "StreamLabel": label}]
    d = streams.describe_stream(StreamArn=arn)["StreamDescription"]
    assert d["StreamStatus"] == "ENABLED" and d["StreamViewType"] == "KEYS_ONLY"
    assert d["TableName"] == name and d["KeySchema"] == STR_KEY["KeySchema"]
    assert len(d["Shards"]) == 1 and "ParentShardId" not in d["Shards"][0]
    shard = d["Shards"][0]
    assert shard["ShardId"].startswith("shardId-") and 28 <= len(shard["ShardId"]) <= 65
    assert len(shard["SequenceNumberRange"]["StartingSequenceNumber"]) >= 21
    assert "EndingSequenceNumber" not in shard["SequenceNumberRange"]


@pytest.mark.parametrize("view", VIEWS)
def test_records_of_put_update_delete_by_view_type(server, ddb, streams, unique, view):
    name = unique("st")
    arn = with_stream(server, ddb, name, view)
    ddb.put_item(TableName=name, Item={"id": {"S": "a"}, "v": {"N": "1"}})
    ddb.update_item(TableName=name, Key={"id": {"S": "a"}}, UpdateExpression="SET v = :v",
                    ExpressionAttributeValues={":v": {"N": "2"}})
    ddb.delete_item(TableName=name, Key={"id": {"S": "a"}})
    records = read_all(streams, arn)
    assert [r["eventName"] for r in records] == ["INSERT", "MODIFY", "REMOVE"]
    for r in records:
        assert r["eventSource"] == "aws:dynamodb" and r["awsRegion"] == "us-east-1"
        assert len(r["eventID"]) == 32 and r["eventVersion"] == "1.1"
        assert r["dynamodb"]["Keys"] == {"id": {"S": "a"}}
        assert r["dynamodb"]["StreamViewType"] == view
    seqs = [int(r["dynamodb"]["SequenceNumber"]) for r in records]
    assert seqs == sorted(seqs) and len(set(seqs)) == 3
    new = [r["dynamodb"].get("NewImage") for r in records]
    old = [r["dynamodb"].get("OldImage") for r in records]
    v1, v2 = {"id": {"S": "a"}, "v": {"N": "1"}}, {"id": {"S": "a"}, "v": {"N": "2"}}
    assert new == ([v1, v2, None] if "NEW" in view else [None] * 3)
    assert old == ([None, v1, v2] if "OLD" in view else [None] * 3)
    if view == "KEYS_ONLY":  # the item-size rule: "id" + "a"
        assert records[0]["dynamodb"]["SizeBytes"] == 3


def test_no_record_for_a_write_that_changes_nothing(server, ddb, streams, unique):
    name = unique("st")
    arn = with_stream(server, ddb, name)
    item = {"id": {"S": "a"}, "v": {"N": "1"}}
    ddb.put_item(TableName=name, Item=item)
    ddb.put_item(TableName=name, Item=item)           # identical
    ddb.delete_item(TableName=name, Key={"id": {"S": "missing"}})
    with pytest.raises(ddb.exceptions.ConditionalCheckFailedException):
        ddb.put_item(TableName=name, Item={"id": {"S": "a"}}, ConditionExpression="attribute_not_exists(id)")
    assert [r["eventName"] for r in read_all(streams, arn)] == ["INSERT"]


def test_batch_and_transaction_writes_make_records(server, ddb, streams, unique):
    name = unique("st")
    arn = with_stream(server, ddb, name, "NEW_IMAGE", read=100, write=100)
    ddb.batch_write_item(RequestItems={name: [{"PutRequest": {"Item": {"id": {"S": f"b{i}"}}}}
                                              for i in range(3)]})
    ddb.transact_write_items(TransactItems=[
        {"Put": {"TableName": name, "Item": {"id": {"S": "t1"}}}},
        {"Delete": {"TableName": name, "Key": {"id": {"S": "b0"}}}}])
    with pytest.raises(ddb.exceptions.TransactionCanceledException):
        ddb.transact_write_items(TransactItems=[
            {"Put": {"TableName": name, "Item": {"id": {"S": "t2"}}}},
            {"ConditionCheck": {"TableName": name, "Key": {"id": {"S": "nope"}},
                                "ConditionExpression": "attribute_exists(id)"}}])
    events = [(r["eventName"], r["dynamodb"]["Keys"]["id"]["S"]) for r in read_all(streams, arn)]
    assert events == [("INSERT", "b0"), ("INSERT", "b1"), ("INSERT", "b2"), ("INSERT", "t1"),
                      ("REMOVE", "b0")]


def test_ttl_deletions_carry_the_service_identity(server, ddb, streams, unique):
    name = unique("st")
    arn = with_stream(server, ddb, name, "OLD_IMAGE")
    ddb.update_time_to_live(TableName=name, TimeToLiveSpecification={"Enabled": True,
                                                                     "AttributeName": "exp"})
    server.advance(60)
    ddb.put_item(TableName=name, Item={"id": {"S": "x"}, "exp": {"N": str(int(server.now()) - 10)}})
    server.advance(3 * 3600)  # the TTL sweep deletes expired items within hours
    records = read_all(streams, arn)
    assert [r["eventName"] for r in records] == ["INSERT", "REMOVE"]
    assert records[1]["userIdentity"] == {"Type": "Service", "PrincipalId": "dynamodb.amazonaws.com"}
    assert "userIdentity" not in records[0]


def test_iterators_latest_and_by_sequence_number(server, ddb, streams, unique):
    name = unique("st")
    arn = with_stream(server, ddb, name)
    for i in range(3):
        ddb.put_item(TableName=name, Item={"id": {"S": f"k{i}"}})
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    recs = read_all(streams, arn)
    second = recs[1]["dynamodb"]["SequenceNumber"]

    def keys(kind, **extra):
        it = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType=kind,
                                        **extra)["ShardIterator"]
        return [r["dynamodb"]["Keys"]["id"]["S"] for r in streams.get_records(ShardIterator=it)["Records"]]
    assert keys("AT_SEQUENCE_NUMBER", SequenceNumber=second) == ["k1", "k2"]
    assert keys("AFTER_SEQUENCE_NUMBER", SequenceNumber=second) == ["k2"]
    latest = streams.get_shard_iterator(StreamArn=arn, ShardId=shard,
                                        ShardIteratorType="LATEST")["ShardIterator"]
    assert latest.startswith(arn + "|1|")
    page = streams.get_records(ShardIterator=latest)
    assert page["Records"] == [] and page["NextShardIterator"]
    ddb.put_item(TableName=name, Item={"id": {"S": "k3"}})
    page = streams.get_records(ShardIterator=page["NextShardIterator"])
    assert [r["dynamodb"]["Keys"]["id"]["S"] for r in page["Records"]] == ["k3"]
    # Limit pages through the shard
    it = streams.get_shard_iterator(StreamArn=arn, ShardId=shard,
                                    ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    first = streams.get_records(ShardIterator=it, Limit=2)
    rest = streams.get_records(ShardIterator=first["NextShardIterator"], Limit=10)
    assert len(first["Records"]) == 2 and len(rest["Records"]) == 2


def test_errors(server, ddb, streams, unique):
    name = unique("st")
    arn = with_stream(server, ddb, name)
    missing = f"arn:aws:dynamodb:us-east-1:123456789012:table/{name}/stream/2020-01-01T00:00:00.000"
    assert error(streams.describe_stream, StreamArn=missing) == (
        "ResourceNotFoundException", f"Requested resource not found: Stream: {missing} not found", 400)
    code, _, status = error(streams.describe_stream, StreamArn="x" * 40)
    assert (code, status) == ("ValidationException", 400)
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    code, _, _ = error(streams.get_shard_iterator, StreamArn=arn, ShardId="shardId-" + "0" * 30,
                       ShardIteratorType="LATEST")
    assert code == "ResourceNotFoundException"
    code, _, _ = error(streams.get_shard_iterator, StreamArn=arn, ShardId=shard,
                       ShardIteratorType="AT_SEQUENCE_NUMBER")
    assert code == "ValidationException"
    code, _, _ = error(streams.get_records, ShardIterator="not-an-iterator")
    assert code == "ValidationException"
    it = streams.get_shard_iterator(StreamArn=arn, ShardId=shard,
                                    ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    server.advance(15 * 60 + 1)  # iterators live 15 minutes
    assert error(streams.get_records, ShardIterator=it) == (
        "ExpiredIteratorException", "Shard iterator has expired", 400)


def test_disable_keeps_the_stream_readable_and_re_enable_gives_a_new_arn(server, ddb, streams, unique):
    name = unique("st")
    arn = with_stream(server, ddb, name, "KEYS_ONLY")
    ddb.put_item(TableName=name, Item={"id": {"S": "a"}})
    out = ddb.update_table(TableName=name, StreamSpecification={"StreamEnabled": False})
    assert out["TableDescription"]["LatestStreamArn"] == arn
    assert streams.describe_stream(StreamArn=arn)["StreamDescription"]["StreamStatus"] == "DISABLING"
    server.advance(10)
    d = streams.describe_stream(StreamArn=arn)["StreamDescription"]
    assert d["StreamStatus"] == "DISABLED"
    assert "EndingSequenceNumber" in d["Shards"][0]["SequenceNumberRange"]
    ddb.put_item(TableName=name, Item={"id": {"S": "b"}})  # not captured
    assert [r["dynamodb"]["Keys"]["id"]["S"] for r in read_all(streams, arn)] == ["a"]
    new = ddb.update_table(TableName=name, StreamSpecification={
        "StreamEnabled": True, "StreamViewType": "NEW_IMAGE"})["TableDescription"]["LatestStreamArn"]
    assert new != arn
    server.advance(10)
    assert {s["StreamArn"] for s in streams.list_streams(TableName=name)["Streams"]} == {arn, new}
    server.advance(24 * 3600)  # a disabled stream is readable for 24 hours
    assert [s["StreamArn"] for s in streams.list_streams(TableName=name)["Streams"]] == [new]
    assert error(streams.describe_stream, StreamArn=arn)[0] == "ResourceNotFoundException"


def test_a_deleted_tables_stream_stays_readable(server, ddb, streams, unique):
    name = unique("st")
    arn = with_stream(server, ddb, name)
    ddb.put_item(TableName=name, Item={"id": {"S": "a"}})
    ddb.delete_table(TableName=name)
    server.advance(10)
    assert streams.describe_stream(StreamArn=arn)["StreamDescription"]["StreamStatus"] == "DISABLED"
    assert [r["eventName"] for r in read_all(streams, arn)] == ["INSERT"]


def test_shards_roll_over_and_records_are_trimmed_after_24_hours(server, ddb, streams, unique):
    name = unique("st")
    arn = with_stream(server, ddb, name)
    ddb.put_item(TableName=name, Item={"id": {"S": "old"}})
    server.advance(4 * 3600 + 60)  # shards roll over about every four hours
    ddb.put_item(TableName=name, Item={"id": {"S": "new"}})
    shards = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]
    assert len(shards) == 2 and shards[1]["ParentShardId"] == shards[0]["ShardId"]
    assert "EndingSequenceNumber" in shards[0]["SequenceNumberRange"]
    # a drained closed shard gives no NextShardIterator
    it = streams.get_shard_iterator(StreamArn=arn, ShardId=shards[0]["ShardId"],
                                    ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    page = streams.get_records(ShardIterator=it)
    assert len(page["Records"]) == 1 and "NextShardIterator" not in page
    assert [r["dynamodb"]["Keys"]["id"]["S"] for r in read_all(streams, arn)] == ["old", "new"]
    seq = page["Records"][0]["dynamodb"]["SequenceNumber"]
    server.advance(21 * 3600)  # "old" is now more than 24 hours old
    assert [r["dynamodb"]["Keys"]["id"]["S"] for r in read_all(streams, arn)] == ["new"]
    # the closed shard is listed until its records are all past the retention; "old" is trimmed
    assert error(streams.get_shard_iterator, StreamArn=arn, ShardId=shards[0]["ShardId"],
                 ShardIteratorType="AT_SEQUENCE_NUMBER", SequenceNumber=seq)[0] == (
        "TrimmedDataAccessException")
    server.advance(4 * 3600)  # 24 hours after the first shard closed, it is gone
    listed = [s["ShardId"] for s in streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]]
    assert shards[0]["ShardId"] not in listed and shards[1]["ShardId"] in listed
    assert error(streams.get_shard_iterator, StreamArn=arn, ShardId=shards[0]["ShardId"],
                 ShardIteratorType="TRIM_HORIZON") == (
        "ResourceNotFoundException", "Requested resource not found: Shard does not exist", 400)


def test_records_survive_a_restart(make_server, unique):
    server = make_server("--clock", "manual")
    ddb, name = server.client("dynamodb"), unique("st")
    arn = with_stream(server, ddb, name)
    for i in range(3):
        ddb.put_item(TableName=name, Item={"id": {"S": f"k{i}"}})
    server.restart(__import__("signal").SIGKILL)
    streams = server.client("dynamodbstreams")
    ddb = server.client("dynamodb")
    ddb.put_item(TableName=name, Item={"id": {"S": "k3"}})
    records = read_all(streams, arn)
    assert [r["dynamodb"]["Keys"]["id"]["S"] for r in records] == ["k0", "k1", "k2", "k3"]
    seqs = [int(r["dynamodb"]["SequenceNumber"]) for r in records]
    assert seqs == sorted(set(seqs))


def test_the_aws_cli_reads_a_stream(server, ddb, unique):
    name = unique("st")
    arn = with_stream(server, ddb, name, "KEYS_ONLY")
    ddb.put_item(TableName=name, Item={"id": {"S": "cli"}})
    listed = json.loads(server.aws("dynamodbstreams", "list-streams", "--table-name", name).stdout)
    assert listed["Streams"][0]["StreamArn"] == arn
    shard = json.loads(server.aws("dynamodbstreams", "describe-stream", "--stream-arn", arn).stdout)[
        "StreamDescription"]["Shards"][0]["ShardId"]
    it = json.loads(server.aws("dynamodbstreams", "get-shard-iterator", "--stream-arn", arn,
                               "--shard-id", shard, "--shard-iterator-type", "TRIM_HORIZON").stdout)
    out = json.loads(server.aws("dynamodbstreams", "get-records", "--shard-iterator",
                                it["ShardIterator"]).stdout)
    assert out["Records"][0]["dynamodb"]["Keys"] == {"id": {"S": "cli"}}


def test_streams_tail_prints_new_records(server, ddb, unique):
    import subprocess
    import sys
    name = unique("st")
    with_stream(server, ddb, name, "NEW_IMAGE")
    ddb.put_item(TableName=name, Item={"id": {"S": "before"}})
    out = subprocess.run([sys.executable, "-m", "dynoscale", "streams", "tail", name,
                          "--endpoint-url", server.url, "--from", "trim-horizon", "--max-polls", "1"],
                         capture_output=True, text=True, timeout=60, env=server.env())
    assert out.returncode == 0, out.stderr
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r["dynamodb"]["NewImage"]["id"]["S"] for r in lines] == ["before"]


def test_a_consumer_reads_a_concurrent_workload_exactly_once_in_item_order(server, ddb, streams,
                                                                           unique):
    """Writers on four threads increment counters of 8 items while a consumer walks the shards
    as AWS documents; every change arrives once, each item's changes in order."""
    import threading
    name = unique("st")
    arn = with_stream(server, ddb, name, "NEW_IMAGE", read=1000, write=1000)
    writes_per_thread, threads = 25, 4

    def writer(t):
        client = server.client("dynamodb")
        for i in range(writes_per_thread):
            client.update_item(TableName=name, Key={"id": {"S": f"k{(t * 7 + i) % 8}"}},
                               UpdateExpression="ADD v :one",
                               ExpressionAttributeValues={":one": {"N": "1"}})
    workers = [threading.Thread(target=writer, args=(t,)) for t in range(threads)]
    for w in workers:
        w.start()
    seen: list[dict] = []
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    it = streams.get_shard_iterator(StreamArn=arn, ShardId=shard,
                                    ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    for _ in range(2000):  # bounded: polls while the writers run, then drains
        page = streams.get_records(ShardIterator=it, Limit=7)
        seen += page["Records"]
        it = page["NextShardIterator"]
        if len(seen) >= threads * writes_per_thread and not any(w.is_alive() for w in workers):
            break
    for w in workers:
        w.join()
    seen += streams.get_records(ShardIterator=it)["Records"]
    assert len(seen) == threads * writes_per_thread
    assert len({r["dynamodb"]["SequenceNumber"] for r in seen}) == len(seen)
    by_key: dict[str, list[int]] = {}
    for r in seen:
        image = r["dynamodb"]["NewImage"]
        by_key.setdefault(image["id"]["S"], []).append(int(image["v"]["N"]))
    for values_seen in by_key.values():
        assert values_seen == list(range(1, len(values_seen) + 1))
