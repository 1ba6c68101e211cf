"""A shard of 100,010 records, over HTTP on the manual clock: reading from a position costs the
same as on an empty shard, and so does reading past 100,000 trimmed records, because positions
are found by range reads and bisection of the shard, never by a scan from its start (issue 10,
"GetRecords on a shard of 100,000 records reads from its position").

The records are written by TransactWriteItems of 100 Puts sent as raw awsJson over one kept-alive
connection (boto3's own request building would dominate the test's time); the reads use boto3.
The time bounds are loose: on the team's VM, under load, the ten reads near the end took 0.3 s and
the ten past the trimmed records 0.23 s, while the previous implementation (which scanned from a
shard's start to find its trim horizon) took 3.7 s and 14.9 s."""

from __future__ import annotations

import http.client
import json
import time

import pytest

from tests.kit import AUTH, error

RECORDS = 100_000
LATE = 10
DAY = 24 * 3600


@pytest.fixture(scope="module")
def big(make_server_module):
    server = make_server_module
    ddb = server.client("dynamodb")
    ddb.create_table(TableName="big", BillingMode="PAY_PER_REQUEST",
                     AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                     StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"})
    server.advance(10)
    arn = ddb.describe_table(TableName="big")["Table"]["LatestStreamArn"]
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    headers = {"Content-Type": "application/x-amz-json-1.0",
               "X-Amz-Target": "DynamoDB_20120810.TransactWriteItems",
               "Authorization": AUTH.format(svc="dynamodb"), "X-Amz-Date": "20261128T000000Z"}
    try:
        for batch in range(RECORDS // 100):
            if batch % 20 == 19:  # 4,000 WRU per simulated second: a new on-demand table's rate
                server.advance(1)
            body = json.dumps({"TransactItems": [
                {"Put": {"TableName": "big", "Item": {"id": {"S": f"early-{batch}-{i}"}}}}
                for i in range(100)]})
            conn.request("POST", "/", body=body, headers=headers)
            response = conn.getresponse()
            assert response.status == 200, response.read()
            response.read()
    finally:
        conn.close()
    return server, ddb, server.client("dynamodbstreams"), arn


@pytest.fixture(scope="module")
def make_server_module():
    from tests.conftest import Server
    # In memory: the subject is reading, and writing 100,000 records to disk only adds time.
    server = Server(None, ["--clock", "manual"]).start()
    yield server
    server.stop()


def timed(call, *args, **kwargs):
    start = time.perf_counter()
    out = call(*args, **kwargs)
    return out, time.perf_counter() - start


def test_reading_near_the_end_of_a_large_shard_is_fast(big):
    server, ddb, streams, arn = big
    [shard] = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]
    shard_id = shard["ShardId"]
    first = streams.get_records(ShardIterator=streams.get_shard_iterator(
        StreamArn=arn, ShardId=shard_id, ShardIteratorType="TRIM_HORIZON")["ShardIterator"], Limit=1)
    first_seq = first["Records"][0]["dynamodb"]["SequenceNumber"]
    server.advance(3600)
    latest = streams.get_shard_iterator(StreamArn=arn, ShardId=shard_id,
                                        ShardIteratorType="LATEST")["ShardIterator"]
    for i in range(LATE):
        ddb.put_item(TableName="big", Item={"id": {"S": f"late-{i}"}})
    page = streams.get_records(ShardIterator=latest)
    late = [r["dynamodb"]["SequenceNumber"] for r in page["Records"]]
    assert [r["dynamodb"]["Keys"]["id"]["S"] for r in page["Records"]] == [
        f"late-{i}" for i in range(LATE)]

    spent = 0.0
    for seq in late:  # each: a position 100,000 records into the shard
        it, t1 = timed(streams.get_shard_iterator, StreamArn=arn, ShardId=shard_id,
                       ShardIteratorType="AT_SEQUENCE_NUMBER", SequenceNumber=seq)
        got, t2 = timed(streams.get_records, ShardIterator=it["ShardIterator"], Limit=1)
        assert got["Records"][0]["dynamodb"]["SequenceNumber"] == seq
        spent += t1 + t2
    assert spent < 5.0, f"{LATE} reads near the end took {spent:.2f} s"

    # 23.5 hours on: the 100,000 early records are trimmed, the late ones are not; the shard,
    # closed at its four-hour roll-over, is still listed.
    server.advance(DAY - 1800)
    shards = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]
    assert shards[0]["ShardId"] == shard_id and "EndingSequenceNumber" in shards[0]["SequenceNumberRange"]
    spent = 0.0
    for _ in range(5):
        it, t1 = timed(streams.get_shard_iterator, StreamArn=arn, ShardId=shard_id,
                       ShardIteratorType="TRIM_HORIZON")
        got, t2 = timed(streams.get_records, ShardIterator=it["ShardIterator"])
        assert [r["dynamodb"]["SequenceNumber"] for r in got["Records"]] == late
        assert "NextShardIterator" not in got
        spent += t1 + t2
    for _ in range(5):
        refused, t = timed(error, streams.get_shard_iterator, StreamArn=arn, ShardId=shard_id,
                           ShardIteratorType="AT_SEQUENCE_NUMBER", SequenceNumber=first_seq)
        assert refused[0] == "TrimmedDataAccessException"
        spent += t
    assert spent < 5.0, f"10 reads past 100,000 trimmed records took {spent:.2f} s"
