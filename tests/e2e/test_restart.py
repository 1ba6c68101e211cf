"""Durability: stop and restart the server (SIGTERM, and SIGKILL for acknowledged writes) and every
role, policy, table, item, scalable target, scaling policy, alarm, activity and metric datapoint is
still there, and simulated time does not go backwards."""

from __future__ import annotations

import json
import signal

from test_scaling_manual import TABLE, big_item, drive, scenario  # noqa: F401  (fixture)


def snapshot(server):
    ddb, aas, cw, iam = (server.client(s) for s in ("dynamodb", "application-autoscaling", "cloudwatch", "iam"))
    now = server.now()
    return {
        "roles": [r["RoleName"] for r in iam.list_roles()["Roles"]],
        "policies": [p["Arn"] for p in iam.list_policies(Scope="Local")["Policies"]],
        "attached": iam.list_attached_role_policies(RoleName="Keeper")["AttachedPolicies"],
        "tables": ddb.list_tables()["TableNames"],
        "table": {k: v for k, v in ddb.describe_table(TableName=TABLE)["Table"].items()
                  if k not in ("ItemCount", "TableSizeBytes")},
        "item": ddb.get_item(TableName=TABLE, Key={"pk": {"N": "0"}, "sk": {"N": "0"}}, ConsistentRead=True)["Item"],
        "targets": aas.describe_scalable_targets(ServiceNamespace="dynamodb")["ScalableTargets"],
        "policies_aas": aas.describe_scaling_policies(ServiceNamespace="dynamodb")["ScalingPolicies"],
        "activities": aas.describe_scaling_activities(ServiceNamespace="dynamodb")["ScalingActivities"],
        "alarms": cw.describe_alarms()["MetricAlarms"],
        "datapoints": sorted(json.dumps(d, default=str, sort_keys=True) for d in cw.get_metric_statistics(
            Namespace="AWS/DynamoDB", MetricName="ConsumedWriteCapacityUnits",
            Dimensions=[{"Name": "TableName", "Value": TABLE}], StartTime=now - 3600, EndTime=now,
            Period=60, Statistics=["Sum", "SampleCount"])["Datapoints"]),
        "now": now,
    }


def test_everything_survives_restart(scenario):  # noqa: F811
    server, ddb, aas, cw, t0 = scenario
    iam = server.client("iam")
    iam.create_role(RoleName="Keeper", AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                "Principal": {"Service": "application-autoscaling.amazonaws.com"}}]}))
    arn = iam.create_policy(PolicyName="KeeperPolicy", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "dynamodb:*", "Resource": "*"}]}))["Policy"]["Arn"]
    iam.attach_role_policy(RoleName="Keeper", PolicyArn=arn)
    drive(server, ddb, 180, big_item)
    before = snapshot(server)
    assert before["activities"] and before["datapoints"] and len(before["alarms"]) == 4

    server.restart(signal.SIGTERM)
    after = snapshot(server)
    assert after.pop("now") >= before.pop("now")
    assert after == before


def test_acknowledged_write_survives_kill(make_server):
    server = make_server("--clock", "manual")
    ddb = server.client("dynamodb")
    ddb.create_table(TableName="Killed", AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
                     ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5})
    server.advance(10)
    ddb.put_item(TableName="Killed", Item={"k": {"S": "acknowledged"}})
    server.restart(signal.SIGKILL)
    ddb = server.client("dynamodb")
    item = ddb.get_item(TableName="Killed", Key={"k": {"S": "acknowledged"}}, ConsistentRead=True)
    assert item["Item"] == {"k": {"S": "acknowledged"}}
    assert ddb.describe_table(TableName="Killed")["Table"]["TableStatus"] == "ACTIVE"
