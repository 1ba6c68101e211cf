"""Reading a stream over HTTP on the manual clock: GetRecords' 1 MB page, iterator lifetime
(15 minutes, API_streams_GetShardIterator) and malformed iterators, TrimmedDataAccessException for
positions before the trim horizon (API_streams_GetRecords / API_streams_GetShardIterator: "You
request a shard iterator with a sequence number older than the trim point (24 hours)", "... before
you use the iterator in a GetRecords request, a stream record in the shard exceeds the 24 hour
period and is trimmed"), AT_TIMESTAMP (botocore model GetShardIteratorInput.Timestamp) and
DescribeStream's Limit."""

from __future__ import annotations

import base64
import json

import pytest

from tests.dynamodb.helpers import create
from tests.kit import error, json_call

DAY = 24 * 3600


@pytest.fixture(scope="module")
def streams(server):
    return server.client("dynamodbstreams")


def table_with_stream(server, ddb, unique, view="NEW_IMAGE"):
    name = unique("rd")
    desc = create(server, ddb, name, BillingMode="PAY_PER_REQUEST",
                  StreamSpecification={"StreamEnabled": True, "StreamViewType": view})
    arn = desc["LatestStreamArn"]
    return name, arn


def first_shard(streams, arn) -> str:
    return streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]


def iterator(streams, arn, shard, kind, **extra) -> str:
    return streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType=kind,
                                      **extra)["ShardIterator"]


def keys(page) -> list[str]:
    return [r["dynamodb"]["Keys"]["id"]["S"] for r in page["Records"]]


def test_get_records_stops_at_one_megabyte(server, ddb, streams, unique):
    """API_streams_GetRecords: "GetRecords can retrieve a maximum of 1 MB of data or 1000 stream
    records, whichever comes first": five 300 KB records come as three, then two."""
    name, arn = table_with_stream(server, ddb, unique)
    for i in range(5):
        ddb.put_item(TableName=name, Item={"id": {"S": f"big{i}"}, "blob": {"S": "x" * 300_000}})
    it = iterator(streams, arn, first_shard(streams, arn), "TRIM_HORIZON")
    status, _, page = json_call(server, "DynamoDBStreams_20120810.GetRecords",
                                {"ShardIterator": it}, "dynamodb")
    assert status == 200 and keys(page) == ["big0", "big1", "big2"]
    assert len(json.dumps(page)) <= 1024 * 1024
    rest = streams.get_records(ShardIterator=page["NextShardIterator"])
    assert keys(rest) == ["big3", "big4"]
    one = streams.get_records(ShardIterator=it, Limit=1)
    assert keys(one) == ["big0"]


def test_iterators_live_fifteen_minutes(server, ddb, streams, unique):
    """An iterator works until 15 minutes after it was returned, then is
    ExpiredIteratorException with AWS's text; each NextShardIterator is a new 15 minutes."""
    name, arn = table_with_stream(server, ddb, unique)
    shard = first_shard(streams, arn)
    it = iterator(streams, arn, shard, "TRIM_HORIZON")
    server.advance(14 * 60)
    page = streams.get_records(ShardIterator=it)
    server.advance(60)
    assert streams.get_records(ShardIterator=it)["Records"] == []  # exactly 15 minutes: still valid
    server.advance(1)
    assert error(streams.get_records, ShardIterator=it) == (
        "ExpiredIteratorException", "Shard iterator has expired", 400)
    ddb.put_item(TableName=name, Item={"id": {"S": "late"}})
    assert keys(streams.get_records(ShardIterator=page["NextShardIterator"])) == ["late"]


def test_malformed_iterators_are_validation_errors(server, ddb, streams, unique):
    """A ShardIterator this service did not issue is a ValidationException, whatever its age
    (scylladb's test_get_records_nonexistent_iterator, run against AWS), not an expired one."""
    name, arn = table_with_stream(server, ddb, unique)
    it = iterator(streams, arn, first_shard(streams, arn), "LATEST")
    prefix, _, payload = it.rpartition("|")
    forged = base64.b64encode(b'["shardId-x", "not a number", 0, 0]').decode()
    for bad in ("x", "sdfsdfsgagaddafgagasgasgasdfasdfasdfasdfasdgasdasdgasdg", it[:-3],
                f"{prefix}|!!!{payload}", f"{prefix}|{forged}", "|1|" + payload, it + "=="):
        assert error(streams.get_records, ShardIterator=bad) == (
            "ValidationException", "Invalid ShardIterator", 400), bad
    server.advance(3600)
    assert error(streams.get_records, ShardIterator="garbage-after-an-hour")[0] == "ValidationException"


def test_positions_before_the_trim_horizon(server, ddb, streams, unique):
    """Records older than 24 hours are trimmed while their shard is still listed: AT a trimmed
    record's sequence number is TrimmedDataAccessException, AFTER the newest trimmed one reads
    on, TRIM_HORIZON passes over them; an AT iterator taken before its record is trimmed answers
    TrimmedDataAccessException at GetRecords."""
    name, arn = table_with_stream(server, ddb, unique)
    ddb.put_item(TableName=name, Item={"id": {"S": "old"}})
    server.advance(2 * 3600)
    ddb.put_item(TableName=name, Item={"id": {"S": "newer"}})
    shard = first_shard(streams, arn)
    old_seq, newer_seq = [r["dynamodb"]["SequenceNumber"] for r in streams.get_records(
        ShardIterator=iterator(streams, arn, shard, "TRIM_HORIZON"))["Records"]]
    server.advance(DAY - 2 * 3600 - 300)  # "old" is 5 minutes from being trimmed
    early = iterator(streams, arn, shard, "AT_SEQUENCE_NUMBER", SequenceNumber=old_seq)
    server.advance(600)  # now it is trimmed; the shard (closed at 4 hours) is still listed
    assert shard in [s["ShardId"] for s in streams.describe_stream(StreamArn=arn)[
        "StreamDescription"]["Shards"]]
    trimmed = ("TrimmedDataAccessException", "The data you are trying to access has been trimmed.", 400)
    assert error(streams.get_records, ShardIterator=early) == trimmed
    assert error(streams.get_shard_iterator, StreamArn=arn, ShardId=shard,
                 ShardIteratorType="AT_SEQUENCE_NUMBER", SequenceNumber=old_seq) == trimmed
    after_old = iterator(streams, arn, shard, "AFTER_SEQUENCE_NUMBER", SequenceNumber=old_seq)
    assert keys(streams.get_records(ShardIterator=after_old)) == ["newer"]
    page = streams.get_records(ShardIterator=iterator(streams, arn, shard, "TRIM_HORIZON"))
    assert keys(page) == ["newer"] and "NextShardIterator" not in page  # closed, drained
    at_newer = iterator(streams, arn, shard, "AT_SEQUENCE_NUMBER", SequenceNumber=newer_seq)
    assert keys(streams.get_records(ShardIterator=at_newer)) == ["newer"]


def test_sequence_numbers_outside_the_shard(server, ddb, streams, unique):
    """A sequence number past the shard's last record, or of another shape, is a
    ValidationException; AT the next number to come on an open shard waits for it."""
    name, arn = table_with_stream(server, ddb, unique)
    ddb.put_item(TableName=name, Item={"id": {"S": "a"}})
    shard = first_shard(streams, arn)
    [record] = streams.get_records(ShardIterator=iterator(streams, arn, shard, "TRIM_HORIZON"))["Records"]
    seq = int(record["dynamodb"]["SequenceNumber"])
    nxt = iterator(streams, arn, shard, "AT_SEQUENCE_NUMBER", SequenceNumber=str(seq + 1))
    for kind, number in (("AFTER_SEQUENCE_NUMBER", seq + 1), ("AT_SEQUENCE_NUMBER", seq + 2),
                         ("AT_SEQUENCE_NUMBER", 10 ** 39), ("AT_SEQUENCE_NUMBER", "1" * 20 + "x")):
        code, message, _ = error(streams.get_shard_iterator, StreamArn=arn, ShardId=shard,
                                 ShardIteratorType=kind, SequenceNumber=str(number))
        assert code == "ValidationException" and str(number) in message
    ddb.put_item(TableName=name, Item={"id": {"S": "b"}})
    assert keys(streams.get_records(ShardIterator=nxt)) == ["b"]


def test_at_timestamp(server, ddb, streams, unique):
    """AT_TIMESTAMP (botocore model): the first record whose ApproximateCreationDateTime is at or
    after Timestamp; a timestamp before the trim horizon reads from TRIM_HORIZON; one in the
    future, or none, is a ValidationException."""
    name, arn = table_with_stream(server, ddb, unique)
    t0 = int(server.now()) + 1
    server.advance(t0 - server.now())
    for i in range(3):
        ddb.put_item(TableName=name, Item={"id": {"S": f"t{i}"}})
        server.advance(10)
    shard = first_shard(streams, arn)

    def at(ts):
        return keys(streams.get_records(ShardIterator=iterator(streams, arn, shard, "AT_TIMESTAMP",
                                                               Timestamp=ts)))
    assert at(t0) == ["t0", "t1", "t2"]
    assert at(t0 + 10) == ["t1", "t2"]
    assert at(t0 + 10.5) == ["t2"]        # t1's time is t0 + 10 (whole seconds)
    assert at(t0 + 25) == []
    assert at(t0 - 2 * DAY) == ["t0", "t1", "t2"]
    assert error(streams.get_shard_iterator, StreamArn=arn, ShardId=shard,
                 ShardIteratorType="AT_TIMESTAMP", Timestamp=server.now() + 60)[0] == "ValidationException"
    assert error(streams.get_shard_iterator, StreamArn=arn, ShardId=shard,
                 ShardIteratorType="AT_TIMESTAMP")[0] == "ValidationException"


def test_describe_stream_limit(server, ddb, streams, unique):
    """DescribeStream: "The upper limit is 100" (API_streams_DescribeStream), refused above as
    ListStreams refuses it; Limit pages the shards."""
    name, arn = table_with_stream(server, ddb, unique)
    assert error(streams.describe_stream, StreamArn=arn, Limit=101) == (
        "ValidationException", "1 validation error detected: Value '101' at 'limit' failed to "
        "satisfy constraint: Member must have value less than or equal to 100", 400)
    assert len(streams.describe_stream(StreamArn=arn, Limit=100)["StreamDescription"]["Shards"]) == 1


def test_the_aws_cli_shows_awss_errors(server, ddb, streams, unique):
    """The aws CLI prints the errors as it prints AWS's: code, operation and text."""
    name, arn = table_with_stream(server, ddb, unique)
    shard = first_shard(streams, arn)
    it = iterator(streams, arn, shard, "LATEST")
    server.advance(16 * 60)
    cases = [
        (("describe-stream", "--stream-arn", "x" * 40),
         "An error occurred (ValidationException) when calling the DescribeStream operation: "
         "Invalid StreamArn"),
        (("get-shard-iterator", "--stream-arn", arn, "--shard-id", "shardId-" + "9" * 20,
          "--shard-iterator-type", "LATEST"),
         "An error occurred (ResourceNotFoundException) when calling the GetShardIterator "
         "operation: Requested resource not found: Shard does not exist"),
        (("get-records", "--shard-iterator", it),
         "An error occurred (ExpiredIteratorException) when calling the GetRecords operation: "
         "Shard iterator has expired"),
    ]
    for args, text in cases:
        out = server.aws("dynamodbstreams", *args, check=False)
        assert out.returncode != 0 and text in out.stderr, out.stderr
