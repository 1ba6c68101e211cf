"""POST /_dynoscale/reset (Dynoscale only): every resource of every service is forgotten, timed
work stops, simulated time goes on, and the services work as on a fresh server."""

from __future__ import annotations


def test_reset_forgets_everything_and_keeps_time(make_server):
    server = make_server("--clock", "manual")
    ddb, iam, cw = server.client("dynamodb"), server.client("iam"), server.client("cloudwatch")
    ddb.create_table(TableName="Tbl", AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
                     ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5})
    server.advance(10)
    ddb.put_item(TableName="Tbl", Item={"k": {"S": "a"}})
    iam.create_role(RoleName="R", AssumeRolePolicyDocument='{"Version":"2012-10-17","Statement":[]}')
    cw.put_metric_alarm(AlarmName="A", Namespace="N", MetricName="M", Statistic="Sum", Period=60,
                        EvaluationPeriods=1, Threshold=1, ComparisonOperator="GreaterThanThreshold")
    server.advance(120)
    before = server.now()

    state = server.admin("reset", {})
    assert state["status"] == "reset" and state["now"] >= before

    assert ddb.list_tables()["TableNames"] == []
    assert iam.list_roles()["Roles"] == []
    assert cw.describe_alarms()["MetricAlarms"] == []
    # Fresh services work, and timed work is armed again (the new table becomes ACTIVE).
    ddb.create_table(TableName="Tbl", AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
                     ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5})
    server.advance(10)
    assert ddb.describe_table(TableName="Tbl")["Table"]["TableStatus"] == "ACTIVE"
    assert "Item" not in ddb.get_item(TableName="Tbl", Key={"k": {"S": "a"}})
    # ... and the reset survives a restart.
    server.restart()
    assert server.client("iam").list_roles()["Roles"] == []
    assert server.now() >= before
