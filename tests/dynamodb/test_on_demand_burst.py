"""A single legal request on a fresh on-demand table is served (issue 13's gap 1): the Alternator
test_transact.py-style transactions of many large items, which pass against AWS, on the manual
clock, with no time passing between the calls."""

from __future__ import annotations


from tests.dynamodb.helpers import create

ITEM_BYTES = 40 * 1024      # an item of ~40 KB costs 40 WCU, 80 WRU in a transaction
PPR = {"BillingMode": "PAY_PER_REQUEST"}


def s(v: str) -> dict:
    return {"S": v}


def puts(name: str, prefix: str, count: int, size: int = ITEM_BYTES) -> list:
    return [{"Put": {"TableName": name, "Item": {"id": s(f"{prefix}{i:03}"),
                                                 "b": s("x" * (size - 20))}}}
            for i in range(count)]


def count(ddb, name: str) -> int:
    total = 0
    for page in ddb.get_paginator("scan").paginate(TableName=name, Select="COUNT"):
        total += page["Count"]
    return total


def test_one_transaction_of_100_large_items_on_a_new_on_demand_table(make_server, unique):
    # 100 x 40 KB x 2 = ~8,000 WRU in one request: twice the 4,000 WRU/s a new on-demand table
    # sustains; AWS serves it (Alternator's test_transact.py passes there), as a single request
    # is never throttled at its start (the table's and the partitions' allowance is a debt)
    server = make_server("--clock", "manual")
    ddb = server.client("dynamodb")   # one attempt (conftest)
    name = unique("OdTx")
    create(server, ddb, name, **PPR)
    out = ddb.transact_write_items(TransactItems=puts(name, "a", 100),
                                   ReturnConsumedCapacity="TOTAL")
    assert out["ConsumedCapacity"][0]["CapacityUnits"] >= 8000
    assert count(ddb, name) == 100


def test_back_to_back_multi_megabyte_transactions(make_server, unique):
    # three 4 MB transactions in the same instant, each on fresh keys: ~24,000 WRU at once, as a
    # test suite on a new on-demand table sends them
    server = make_server("--clock", "manual")
    ddb = server.client("dynamodb")   # one attempt (conftest)
    name = unique("OdTx2")
    create(server, ddb, name, **PPR)
    for n in range(3):
        ddb.transact_write_items(TransactItems=puts(name, f"b{n}-", 100))
    assert count(ddb, name) == 300


def test_one_batch_write_of_25_items_of_390_kb(make_server, unique):
    # 25 x 390 KB: ~9,750 WRU in one BatchWriteItem, none of it left unprocessed, and a second
    # such batch right after it is served too
    server = make_server("--clock", "manual")
    ddb = server.client("dynamodb")
    name = unique("OdBatch")
    create(server, ddb, name, **PPR)
    for n in range(2):
        out = ddb.batch_write_item(RequestItems={name: [
            {"PutRequest": {"Item": put["Put"]["Item"]}}
            for put in puts(name, f"c{n}-", 25, 390 * 1024)]}, ReturnConsumedCapacity="TOTAL")
        assert out["UnprocessedItems"] == {}
        assert out["ConsumedCapacity"][0]["CapacityUnits"] == 25 * 390


def test_small_requests_after_a_large_one_are_still_held_to_the_allowance(make_server, unique):
    # the large request drew the second's 4,000 WRU; 400-WRU writes in the same instant cross
    # the allowance with the first and are throttled from the second on (on_demand.py)
    server = make_server("--clock", "manual")
    ddb = server.client("dynamodb")
    name = unique("OdMix")
    create(server, ddb, name, **PPR)
    ddb.transact_write_items(TransactItems=puts(name, "d", 100))
    ddb.put_item(TableName=name, Item={"id": s("e0"), "b": s("x" * 400_000)})
    try:
        ddb.put_item(TableName=name, Item={"id": s("e1"), "b": s("x" * 400_000)})
    except ddb.exceptions.ClientError as e:
        assert e.response["Error"]["Code"] == "ThrottlingException"
    else:
        raise AssertionError("not throttled")
    server.advance(1)
    ddb.put_item(TableName=name, Item={"id": s("e1"), "b": s("x" * 400_000)})
