"""Transactions and PartiQL batch reads are held to the partition of each item, as single-item
requests are (issue 13), on the manual clock, counting admitted requests.

Table: 6,000 RCU and 5,000 WCU: ceil(6,000 / 3,000 + 5,000 / 1,000) = 7 partitions, each saving
at most 300 s of its maximum (900,000 read units, 300,000 write units) and never more than the
table (1,800,000 / 1,500,000). The items are 409,600 bytes: a transactional write or condition
check of one costs 2 x 400 = 800 WCU, a transactional read 2 x 100 = 200 RCU, a strongly
consistent PartiQL read 100 RCU (spec 1.3.11). A request is admitted while its partition's
balance is >= 0, and all items of a transaction are judged before any is charged.
"""

from __future__ import annotations

from tests.dynamodb.helpers import create
from tests.dynamodb.test_account_metrics import ts
from tests.dynamodb.test_partitions import (big_item, hot_gsi_table, keys_by_partition,
                                             metric_sum, s)

PARTITIONS = 7
PER_CALL = 25


def setup(make_server, unique):
    server = make_server("--clock", "manual")
    ddb, cw = server.client("dynamodb"), server.client("cloudwatch")
    name = unique("TxHot")
    create(server, ddb, name, read=6000, write=5000)
    by_partition = keys_by_partition(PARTITIONS, PER_CALL)
    hot, cold = by_partition[0], by_partition[1]
    for key in hot + cold:
        ddb.put_item(TableName=name, Item=big_item(key))   # 400 WCU each, from its partition
    return server, ddb, cw, name, hot, cold


def checks(ddb, name: str, keys: list) -> None:
    ddb.transact_write_items(TransactItems=[{"ConditionCheck": {
        "TableName": name, "Key": {"id": s(k)}, "ConditionExpression": "attribute_exists(id)"}}
        for k in keys])


def until_canceled(call, limit: int = 400) -> tuple[int, dict]:
    for n in range(limit):
        try:
            call()
        except Exception as e:  # botocore ClientError
            return n, e.response
    raise AssertionError(f"{limit} calls, none canceled")


def test_transact_write_items_held_to_the_item_partition(make_server, unique):
    server, ddb, cw, name, hot, cold = setup(make_server, unique)
    start = server.now() // 60 * 60
    # the hot partition: 300,000 - 25 x 400 = 290,000 left, 20,000 per call: 15 calls (the
    # table alone, 1,500,000 - 50 x 400 saved, would admit 75)
    admitted, response = until_canceled(lambda: checks(ddb, name, hot))
    assert admitted == 15
    assert response["Error"]["Code"] == "TransactionCanceledException"
    assert [r["Code"] for r in response["CancellationReasons"]] == [
        "ProvisionedThroughputExceeded"] * PER_CALL
    checks(ddb, name, cold)  # another partition of the same table proceeds
    server.advance(start + 60 - server.now())
    assert metric_sum(cw, name, "WriteKeyRangeThroughputThrottleEvents", start,
                      start + 60) == PER_CALL
    assert metric_sum(cw, name, "WriteProvisionedThroughputThrottleEvents", start,
                      start + 60) == 0


def transact_gets(ddb, name: str, keys: list) -> None:
    ddb.transact_get_items(TransactItems=[{"Get": {
        "TableName": name, "Key": {"id": s(k)}, "ProjectionExpression": "id"}} for k in keys])


def test_transact_get_items_held_to_the_item_partition(make_server, unique):
    server, ddb, cw, name, hot, cold = setup(make_server, unique)
    start = server.now() // 60 * 60
    # 900,000 read units, 25 x 200 = 5,000 per call: 181 calls (the table alone: 361)
    admitted, response = until_canceled(lambda: transact_gets(ddb, name, hot))
    assert admitted == 181
    assert response["Error"]["Code"] == "TransactionCanceledException"
    transact_gets(ddb, name, cold)
    server.advance(start + 60 - server.now())
    assert metric_sum(cw, name, "ReadKeyRangeThroughputThrottleEvents", start,
                      start + 60) == PER_CALL


def test_batch_execute_statement_reads_held_to_the_item_partition(make_server, unique):
    server, ddb, cw, name, hot, cold = setup(make_server, unique)

    def select(keys: list) -> list:
        out = ddb.batch_execute_statement(Statements=[{
            "Statement": f'SELECT id FROM "{name}" WHERE id = ?', "Parameters": [s(k)],
            "ConsistentRead": True} for k in keys])
        return [r.get("Error", {}).get("Code") for r in out["Responses"]]

    # The hot partition's 900,000 read units: 176 transactional reads of the 25 items take
    # 880,000 (5,000 each, half the bytes a plain read needs for the same units); the PartiQL
    # reads share the partition's balance: 25 x 100 = 2,500 per call, each read admitted while
    # the balance, less the batch's earlier reads, is >= 0: 8 whole calls, then 1 read of the next
    for _ in range(176):
        transact_gets(ddb, name, hot)
    calls = 0
    while True:
        codes = select(hot)
        if any(codes):
            break
        calls += 1
    assert calls == 8
    assert codes == [None] + ["ProvisionedThroughputExceeded"] * (PER_CALL - 1)
    assert not any(select(cold))


def test_transaction_held_to_the_gsi_entry_partition(make_server, unique):
    # as test_partitions' hot GSI key, in transactions: every entry on one of the GSI's 3
    # partitions (300,000 saved; the GSI's bucket holds 600,000), the table's 10 keys on 10 of
    # its 11 partitions; each call updates the 10 items: 10 x 2 x 400 = 8,000 GSI units
    server = make_server("--clock", "manual", durable=False)
    ddb, cw = server.client("dynamodb"), server.client("cloudwatch")
    name = unique("TxHotGsi")
    keys = hot_gsi_table(server, ddb, name)
    start = server.now() // 60 * 60
    calls = [0]

    def update_all() -> None:
        value = str(2 + calls[0] % 2)  # each call changes the projected n (stored: 1)
        ddb.transact_write_items(TransactItems=[{"Update": {
            "TableName": name, "Key": {"id": s(k)}, "UpdateExpression": "SET n = :v",
            "ExpressionAttributeValues": {":v": {"N": value}}}} for k in keys])
        calls[0] += 1

    # (300,000 - 4,000) / 8,000 + 1 = 38 calls (the GSI's bucket alone would admit 75)
    admitted, response = until_canceled(update_all)
    assert admitted == 38
    assert [r.get("Message") for r in response["CancellationReasons"]] == [
        "The level of configured provisioned throughput for one or more global secondary "
        "indexes of the table was exceeded. Consider increasing your provisioning level for the "
        "under-provisioned global secondary indexes with the UpdateTable API."] * 10
    server.advance(start + 60 - server.now())
    out = cw.get_metric_statistics(
        Namespace="AWS/DynamoDB", MetricName="WriteKeyRangeThroughputThrottleEvents",
        Dimensions=[{"Name": "TableName", "Value": name},
                    {"Name": "GlobalSecondaryIndexName", "Value": "status"}],
        StartTime=ts(start), EndTime=ts(start + 60), Period=60, Statistics=["Sum"])
    assert [p["Sum"] for p in out["Datapoints"]] == [10]
