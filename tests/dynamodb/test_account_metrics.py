"""Account-level metrics (AWS/DynamoDB account quotas and utilization, AWS/Usage ResourceCount and
CallCount) and the OnlineIndex* metrics of a GSI build, read back with GetMetricStatistics and
ListMetrics on the manual clock (issue 13).

Expected values come from the settings each test makes: the account quota is 80,000 RCU/WCU and
the per-table (and per-GSI) quota 40,000 (DescribeLimits), and the five-minute metrics carry one
sample per minute stamped with the five-minute period that minute falls in.
"""

from __future__ import annotations

import datetime as dt

from tests.dynamodb.helpers import STR_KEY, create

USAGE = "AWS/Usage"


def ts(seconds: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(seconds, dt.timezone.utc)


def stats(cw, namespace: str, metric: str, dims: list, start: float, end: float,
          period: int = 300) -> list[dict]:
    out = cw.get_metric_statistics(
        Namespace=namespace, MetricName=metric, Dimensions=dims, StartTime=ts(start),
        EndTime=ts(end), Period=period,
        Statistics=["Minimum", "Maximum", "Sum", "SampleCount", "Average"])
    return sorted(out["Datapoints"], key=lambda p: p["Timestamp"])


def usage_dims(resource: str, type_: str = "Resource") -> list:
    return [{"Name": "Service", "Value": "DynamoDB"}, {"Name": "Type", "Value": type_},
            {"Name": "Resource", "Value": resource}, {"Name": "Class", "Value": "None"}]


def to_period_start(server) -> float:
    """Advance to the next five-minute boundary; return it."""
    now = server.now()
    boundary = (now // 300 + 1) * 300
    server.advance(boundary - now)
    return boundary


def test_account_quotas_and_utilization(make_server, unique):
    server = make_server("--clock", "manual")
    ddb, cw = server.client("dynamodb"), server.client("cloudwatch")
    start = to_period_start(server)
    create(server, ddb, unique("Big"), read=8000, write=2000)
    with_gsi = unique("Gsi")
    ddb.create_table(
        TableName=with_gsi, AttributeDefinitions=STR_KEY["AttributeDefinitions"] + [
            {"AttributeName": "g", "AttributeType": "S"}],
        KeySchema=STR_KEY["KeySchema"],
        ProvisionedThroughput={"ReadCapacityUnits": 1000, "WriteCapacityUnits": 500},
        GlobalSecondaryIndexes=[{
            "IndexName": "by_g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
            "Projection": {"ProjectionType": "KEYS_ONLY"},
            "ProvisionedThroughput": {"ReadCapacityUnits": 3000, "WriteCapacityUnits": 4000}}])
    create(server, ddb, unique("OnDemand"), BillingMode="PAY_PER_REQUEST")  # not counted
    server.advance(start + 300 - server.now())  # five minutes, each adding one sample

    def one(namespace: str, metric: str, dims: list) -> dict:
        points = stats(cw, namespace, metric, dims, start, start + 300)
        assert len(points) == 1, (metric, points)
        return points[0]

    for metric, quota in (("AccountMaxReads", 80000), ("AccountMaxWrites", 80000),
                          ("AccountMaxTableLevelReads", 40000),
                          ("AccountMaxTableLevelWrites", 40000)):
        p = one("AWS/DynamoDB", metric, [])
        assert (p["Maximum"], p["SampleCount"], p["Unit"]) == (quota, 5, "Count")
    # 8,000 + 1,000 + 3,000 of 80,000 RCU; 2,000 + 500 + 4,000 of 80,000 WCU; the largest
    # single settings are the table's 8,000 RCU and the GSI's 4,000 WCU, of 40,000
    for metric, value in (("AccountProvisionedReadCapacityUtilization", 15.0),
                          ("AccountProvisionedWriteCapacityUtilization", 8.125),
                          ("MaxProvisionedTableReadCapacityUtilization", 20.0),
                          ("MaxProvisionedTableWriteCapacityUtilization", 10.0)):
        p = one("AWS/DynamoDB", metric, [])
        assert (p["Minimum"], p["Maximum"], p["Unit"]) == (value, value, "Percent"), metric
    for resource, value in (("AccountProvisionedReadCapacityUnits", 12000),
                            ("AccountProvisionedWriteCapacityUnits", 6500), ("TableCount", 3)):
        p = one(USAGE, "ResourceCount", usage_dims(resource))
        assert (p["Maximum"], p["Unit"]) == (value, "Count"), resource
    listed = cw.list_metrics(Namespace=USAGE, MetricName="ResourceCount")["Metrics"]
    assert sorted(d["Value"] for m in listed for d in m["Dimensions"]
                  if d["Name"] == "Resource") == ["AccountProvisionedReadCapacityUnits",
                                                  "AccountProvisionedWriteCapacityUnits",
                                                  "TableCount"]

    # a change within a period (two minutes in): Minimum and Maximum span both settings
    server.advance(120)
    ddb.update_table(TableName=with_gsi, ProvisionedThroughput={"ReadCapacityUnits": 9000,
                                                                "WriteCapacityUnits": 500})
    server.advance(180)
    p = stats(cw, "AWS/DynamoDB", "AccountProvisionedReadCapacityUtilization", [],
              start + 300, start + 600)
    assert len(p) == 1 and (p[0]["Minimum"], p[0]["Maximum"]) == (15.0, 25.0)
    p = stats(cw, "AWS/DynamoDB", "MaxProvisionedTableReadCapacityUtilization", [],
              start + 300, start + 600)
    assert (p[0]["Minimum"], p[0]["Maximum"]) == (20.0, 22.5)


def test_call_count_per_operation(make_server, unique):
    server = make_server("--clock", "manual")
    ddb, cw = server.client("dynamodb"), server.client("cloudwatch")
    name = unique("Calls")
    create(server, ddb, name)
    minute = server.now() // 60 * 60
    server.advance(minute + 60 - server.now())  # a fresh minute
    minute += 60
    for i in range(3):
        ddb.put_item(TableName=name, Item={"id": {"S": str(i)}})
    ddb.describe_table(TableName=name)
    try:
        ddb.get_item(TableName=unique("Missing"), Key={"id": {"S": "x"}})
    except ddb.exceptions.ResourceNotFoundException:
        pass
    server.advance(60)
    for operation, calls in (("PutItem", 3), ("DescribeTable", 1), ("GetItem", 1)):
        points = stats(cw, USAGE, "CallCount", usage_dims(operation, "API"), minute,
                       minute + 60, period=60)
        assert [(p["Sum"], p["SampleCount"], p["Unit"]) for p in points] == [
            (calls, calls, "None")], operation
    points = stats(cw, USAGE, "CallCount", usage_dims("CreateTable", "API"), minute,
                   minute + 60, period=60)
    assert points == []  # CreateTable was called in the minute before


def backfill_table(server, ddb, name: str, items: int) -> None:
    create(server, ddb, name, read=100, write=100)
    for i in range(items):
        ddb.put_item(TableName=name, Item={"id": {"S": str(i)}, "g": {"S": "x"},
                                           "pad": {"S": "p" * 10000}})


def add_gsi(ddb, name: str) -> None:
    ddb.update_table(
        TableName=name, AttributeDefinitions=[{"AttributeName": "g", "AttributeType": "S"}],
        GlobalSecondaryIndexUpdates=[{"Create": {
            "IndexName": "by_g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
            "Projection": {"ProjectionType": "KEYS_ONLY"},
            "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}}}])


def gsi_dims(name: str) -> list:
    return [{"Name": "TableName", "Value": name}, {"Name": "GlobalSecondaryIndexName",
                                                   "Value": "by_g"}]


def test_online_index_metrics_follow_an_aws_timed_backfill(make_server, unique):
    # `--timing aws`: 520 s allocating, then ~300 KB of items at the index's 1 WCU (~293 s)
    server = make_server("--clock", "manual", "--timing", "aws")
    ddb, cw = server.client("dynamodb"), server.client("cloudwatch")
    name = unique("Build")
    backfill_table(server, ddb, name, 30)
    start = to_period_start(server)
    server.advance(10)
    add_gsi(ddb, name)
    active_at = None
    while server.now() < start + 1200:
        server.advance(10)
        status = ddb.describe_table(TableName=name)["Table"]["GlobalSecondaryIndexes"][0][
            "IndexStatus"]
        if active_at is None and status == "ACTIVE":
            active_at = server.now()
    assert start + 820 <= active_at <= start + 840  # built at ~start + 823
    progress = stats(cw, "AWS/DynamoDB", "OnlineIndexPercentageProgress", gsi_dims(name),
                     start, start + 1200)
    assert [p["Timestamp"].timestamp() for p in progress] == [start, start + 300, start + 600]
    first, second, third = progress
    # minutes ending start+60 .. start+300: still allocating (backfill starts at start+530)
    assert (first["SampleCount"], first["Maximum"], first["Unit"]) == (5, 0.0, "Count")
    # minutes ending start+360 .. start+600: the backfill is under way
    assert second["SampleCount"] == 5 and second["Minimum"] == 0.0
    assert 20.0 < second["Maximum"] < 28.0   # (600 - 530) / ~293 s
    # minutes ending start+660 .. start+840: done within the last one
    assert (third["SampleCount"], third["Maximum"]) == (4, 100.0)
    assert 40.0 < third["Minimum"] < 50.0    # (660 - 530) / ~293 s
    for metric in ("OnlineIndexConsumedWriteCapacity", "OnlineIndexThrottleEvents"):
        points = stats(cw, "AWS/DynamoDB", metric, gsi_dims(name), start, start + 1200)
        assert [(p["SampleCount"], p["Sum"], p["Maximum"]) for p in points] == [
            (5, 0.0, 0.0), (5, 0.0, 0.0), (4, 0.0, 0.0)], metric


def test_online_index_metrics_of_a_fast_backfill(server, ddb, cw, unique):
    # `--timing fast`: the build happens at one instant, reported once, as complete
    name = unique("FastBuild")
    backfill_table(server, ddb, name, 3)
    start = to_period_start(server)
    server.advance(10)
    add_gsi(ddb, name)
    assert ddb.describe_table(TableName=name)["Table"]["GlobalSecondaryIndexes"][0][
        "IndexStatus"] == "ACTIVE"
    server.advance(600)
    points = stats(cw, "AWS/DynamoDB", "OnlineIndexPercentageProgress", gsi_dims(name),
                   start, start + 600)
    assert [(p["Timestamp"].timestamp(), p["SampleCount"], p["Maximum"]) for p in points] == [
        (start, 1, 100.0)]
    listed = cw.list_metrics(Namespace="AWS/DynamoDB", Dimensions=gsi_dims(name))["Metrics"]
    assert {"OnlineIndexPercentageProgress", "OnlineIndexConsumedWriteCapacity",
            "OnlineIndexThrottleEvents"} <= {m["MetricName"] for m in listed}


def test_online_index_progress_survives_a_kill(make_server, unique):
    # the build's timeline is stored with the table: after SIGKILL mid-build the minutes go on
    import signal
    server = make_server("--clock", "manual", "--timing", "aws")
    ddb = server.client("dynamodb")
    name = unique("BuildKill")
    backfill_table(server, ddb, name, 30)
    start = to_period_start(server)
    server.advance(10)
    add_gsi(ddb, name)
    server.advance(590)  # to start + 600: the backfill has begun (at start + 530)
    server.restart(signal.SIGKILL)
    cw = server.client("cloudwatch")
    server.advance(start + 1200 - server.now())
    progress = stats(cw, "AWS/DynamoDB", "OnlineIndexPercentageProgress", gsi_dims(name),
                     start, start + 1200)
    assert [(p["Timestamp"].timestamp(), p["SampleCount"], p["Maximum"]) for p in progress][
        0::2] == [(start, 5, 0.0), (start + 600, 4, 100.0)]
    assert 20.0 < progress[1]["Maximum"] < 28.0


def test_on_demand_maximum_metrics(server, ddb, cw, unique):
    # OnDemandMaxRead/WriteRequestUnits: the maxima set, table and GSI, five-minute samples
    capped, uncapped = unique("Capped"), unique("Uncapped")
    start = to_period_start(server)
    ddb.create_table(
        TableName=capped, BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=STR_KEY["AttributeDefinitions"] + [
            {"AttributeName": "g", "AttributeType": "S"}],
        KeySchema=STR_KEY["KeySchema"], OnDemandThroughput={"MaxReadRequestUnits": 100},
        GlobalSecondaryIndexes=[{
            "IndexName": "by_g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
            "Projection": {"ProjectionType": "KEYS_ONLY"},
            "OnDemandThroughput": {"MaxWriteRequestUnits": 50}}])
    create(server, ddb, uncapped, BillingMode="PAY_PER_REQUEST")
    server.advance(120)
    ddb.update_table(TableName=capped, OnDemandThroughput={"MaxReadRequestUnits": 200})
    server.advance(start + 300 - server.now())
    table = [{"Name": "TableName", "Value": capped}]
    points = stats(cw, "AWS/DynamoDB", "OnDemandMaxReadRequestUnits", table, start, start + 300)
    assert [(p["Minimum"], p["Maximum"], p["SampleCount"], p["Unit"]) for p in points] == [
        (100.0, 200.0, 5, "Count")]
    assert stats(cw, "AWS/DynamoDB", "OnDemandMaxWriteRequestUnits", table, start,
                 start + 300) == []  # no write maximum set on the table
    points = stats(cw, "AWS/DynamoDB", "OnDemandMaxWriteRequestUnits", gsi_dims(capped), start,
                   start + 300)
    assert [(p["Maximum"], p["SampleCount"]) for p in points] == [(50.0, 5)]
    assert cw.list_metrics(Namespace="AWS/DynamoDB", MetricName="OnDemandMaxReadRequestUnits",
                           Dimensions=[{"Name": "TableName", "Value": uncapped}])["Metrics"] == []
