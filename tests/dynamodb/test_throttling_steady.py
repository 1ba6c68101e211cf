"""Steady overload on the manual clock (issue 4 acceptance; spec 2.1.1, 2.1.2, 4.0.2, 4.0.7):
N = 3 times the provisioned write rate for M = 8 simulated minutes. After the burst is spent the
admitted units per minute equal the provisioned rate within 2 %; the burst spent equals 300
seconds of the provisioned rate (DG-BP "Using burst capacity effectively"); CloudWatch's
ConsumedWriteCapacityUnits and WriteThrottleEvents (and ThrottledRequests) agree, minute by
minute, with what the client saw; GetMetricData returns the same sums."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from botocore.exceptions import ClientError

from tests.dynamodb.helpers import create

RATE = 5                   # provisioned WCU
ITEM_UNITS = 5             # each put: a 5 KB item -> 5 WCU (spec 1.2.2)
PUTS_PER_SECOND = 3        # offered: 15 WCU/s = 3 x RATE
MINUTES = 8
BURST_SECONDS = 300


def utc(ts: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(ts, dt.timezone.utc)


def test_steady_overload_admits_the_provisioned_rate(server, unique):
    ddb = server.client("dynamodb")  # one attempt per call: the client sees every throttle
    cw = server.client("cloudwatch")
    name = unique("Steady")
    create(server, ddb, name, read=1, write=RATE)
    now = server.now()
    start = (now // 60 + 1) * 60
    server.advance(start - now)  # begin exactly at a minute boundary
    item = {"id": {"S": "k"}, "pad": {"S": "x" * (ITEM_UNITS * 1024 - 10)}}  # 5,117 bytes
    admitted, throttled = Counter(), Counter()   # minute index -> units / events
    for second in range(MINUTES * 60):
        minute = second // 60
        for _ in range(PUTS_PER_SECOND):
            try:
                out = ddb.put_item(TableName=name, Item=item, ReturnConsumedCapacity="TOTAL")
                admitted[minute] += out["ConsumedCapacity"]["CapacityUnits"]
            except ClientError as e:
                assert e.response["Error"]["Code"] == "ProvisionedThroughputExceededException"
                throttled[minute] += 1
        server.advance(1)

    # the burst: everything admitted beyond the provisioned rate is the 300 s bucket
    elapsed = MINUTES * 60
    burst_spent = sum(admitted.values()) - RATE * elapsed
    assert abs(burst_spent - RATE * BURST_SECONDS) <= ITEM_UNITS
    # after the burst (offered excess 10 WCU/s drains 1,500 units in 150 s): the provisioned rate
    for minute in range(3, MINUTES):
        assert abs(admitted[minute] - RATE * 60) <= 0.02 * RATE * 60, (minute, admitted[minute])
        assert throttled[minute] > 0

    server.advance(60)  # publish the last minute
    dims = [{"Name": "TableName", "Value": name}]

    def per_minute(metric, dimensions=dims):
        out = cw.get_metric_statistics(
            Namespace="AWS/DynamoDB", MetricName=metric, Dimensions=dimensions,
            StartTime=utc(start), EndTime=utc(start + elapsed), Period=60, Statistics=["Sum"])
        return {int((p["Timestamp"].timestamp() - start) // 60): p["Sum"]
                for p in out["Datapoints"]}

    assert per_minute("ConsumedWriteCapacityUnits") == {m: float(u) for m, u in admitted.items()}
    assert per_minute("WriteThrottleEvents") == {m: float(n) for m, n in throttled.items()}
    assert per_minute("ThrottledRequests", dims + [{"Name": "Operation", "Value": "PutItem"}]) == {
        m: float(n) for m, n in throttled.items()}
    # GetMetricData over the whole run gives the same totals
    data = cw.get_metric_data(
        MetricDataQueries=[{"Id": "consumed", "MetricStat": {
            "Metric": {"Namespace": "AWS/DynamoDB", "MetricName": "ConsumedWriteCapacityUnits",
                       "Dimensions": dims}, "Period": elapsed, "Stat": "Sum"}},
            {"Id": "throttles", "MetricStat": {
                "Metric": {"Namespace": "AWS/DynamoDB", "MetricName": "WriteThrottleEvents",
                           "Dimensions": dims}, "Period": elapsed, "Stat": "Sum"}}],
        StartTime=utc(start), EndTime=utc(start + elapsed))
    values = {r["Id"]: sum(r["Values"]) for r in data["MetricDataResults"]}
    assert values == {"consumed": sum(admitted.values()), "throttles": sum(throttled.values())}
