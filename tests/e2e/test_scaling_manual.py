"""The tutorial's scenario under the manual clock: deterministic, with the minute of each scaling
action asserted.

What AWS's rules predict (docs/behaviour/autoscaling-cloudwatch-iam.md §2.2-2.5, §5.5;
docs/behaviour/dynamodb-capacity.md §2.1, §4; each entry names its AWS source):
- DynamoDB publishes ConsumedWriteCapacityUnits once a minute (Sum of units consumed that minute);
- AlarmHigh = Sum > 0.50 x 5 WCU x 60 = 150 for 2 consecutive 1-minute periods; CloudWatch
  evaluates at each minute boundary over the periods that just completed;
- writes of the tutorial's ~98 WCU items at one per second use the 300 s burst (1,500 units) in the
  first minute, then are held to 5 WCU/s (~300 units per minute) by throttling;
- so with traffic from T0 (a minute boundary), AlarmHigh goes to ALARM at T0+120 and target
  tracking sets ceil((Sum/60)/0.50) clamped to max 10 = 10 WCU at T0+120 (UpdateTable; the table
  is ACTIVE with 10 WCU two seconds later);
- scale-in: AlarmLow = Sum < (50-20)% x provisioned x 60 for 15 periods; at 10 WCU a steady
  1 WCU/s (60 per minute < 180) from T1 brings ALARM at T1+900 and capacity back to min 5;
- idle: an idle table publishes no consumed-capacity datapoints and AWS/DynamoDB alarms keep
  their state on missing data, but Application Auto Scaling scales an idle dimension in to its
  minimum once it has consumed nothing for ten whole minutes (what AWS does today; the evidence
  is in services/autoscaling/idle.py): the last busy minute of the scale-out run below is
  [T0+120, T0+180), so capacity returns to 5 at T0+780.
"""

from __future__ import annotations

import math

import pytest
from botocore.exceptions import ClientError

TABLE = "TestTable"
BIG = "x" * 100000   # the tutorial's filler: ~98 WCU per item


def big_item(i: int) -> dict:
    # What the tutorial's resource-API program writes: {'pk': i, 'sk': j, 'filler': {"S": filler}}
    return {"pk": {"N": str(i // 10)}, "sk": {"N": str(i % 10)}, "filler": {"M": {"S": {"S": BIG}}}}


def small_item(i: int) -> dict:
    return {"pk": {"N": "100"}, "sk": {"N": str(i)}, "pad": {"S": "y" * 900}}  # 1 WCU


@pytest.fixture
def scenario(make_server):
    server = make_server("--clock", "manual")
    ddb = server.client("dynamodb")
    aas = server.client("application-autoscaling")
    cw = server.client("cloudwatch")
    ddb.create_table(TableName=TABLE,
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "N"},
                                           {"AttributeName": "sk", "AttributeType": "N"}],
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                                {"AttributeName": "sk", "KeyType": "RANGE"}],
                     ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5})
    server.advance(10)
    assert ddb.describe_table(TableName=TABLE)["Table"]["TableStatus"] == "ACTIVE"
    aas.register_scalable_target(ServiceNamespace="dynamodb", ResourceId=f"table/{TABLE}",
                                 ScalableDimension="dynamodb:table:WriteCapacityUnits",
                                 MinCapacity=5, MaxCapacity=10)
    aas.put_scaling_policy(
        ServiceNamespace="dynamodb", ResourceId=f"table/{TABLE}",
        ScalableDimension="dynamodb:table:WriteCapacityUnits", PolicyName="MyScalingPolicy",
        PolicyType="TargetTrackingScaling",
        TargetTrackingScalingPolicyConfiguration={
            "PredefinedMetricSpecification": {"PredefinedMetricType": "DynamoDBWriteCapacityUtilization"},
            "ScaleOutCooldown": 60, "ScaleInCooldown": 60, "TargetValue": 50.0})
    # Start the traffic at a minute boundary T0.
    now = server.now()
    server.advance(math.ceil(now / 60) * 60 - now)
    t0 = server.now()
    assert t0 % 60 == 0
    return server, ddb, aas, cw, t0


def drive(server, ddb, seconds: int, make_item, start: int = 0) -> tuple[int, int]:
    """One put_item attempt per simulated second (no SDK retries), then advance one second."""
    ok = throttled = 0
    for i in range(start, start + seconds):
        try:
            ddb.put_item(TableName=TABLE, Item=make_item(i))
            ok += 1
        except ClientError as e:
            assert e.response["Error"]["Code"] == "ProvisionedThroughputExceededException"
            assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 400
            throttled += 1
        server.advance(1)
    return ok, throttled


def activities(aas):
    return aas.describe_scaling_activities(ServiceNamespace="dynamodb")["ScalingActivities"]


def write_capacity(ddb) -> int:
    return ddb.describe_table(TableName=TABLE)["Table"]["ProvisionedThroughput"]["WriteCapacityUnits"]


def test_scale_out_happens_at_the_predicted_minute(scenario):
    server, ddb, aas, cw, t0 = scenario
    ok, throttled = drive(server, ddb, 119, big_item)
    assert throttled > 0 and ok > 15           # burst spent, then throttled to the provisioned rate
    assert activities(aas) == []               # T0+119: AlarmHigh has only one complete period
    drive(server, ddb, 11, big_item, start=119)  # through T0+130
    acts = activities(aas)
    assert len(acts) == 1
    act = acts[0]
    assert act["StartTime"].timestamp() == pytest.approx(t0 + 120)
    assert act["Description"] == "Setting write capacity units to 10."
    assert act["StatusCode"] == "Successful"
    assert act["Cause"].startswith("monitor alarm TargetTracking-table/TestTable-AlarmHigh-")
    assert act["Cause"].endswith(" in state ALARM triggered policy MyScalingPolicy")
    table = ddb.describe_table(TableName=TABLE)["Table"]
    assert table["ProvisionedThroughput"]["WriteCapacityUnits"] == 10
    assert table["ProvisionedThroughput"]["LastIncreaseDateTime"].timestamp() == pytest.approx(t0 + 120)
    # Target tracking re-thresholded its alarms for 10 WCU: AlarmHigh = 0.5 x 10 x 60.
    alarms = cw.describe_alarms(AlarmNamePrefix="TargetTracking-table/TestTable-AlarmHigh-")["MetricAlarms"]
    assert [a["Threshold"] for a in alarms] == [300.0]


def test_scale_in_after_fifteen_low_minutes(scenario):
    server, ddb, aas, cw, t0 = scenario
    drive(server, ddb, 180, big_item)          # scale-out at T0+120; T1 = T0+180
    assert write_capacity(ddb) == 10
    t1 = server.now()
    assert t1 == pytest.approx(t0 + 180)
    drive(server, ddb, 899, small_item)        # 60 WCU per minute: 10 % of 10 WCU, under 30 %
    assert write_capacity(ddb) == 10           # T1+899: only 14 complete low periods
    drive(server, ddb, 6, small_item, start=899)
    scale_in = [a for a in activities(aas) if a["Description"] == "Setting write capacity units to 5."]
    assert len(scale_in) == 1
    assert scale_in[0]["StartTime"].timestamp() == pytest.approx(t1 + 900)
    assert "AlarmLow" in scale_in[0]["Cause"]
    assert write_capacity(ddb) == 5


def test_idle_table_is_scaled_in_to_its_minimum(scenario):
    server, ddb, aas, cw, t0 = scenario
    drive(server, ddb, 180, big_item)          # scale-out to 10 at T0+120; the last write T0+179
    assert write_capacity(ddb) == 10
    server.advance(t0 + 779 - server.now())    # nine idle minutes and 59 s
    assert write_capacity(ddb) == 10
    assert [a["Description"] for a in activities(aas)] == ["Setting write capacity units to 10."]
    server.advance(1)                          # T0+780: ten whole minutes without consumption
    scale_in = activities(aas)[0]
    assert scale_in["Description"] == "Setting write capacity units to 5."
    assert scale_in["StartTime"].timestamp() == pytest.approx(t0 + 780)
    assert scale_in["Cause"].startswith("monitor alarm TargetTracking-table/TestTable-AlarmLow-")
    assert scale_in["Cause"].endswith(" in state ALARM triggered policy MyScalingPolicy")
    server.advance(10)
    assert activities(aas)[0]["StatusCode"] == "Successful"
    assert write_capacity(ddb) == 5
    # The idle minutes have their zero sample (Sum 0), and no more: the scale-in is no metric.
    now = server.now()
    stats = cw.get_metric_statistics(Namespace="AWS/DynamoDB", MetricName="ConsumedWriteCapacityUnits",
                                     Dimensions=[{"Name": "TableName", "Value": TABLE}],
                                     StartTime=t0 + 180, EndTime=now, Period=60, Statistics=["Sum"])
    assert stats["Datapoints"] and all(p["Sum"] == 0 for p in stats["Datapoints"])
    server.advance(40 * 60)                    # at the minimum: nothing more to do
    assert len(activities(aas)) == 2 and write_capacity(ddb) == 5
