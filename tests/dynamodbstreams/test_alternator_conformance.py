"""DynamoDB Streams conformance, after scylladb's Alternator suite (test/alternator/test_streams.py,
whose cases are written against and run on real DynamoDB): each test here re-states one of its
cases that tests AWS's behaviour (including the ones Alternator marks xfail because Alternator
differs from AWS), against Dynoscale over HTTP with boto3. The source case is named in each
docstring. Alternator-only cases (its tablets, CDC log tables, time-window settings) are left out.

Dynoscale applies a write and its stream record in one transaction, so no test polls: what was
written is readable by the next GetRecords, which makes the expectations exact (every expected
record, in order, and nothing else)."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

from tests.dynamodb.helpers import UPDATE_SECONDS, create
from tests.kit import error

VIEWS = ("OLD_IMAGE", "NEW_IMAGE", "KEYS_ONLY", "NEW_AND_OLD_IMAGES")
REGION = "us-east-1"
SER, DES = TypeSerializer(), TypeDeserializer()
PC = dict(AttributeDefinitions=[{"AttributeName": "p", "AttributeType": "S"},
                                {"AttributeName": "c", "AttributeType": "S"}],
          KeySchema=[{"AttributeName": "p", "KeyType": "HASH"},
                     {"AttributeName": "c", "KeyType": "RANGE"}])
P_ONLY = dict(AttributeDefinitions=[{"AttributeName": "p", "AttributeType": "S"}],
              KeySchema=[{"AttributeName": "p", "KeyType": "HASH"}])


@pytest.fixture(scope="module")
def streams(server):
    return server.client("dynamodbstreams")


@pytest.fixture(scope="module")
def unchecked(server):
    """A client that sends what botocore's own validation would refuse (as scylladb's suite
    does, with an SDK that checks less)."""
    return server.client("dynamodbstreams", parameter_validation=False)


def name(prefix: str = "alt") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def wire(**attrs) -> dict:
    return {k: SER.serialize(v) for k, v in attrs.items()}


def plain(image: dict) -> dict:
    return {k: DES.deserialize(v) for k, v in image.items()}


def stream_table(server, ddb, view, keys=PC, **extra) -> tuple[str, str]:
    """A new on-demand table with a `view` stream, ACTIVE and ENABLED: (name, stream ARN)."""
    table = name()
    desc = create(server, ddb, table, keys=keys, BillingMode="PAY_PER_REQUEST",
                  StreamSpecification={"StreamEnabled": True, "StreamViewType": view}, **extra)
    return table, desc["LatestStreamArn"]


def plain_table(server, ddb, keys=PC) -> str:
    table = name()
    create(server, ddb, table, keys=keys, BillingMode="PAY_PER_REQUEST")
    return table


def active_stream(streams, table) -> tuple[str, str]:
    """scylladb's wait_for_active_stream: the table's ENABLED stream (ARN, label)."""
    for s in streams.list_streams(TableName=table)["Streams"]:
        desc = streams.describe_stream(StreamArn=s["StreamArn"])["StreamDescription"]
        if desc["StreamStatus"] == "ENABLED":
            return s["StreamArn"], s["StreamLabel"]
    raise AssertionError(f"no ENABLED stream for {table}")


def list_shards(streams, arn) -> list[str]:
    """scylladb's list_shards: every shard id, by pages of 10; LastEvaluatedShardId is the last
    id of its page, ids are unique and in lexical order, and nothing follows the last one."""
    page = streams.describe_stream(StreamArn=arn, Limit=10)["StreamDescription"]
    assert len(page["Shards"]) <= 10
    shards = [s["ShardId"] for s in page["Shards"]]
    while "LastEvaluatedShardId" in page:
        assert shards[-1] == page["LastEvaluatedShardId"]
        page = streams.describe_stream(StreamArn=arn, Limit=10,
                                       ExclusiveStartShardId=page["LastEvaluatedShardId"])[
            "StreamDescription"]
        shards += [s["ShardId"] for s in page["Shards"]]
    assert len(set(shards)) == len(shards) and shards == sorted(shards)
    after_last = streams.describe_stream(StreamArn=arn, ExclusiveStartShardId=shards[-1])
    assert after_last["StreamDescription"]["Shards"] == []
    return shards


def latest_iterators(streams, arn) -> list[tuple[str, str]]:
    """scylladb's shards_and_latest_iterators: (shard id, LATEST iterator) of every shard."""
    out = [(shard, streams.get_shard_iterator(StreamArn=arn, ShardId=shard,
                                              ShardIteratorType="LATEST")["ShardIterator"])
           for shard in list_shards(streams, arn)]
    assert len({it for _, it in out}) == len(out)
    return out


def fetch_more(streams, iterators: list[str], output: list) -> list[str]:
    """scylladb's fetch_more: one GetRecords per iterator; the next iterators."""
    following = []
    for it in iterators:
        page = streams.get_records(ShardIterator=it)
        if "NextShardIterator" in page:
            following.append(page["NextShardIterator"])
        output.extend(page["Records"])
    return following


def compare_events(expected: list, output: list, mode: str) -> None:
    """scylladb's compare_events, made exact: `expected` is [eventName, keys, old image, new
    image] per change; per item, `output` holds exactly those records in that order, with the
    images `mode` carries."""
    by_key: dict = {}
    for event in expected:
        by_key.setdefault(repr(sorted(event[1].items())), []).append(event)
    for record in output:
        assert record["eventSource"] == "aws:dynamodb" and record["awsRegion"] == REGION
        assert record["eventVersion"] == "1.1" and len(record["eventID"]) == 32
        body = record["dynamodb"]
        key = repr(sorted(plain(body["Keys"]).items()))
        assert by_key.get(key), f"unexpected record {record}"
        op, _, old, new = by_key[key].pop(0)
        assert record["eventName"] == op, record
        assert body["StreamViewType"] == mode
        assert "ApproximateCreationDateTime" in body
        assert body["SequenceNumber"].isdecimal() and len(body["SequenceNumber"]) >= 21
        assert body["SizeBytes"] > 0
        want_new = new if mode in ("NEW_IMAGE", "NEW_AND_OLD_IMAGES") else None
        want_old = old if mode in ("OLD_IMAGE", "NEW_AND_OLD_IMAGES") else None
        assert (plain(body["NewImage"]) if "NewImage" in body else None) == want_new, record
        assert (plain(body["OldImage"]) if "OldImage" in body else None) == want_old, record
    assert all(not left for left in by_key.values()), f"missing records: {by_key}"


def do_test(server, ddb, streams, view, updates, keys=PC, **extra) -> None:
    """scylladb's do_test: LATEST iterators on a fresh stream, `updates(table, p, c)` returns the
    expected events, then the stream must hold exactly those."""
    table, arn = stream_table(server, ddb, view, keys=keys, **extra)
    iterators = [it for _, it in latest_iterators(streams, arn)]
    expected = updates(table, uuid.uuid4().hex, uuid.uuid4().hex)
    output: list = []
    fetch_more(streams, iterators, output)
    compare_events(expected, output, view)


# -- ListStreams -----------------------------------------------------------------------------------

@pytest.mark.parametrize("view", VIEWS)
def test_list_streams_create(server, ddb, streams, view):
    """scylladb test_list_streams_create: a stream enabled at CreateTable is listed, ENABLED."""
    table, arn = stream_table(server, ddb, view)
    assert active_stream(streams, table)[0] == arn


@pytest.mark.parametrize("view", VIEWS)
def test_list_streams_alter(server, ddb, streams, view):
    """scylladb test_list_streams_alter: a stream enabled by UpdateTable is listed, ENABLED."""
    table = plain_table(server, ddb)
    out = ddb.update_table(TableName=table, StreamSpecification={"StreamEnabled": True,
                                                                 "StreamViewType": view})
    server.advance(UPDATE_SECONDS + 1)
    assert active_stream(streams, table)[0] == out["TableDescription"]["LatestStreamArn"]


def test_list_streams_paged(server, ddb, streams):
    """scylladb test_list_streams_paged: Limit=1 pages carry LastEvaluatedStreamArn and walk to
    both tables' streams."""
    tables = [stream_table(server, ddb, "OLD_IMAGE")[0] for _ in range(2)]
    page = streams.list_streams(Limit=1)
    assert len(page["Streams"]) == 1 and page["LastEvaluatedStreamArn"]
    wanted = set(tables)
    for _ in range(1000):
        wanted -= {s["TableName"] for s in page["Streams"]}
        if not wanted:
            break
        page = streams.list_streams(Limit=1, ExclusiveStartStreamArn=page["LastEvaluatedStreamArn"])
    assert not wanted


def test_list_streams_paged_with_new_table(server, ddb, streams):
    """scylladb test_list_streams_paged_with_new_table: streams created between pages do not
    make a stream of the first page appear again or one of the rest go missing."""
    first_tables = [stream_table(server, ddb, "KEYS_ONLY")[0] for _ in range(4)]
    page = streams.list_streams(Limit=2)
    assert len(page["Streams"]) == 2
    seen = [s["TableName"] for s in page["Streams"]]
    for _ in range(30):
        stream_table(server, ddb, "KEYS_ONLY")
    arn = page["LastEvaluatedStreamArn"]
    while arn:
        page = streams.list_streams(ExclusiveStartStreamArn=arn)
        seen += [s["TableName"] for s in page["Streams"]]
        arn = page.get("LastEvaluatedStreamArn")
    for table in first_tables:
        assert seen.count(table) == 1


def test_list_streams_zero_limit(unchecked):
    """scylladb test_list_streams_zero_limit: Limit=0 is a ValidationException."""
    assert error(unchecked.list_streams, Limit=0) == (
        "ValidationException", "1 validation error detected: Value '0' at 'limit' failed to "
        "satisfy constraint: Member must have value greater than or equal to 1", 400)


def test_list_streams_too_high_limit(streams):
    """scylladb test_list_streams_too_high_limit (xfail on Alternator): AWS refuses Limit=101
    and above ("The upper limit is 100")."""
    for limit in (101, 100000):
        assert error(streams.list_streams, Limit=limit) == (
            "ValidationException", f"1 validation error detected: Value '{limit}' at 'limit' "
            "failed to satisfy constraint: Member must have value less than or equal to 100", 400)
    assert "Streams" in streams.list_streams(Limit=100)


def test_create_streams_wrong_type(server, ddb):
    """scylladb test_create_streams_wrong_type: an unknown StreamViewType is refused."""
    table = plain_table(server, ddb)
    code, message, _ = error(ddb.update_table, TableName=table,
                             StreamSpecification={"StreamEnabled": True, "StreamViewType": "Fisk"})
    assert code == "ValidationException" and "streamViewType" in message


def test_list_streams_empty(server, ddb, streams):
    """scylladb test_list_streams_empty: a table without a stream lists none."""
    assert streams.list_streams(TableName=plain_table(server, ddb))["Streams"] == []


def test_list_streams_with_nonexistent_last_stream(server, ddb, streams):
    """scylladb test_list_streams_with_nonexistent_last_stream: a malformed
    ExclusiveStartStreamArn is a ValidationException."""
    table, _ = stream_table(server, ddb, "KEYS_ONLY")
    assert error(streams.list_streams, TableName=table,
                 ExclusiveStartStreamArn="kossaapaaasdafsdaasdasdasdasasdasfadfadfasdasdas") == (
        "ValidationException", "Invalid StreamArn", 400)


# -- DescribeStream --------------------------------------------------------------------------------

def test_describe_stream(server, ddb, streams):
    """scylladb test_describe_stream and test_describe_stream_create_time: the description's
    members, a numeric StartingSequenceNumber, CreationRequestDateTime."""
    table, _ = stream_table(server, ddb, "KEYS_ONLY")
    arn = streams.list_streams(TableName=table)["Streams"][0]["StreamArn"]
    d = streams.describe_stream(StreamArn=arn)["StreamDescription"]
    assert d["StreamArn"] == arn and d["StreamStatus"] != "DISABLED"
    assert d["StreamViewType"] == "KEYS_ONLY" and d["TableName"] == table
    shard = d["Shards"][0]
    assert shard["ShardId"] and shard["SequenceNumberRange"]["StartingSequenceNumber"].isdecimal()
    assert "CreationRequestDateTime" in d


def test_describe_nonexistent_stream(streams):
    """scylladb test_describe_nonexistent_stream: a malformed StreamArn is a
    ValidationException (not ResourceNotFoundException, which only DynamoDB Local answers)."""
    assert error(streams.describe_stream,
                 StreamArn="sdfadfsdfnlfkajakfgjalksfgklasjklasdjfklasdfasdfgasf") == (
        "ValidationException", "Invalid StreamArn", 400)


def test_describe_stream_with_nonexistent_last_shard(server, ddb, streams):
    """scylladb test_describe_stream_with_nonexistent_last_shard: an ExclusiveStartShardId that
    names no shard is not an error; no shard follows this one."""
    _, arn = stream_table(server, ddb, "KEYS_ONLY")
    d = streams.describe_stream(StreamArn=arn, ExclusiveStartShardId="z" * 24 +
                                "sfasdgagadfadfgagkjsdfsfsdjfjks")["StreamDescription"]
    assert d["Shards"] == []


# -- GetShardIterator ------------------------------------------------------------------------------

def test_get_shard_iterator(server, ddb, streams):
    """scylladb test_get_shard_iterator: every iterator type on a fresh shard (AT/AFTER with its
    StartingSequenceNumber), and the refusals: no sequence number for AT/AFTER, one for
    TRIM_HORIZON/LATEST, a bad ARN, shard, type or sequence number."""
    _, arn = stream_table(server, ddb, "KEYS_ONLY")
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]
    shard_id, seq = shard["ShardId"], shard["SequenceNumberRange"]["StartingSequenceNumber"]
    assert len(shard_id) <= 65
    for kind in ("AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER"):
        assert streams.get_shard_iterator(StreamArn=arn, ShardId=shard_id, ShardIteratorType=kind,
                                          SequenceNumber=seq)["ShardIterator"]
    for kind in ("TRIM_HORIZON", "LATEST"):
        assert streams.get_shard_iterator(StreamArn=arn, ShardId=shard_id,
                                          ShardIteratorType=kind)["ShardIterator"]
    for kind in ("AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER"):
        assert error(streams.get_shard_iterator, StreamArn=arn, ShardId=shard_id,
                     ShardIteratorType=kind)[0] == "ValidationException"
    for kind in ("TRIM_HORIZON", "LATEST"):
        assert error(streams.get_shard_iterator, StreamArn=arn, ShardId=shard_id,
                     ShardIteratorType=kind, SequenceNumber=seq)[0] == "ValidationException"
    assert error(streams.get_shard_iterator,
                 StreamArn="sdfadsfsdfsdgdfsgsfdabadfbabdadsfsdfsdfsdfsdfsdfsdfdfdssdffbdfdf",
                 ShardId=shard_id, ShardIteratorType="AT_SEQUENCE_NUMBER", SequenceNumber=seq) == (
        "ValidationException", "Invalid StreamArn", 400)
    assert error(streams.get_shard_iterator, StreamArn=arn,
                 ShardId="semprinidfaasdasfsdvacsdcfsdsvsdvsdvsdvsdvsdv",
                 ShardIteratorType="LATEST") == (
        "ResourceNotFoundException", "Requested resource not found: Shard does not exist", 400)
    code, message, _ = error(streams.get_shard_iterator, StreamArn=arn, ShardId=shard_id,
                             ShardIteratorType="bulle", SequenceNumber=seq)
    assert code == "ValidationException" and "shardIteratorType" in message
    code, message, _ = error(streams.get_shard_iterator, StreamArn=arn, ShardId=shard_id,
                             ShardIteratorType="LATEST",
                             SequenceNumber="sdfsafglldfngjdafnasdflgnaldklkafdsgklnasdlv")
    assert code == "ValidationException" and "sequenceNumber" in message


def test_get_shard_iterator_for_nonexistent_stream(server, ddb, streams):
    """scylladb test_get_shard_iterator_for_nonexistent_stream: a malformed StreamArn with a real
    shard id is a ValidationException."""
    _, arn = stream_table(server, ddb, "KEYS_ONLY")
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    assert error(streams.get_shard_iterator,
                 StreamArn="sdfadfsddafgdafsgjnadflkgnalngalsdfnlkasnlkasdfasdfasf",
                 ShardId=shard, ShardIteratorType="LATEST") == (
        "ValidationException", "Invalid StreamArn", 400)


def test_get_shard_iterator_for_nonexistent_shard(server, ddb, streams):
    """scylladb test_get_shard_iterator_for_nonexistent_shard."""
    _, arn = stream_table(server, ddb, "KEYS_ONLY")
    assert error(streams.get_shard_iterator, StreamArn=arn,
                 ShardId="adfasdasdasdasdasdasdasdasdasasdasd", ShardIteratorType="LATEST") == (
        "ResourceNotFoundException", "Requested resource not found: Shard does not exist", 400)


# -- GetRecords ------------------------------------------------------------------------------------

def test_get_records(server, ddb, streams):
    """scylladb test_get_records: PutItem then UpdateItem with AttributeUpdates, read from each
    shard's StartingSequenceNumber (AT_SEQUENCE_NUMBER), pages of DescribeStream followed."""
    table, arn = stream_table(server, ddb, "NEW_AND_OLD_IMAGES")
    ddb.put_item(TableName=table, Item=wire(p="piglet", c="ninja", a1="lucifers", a2="flowers"))
    ddb.update_item(TableName=table, Key=wire(p="piglet", c="ninja"), AttributeUpdates={
        "a1": {"Value": {"S": "semprini"}, "Action": "PUT"},
        "a2": {"Value": {"S": "nudge"}, "Action": "PUT"}})
    records: list = []
    for shard in streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]:
        it = streams.get_shard_iterator(
            StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="AT_SEQUENCE_NUMBER",
            SequenceNumber=shard["SequenceNumberRange"]["StartingSequenceNumber"])["ShardIterator"]
        records += streams.get_records(ShardIterator=it, Limit=1000)["Records"]
    key = {"p": "piglet", "c": "ninja"}
    compare_events([["INSERT", key, None, {**key, "a1": "lucifers", "a2": "flowers"}],
                    ["MODIFY", key, {**key, "a1": "lucifers", "a2": "flowers"},
                     {**key, "a1": "semprini", "a2": "nudge"}]], records, "NEW_AND_OLD_IMAGES")


def test_get_records_nonexistent_iterator(streams):
    """scylladb test_get_records_nonexistent_iterator: a garbage iterator is a
    ValidationException."""
    code, _, status = error(streams.get_records, Limit=1000,
                            ShardIterator="sdfsdfsgagaddafgagasgasgasdfasdfasdfasdfasdgasdasdgasdg")
    assert (code, status) == ("ValidationException", 400)


def test_get_records_too_high_limit(server, ddb, streams, unchecked):
    """scylladb test_get_records_too_high_limit: Limit 1000 is allowed, 1001, 0 and -1 are
    ValidationExceptions naming the limit."""
    _, arn = stream_table(server, ddb, "KEYS_ONLY")
    shard = streams.describe_stream(StreamArn=arn, Limit=1)["StreamDescription"]["Shards"][0]
    it = streams.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"],
                                    ShardIteratorType="LATEST")["ShardIterator"]
    assert streams.get_records(ShardIterator=it, Limit=1000)["Records"] == []
    assert error(streams.get_records, ShardIterator=it, Limit=1001) == (
        "ValidationException", "1 validation error detected: Value '1001' at 'limit' failed to "
        "satisfy constraint: Member must have value less than or equal to 1000", 400)
    for limit in (0, -1):
        assert error(unchecked.get_records, ShardIterator=it, Limit=limit) == (
            "ValidationException", f"1 validation error detected: Value '{limit}' at 'limit' "
            "failed to satisfy constraint: Member must have value greater than or equal to 1", 400)


# -- UpdateTable on a table with a stream ----------------------------------------------------------

def test_streams_change_type(server, ddb):
    """scylladb test_streams_change_type: an enabled stream's view type cannot be changed."""
    table, _ = stream_table(server, ddb, "KEYS_ONLY")
    code, message, _ = error(ddb.update_table, TableName=table, StreamSpecification={
        "StreamEnabled": True, "StreamViewType": "OLD_IMAGE"})
    assert code == "ValidationException" and "already" in message


def test_streams_enable_on_enabled(server, ddb):
    """scylladb test_streams_enable_on_enabled: enabling again, even with the same type."""
    table, _ = stream_table(server, ddb, "NEW_AND_OLD_IMAGES")
    code, message, _ = error(ddb.update_table, TableName=table, StreamSpecification={
        "StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})
    assert code == "ValidationException" and "already" in message and "enabled" in message


def test_streams_disable_on_disabled(server, ddb):
    """scylladb test_streams_disable_on_disabled."""
    code, message, _ = error(ddb.update_table, TableName=plain_table(server, ddb),
                             StreamSpecification={"StreamEnabled": False})
    assert code == "ValidationException" and "stream" in message and "disable" in message


# -- Records of each write, by view type -----------------------------------------------------------

def test_streams_putitem_keys_only(server, ddb, streams):
    """scylladb test_streams_putitem_keys_only: a PutItem of a new item is one INSERT."""
    def updates(table, p, c):
        ddb.put_item(TableName=table, Item=wire(p=p, c=c, x=2))
        return [["INSERT", {"p": p, "c": c}, None, {"p": p, "c": c, "x": 2}]]
    do_test(server, ddb, streams, "KEYS_ONLY", updates)


def test_streams_putitem_new_items_override_old(server, ddb, streams):
    """scylladb test_streams_putitem_new_items_override_old (with AWS's event names, which
    Alternator's issue #6918 relaxes): replacing an item is a MODIFY with the whole old item."""
    def updates(table, p, c):
        k = {"p": p, "c": c}
        events, old = [], None
        for new in ({**k, "a": 1}, {**k, "b": 2}, {**k, "a": 3, "b": 4}, dict(k)):
            ddb.put_item(TableName=table, Item=wire(**new))
            events.append(["INSERT" if old is None else "MODIFY", k, old, new])
            old = new
        return events
    do_test(server, ddb, streams, "NEW_AND_OLD_IMAGES", updates)


def test_streams_putitem_new_item_overrides_old_lsi(server, ddb, streams):
    """scylladb test_streams_putitem_new_item_overrides_old_lsi: the same when the replaced
    attribute is an LSI key."""
    lsi = dict(AttributeDefinitions=PC["AttributeDefinitions"] + [
        {"AttributeName": "a", "AttributeType": "S"}], KeySchema=PC["KeySchema"])

    def updates(table, p, c):
        k = {"p": p, "c": c}
        ddb.put_item(TableName=table, Item=wire(**k, a="1"))
        ddb.put_item(TableName=table, Item=wire(**k))
        assert ddb.scan(TableName=table, IndexName="a_idx")["Items"] == []
        return [["INSERT", k, None, {**k, "a": "1"}], ["MODIFY", k, {**k, "a": "1"}, k]]
    do_test(server, ddb, streams, "NEW_AND_OLD_IMAGES", updates, keys=lsi, LocalSecondaryIndexes=[{
        "IndexName": "a_idx", "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"},
                                            {"AttributeName": "a", "KeyType": "RANGE"}],
        "Projection": {"ProjectionType": "ALL"}}])


def test_streams_putitem_no_ck_new_items_override_old(server, ddb, streams):
    """scylladb test_streams_putitem_no_ck_new_items_override_old: a hash-key-only table."""
    def updates(table, p, _):
        k = {"p": p}
        events, old = [], None
        for new in ({**k, "a": 1}, {**k, "b": 2}, {**k, "a": 3, "b": 4}, dict(k)):
            ddb.put_item(TableName=table, Item=wire(**new))
            events.append(["INSERT" if old is None else "MODIFY", k, old, new])
            old = new
        return events
    do_test(server, ddb, streams, "NEW_AND_OLD_IMAGES", updates, keys=P_ONLY)


def test_streams_putitem_deleteitem_no_ck(server, ddb, streams):
    """scylladb test_streams_putitem_deleteitem_no_ck (xfail on Alternator): deleting an item of
    a hash-key-only table is a REMOVE with the OldImage."""
    def updates(table, p, _):
        ddb.put_item(TableName=table, Item=wire(p=p, x=1))
        ddb.delete_item(TableName=table, Key=wire(p=p))
        return [["INSERT", {"p": p}, None, {"p": p, "x": 1}],
                ["REMOVE", {"p": p}, {"p": p, "x": 1}, None]]
    do_test(server, ddb, streams, "NEW_AND_OLD_IMAGES", updates, keys=P_ONLY)


@pytest.mark.parametrize("view", ("KEYS_ONLY", "NEW_IMAGE"))
def test_streams_updateitem_keys_only(server, ddb, streams, view):
    """scylladb test_streams_updateitem_keys_only (xfail on Alternator, issue #6918): an
    UpdateItem that creates the item is an INSERT."""
    def updates(table, p, c):
        ddb.update_item(TableName=table, Key=wire(p=p, c=c), UpdateExpression="SET x = :v",
                        ExpressionAttributeValues={":v": {"N": "2"}})
        return [["INSERT", {"p": p, "c": c}, None, {"p": p, "c": c, "x": 2}]]
    do_test(server, ddb, streams, view, updates)


def test_streams_updateitem_old_image(server, ddb, streams):
    """scylladb test_streams_updateitem_old_image: OLD_IMAGE is the whole old item, and absent
    when the update created the item."""
    def updates(table, p, c):
        k = {"p": p, "c": c}
        ddb.update_item(TableName=table, Key=wire(**k), UpdateExpression="SET x = :v",
                        ExpressionAttributeValues={":v": {"N": "2"}})
        ddb.update_item(TableName=table, Key=wire(**k), UpdateExpression="SET y = :v",
                        ExpressionAttributeValues={":v": {"N": "3"}})
        return [["INSERT", k, None, {**k, "x": 2}], ["MODIFY", k, {**k, "x": 2}, {**k, "x": 2, "y": 3}]]
    do_test(server, ddb, streams, "OLD_IMAGE", updates)


def test_streams_updateitem_old_image_empty_item(server, ddb, streams):
    """scylladb test_streams_updateitem_old_image_empty_item: an UpdateItem with no update
    creates a key-only item (an INSERT), whose OldImage is then the key alone."""
    def updates(table, p, c):
        k = {"p": p, "c": c}
        ddb.update_item(TableName=table, Key=wire(**k))
        ddb.update_item(TableName=table, Key=wire(**k), UpdateExpression="SET y = :v",
                        ExpressionAttributeValues={":v": {"N": "3"}})
        return [["INSERT", k, None, k], ["MODIFY", k, k, {**k, "y": 3}]]
    do_test(server, ddb, streams, "OLD_IMAGE", updates)


LSI_K = dict(AttributeDefinitions=PC["AttributeDefinitions"] + [
    {"AttributeName": "k", "AttributeType": "S"}], KeySchema=PC["KeySchema"])
LSI_INDEX = [{"IndexName": "index", "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"},
                                                  {"AttributeName": "k", "KeyType": "RANGE"}],
              "Projection": {"ProjectionType": "ALL"}}]


def test_streams_updateitem_old_image_lsi(server, ddb, streams):
    """scylladb test_streams_updateitem_old_image_lsi: the OldImage holds the LSI key too."""
    def updates(table, p, c):
        k = {"p": p, "c": c}
        ddb.update_item(TableName=table, Key=wire(**k), UpdateExpression="SET x = :x, k = :k",
                        ExpressionAttributeValues={":x": {"N": "2"}, ":k": {"S": "dog"}})
        ddb.update_item(TableName=table, Key=wire(**k), UpdateExpression="SET y = :y",
                        ExpressionAttributeValues={":y": {"N": "3"}})
        first = {**k, "x": 2, "k": "dog"}
        return [["INSERT", k, None, first], ["MODIFY", k, first, {**first, "y": 3}]]
    do_test(server, ddb, streams, "OLD_IMAGE", updates, keys=LSI_K, LocalSecondaryIndexes=LSI_INDEX)


def test_streams_updateitem_old_image_lsi_missing_column(server, ddb, streams):
    """scylladb test_streams_updateitem_old_image_lsi_missing_column: an unset LSI key is simply
    absent from the OldImage (no marker attribute)."""
    def updates(table, p, c):
        k = {"p": p, "c": c}
        ddb.update_item(TableName=table, Key=wire(**k), UpdateExpression="SET x = :x",
                        ExpressionAttributeValues={":x": {"N": "2"}})
        ddb.update_item(TableName=table, Key=wire(**k), UpdateExpression="SET y = :y",
                        ExpressionAttributeValues={":y": {"N": "3"}})
        return [["INSERT", k, None, {**k, "x": 2}], ["MODIFY", k, {**k, "x": 2}, {**k, "x": 2, "y": 3}]]
    do_test(server, ddb, streams, "OLD_IMAGE", updates, keys=LSI_K, LocalSecondaryIndexes=LSI_INDEX)


def _image_corner_cases(ddb, table, p, c, with_z: bool):
    k = {"p": p, "c": c}
    ddb.update_item(TableName=table, Key=wire(**k), UpdateExpression="SET x = :v",
                    ExpressionAttributeValues={":v": {"N": "2"}})
    ddb.update_item(TableName=table, Key=wire(**k), UpdateExpression="SET y = :v",
                    ExpressionAttributeValues={":v": {"N": "3"}})
    ddb.update_item(TableName=table, Key=wire(**k), UpdateExpression="REMOVE x, y")
    events = [["INSERT", k, None, {**k, "x": 2}], ["MODIFY", k, {**k, "x": 2}, {**k, "x": 2, "y": 3}],
              ["MODIFY", k, {**k, "x": 2, "y": 3}, k]]
    last = k
    if with_z:
        ddb.update_item(TableName=table, Key=wire(**k), UpdateExpression="SET z = :v",
                        ExpressionAttributeValues={":v": {"N": "4"}})
        events.append(["MODIFY", k, k, {**k, "z": 4}])
        last = {**k, "z": 4}
    ddb.delete_item(TableName=table, Key=wire(**k))
    events.append(["REMOVE", k, last, None])
    return events


def test_streams_new_image(server, ddb, streams):
    """scylladb test_streams_new_image: NewImage is the whole new item with its key, a key-only
    item after removing every attribute, absent after a delete."""
    do_test(server, ddb, streams, "NEW_IMAGE",
            lambda table, p, c: _image_corner_cases(ddb, table, p, c, with_z=False))


def test_streams_new_and_old_images(server, ddb, streams):
    """scylladb test_streams_new_and_old_images: the same for both images, including an
    OldImage that is the key alone."""
    do_test(server, ddb, streams, "NEW_AND_OLD_IMAGES",
            lambda table, p, c: _image_corner_cases(ddb, table, p, c, with_z=True))


def _do_updates_1(ddb, table, p, c):
    """scylladb do_updates_1: the same item through PutItem, DeleteItem, UpdateItem and
    BatchWriteItem; identical puts and deletes of a missing item write nothing."""
    k = {"p": p, "c": c}
    events = []
    ddb.put_item(TableName=table, Item=wire(**k, x=2))
    events.append(["INSERT", k, None, {**k, "x": 2}])
    ddb.put_item(TableName=table, Item=wire(**k, x=2))
    ddb.put_item(TableName=table, Item=wire(**k, y=3))
    events.append(["MODIFY", k, {**k, "x": 2}, {**k, "y": 3}])
    ddb.delete_item(TableName=table, Key=wire(**k))
    events.append(["REMOVE", k, {**k, "y": 3}, None])
    ddb.delete_item(TableName=table, Key=wire(**k))
    ddb.update_item(TableName=table, Key=wire(**k), UpdateExpression="SET b = :v",
                    ExpressionAttributeValues={":v": {"N": "4"}})
    events.append(["INSERT", k, None, {**k, "b": 4}])
    ddb.update_item(TableName=table, Key=wire(**k), UpdateExpression="SET x = :v",
                    ExpressionAttributeValues={":v": {"N": "5"}})
    events.append(["MODIFY", k, {**k, "b": 4}, {**k, "b": 4, "x": 5}])
    ddb.batch_write_item(RequestItems={table: [{"PutRequest": {"Item": wire(**k, x=5)}}]})
    events.append(["MODIFY", k, {**k, "b": 4, "x": 5}, {**k, "x": 5}])
    return events


@pytest.mark.parametrize("view", VIEWS)
def test_streams_1(server, ddb, streams, view):
    """scylladb test_streams_1_keys_only / _new_image / _old_image / _new_and_old_images (xfail on
    Alternator): one item through every write, by view type."""
    do_test(server, ddb, streams, view, lambda table, p, c: _do_updates_1(ddb, table, p, c))


# -- Reading positions -----------------------------------------------------------------------------

def _one_update(ddb, table, p, c, value):
    ddb.update_item(TableName=table, Key=wire(p=p, c=c), UpdateExpression="SET x = :v",
                    ExpressionAttributeValues={":v": {"N": str(value)}})


def test_streams_no_records(server, ddb, streams):
    """scylladb test_streams_no_records: a LATEST iterator with nothing after it answers an empty
    Records list (not a missing one) and a NextShardIterator on an open shard."""
    _, arn = stream_table(server, ddb, "KEYS_ONLY")
    shard = streams.describe_stream(StreamArn=arn, Limit=1)["StreamDescription"]["Shards"][0]
    it = streams.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"],
                                    ShardIteratorType="LATEST")["ShardIterator"]
    page = streams.get_records(ShardIterator=it)
    assert page["Records"] == [] and "NextShardIterator" in page


def test_streams_last_result_and_another_result(server, ddb, streams):
    """scylladb test_streams_last_result and test_streams_another_result: after the one record,
    the next iterator reads nothing; a second change to the same item arrives on the same
    shard."""
    table, arn = stream_table(server, ddb, "KEYS_ONLY")
    [(_, it)] = latest_iterators(streams, arn)
    _one_update(ddb, table, "p1", "c1", 5)
    page = streams.get_records(ShardIterator=it)
    assert len(page["Records"]) == 1
    assert page["Records"][0]["dynamodb"]["Keys"] == {"p": {"S": "p1"}, "c": {"S": "c1"}}
    page = streams.get_records(ShardIterator=page["NextShardIterator"])
    assert page["Records"] == [] and "NextShardIterator" in page
    _one_update(ddb, table, "p1", "c1", 7)
    page = streams.get_records(ShardIterator=page["NextShardIterator"])
    assert [r["dynamodb"]["Keys"] for r in page["Records"]] == [{"p": {"S": "p1"}, "c": {"S": "c1"}}]
    assert "NextShardIterator" in page


def test_streams_at_after_sequence_number_and_trim_horizon(server, ddb, streams):
    """scylladb test_streams_at_sequence_number, test_streams_after_sequence_number and
    test_streams_trim_horizon: sequence numbers grow (as big integers); AT re-reads a record,
    AFTER reads the one after it, TRIM_HORIZON both again in order."""
    table, arn = stream_table(server, ddb, "KEYS_ONLY")
    [(shard, it)] = latest_iterators(streams, arn)
    _one_update(ddb, table, "p", "c", 3)
    _one_update(ddb, table, "p", "c", 5)
    first, second = streams.get_records(ShardIterator=it)["Records"]
    s1, s2 = first["dynamodb"]["SequenceNumber"], second["dynamodb"]["SequenceNumber"]
    assert int(s1) < int(s2)

    def read(kind, **extra):
        it = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType=kind,
                                        **extra)["ShardIterator"]
        return [r["dynamodb"]["SequenceNumber"] for r in streams.get_records(ShardIterator=it)["Records"]]
    assert read("AT_SEQUENCE_NUMBER", SequenceNumber=s1) == [s1, s2]
    assert read("AT_SEQUENCE_NUMBER", SequenceNumber=s2) == [s2]
    assert read("AFTER_SEQUENCE_NUMBER", SequenceNumber=s1) == [s2]
    assert read("AFTER_SEQUENCE_NUMBER", SequenceNumber=s2) == []
    assert read("TRIM_HORIZON") == [s1, s2]


def test_streams_starting_sequence_number(server, ddb, streams):
    """scylladb test_streams_starting_sequence_number: AT_SEQUENCE_NUMBER with a shard's
    StartingSequenceNumber reads all of its records; so does AFTER_SEQUENCE_NUMBER (the
    starting number is the shard's own, below its first record's)."""
    table, arn = stream_table(server, ddb, "KEYS_ONLY")
    _one_update(ddb, table, "p", "c", 3)
    _one_update(ddb, table, "p", "c", 5)
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]
    start = shard["SequenceNumberRange"]["StartingSequenceNumber"]
    assert start.isdecimal()
    for kind in ("AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER"):
        it = streams.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"],
                                        ShardIteratorType=kind, SequenceNumber=start)["ShardIterator"]
        records = streams.get_records(ShardIterator=it)["Records"]
        assert len(records) == 2
        assert all(int(r["dynamodb"]["SequenceNumber"]) > int(start) for r in records)


# -- The table's description -----------------------------------------------------------------------

def test_latest_stream_arn_label_and_specification(server, ddb, streams):
    """scylladb test_latest_stream_arn, test_latest_stream_label and test_stream_specification:
    CreateTable, DescribeTable and an UpdateTable that changes nothing (BillingMode as it was)
    all carry the LatestStreamArn and LatestStreamLabel ListStreams shows, and the
    StreamSpecification."""
    table, _ = name(), None
    created = ddb.create_table(TableName=table, BillingMode="PAY_PER_REQUEST",
                               StreamSpecification={"StreamEnabled": True,
                                                    "StreamViewType": "KEYS_ONLY"},
                               **PC)["TableDescription"]
    server.advance(10)
    arn, label = active_stream(streams, table)
    spec = {"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"}
    described = ddb.describe_table(TableName=table)["Table"]
    updated = ddb.update_table(TableName=table, BillingMode="PAY_PER_REQUEST")["TableDescription"]
    for desc in (created, described, updated):
        assert (desc["LatestStreamArn"], desc["LatestStreamLabel"]) == (arn, label)
        assert desc["StreamSpecification"] == spec


def test_stream_arn_unchanging(server, ddb, streams):
    """scylladb test_stream_arn_unchanging: tagging the table keeps its one stream ARN."""
    table, arn = stream_table(server, ddb, "KEYS_ONLY")
    table_arn = ddb.describe_table(TableName=table)["Table"]["TableArn"]
    ddb.tag_resource(ResourceArn=table_arn, Tags=[{"Key": "animal", "Value": "dog"}])
    listed = streams.list_streams(TableName=table)["Streams"]
    assert [s["StreamArn"] for s in listed] == [arn]


def test_stream_list_tables(server, ddb):
    """scylladb test_stream_list_tables: a stream adds no table to ListTables."""
    table, _ = stream_table(server, ddb, "KEYS_ONLY", keys=P_ONLY)
    tables = [t for page in ddb.get_paginator("list_tables").paginate() for t in page["TableNames"]]
    assert table in tables
    assert [t for t in tables if table in t] == [table]


@pytest.mark.parametrize("length", (192, 222))
def test_stream_table_name_length(server, ddb, streams, length):
    """scylladb test_stream_table_name_length_192/222_create and _update: long table names take
    a stream at CreateTable and at UpdateTable (AWS allows names up to 255 characters)."""
    base = name()
    long_name = base + "x" * (length - len(base))
    create(server, ddb, long_name, keys=P_ONLY, BillingMode="PAY_PER_REQUEST",
           StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"})
    assert active_stream(streams, long_name)
    other = long_name[:-1] + "y"
    create(server, ddb, other, keys=P_ONLY, BillingMode="PAY_PER_REQUEST")
    ddb.update_table(TableName=other, StreamSpecification={"StreamEnabled": True,
                                                           "StreamViewType": "KEYS_ONLY"})
    server.advance(UPDATE_SECONDS + 1)
    assert active_stream(streams, other)


# -- Closed shards and disabled streams ------------------------------------------------------------

def disable_stream(server, ddb, streams, table) -> None:
    """scylladb disable_stream: disable, then every stream of the table is DISABLED."""
    ddb.update_table(TableName=table, StreamSpecification={"StreamEnabled": False})
    server.advance(UPDATE_SECONDS + 1)
    for s in streams.list_streams(TableName=table)["Streams"]:
        assert streams.describe_stream(StreamArn=s["StreamArn"])["StreamDescription"][
            "StreamStatus"] == "DISABLED"


def test_streams_closed_read(server, ddb, streams):
    """scylladb test_streams_closed_read (xfail on Alternator): after disabling, an iterator taken
    before still reads the shard; once drained there is no NextShardIterator; a new TRIM_HORIZON
    iterator of the closed shard reads the record again."""
    table, arn = stream_table(server, ddb, "KEYS_ONLY")
    [(shard, it)] = latest_iterators(streams, arn)
    _one_update(ddb, table, uuid.uuid4().hex, uuid.uuid4().hex, 5)
    disable_stream(server, ddb, streams, table)
    page = streams.get_records(ShardIterator=it)
    assert len(page["Records"]) == 1
    if "NextShardIterator" in page:
        page = streams.get_records(ShardIterator=page["NextShardIterator"])
        assert page["Records"] == [] and "NextShardIterator" not in page
    it = streams.get_shard_iterator(StreamArn=arn, ShardId=shard,
                                    ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    assert len(streams.get_records(ShardIterator=it)["Records"]) == 1


def test_streams_disabled_stream(server, ddb, streams):
    """scylladb test_streams_disabled_stream (xfail on Alternator): a disabled stream is still
    listed and described (DISABLED, its view type and table), every shard has a numeric
    EndingSequenceNumber, and TRIM_HORIZON iterators read its one record."""
    table, arn = stream_table(server, ddb, "KEYS_ONLY")
    _one_update(ddb, table, uuid.uuid4().hex, uuid.uuid4().hex, 5)
    disable_stream(server, ddb, streams, table)
    assert arn in [s["StreamArn"] for s in streams.list_streams(TableName=table)["Streams"]]
    d = streams.describe_stream(StreamArn=arn)["StreamDescription"]
    assert (d["StreamStatus"], d["StreamViewType"], d["TableName"]) == ("DISABLED", "KEYS_ONLY", table)
    assert d["Shards"] and all(s["SequenceNumberRange"]["EndingSequenceNumber"].isdecimal()
                               for s in d["Shards"])
    count = 0
    for shard in d["Shards"]:
        it = streams.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"],
                                        ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        page = streams.get_records(ShardIterator=it)
        count += len(page["Records"])
        if "NextShardIterator" in page:
            page = streams.get_records(ShardIterator=page["NextShardIterator"])
            assert page["Records"] == [] and "NextShardIterator" not in page
    assert count == 1


def test_an_empty_closed_shard_has_an_ending_sequence_number(server, ddb, streams):
    """scylladb test_streams_disabled_stream's shard check, for a shard that never got a record:
    closed, it still has an EndingSequenceNumber, and reading it ends at once."""
    table, arn = stream_table(server, ddb, "NEW_IMAGE")
    disable_stream(server, ddb, streams, table)
    [shard] = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]
    numbers = shard["SequenceNumberRange"]
    assert int(numbers["EndingSequenceNumber"]) >= int(numbers["StartingSequenceNumber"])
    it = streams.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"],
                                    ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    page = streams.get_records(ShardIterator=it)
    assert page["Records"] == [] and "NextShardIterator" not in page


def test_number_values_compare_as_numbers(server, ddb, streams):
    """scylladb compare_events compares deserialized images: numbers come back as the numbers
    written (boto3 Decimals)."""
    table, arn = stream_table(server, ddb, "NEW_IMAGE", keys=P_ONLY)
    ddb.put_item(TableName=table, Item=wire(p="n", v=Decimal("1.50"), w=10 ** 20))
    it = streams.get_shard_iterator(StreamArn=arn, ShardId=list_shards(streams, arn)[0],
                                    ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    [record] = streams.get_records(ShardIterator=it)["Records"]
    assert plain(record["dynamodb"]["NewImage"]) == {"p": "n", "v": Decimal("1.5"), "w": 10 ** 20}


def test_ttl_expiration_streams(server, ddb, streams):
    """scylladb test_ttl.py test_ttl_expiration_streams: an item expired by TTL is a REMOVE with
    its key, its whole OldImage and userIdentity {Type: Service, PrincipalId:
    dynamodb.amazonaws.com}; reading the whole stream the way its read_entire_stream does."""
    table, arn = stream_table(server, ddb, "NEW_AND_OLD_IMAGES")
    ddb.update_time_to_live(TableName=table, TimeToLiveSpecification={"AttributeName": "expiration",
                                                                      "Enabled": True})
    server.advance(60)
    expiration = int(server.now()) - 60
    ddb.put_item(TableName=table, Item=wire(p="p", c="c", animal="dog", expiration=expiration))
    server.advance(3 * 3600)  # AWS expires items within hours, typically ~30 minutes
    assert "Item" not in ddb.get_item(TableName=table, Key=wire(p="p", c="c"))
    records = []
    for shard in list_shards(streams, arn):
        it = streams.get_shard_iterator(StreamArn=arn, ShardId=shard,
                                        ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        while it is not None:
            page = streams.get_records(ShardIterator=it)
            if not page["Records"]:
                break
            records += page["Records"]
            it = page.get("NextShardIterator")
    expired = [r for r in records
               if r.get("userIdentity") == {"Type": "Service", "PrincipalId": "dynamodb.amazonaws.com"}]
    assert len(expired) == 1 and [r["eventName"] for r in records] == ["INSERT", "REMOVE"]
    [record] = expired
    assert record["eventName"] == "REMOVE"
    assert record["dynamodb"]["Keys"] == {"p": {"S": "p"}, "c": {"S": "c"}}
    assert record["dynamodb"]["OldImage"] == {"p": {"S": "p"}, "c": {"S": "c"}, "animal": {"S": "dog"},
                                              "expiration": {"N": str(expiration)}}
    assert "NewImage" not in record["dynamodb"]


def test_short_stream_arns_fail_the_models_length_constraint(unchecked):
    """Below the model's 37 characters (botocore `dynamodbstreams` shape StreamArn: min 37, max
    1024), a StreamArn fails Coral's length constraint before the service parses it (inferred
    from the model, as DynamoDB reports its own model constraints; aws-sdk-js's 2015 integration
    test saw `Invalid StreamArn` for `fake-stream` from a server whose published model then
    carried no length bounds)."""
    for call, member, extra in ((unchecked.describe_stream, "streamArn", {}),
                                (unchecked.get_shard_iterator, "streamArn",
                                 {"ShardId": "shardId-" + "0" * 20, "ShardIteratorType": "LATEST"}),
                                (unchecked.list_streams, "exclusiveStartStreamArn", {})):
        key = "ExclusiveStartStreamArn" if member.startswith("exclusive") else "StreamArn"
        assert error(call, **{key: "fake-stream"}, **extra) == (
            "ValidationException", f"1 validation error detected: Value 'fake-stream' at '{member}' "
            "failed to satisfy constraint: Member must have length greater than or equal to 37", 400)
