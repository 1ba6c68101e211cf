"""AWS/DynamoDB metrics published through CloudWatch each minute (spec 4.0.1, 4.0.2, 4.0.7):
one Consumed* sample per request, nothing for an idle minute, throttle counters, latency per
operation, Provisioned* as a five-minute metric."""

from __future__ import annotations

import datetime as dt

from tests.dynamodb.helpers import create
from tests.kit import error

BIG = "x" * 100_000


def next_minute(server) -> float:
    """Advance to one second past the next minute boundary; returns that minute's start."""
    now = server.now()
    start = (now // 60 + 1) * 60
    server.advance(start + 1 - now)
    return start


def stats(cw, metric, table, start, end, period=60, operation=None):
    dims = [{"Name": "TableName", "Value": table}]
    if operation:
        dims.append({"Name": "Operation", "Value": operation})
    out = cw.get_metric_statistics(
        Namespace="AWS/DynamoDB", MetricName=metric, Dimensions=dims,
        StartTime=dt.datetime.fromtimestamp(start, dt.timezone.utc),
        EndTime=dt.datetime.fromtimestamp(end, dt.timezone.utc), Period=period,
        Statistics=["Sum", "SampleCount", "Minimum", "Maximum", "Average"])
    return sorted(out["Datapoints"], key=lambda p: p["Timestamp"])


def test_consumed_write_units_one_sample_per_request(server, ddb, cw, unique):
    name = unique("Met")
    create(server, ddb, name, read=100, write=100)
    minute = next_minute(server)
    for i, size in enumerate((10, 1500, 2500)):  # 1, 2 and 3 WCU
        ddb.put_item(TableName=name, Item={"id": {"S": str(i)}, "b": {"S": "x" * size}})
    ddb.get_item(TableName=name, Key={"id": {"S": "0"}})
    server.advance(60)  # the minute boundary publishes the minute that ended
    points = stats(cw, "ConsumedWriteCapacityUnits", name, minute - 600, minute + 600)
    assert [q["Sum"] for q in points if q["Timestamp"].timestamp() != minute] == \
        [0.0] * (len(points) - 1)   # the idle minutes before (test below)
    [p] = [q for q in points if q["Timestamp"].timestamp() == minute]
    assert p["Timestamp"].timestamp() == minute
    assert (p["Sum"], p["SampleCount"], p["Minimum"], p["Maximum"]) == (6, 3, 1, 3)
    assert p["Unit"] == "Count"
    reads = stats(cw, "ConsumedReadCapacityUnits", name, minute, minute + 60)
    assert [(r["Sum"], r["SampleCount"]) for r in reads] == [(0.5, 1)]
    latency = stats(cw, "SuccessfulRequestLatency", name, minute - 600, minute + 600,
                    operation="PutItem")
    assert latency[0]["SampleCount"] == 3 and latency[0]["Unit"] == "Milliseconds"


def test_idle_minutes_of_a_provisioned_table_publish_a_zero_sample(server, ddb, cw, unique):
    # AWS publishes Sum 0 with SampleCount 1 for a minute without requests (a real account's
    # target-tracking alarm: "evaluatedDatapoints":[{..."sampleCount":1.0,"value":0.0}] on
    # ConsumedWriteCapacityUnits; services/dynamodb/metrics.py), for the table and its GSIs;
    # nothing for an idle on-demand table (inferred)
    name = unique("Idle")
    create(server, ddb, name)
    on_demand = unique("IdleOd")
    create(server, ddb, on_demand, BillingMode="PAY_PER_REQUEST")
    minute = next_minute(server)
    ddb.put_item(TableName=name, Item={"id": {"S": "a"}})
    server.advance(5 * 60)
    points = stats(cw, "ConsumedWriteCapacityUnits", name, minute, minute + 300)
    assert [(p["Timestamp"].timestamp() - minute, p["Sum"], p["SampleCount"], p["Minimum"],
             p["Maximum"]) for p in points] == [(0, 1, 1, 1, 1)] + [
        (60 * i, 0, 1, 0, 0) for i in range(1, 5)]
    reads = stats(cw, "ConsumedReadCapacityUnits", name, minute, minute + 300)
    assert [(p["Sum"], p["SampleCount"]) for p in reads] == [(0, 1)] * 5
    assert stats(cw, "ConsumedWriteCapacityUnits", on_demand, minute, minute + 300) == []
    assert stats(cw, "WriteThrottleEvents", name, minute, minute + 300) == []


def test_throttles_are_counted_not_consumed(server, ddb, cw, unique):
    name = unique("Thr")
    create(server, ddb, name, read=1, write=1)
    minute = next_minute(server)
    for i in range(4):
        ddb.put_item(TableName=name, Item={"id": {"S": str(i)}, "b": {"S": BIG}})
    for _ in range(2):
        assert error(ddb.put_item, TableName=name, Item={"id": {"S": "t"}})[0] == \
            "ProvisionedThroughputExceededException"
    server.advance(60)
    consumed = stats(cw, "ConsumedWriteCapacityUnits", name, minute, minute + 60)
    assert (consumed[0]["Sum"], consumed[0]["SampleCount"]) == (4 * 98, 4)
    events = stats(cw, "WriteThrottleEvents", name, minute, minute + 60)
    assert events[0]["Sum"] == 2
    throttled = stats(cw, "ThrottledRequests", name, minute, minute + 60, operation="PutItem")
    assert throttled[0]["Sum"] == 2


def test_provisioned_capacity_is_a_five_minute_metric(server, ddb, cw, unique):
    name = unique("Prov")
    create(server, ddb, name, read=3, write=7)
    now = server.now()
    server.advance((now // 300 + 1) * 300 - now + 1)  # into a fresh five-minute period
    period = server.now() // 300 * 300
    server.advance(300)
    points = stats(cw, "ProvisionedWriteCapacityUnits", name, period - 300, period + 600, period=300)
    mine = [p for p in points if p["Timestamp"].timestamp() == period]
    assert mine and mine[0]["Average"] == 7 and mine[0]["Minimum"] == 7
    reads = stats(cw, "ProvisionedReadCapacityUnits", name, period, period + 300, period=300)
    assert reads[0]["Maximum"] == 3
