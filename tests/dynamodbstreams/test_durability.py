"""Streams survive `kill -9` as items do (issue 10, "Durable"): records with their sequence
numbers and event ids, iterators' positions, stream states (ENABLED, DISABLED, a deleted table's
stream) and the shard roll-over schedule, on a durable server killed with SIGKILL and restarted;
and under concurrent writes, a record exists exactly when its item does, for every acknowledged
write."""

from __future__ import annotations

import signal
import threading

from botocore.exceptions import BotoCoreError, ClientError

KEY = dict(AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
           KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}])


def with_stream(ddb, name, view="NEW_AND_OLD_IMAGES"):
    return ddb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST", **KEY,
                            StreamSpecification={"StreamEnabled": True, "StreamViewType": view})[
        "TableDescription"]["LatestStreamArn"]


def all_records(streams, arn):
    out = []
    for shard in streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]:
        it = streams.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"],
                                        ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        while it:
            page = streams.get_records(ShardIterator=it)
            out += page["Records"]
            it = page.get("NextShardIterator") if page["Records"] else None
    return out


def test_stream_state_records_and_iterators_survive_sigkill(make_server):
    server = make_server("--clock", "manual")
    ddb, streams = server.client("dynamodb"), server.client("dynamodbstreams")
    live, off, gone = (with_stream(ddb, n) for n in ("Live", "Off", "Gone"))
    server.advance(10)
    for i in range(5):
        ddb.put_item(TableName="Live", Item={"id": {"S": f"k{i}"}, "v": {"N": str(i)}})
    ddb.update_item(TableName="Live", Key={"id": {"S": "k0"}}, UpdateExpression="SET v = :v",
                    ExpressionAttributeValues={":v": {"N": "9"}})
    ddb.put_item(TableName="Off", Item={"id": {"S": "o"}})
    ddb.update_table(TableName="Off", StreamSpecification={"StreamEnabled": False})
    ddb.put_item(TableName="Gone", Item={"id": {"S": "g"}})
    ddb.delete_table(TableName="Gone")
    server.advance(10)
    shard = streams.describe_stream(StreamArn=live)["StreamDescription"]["Shards"][0]["ShardId"]
    first_two = streams.get_records(ShardIterator=streams.get_shard_iterator(
        StreamArn=live, ShardId=shard, ShardIteratorType="TRIM_HORIZON")["ShardIterator"], Limit=2)
    latest = streams.get_shard_iterator(StreamArn=live, ShardId=shard,
                                        ShardIteratorType="LATEST")["ShardIterator"]
    before = {arn: all_records(streams, arn) for arn in (live, off, gone)}
    described = {arn: streams.describe_stream(StreamArn=arn)["StreamDescription"]
                 for arn in (live, off, gone)}
    now = server.now()

    server.restart(signal.SIGKILL)
    ddb, streams = server.client("dynamodb"), server.client("dynamodbstreams")
    assert server.now() >= now
    for arn in (live, off, gone):
        assert all_records(streams, arn) == before[arn]
        assert streams.describe_stream(StreamArn=arn)["StreamDescription"] == described[arn]
    assert [described[a]["StreamStatus"] for a in (live, off, gone)] == ["ENABLED", "DISABLED",
                                                                         "DISABLED"]
    # iterators taken before the kill continue where they were
    rest = streams.get_records(ShardIterator=first_two["NextShardIterator"])
    assert rest["Records"] == before[live][2:]
    ddb.put_item(TableName="Live", Item={"id": {"S": "after"}})
    page = streams.get_records(ShardIterator=latest)
    assert [r["dynamodb"]["Keys"]["id"]["S"] for r in page["Records"]] == ["after"]
    assert int(page["Records"][0]["dynamodb"]["SequenceNumber"]) > int(
        before[live][-1]["dynamodb"]["SequenceNumber"])
    ddb.put_item(TableName="Off", Item={"id": {"S": "not captured"}})
    assert all_records(streams, off) == before[off]
    # the roll-over schedule resumes: four hours after the stream opened (checked each minute),
    # a child shard
    server.advance(4 * 3600 + 60)
    shards = streams.describe_stream(StreamArn=live)["StreamDescription"]["Shards"]
    assert len(shards) == 2 and shards[1]["ParentShardId"] == shard


def test_every_acknowledged_write_has_its_record_after_sigkill(make_server):
    server = make_server("--clock", "manual")
    ddb = server.client("dynamodb")
    arn = with_stream(ddb, "Busy", "KEYS_ONLY")
    server.advance(10)
    acked: list[str] = []
    stop = threading.Event()

    def writer(t):
        client = server.client("dynamodb", connect_timeout=2, read_timeout=5)
        i = 0
        while not stop.is_set():
            key = f"w{t}-{i}"
            try:
                client.put_item(TableName="Busy", Item={"id": {"S": key}})
            except (BotoCoreError, ClientError):
                return
            acked.append(key)
            i += 1
    threads = [threading.Thread(target=writer, args=(t,)) for t in range(3)]
    for t in threads:
        t.start()
    while len(acked) < 300:
        threads[0].join(0.01)
    server.proc.send_signal(signal.SIGKILL)
    server.proc.wait()
    stop.set()
    for t in threads:
        t.join()
    server.start()
    ddb, streams = server.client("dynamodb"), server.client("dynamodbstreams")
    recorded = [r["dynamodb"]["Keys"]["id"]["S"] for r in all_records(streams, arn)]
    items = {i["id"]["S"] for page in ddb.get_paginator("scan").paginate(TableName="Busy")
             for i in page["Items"]}
    assert set(acked) <= items
    assert sorted(recorded) == sorted(items)          # a record exactly when its item exists
    assert len(recorded) == len(set(recorded))        # once each
    for t in range(3):                                # each writer's records in its order
        mine = [int(k.split("-")[1]) for k in recorded if k.startswith(f"w{t}-")]
        assert mine == sorted(mine)
