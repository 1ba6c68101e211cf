"""The tutorial's scale-out under `--timing aws` (timing.py), on the manual clock: the activity
starts at the minute the AWS profile predicts, and is InProgress, then Successful, as long as
the profile says.

Prediction (the same load as test_scaling_manual.py, traffic from a minute boundary T0):
- AlarmHigh needs 2 breaching one-minute periods: [T0, T0+60) and [T0+60, T0+120), complete at
  T0+120. With `--timing fast` the alarm judges them at T0+120.
- `--timing aws`: a minute's datapoints appear metric_lag = 60 s after it ends (the second one
  at T0+180) and alarms judge the periods that ended alarm_delay = 120 s before the evaluation,
  so the evaluation at T0+240 is the first to see both: ALARM, and the activity starts at
  T0+240 (minute 4 instead of minute 2).
- UpdateTable keeps the table UPDATING for table_update = 2 s; auto scaling checks every
  scaling_poll = 30 s, so the activity is InProgress until T0+270, then Successful.
"""

from __future__ import annotations

import math

import pytest

from tests.e2e.test_scaling_manual import TABLE, activities, big_item, drive, write_capacity


@pytest.fixture
def scenario(make_server):
    server = make_server("--clock", "manual", "--timing", "aws")
    ddb = server.client("dynamodb")
    aas = server.client("application-autoscaling")
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
    now = server.now()
    server.advance(math.ceil(now / 60) * 60 - now)
    t0 = server.now()
    assert t0 % 60 == 0
    return server, ddb, aas, t0


def test_scale_out_starts_at_minute_four_and_takes_thirty_seconds(scenario):
    server, ddb, aas, t0 = scenario
    drive(server, ddb, 239, big_item)          # through T0+239
    assert activities(aas) == []               # fast timing would have scaled at T0+120
    drive(server, ddb, 2, big_item, start=239)  # through T0+241
    [act] = activities(aas)
    assert act["StartTime"].timestamp() == pytest.approx(t0 + 240)
    assert act["Description"] == "Setting write capacity units to 10."
    assert act["StatusCode"] == "InProgress"
    assert act["StatusMessage"] == ("Successfully set write capacity units to 10. Waiting for "
                                    "change to be fulfilled by dynamodb.")
    assert ddb.describe_table(TableName=TABLE)["Table"]["TableStatus"] == "UPDATING"
    drive(server, ddb, 28, big_item, start=241)  # through T0+269
    assert activities(aas)[0]["StatusCode"] == "InProgress"
    assert write_capacity(ddb) == 10           # DynamoDB finished at T0+242
    drive(server, ddb, 1, big_item, start=269)  # T0+270: auto scaling's next check
    [act] = activities(aas)
    assert act["StatusCode"] == "Successful"
    assert act["EndTime"].timestamp() == pytest.approx(t0 + 270)
    assert act["StatusMessage"] == ("Successfully set write capacity units to 10. Change "
                                    "successfully fulfilled by dynamodb.")
