"""PutScalingPolicy / DescribeScalingPolicies / DeleteScalingPolicy for DynamoDB target tracking,
and the four CloudWatch alarms a policy owns. AWS facts: docs/behaviour/autoscaling-cloudwatch-iam.md
§1.7-1.9, §2.2 (entry numbers per test; each entry names its AWS source)."""

from __future__ import annotations

import re

import pytest
from botocore.exceptions import ClientError

from aas_kit import READ_DIM, TT_CONFIG, WRITE_DIM
from tests.kit import error_of

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"


def test_policy_creates_four_alarms_as_aws_does(kit, unique):
    name = kit.table(unique("T"), write=5)
    kit.register(name)
    out = kit.policy(name)
    arn = out["PolicyARN"]
    # 1.7.5: service segment `autoscaling`, policy uuid, resource and name.
    assert re.fullmatch(rf"arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:{UUID}:"
                        rf"resource/dynamodb/table/{name}:policyName/MyScalingPolicy", arn)
    # 2.2.1 / 2.2.7: four alarms, TargetTracking-<ResourceId>-<kind>-<own uuid4>, ARN verbatim.
    kinds = ["AlarmHigh", "AlarmLow", "ProvisionedCapacityHigh", "ProvisionedCapacityLow"]
    assert len(out["Alarms"]) == 4
    for kind, alarm in zip(kinds, out["Alarms"]):
        assert re.fullmatch(rf"TargetTracking-table/{name}-{kind}-{UUID}", alarm["AlarmName"])
        assert alarm["AlarmARN"] == f"arn:aws:cloudwatch:us-east-1:123456789012:alarm:{alarm['AlarmName']}"
    assert len({a["AlarmName"][-36:] for a in out["Alarms"]}) == 4  # each its own uuid
    by_kind = dict(zip(kinds, out["Alarms"]))
    alarms = kit.alarms([a["AlarmName"] for a in out["Alarms"]])
    actions = {tuple(a["AlarmActions"]) for a in alarms.values()}
    # 2.2.3: one shared action `<PolicyARN>:createdBy/<uuid4>` and the DO NOT EDIT description.
    [(action,)] = actions
    assert re.fullmatch(re.escape(arn) + rf":createdBy/{UUID}", action)
    expected = {  # 2.2.4: metric, statistic, period, evaluation periods, operator, threshold
        "AlarmHigh": ("ConsumedWriteCapacityUnits", "Sum", 60, 2, "GreaterThanThreshold", 150.0),
        "AlarmLow": ("ConsumedWriteCapacityUnits", "Sum", 60, 15, "LessThanThreshold", 90.0),
        "ProvisionedCapacityHigh": ("ProvisionedWriteCapacityUnits", "Average", 300, 3,
                                    "GreaterThanThreshold", 5.0),
        "ProvisionedCapacityLow": ("ProvisionedWriteCapacityUnits", "Average", 300, 3,
                                   "LessThanThreshold", 5.0),
    }
    for kind, params in expected.items():
        alarm = alarms[by_kind[kind]["AlarmName"]]
        assert (alarm["MetricName"], alarm["Statistic"], alarm["Period"], alarm["EvaluationPeriods"],
                alarm["ComparisonOperator"], alarm["Threshold"]) == params
        assert alarm["Namespace"] == "AWS/DynamoDB"
        assert alarm["Dimensions"] == [{"Name": "TableName", "Value": name}]
        assert alarm["AlarmDescription"] == f"DO NOT EDIT OR DELETE. For TargetTrackingScaling policy {action}."
        assert alarm["ActionsEnabled"] is True
        assert alarm["OKActions"] == [] and alarm["InsufficientDataActions"] == []
        assert alarm["StateValue"] == "INSUFFICIENT_DATA"  # 5.2.4


def test_thresholds_follow_target_and_capacity(kit, unique):
    # 2.2.4 evidence: target 70 on provisioned 1 -> 42 / 30 / 1 / 1 (read dimension).
    name = kit.table(unique("T"), read=1, write=1)
    kit.register(name, low=1, high=10, dim=READ_DIM)
    out = kit.policy(name, dim=READ_DIM, config={
        "PredefinedMetricSpecification": {"PredefinedMetricType": "DynamoDBReadCapacityUtilization"},
        "TargetValue": 70.0})
    alarms = kit.alarms([a["AlarmName"] for a in out["Alarms"]])
    got = {a["AlarmName"].split(f"table/{name}-")[1].rsplit("-", 5)[0]: (a["MetricName"], a["Threshold"])
           for a in alarms.values()}
    assert got == {"AlarmHigh": ("ConsumedReadCapacityUnits", 42.0),
                   "AlarmLow": ("ConsumedReadCapacityUnits", 30.0),
                   "ProvisionedCapacityHigh": ("ProvisionedReadCapacityUnits", 1.0),
                   "ProvisionedCapacityLow": ("ProvisionedReadCapacityUnits", 1.0)}


def test_update_keeps_arn_and_alarm_names(kit, unique):
    # 1.7.6 (inferred) and 2.2.6: same PolicyARN and alarm names; thresholds re-put.
    name = kit.table(unique("T"))
    kit.register(name)
    first = kit.policy(name)
    second = kit.policy(name, config=dict(TT_CONFIG, TargetValue=70.0))
    assert second["PolicyARN"] == first["PolicyARN"]
    assert second["Alarms"] == first["Alarms"]
    high = kit.alarms([first["Alarms"][0]["AlarmName"]])[first["Alarms"][0]["AlarmName"]]
    assert high["Threshold"] == 210.0  # 0.70 x 5 x 60


def test_describe_policies(kit, unique):
    # 1.8: filters and the stored configuration with its Alarms.
    name = kit.table(unique("T"))
    kit.register(name)
    out = kit.policy(name)
    [policy] = kit.aas.describe_scaling_policies(
        ServiceNamespace="dynamodb", ResourceId=f"table/{name}",
        PolicyNames=["MyScalingPolicy"])["ScalingPolicies"]
    assert policy["PolicyARN"] == out["PolicyARN"]
    assert policy["PolicyType"] == "TargetTrackingScaling"
    assert policy["ScalableDimension"] == WRITE_DIM
    assert policy["TargetTrackingScalingPolicyConfiguration"] == TT_CONFIG
    assert policy["Alarms"] == out["Alarms"]
    assert "CreationTime" in policy
    assert kit.aas.describe_scaling_policies(
        ServiceNamespace="dynamodb", ResourceId=f"table/{name}",
        PolicyNames=["other"])["ScalingPolicies"] == []


def test_describe_policies_max_results_is_ten(kit, unique):
    # 1.8.1: MaxResults 1..10 (default 10, not 50).
    with pytest.raises(ClientError) as e:
        kit.aas.describe_scaling_policies(ServiceNamespace="dynamodb", MaxResults=11)
    assert error_of(e)[0] == "ValidationException"


def test_policy_on_unregistered_target(kit, unique):
    # 1.7.2: ObjectNotFoundException, "registered" (not "found").
    name = kit.table(unique("T"))
    with pytest.raises(ClientError) as e:
        kit.policy(name)
    assert error_of(e) == ("ObjectNotFoundException",
                           f"No scalable target registered for service namespace: dynamodb, "
                           f"resource ID: table/{name}, scalable dimension: "
                           f"dynamodb:table:WriteCapacityUnits", 400)


def test_step_scaling_is_not_supported_for_dynamodb(kit, unique):
    # 1.3.9 / 4.1: ValidationException.
    name = kit.table(unique("T"))
    kit.register(name)
    with pytest.raises(ClientError) as e:
        kit.aas.put_scaling_policy(
            ServiceNamespace="dynamodb", ResourceId=f"table/{name}", ScalableDimension=WRITE_DIM,
            PolicyName="step", PolicyType="StepScaling",
            StepScalingPolicyConfiguration={"AdjustmentType": "ChangeInCapacity",
                                            "StepAdjustments": [{"ScalingAdjustment": 1,
                                                                 "MetricIntervalLowerBound": 0.0}]})
    assert error_of(e)[0] == "ValidationException"


def test_one_policy_per_metric_specification(kit, unique):
    # 1.7.3 (observed gravitational/teleport, terraform-provider-aws #41179).
    name = kit.table(unique("T"))
    kit.register(name)
    kit.policy(name)
    with pytest.raises(ClientError) as e:
        kit.policy(name, policy_name="Second")
    assert error_of(e) == ("ValidationException",
                           "Only one TargetTrackingScaling policy for a given metric specification "
                           "is allowed.", 400)


def test_delete_policy_deletes_its_alarms(kit, unique):
    # 1.9.1 / 2.2.8.
    name = kit.table(unique("T"))
    kit.register(name)
    names = [a["AlarmName"] for a in kit.policy(name)["Alarms"]]
    kit.aas.delete_scaling_policy(ServiceNamespace="dynamodb", ResourceId=f"table/{name}",
                                  ScalableDimension=WRITE_DIM, PolicyName="MyScalingPolicy")
    assert kit.alarms(names) == {}
    with pytest.raises(ClientError) as e:  # 1.9.2
        kit.aas.delete_scaling_policy(ServiceNamespace="dynamodb", ResourceId=f"table/{name}",
                                      ScalableDimension=WRITE_DIM, PolicyName="MyScalingPolicy")
    assert error_of(e) == ("ObjectNotFoundException",
                           f"No scaling policy found for service namespace: dynamodb, resource ID: "
                           f"table/{name}, scalable dimension: dynamodb:table:WriteCapacityUnits, "
                           f"policy name: MyScalingPolicy", 400)


def test_gsi_policy_alarms_carry_the_index_dimension(kit, unique):
    # 1.3.3 + 2.2.3 (inferred): index targets use table/X/index/Y; alarms add the GSI dimension.
    try:
        name = kit.table(unique("T"), gsi="idx")
    except ClientError as e:  # GSIs may not be emulated yet by the DynamoDB side
        pytest.skip(f"CreateTable with a GSI: {e}")
    dim, rid = "dynamodb:index:WriteCapacityUnits", f"table/{name}/index/idx"
    kit.aas.register_scalable_target(ServiceNamespace="dynamodb", ResourceId=rid,
                                     ScalableDimension=dim, MinCapacity=5, MaxCapacity=10)
    out = kit.aas.put_scaling_policy(ServiceNamespace="dynamodb", ResourceId=rid,
                                     ScalableDimension=dim, PolicyName="p",
                                     PolicyType="TargetTrackingScaling",
                                     TargetTrackingScalingPolicyConfiguration=TT_CONFIG)
    assert out["Alarms"][0]["AlarmName"].startswith(f"TargetTracking-{rid}-AlarmHigh-")
    for alarm in kit.alarms([a["AlarmName"] for a in out["Alarms"]]).values():
        assert alarm["Dimensions"] == [{"Name": "TableName", "Value": name},
                                       {"Name": "GlobalSecondaryIndexName", "Value": "idx"}]
    with pytest.raises(ClientError) as e:
        kit.aas.register_scalable_target(ServiceNamespace="dynamodb",
                                         ResourceId=f"table/{name}/index/nope",
                                         ScalableDimension=dim, MinCapacity=5, MaxCapacity=10)
    assert error_of(e)[0] == "ValidationException"


def test_target_values_aws_accepts_and_refuses(kit, unique):
    # Accepted outside the console's 20-90 %: the API took a DynamoDB target of 10 that only the
    # console refused (cloudposse/terraform-aws-dynamodb #8); the alarms follow the value.
    name = kit.table(unique("T"))
    kit.register(name)
    for target in (10.0, 95.0, 20.0, 90.0):
        out = kit.policy(name, {**TT_CONFIG, "TargetValue": target})
        high = kit.alarms([out["Alarms"][0]["AlarmName"]])
        assert [a["Threshold"] for a in high.values()] == [target * 5 * 60 / 100]
    described = kit.aas.describe_scaling_policies(ServiceNamespace="dynamodb",
                                                  ResourceId=f"table/{name}")["ScalingPolicies"]
    assert [p["TargetTrackingScalingPolicyConfiguration"]["TargetValue"]
            for p in described] == [90.0]
    # refused: 0 and below (inferred), and beyond the model's documented -2^360..2^360
    positive = "TargetValue for DynamoDBWriteCapacityUtilization must be greater than 0"
    for target, message in ((0.0, positive), (-5.0, positive),
                            (1e120, "TargetValue must be in the range of -2^360 to 2^360")):
        with pytest.raises(ClientError) as e:
            kit.policy(name, {**TT_CONFIG, "TargetValue": target}, policy_name="Other")
        assert error_of(e) == ("ValidationException", message, 400), target
    # nothing of the refused policies was stored
    assert [p["PolicyName"] for p in kit.aas.describe_scaling_policies(
        ServiceNamespace="dynamodb", ResourceId=f"table/{name}")["ScalingPolicies"]] == [
        "MyScalingPolicy"]
