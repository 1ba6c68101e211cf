"""Tags on a table's stream: TagResource / UntagResource / ListTagsOfResource take the stream ARN
(LatestStreamArn) and keep its tags apart from the table's (AWS Developer Guide, "Streams ABAC",
examples 1 and 2: `aws dynamodb tag-resource --resource-arn $STREAM_ARN`)."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from tests.dynamodb.helpers import create

STREAM = {"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"}


def pairs(ddb, arn):
    return sorted((t["Key"], t["Value"]) for t in ddb.list_tags_of_resource(ResourceArn=arn)["Tags"])


@pytest.fixture
def streamed(server, ddb, unique):
    desc = create(server, ddb, unique("stags"), StreamSpecification=STREAM)
    return desc["TableName"], desc["TableArn"], desc["LatestStreamArn"]


def test_stream_tags_are_the_streams_own(ddb, streamed):
    _, table_arn, stream_arn = streamed
    assert pairs(ddb, stream_arn) == []
    ddb.tag_resource(ResourceArn=stream_arn, Tags=[{"Key": "Team", "Value": "Analytics"},
                                                   {"Key": "gone", "Value": "x"}])
    ddb.tag_resource(ResourceArn=table_arn, Tags=[{"Key": "Env", "Value": "prod"}])
    assert pairs(ddb, stream_arn) == [("Team", "Analytics"), ("gone", "x")]
    assert pairs(ddb, table_arn) == [("Env", "prod")]
    ddb.untag_resource(ResourceArn=stream_arn, TagKeys=["gone"])
    assert pairs(ddb, stream_arn) == [("Team", "Analytics")]
    assert pairs(ddb, table_arn) == [("Env", "prod")]


def test_stream_tags_take_the_same_checks(ddb, streamed):
    stream_arn = streamed[2]
    with pytest.raises(ClientError) as e:
        ddb.tag_resource(ResourceArn=stream_arn, Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(51)])
    assert e.value.response["Error"]["Code"] == "ValidationException"


def test_unknown_stream_label_is_not_found(ddb, streamed):
    stream_arn = streamed[2]
    wrong = stream_arn.rsplit("/", 1)[0] + "/2000-01-01T00:00:00.000"
    for call in (lambda: ddb.list_tags_of_resource(ResourceArn=wrong),
                 lambda: ddb.tag_resource(ResourceArn=wrong, Tags=[{"Key": "k", "Value": "v"}])):
        with pytest.raises(ClientError) as e:
            call()
        assert e.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_a_new_stream_starts_untagged(server, ddb, streamed):
    name, _, stream_arn = streamed
    ddb.tag_resource(ResourceArn=stream_arn, Tags=[{"Key": "k", "Value": "v"}])
    ddb.update_table(TableName=name, StreamSpecification={"StreamEnabled": False})
    server.advance(60)
    ddb.update_table(TableName=name, StreamSpecification={"StreamEnabled": True,
                                                          "StreamViewType": "NEW_IMAGE"})
    server.advance(60)
    new_arn = ddb.describe_table(TableName=name)["Table"]["LatestStreamArn"]
    assert new_arn != stream_arn
    assert pairs(ddb, new_arn) == []
