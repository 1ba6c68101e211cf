"""Issue 3 point 8: conditional writes are atomic under concurrent clients. Many connections
hammer one item; no increment may be lost, and optimistic locking must admit exactly one writer
per version (DynamoDB developer guide "Optimistic locking with version number")."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from botocore.exceptions import ClientError

from tests.dynamodb.helpers import create

THREADS = 16


def test_concurrent_increments_lose_nothing(server, unique):
    name = unique("conc")
    create(server, server.client("dynamodb"), name, read=1000, write=1000)
    clients = [server.client("dynamodb") for _ in range(THREADS)]
    per_thread = 20  # 320 updates

    def increment(ddb):
        for _ in range(per_thread):
            ddb.update_item(TableName=name, Key={"id": {"S": "counter"}},
                            UpdateExpression="SET n = if_not_exists(n, :zero) + :one",
                            ExpressionAttributeValues={":zero": {"N": "0"}, ":one": {"N": "1"}})

    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(increment, clients))
    item = clients[0].get_item(TableName=name, Key={"id": {"S": "counter"}}, ConsistentRead=True)
    assert item["Item"]["n"] == {"N": str(THREADS * per_thread)}


def test_optimistic_locking_admits_one_writer_per_version(server, unique):
    name = unique("lock")
    create(server, server.client("dynamodb"), name, read=1000, write=1000)
    clients = [server.client("dynamodb") for _ in range(THREADS)]
    key = {"id": {"S": "doc"}}
    clients[0].put_item(TableName=name, Item={**key, "version": {"N": "0"}, "writers": {"L": []}})
    wins_per_thread = 3  # 48 successful writes, each thread retrying on conflicts

    def writer(indexed):
        index, ddb = indexed
        won = attempts = 0
        while won < wins_per_thread:
            attempts += 1
            assert attempts < 2000
            seen = ddb.get_item(TableName=name, Key=key, ConsistentRead=True)["Item"]["version"]
            try:
                ddb.update_item(
                    TableName=name, Key=key,
                    UpdateExpression="SET version = :next, writers = list_append(writers, :me)",
                    ConditionExpression="version = :seen",
                    ExpressionAttributeValues={":seen": seen, ":next": {"N": str(int(seen["N"]) + 1)},
                                               ":me": {"L": [{"N": str(index)}]}})
                won += 1
            except ClientError as e:
                assert e.response["Error"]["Code"] == "ConditionalCheckFailedException"

    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(writer, enumerate(clients)))
    item = clients[0].get_item(TableName=name, Key=key, ConsistentRead=True)["Item"]
    total = THREADS * wins_per_thread
    assert item["version"] == {"N": str(total)}
    log = [int(v["N"]) for v in item["writers"]["L"]]
    assert len(log) == total  # every accepted write is in the log: none was overwritten
    assert all(log.count(i) == wins_per_thread for i in range(THREADS))
