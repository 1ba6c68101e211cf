"""The scale-out of AWS's tutorial "Using the AWS CLI to Manage DynamoDB Auto Scaling", as a test
of your own, in manual time (deterministic, a few seconds of wall time).

A 5 WCU table, a target-tracking policy keeping consumed writes at 50% of provisioned (5 to 10
WCU), and the tutorial's heavy writes (~98 WCU items): the 300 s of burst capacity go in the first
minute, writes are then throttled to 5 WCU per second, CloudWatch's AlarmHigh sees two minutes
above 150 units and Application Auto Scaling sets the table to 10 WCU.

Run it with the Dynoscale pytest plugin installed (`pip install dynoscale`, or `make install` in
a clone): `pytest examples/pytest/test_scale_out.py`.
"""

TABLE = "TestTable"
FILLER = "x" * 100000  # the tutorial's filler: each item costs about 98 write capacity units


def test_heavy_writes_scale_the_table_out(dynoscale_dynamodb, dynoscale_autoscaling,
                                          dynoscale_clock):
    ddb, aas, clock = dynoscale_dynamodb, dynoscale_autoscaling, dynoscale_clock
    ddb.create_table(TableName=TABLE,
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "N"},
                                           {"AttributeName": "sk", "AttributeType": "N"}],
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                                {"AttributeName": "sk", "KeyType": "RANGE"}],
                     ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5})
    clock.advance("10s")  # CREATING -> ACTIVE
    aas.register_scalable_target(ServiceNamespace="dynamodb", ResourceId=f"table/{TABLE}",
                                 ScalableDimension="dynamodb:table:WriteCapacityUnits",
                                 MinCapacity=5, MaxCapacity=10)
    aas.put_scaling_policy(
        ServiceNamespace="dynamodb", ResourceId=f"table/{TABLE}",
        ScalableDimension="dynamodb:table:WriteCapacityUnits", PolicyName="MyScalingPolicy",
        PolicyType="TargetTrackingScaling",
        TargetTrackingScalingPolicyConfiguration={
            "PredefinedMetricSpecification": {
                "PredefinedMetricType": "DynamoDBWriteCapacityUtilization"},
            "ScaleOutCooldown": 60, "ScaleInCooldown": 60, "TargetValue": 50.0})
    clock.advance_to_minute()  # metrics are per minute: start the traffic on a boundary

    throttled = 0
    for i in range(65):  # 130 simulated seconds, one write attempt every 2 seconds
        try:
            ddb.put_item(TableName=TABLE, Item={"pk": {"N": str(i // 10)}, "sk": {"N": str(i % 10)},
                                                "filler": {"M": {"S": {"S": FILLER}}}})
        except ddb.exceptions.ProvisionedThroughputExceededException:
            throttled += 1
        clock.advance(2)

    assert throttled > 0  # burst spent, then held to the provisioned rate
    [activity] = aas.describe_scaling_activities(ServiceNamespace="dynamodb")["ScalingActivities"]
    assert activity["Description"] == "Setting write capacity units to 10."
    assert activity["StatusCode"] == "Successful"
    table = ddb.describe_table(TableName=TABLE)["Table"]
    assert table["ProvisionedThroughput"]["WriteCapacityUnits"] == 10
