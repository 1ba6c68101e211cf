"""RegisterScalableTarget / DescribeScalableTargets / DeregisterScalableTarget and tagging.
AWS facts: docs/behaviour/autoscaling-cloudwatch-iam.md §1.3-1.6, 1.11 (entry numbers per test;
each entry names its AWS source)."""

from __future__ import annotations

import re

import pytest
from botocore.exceptions import ClientError

from aas_kit import READ_DIM, SLR_ARN, WRITE_DIM
from tests.kit import error_of


def describe(kit, name, **kw):
    return kit.aas.describe_scalable_targets(ServiceNamespace="dynamodb",
                                             ResourceIds=[f"table/{name}"], **kw)["ScalableTargets"]


def test_register_reports_the_dynamodb_service_linked_role(kit, unique):
    # 1.4.7-1.4.9: a custom RoleARN is replaced by the DynamoDB SLR in DescribeScalableTargets.
    name = kit.table(unique("T"))
    arn = kit.register(name, RoleARN="arn:aws:iam::123456789012:role/MyIAMAutoscalingServiceRole")[
        "ScalableTargetARN"]
    assert re.fullmatch(r"arn:aws:application-autoscaling:us-east-1:123456789012:"
                        r"scalable-target/[a-z0-9]{36}", arn)  # 1.4.10
    [target] = describe(kit, name)
    assert target["RoleARN"] == SLR_ARN
    assert target["MinCapacity"] == 5 and target["MaxCapacity"] == 10
    assert target["ScalableTargetARN"] == arn
    # 1.4.11: all three suspension flags, always.
    assert target["SuspendedState"] == {"DynamicScalingInSuspended": False,
                                        "DynamicScalingOutSuspended": False,
                                        "ScheduledScalingSuspended": False}
    # 1.4.9: the SLR is visible through IAM.
    role = kit.server.client("iam").get_role(
        RoleName="AWSServiceRoleForApplicationAutoScaling_DynamoDBTable")["Role"]
    assert role["Arn"] == SLR_ARN
    assert role["Path"] == "/aws-service-role/dynamodb.application-autoscaling.amazonaws.com/"


def test_update_keeps_omitted_values_and_the_arn(kit, unique):
    # 1.4.2: a second registration updates; omitted parameters are unchanged. 1.4.10: ARN stable.
    name = kit.table(unique("T"))
    arn = kit.register(name)["ScalableTargetARN"]
    again = kit.aas.register_scalable_target(
        ServiceNamespace="dynamodb", ResourceId=f"table/{name}", ScalableDimension=WRITE_DIM,
        MaxCapacity=20, SuspendedState={"DynamicScalingInSuspended": True})
    assert again["ScalableTargetARN"] == arn
    [target] = describe(kit, name)
    assert (target["MinCapacity"], target["MaxCapacity"]) == (5, 20)
    assert target["SuspendedState"]["DynamicScalingInSuspended"] is True
    assert target["SuspendedState"]["DynamicScalingOutSuspended"] is False


def test_create_without_min_and_max_is_refused(kit, unique):
    # 1.4.2: Min and Max are required on first registration (ValidationException; text inferred).
    name = kit.table(unique("T"))
    with pytest.raises(ClientError) as e:
        kit.aas.register_scalable_target(ServiceNamespace="dynamodb", ResourceId=f"table/{name}",
                                         ScalableDimension=WRITE_DIM, MinCapacity=5)
    assert error_of(e)[0] == "ValidationException" and error_of(e)[2] == 400
    assert describe(kit, name) == []


def test_min_above_max_is_refused(kit, unique):
    # 1.4.4: ValidationException (also when the merge with stored values inverts the range).
    name = kit.table(unique("T"))
    with pytest.raises(ClientError) as e:
        kit.register(name, low=11, high=10)
    assert error_of(e)[0] == "ValidationException"
    kit.register(name)
    with pytest.raises(ClientError) as e:
        kit.aas.register_scalable_target(ServiceNamespace="dynamodb", ResourceId=f"table/{name}",
                                         ScalableDimension=WRITE_DIM, MinCapacity=11)
    assert error_of(e)[0] == "ValidationException"


@pytest.mark.parametrize("resource_id,dimension", [
    ("dynamo/x", WRITE_DIM),                                  # 1.3.4 (observed pulumi #11)
    ("table/abc/index/idx", WRITE_DIM),                       # table dimension with an index id
    ("table/abc", "dynamodb:index:WriteCapacityUnits"),       # 1.3.3
    ("table/abc", "ecs:service:DesiredCount"),                # another namespace's dimension
])
def test_incompatible_namespace_dimension_resource(kit, resource_id, dimension):
    with pytest.raises(ClientError) as e:
        kit.aas.register_scalable_target(ServiceNamespace="dynamodb", ResourceId=resource_id,
                                         ScalableDimension=dimension, MinCapacity=1, MaxCapacity=2)
    assert error_of(e) == ("ValidationException",
                           "Unsupported service namespace, resource type or scalable dimension", 400)


def test_missing_table_is_refused(kit, unique):
    # 1.4.5 (observed terraform-aws-dynamodb-table #15).
    name = unique("Missing")
    with pytest.raises(ClientError) as e:
        kit.register(name)
    assert error_of(e) == ("ValidationException", f"DynamoDB table does not exist: table/{name}", 400)


def test_tags_on_existing_target_are_refused(kit, unique):
    # 1.4.6 (observed terraform-aws-rds-aurora PR #420).
    name = kit.table(unique("T"))
    kit.register(name, Tags={"a": "1"})
    with pytest.raises(ClientError) as e:
        kit.register(name, Tags={"b": "2"})
    assert error_of(e) == ("ValidationException",
                           "The scalable target that you tried to tag already exists. To update "
                           "tags on an existing scalable target, use the TagResource API.", 400)


def test_register_clamps_capacity_into_the_range(kit, unique):
    # 1.4.3 + 3.4: capacity below the new minimum is raised, with an activity caused by the min.
    name = kit.table(unique("T"), write=5)
    kit.register(name, low=8, high=12)
    [activity] = kit.activities(name)
    assert activity["Description"] == "Setting write capacity units to 8."
    assert activity["Cause"] == "minimum capacity was set to 8"
    assert activity["StatusCode"] == "InProgress"
    assert activity["StatusMessage"] == ("Successfully set write capacity units to 8. Waiting for "
                                         "change to be fulfilled by dynamodb.")
    kit.server.advance(30)
    [activity] = kit.activities(name)
    assert activity["StatusCode"] == "Successful"
    assert activity["StatusMessage"] == ("Successfully set write capacity units to 8. Change "
                                         "successfully fulfilled by dynamodb.")
    assert activity["EndTime"] > activity["StartTime"]
    assert kit.write_units(name) == 8
    # Lowering the maximum below the capacity clamps down, caused by the max.
    kit.aas.register_scalable_target(ServiceNamespace="dynamodb", ResourceId=f"table/{name}",
                                     ScalableDimension=WRITE_DIM, MinCapacity=1, MaxCapacity=6)
    newest = kit.activities(name)[0]
    assert (newest["Description"], newest["Cause"]) == ("Setting write capacity units to 6.",
                                                        "maximum capacity was set to 6")
    kit.server.advance(30)
    assert kit.write_units(name) == 6


def test_describe_filters_and_pagination(kit, unique):
    # 1.5.1: filters ResourceIds/ScalableDimension; MaxResults + NextToken; NextToken absent at end.
    name = kit.table(unique("T"))
    kit.register(name, dim=WRITE_DIM)
    kit.register(name, dim=READ_DIM)
    both = describe(kit, name)
    assert [t["ScalableDimension"] for t in both] == [WRITE_DIM, READ_DIM]
    assert [t["ScalableDimension"] for t in describe(kit, name, ScalableDimension=READ_DIM)] == [READ_DIM]
    first = kit.aas.describe_scalable_targets(ServiceNamespace="dynamodb",
                                              ResourceIds=[f"table/{name}"], MaxResults=1)
    assert len(first["ScalableTargets"]) == 1 and first["NextToken"]
    second = kit.aas.describe_scalable_targets(ServiceNamespace="dynamodb",
                                               ResourceIds=[f"table/{name}"], MaxResults=1,
                                               NextToken=first["NextToken"])
    assert second["ScalableTargets"][0]["ScalableDimension"] == READ_DIM
    assert "NextToken" not in second
    # 1.5.3: nothing registered -> empty list.
    assert kit.aas.describe_scalable_targets(ServiceNamespace="ecs")["ScalableTargets"] == []
    with pytest.raises(ClientError) as e:
        kit.aas.describe_scalable_targets(ServiceNamespace="dynamodb", NextToken="garbage!")
    assert error_of(e)[0] == "InvalidNextTokenException"


def test_deregister_removes_target_policies_and_alarms(kit, unique):
    # 1.6.1 + 2.2.8: the target, its policies and their alarms go.
    name = kit.table(unique("T"))
    kit.register(name)
    alarms = [a["AlarmName"] for a in kit.policy(name)["Alarms"]]
    assert len(kit.alarms(alarms)) == 4
    kit.aas.deregister_scalable_target(ServiceNamespace="dynamodb", ResourceId=f"table/{name}",
                                       ScalableDimension=WRITE_DIM)
    assert describe(kit, name) == []
    assert kit.alarms(alarms) == {}
    assert kit.aas.describe_scaling_policies(ServiceNamespace="dynamodb",
                                             ResourceId=f"table/{name}")["ScalingPolicies"] == []


def test_deregister_unknown_target(kit, unique):
    # 1.6.2: ObjectNotFoundException "No scalable target found for ..." (not moto's Validation).
    with pytest.raises(ClientError) as e:
        kit.aas.deregister_scalable_target(ServiceNamespace="dynamodb", ResourceId="table/nope",
                                           ScalableDimension=WRITE_DIM)
    assert error_of(e) == ("ObjectNotFoundException",
                           "No scalable target found for service namespace: dynamodb, resource ID: "
                           "table/nope, scalable dimension: dynamodb:table:WriteCapacityUnits", 400)


def test_tagging(kit, unique):
    # 1.11.1: tags of scalable targets by ARN; unknown ARN -> ResourceNotFoundException.
    name = kit.table(unique("T"))
    arn = kit.register(name, Tags={"team": "a"})["ScalableTargetARN"]
    kit.aas.tag_resource(ResourceARN=arn, Tags={"env": "dev", "team": "b"})
    assert kit.aas.list_tags_for_resource(ResourceARN=arn)["Tags"] == {"team": "b", "env": "dev"}
    kit.aas.untag_resource(ResourceARN=arn, TagKeys=["team"])
    assert kit.aas.list_tags_for_resource(ResourceARN=arn)["Tags"] == {"env": "dev"}
    missing = "arn:aws:application-autoscaling:us-east-1:123456789012:scalable-target/" + "0" * 36
    with pytest.raises(ClientError) as e:
        kit.aas.list_tags_for_resource(ResourceARN=missing)
    assert error_of(e)[0] == "ResourceNotFoundException"
    assert e.value.response["ResourceName"] == missing


def test_tutorial_step_3_with_the_aws_cli(kit, unique):
    # Tutorial Step 3 verbatim apart from names: register with --role-arn, then describe.
    name = kit.table(unique("TestTable"))
    role = "arn:aws:iam::123456789012:role/MyIAMAutoscalingServiceRole"
    out = kit.server.aws("application-autoscaling", "register-scalable-target",
                         "--service-namespace", "dynamodb", "--resource-id", f"table/{name}",
                         "--scalable-dimension", WRITE_DIM, "--min-capacity", "5",
                         "--max-capacity", "10", "--role-arn", role).json
    assert set(out) == {"ScalableTargetARN"}
    [target] = kit.server.aws("application-autoscaling", "describe-scalable-targets",
                              "--service-namespace", "dynamodb", "--resource-id",
                              f"table/{name}").json["ScalableTargets"]
    assert target["RoleARN"] == SLR_ARN  # 1.4.8
    # 1.1.3: epoch seconds with milliseconds, as in the tutorial's sample output.
    assert isinstance(target["CreationTime"], float)
    assert round(target["CreationTime"], 3) == target["CreationTime"]
