"""The capacity system across a restart of a file-backed server on the manual clock: a clean
shutdown (SIGTERM) keeps the token buckets' debits and the meter's unfinished minute; a crash
(SIGKILL) loses at most what the minute job had not yet kept (docs/architecture.md, Durability of
the capacity state; capacity/carry.py)."""

from __future__ import annotations

import signal

from tests.dynamodb.helpers import create
from tests.kit import error

ITEM = "x" * (100 * 1024 - 20)   # ~100 KB: 100 WCU a put


def put(ddb, name: str, key: str) -> None:
    ddb.put_item(TableName=name, Item={"id": {"S": key}, "b": {"S": ITEM}})


def drain(ddb, name: str) -> int:
    """Puts until throttled; how many were admitted."""
    for n in range(100):
        try:
            put(ddb, name, f"k{n}")
        except Exception as e:  # botocore ClientError
            assert e.response["Error"]["Code"] == "ProvisionedThroughputExceededException"
            return n
    raise AssertionError("never throttled")


def into_minute(server, at: float) -> None:
    """Advance to `at` seconds past the next minute boundary (the minute job has run)."""
    now = server.now()
    server.advance((now // 60 + 1) * 60 + at - now)


def consumed(cw, name: str, minute: float) -> list:
    return cw.get_metric_statistics(
        Namespace="AWS/DynamoDB", MetricName="ConsumedWriteCapacityUnits",
        Dimensions=[{"Name": "TableName", "Value": name}], StartTime=minute,
        EndTime=minute + 60, Period=60, Statistics=["Sum", "SampleCount"])["Datapoints"]


def test_a_clean_shutdown_keeps_the_bucket_debits(make_server, unique):
    # 1 WCU: 300 units of burst = 3 puts and the one that crosses it; after a SIGTERM the table
    # is still in debt, not handed a fresh 300 s of burst
    server = make_server("--clock", "manual")
    ddb = server.client("dynamodb")
    name = unique("RsBucket")
    create(server, ddb, name, write=1)
    into_minute(server, 1)   # the minute job has kept the full bucket
    assert drain(ddb, name) == 4
    server.restart()
    ddb = server.client("dynamodb")
    assert error(ddb.put_item, TableName=name, Item={"id": {"S": "again"}})[0] == \
        "ProvisionedThroughputExceededException"
    server.advance(100)   # the debt (about 100 units) is paid at 1 unit a second
    put(ddb, name, "later")


def test_a_clean_shutdown_keeps_the_unfinished_minute(make_server, unique):
    server = make_server("--clock", "manual")
    ddb, cw = server.client("dynamodb"), server.client("cloudwatch")
    name = unique("RsMeter")
    create(server, ddb, name, write=1000)
    into_minute(server, 5)
    minute = server.now() // 60 * 60
    for key in ("a", "b"):
        put(ddb, name, key)
    server.restart()
    ddb, cw = server.client("dynamodb"), server.client("cloudwatch")
    put(ddb, name, "c")
    into_minute(server, 1)
    [point] = consumed(cw, name, minute)
    assert (point["Sum"], point["SampleCount"]) == (300, 3)


def test_a_crash_loses_at_most_the_minute_since_the_last_boundary(make_server, unique):
    # SIGKILL: the bucket comes back as the minute job kept it at the boundary, in debt (not a
    # fresh burst), and the unfinished minute's counts before the crash are gone
    server = make_server("--clock", "manual")
    ddb, cw = server.client("dynamodb"), server.client("cloudwatch")
    name = unique("RsCrash")
    create(server, ddb, name, write=1)
    into_minute(server, 1)
    assert drain(ddb, name) == 4
    into_minute(server, 1)   # kept at the boundary: about -100 + 60
    minute = server.now() // 60 * 60
    server.restart(signal.SIGKILL)
    ddb, cw = server.client("dynamodb"), server.client("cloudwatch")
    assert error(ddb.put_item, TableName=name, Item={"id": {"S": "again"}})[0] == \
        "ProvisionedThroughputExceededException"
    server.advance(50)
    ddb.put_item(TableName=name, Item={"id": {"S": "small"}})   # 1 unit, once out of debt
    into_minute(server, 1)
    [point] = consumed(cw, name, minute)
    assert (point["Sum"], point["SampleCount"]) == (1, 1)
