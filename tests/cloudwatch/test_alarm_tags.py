"""Tags of metric and composite alarms over HTTP: TagResource, UntagResource,
ListTagsForResource, and `Tags` on PutMetricAlarm / PutCompositeAlarm, in all three CloudWatch
wire protocols.

AWS facts: botocore model docs of TagResource (append new keys, replace existing values, at most
50 tags; alarm ARN format), PutMetricAlarm.Tags ("If you are using this operation to update an
existing alarm, any tags you specify in this parameter are ignored"), ResourceNotFoundException
(404) from the model; the "Unknown" text follows moto's tests (errors.py); ListTagsForResource
output shape as shown by aws/aws-cli#5289.
"""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from tests.kit import error_of
from tests.cloudwatch.test_protocols import PROTOCOLS, client_speaking

ACCOUNT, REGION = "123456789012", "us-east-1"


def arn(name: str) -> str:
    return f"arn:aws:cloudwatch:{REGION}:{ACCOUNT}:alarm:{name}"


def metric_alarm(cw, name: str, **extra) -> None:
    cw.put_metric_alarm(AlarmName=name, Namespace="Dynoscale/Tags", MetricName="M",
                        Statistic="Sum", Period=60, EvaluationPeriods=1, Threshold=1.0,
                        ComparisonOperator="GreaterThanThreshold", **extra)


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_tag_untag_list_in_each_protocol(server, unique, protocol):
    cw, _ = client_speaking(server, protocol)
    name = unique("tagged")
    metric_alarm(cw, name, Tags=[{"Key": "team", "Value": "db"}])
    assert cw.list_tags_for_resource(ResourceARN=arn(name))["Tags"] == [
        {"Key": "team", "Value": "db"}]
    cw.tag_resource(ResourceARN=arn(name), Tags=[{"Key": "stage", "Value": "prod"},
                                                 {"Key": "team", "Value": "ops"}])
    assert cw.list_tags_for_resource(ResourceARN=arn(name))["Tags"] == [
        {"Key": "team", "Value": "ops"}, {"Key": "stage", "Value": "prod"}]
    cw.untag_resource(ResourceARN=arn(name), TagKeys=["team", "absent"])
    assert cw.list_tags_for_resource(ResourceARN=arn(name))["Tags"] == [
        {"Key": "stage", "Value": "prod"}]
    cw.untag_resource(ResourceARN=arn(name), TagKeys=["stage"])
    assert cw.list_tags_for_resource(ResourceARN=arn(name))["Tags"] == []


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_unknown_alarm_is_resource_not_found(server, unique, protocol):
    cw, _ = client_speaking(server, protocol)
    missing = arn(unique("missing"))
    for call in (lambda: cw.list_tags_for_resource(ResourceARN=missing),
                 lambda: cw.tag_resource(ResourceARN=missing, Tags=[{"Key": "k", "Value": "v"}]),
                 lambda: cw.untag_resource(ResourceARN=missing, TagKeys=["k"])):
        with pytest.raises(ClientError) as exc:
            call()
        assert error_of(exc) == ("ResourceNotFoundException", "Unknown", 404)


def test_untagged_alarm_lists_no_tags(server, unique):
    cw = server.client("cloudwatch")
    name = unique("plain")
    metric_alarm(cw, name)
    assert cw.list_tags_for_resource(ResourceARN=arn(name))["Tags"] == []
    cw.tag_resource(ResourceARN=arn(name), Tags=[{"Key": "first", "Value": ""}])
    assert cw.list_tags_for_resource(ResourceARN=arn(name))["Tags"] == [
        {"Key": "first", "Value": ""}]


def test_tags_on_update_are_ignored(server, unique):
    cw = server.client("cloudwatch")
    name = unique("upd")
    metric_alarm(cw, name, Tags=[{"Key": "a", "Value": "1"}])
    metric_alarm(cw, name, Tags=[{"Key": "b", "Value": "2"}])
    assert cw.list_tags_for_resource(ResourceARN=arn(name))["Tags"] == [
        {"Key": "a", "Value": "1"}]
    metric_alarm(cw, name)  # an update without Tags keeps them too
    assert cw.list_tags_for_resource(ResourceARN=arn(name))["Tags"] == [
        {"Key": "a", "Value": "1"}]


def test_composite_alarm_tags(server, unique):
    cw = server.client("cloudwatch")
    child, parent = unique("child"), unique("parent")
    metric_alarm(cw, child)
    cw.put_composite_alarm(AlarmName=parent, AlarmRule=f'ALARM("{child}")',
                           Tags=[{"Key": "kind", "Value": "composite"}])
    assert cw.list_tags_for_resource(ResourceARN=arn(parent))["Tags"] == [
        {"Key": "kind", "Value": "composite"}]
    cw.tag_resource(ResourceARN=arn(parent), Tags=[{"Key": "x", "Value": "y"}])
    cw.put_composite_alarm(AlarmName=parent, AlarmRule=f'OK("{child}")',
                           Tags=[{"Key": "ignored", "Value": "1"}])
    assert cw.list_tags_for_resource(ResourceARN=arn(parent))["Tags"] == [
        {"Key": "kind", "Value": "composite"}, {"Key": "x", "Value": "y"}]


def test_tags_go_with_the_alarm_and_survive_restart(server, unique):
    cw = server.client("cloudwatch")
    name = unique("gone")
    metric_alarm(cw, name, Tags=[{"Key": "k", "Value": "v"}])
    server.restart()
    cw = server.client("cloudwatch")
    assert cw.list_tags_for_resource(ResourceARN=arn(name))["Tags"] == [{"Key": "k", "Value": "v"}]
    cw.delete_alarms(AlarmNames=[name])
    with pytest.raises(ClientError) as exc:
        cw.list_tags_for_resource(ResourceARN=arn(name))
    assert error_of(exc) == ("ResourceNotFoundException", "Unknown", 404)
    metric_alarm(cw, name)  # a new alarm of the same name starts untagged
    assert cw.list_tags_for_resource(ResourceARN=arn(name))["Tags"] == []


def test_other_region_or_account_is_not_found(server, unique):
    cw = server.client("cloudwatch")
    name = unique("here")
    metric_alarm(cw, name)
    for other in (f"arn:aws:cloudwatch:eu-west-1:{ACCOUNT}:alarm:{name}",
                  f"arn:aws:cloudwatch:{REGION}:999999999999:alarm:{name}"):
        with pytest.raises(ClientError) as exc:
            cw.list_tags_for_resource(ResourceARN=other)
        assert error_of(exc) == ("ResourceNotFoundException", "Unknown", 404)


def test_malformed_arn_is_invalid_parameter_value(server):
    cw = server.client("cloudwatch")
    with pytest.raises(ClientError) as exc:
        cw.list_tags_for_resource(ResourceARN="not-an-arn")
    assert error_of(exc) == ("InvalidParameterValue", "Invalid ARN: not-an-arn", 400)


def test_at_most_50_tags(server, unique):
    cw = server.client("cloudwatch")
    name = unique("many")
    fifty = [{"Key": f"k{i}", "Value": "v"} for i in range(50)]
    metric_alarm(cw, name, Tags=fifty)
    cw.tag_resource(ResourceARN=arn(name), Tags=[{"Key": "k0", "Value": "replaced"}])
    with pytest.raises(ClientError) as exc:
        cw.tag_resource(ResourceARN=arn(name), Tags=[{"Key": "k50", "Value": "v"}])
    assert error_of(exc) == ("InvalidParameterValue",
                             "The number of tags on a resource must not exceed 50.", 400)
    with pytest.raises(ClientError) as exc:
        metric_alarm(cw, unique("toomany"), Tags=fifty + [{"Key": "k50", "Value": "v"}])
    assert error_of(exc)[0] == "InvalidParameterValue"
    assert len(cw.list_tags_for_resource(ResourceARN=arn(name))["Tags"]) == 50


def test_tag_key_length_is_model_validated(server, unique):
    cw = server.client("cloudwatch", parameter_validation=False)
    name = unique("len")
    metric_alarm(cw, name)
    with pytest.raises(ClientError) as exc:
        cw.tag_resource(ResourceARN=arn(name), Tags=[{"Key": "k" * 129, "Value": "v"}])
    assert error_of(exc) == (
        "ValidationError", f"1 validation error detected: Value '{'k' * 129}' at "
        "'tags.1.member.key' failed to satisfy constraint: Member must have length less than or "
        "equal to 128", 400)


def test_cli_list_tags(server, unique):
    name = unique("cli")
    metric_alarm(server.client("cloudwatch"), name, Tags=[{"Key": "Project", "Value": "FOO"}])
    out = server.aws("cloudwatch", "list-tags-for-resource", "--resource-arn", arn(name)).json
    assert out == {"Tags": [{"Key": "Project", "Value": "FOO"}]}
