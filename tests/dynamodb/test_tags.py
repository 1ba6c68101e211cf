"""TagResource / UntagResource / ListTagsOfResource against table ARNs: AWS's validation texts and
upsert semantics (live-probed texts: ack-api-quirks `services/dynamodb` DDB-TABLE-105..108, 372,
442; dynalite test/listTagsOfResource.js)."""

from __future__ import annotations

import pytest

from tests.conftest import ACCOUNT, REGION
from tests.dynamodb.helpers import DDB_NS, VALIDATE_NS, create, raw
from tests.kit import error


@pytest.fixture
def table_arn(server, ddb, unique):
    return create(server, ddb, unique("tags"))["TableArn"]


def tags_of(ddb, arn):
    return ddb.list_tags_of_resource(ResourceArn=arn)["Tags"]


def test_fresh_table_has_no_tags_and_no_next_token(ddb, table_arn):
    out = ddb.list_tags_of_resource(ResourceArn=table_arn)
    assert out["Tags"] == [] and "NextToken" not in out


def test_tag_upserts_and_untag_removes(ddb, table_arn):
    ddb.tag_resource(ResourceArn=table_arn, Tags=[{"Key": "k", "Value": "v1"},
                                                  {"Key": "Env", "Value": ""}])
    ddb.tag_resource(ResourceArn=table_arn, Tags=[{"Key": "k", "Value": "v2"},
                                                  {"Key": "env", "Value": "x"}])
    assert sorted((t["Key"], t["Value"]) for t in tags_of(ddb, table_arn)) == [
        ("Env", ""), ("env", "x"), ("k", "v2")]  # keys are case-sensitive, '' round-trips
    # absent keys are a no-op, present ones go (DDB-TABLE-105)
    ddb.untag_resource(ResourceArn=table_arn, TagKeys=["never-set", "k"])
    assert sorted(t["Key"] for t in tags_of(ddb, table_arn)) == ["Env", "env"]


def test_unicode_and_allowed_punctuation_accepted(ddb, table_arn):
    tags = [{"Key": "ключ", "Value": "café 表"}, {"Key": " sp ace", "Value": "a b+c-d=e.f_g:h/i@j"}]
    ddb.tag_resource(ResourceArn=table_arn, Tags=tags)
    assert sorted(tags_of(ddb, table_arn), key=lambda t: t["Key"]) == sorted(tags, key=lambda t: t["Key"])


@pytest.mark.parametrize("tags,message", [
    ([], "Atleast one Tag needs to be provided as Input."),
    ([{"Key": "bad#char", "Value": "v"}], "The Tag Key provided is invalid, Key: bad#char"),
    ([{"Key": "k", "Value": "bad#char"}], "The Tag Value provided is invalid, Value: bad#char"),
    ([{"Key": "k", "Value": "100%"}], "The Tag Value provided is invalid, Value: 100%"),
    ([{"Key": "\U0001F511", "Value": "v"}], "The Tag Key provided is invalid, Key: \U0001F511"),
    ([{"Key": "aws:foo", "Value": "v"}], "Tag Key cannot be prefixed with aws:, Key: aws:foo"),
    ([{"Key": "AWS:foo", "Value": "v"}], "Tag Key cannot be prefixed with aws:, Key: AWS:foo"),
    ([{"Key": "good", "Value": "v"}, {"Key": "aws:zzz", "Value": "v"}],
     "Tag Key cannot be prefixed with aws:, Key: aws:zzz"),
    ([{"Key": "dup", "Value": "1"}, {"Key": "dup", "Value": "2"}],
     "Duplicate Tag Keys provided as input: Duplicate Tag Key found dup"),
    ([{"Key": f"k{i}", "Value": "v"} for i in range(51)],
     "Number of Tags exceed the current limit for the provided ResourceArn"),
])
def test_tag_validation_is_all_or_nothing(ddb, table_arn, tags, message):
    assert error(ddb.tag_resource, ResourceArn=table_arn, Tags=tags) == ("ValidationException", message, 400)
    assert tags_of(ddb, table_arn) == []


def test_myaws_prefix_is_not_reserved(ddb, table_arn):
    ddb.tag_resource(ResourceArn=table_arn, Tags=[{"Key": "myaws:foo", "Value": "v"}])
    assert tags_of(ddb, table_arn) == [{"Key": "myaws:foo", "Value": "v"}]


def test_fifty_tags_counted_after_the_merge(ddb, table_arn):
    ddb.tag_resource(ResourceArn=table_arn, Tags=[{"Key": f"k{i:02}", "Value": "v"} for i in range(50)])
    assert len(tags_of(ddb, table_arn)) == 50
    too_many = ("ValidationException",
                "Number of Tags exceed the current limit for the provided ResourceArn", 400)
    assert error(ddb.tag_resource, ResourceArn=table_arn, Tags=[{"Key": "k51", "Value": "v"}]) == too_many
    assert error(ddb.tag_resource, ResourceArn=table_arn,
                 Tags=[{"Key": "k00", "Value": "new"}, {"Key": "k51", "Value": "v"}]) == too_many
    # overwriting existing keys at 50 is fine (DDB-TABLE-108)
    ddb.tag_resource(ResourceArn=table_arn, Tags=[{"Key": "k00", "Value": "new"}])
    out = ddb.list_tags_of_resource(ResourceArn=table_arn)
    assert len(out["Tags"]) == 50 and "NextToken" not in out
    assert {"Key": "k00", "Value": "new"} in out["Tags"]


@pytest.mark.parametrize("keys,message", [
    ([], "Atleast one Tag Key needs to be provided as Input."),
    (["aws:foo"], "Tag Key cannot be prefixed with aws:, Key: aws:foo"),
    ([f"k{i}" for i in range(51)], "Number of Tags exceed the current limit for the provided ResourceArn"),
])
def test_untag_validation(ddb, table_arn, keys, message):
    assert error(ddb.untag_resource, ResourceArn=table_arn, TagKeys=keys) == (
        "ValidationException", message, 400)


def test_unknown_table_arn_is_resource_not_found(server, ddb, unique):
    arn = f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{unique('missing')}"
    expected = ("ResourceNotFoundException",
                f"Requested resource not found: ResourceArn: {arn} not found", 400)
    assert error(ddb.list_tags_of_resource, ResourceArn=arn) == expected
    assert error(ddb.tag_resource, ResourceArn=arn, Tags=[{"Key": "a", "Value": "b"}]) == expected
    assert error(ddb.untag_resource, ResourceArn=arn, TagKeys=["a"]) == expected
    status, body = raw(server, "ListTagsOfResource", {"ResourceArn": arn})
    assert status == 400 and body["__type"] == DDB_NS + "ResourceNotFoundException"


def test_validation_precedes_the_table_lookup(ddb):
    arn = f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/nonexistent-table"
    assert error(ddb.tag_resource, ResourceArn=arn, Tags=[]) == (
        "ValidationException", "Atleast one Tag needs to be provided as Input.", 400)


@pytest.mark.parametrize("arn,message", [
    ("abcd", "One or more parameter values were invalid: ARNs must start with 'arn:': abcd"),
    ("arn:aws:s3:::bucket", "One or more parameter values were invalid: Provided Arn is not a "
                             "DynamoDB resource arn: arn:aws:s3:::bucket"),
    (f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/t1/backup/01791502292805-00000000",
     "One or more parameter values were invalid: Provided Arn is not a DynamoDB resource arn: "
     f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/t1/backup/01791502292805-00000000"),
    (f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/t1/index/i1",
     "One or more parameter values were invalid: Invalid resource arn provided, only table or stream "
     f"is accepted. Provided resource arn: arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/t1/index/i1"),
    (f"arn:aws:dynamodb:eu-west-1:{ACCOUNT}:table/t1",
     "Invalid TableArn: Invalid ResourceArn provided as input "
     f"arn:aws:dynamodb:eu-west-1:{ACCOUNT}:table/t1"),
    (f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/ab",  # dynalite: short table name
     f"Invalid TableArn: Invalid ResourceArn provided as input arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/ab"),
])
def test_arn_shape_errors(server, ddb, arn, message):
    assert error(ddb.list_tags_of_resource, ResourceArn=arn) == ("ValidationException", message, 400)
    status, body = raw(server, "TagResource", {"ResourceArn": arn, "Tags": [{"Key": "a", "Value": "b"}]})
    assert (status, body["__type"], body["message"]) == (400, VALIDATE_NS + "ValidationException", message)


def test_deleted_table_does_not_leak_tags_into_a_new_one(aws_server, unique):
    server, ddb = aws_server, aws_server.client("dynamodb")  # transitional states need `--timing aws`
    name = unique("tags")
    arn = create(server, ddb, name)["TableArn"]
    ddb.tag_resource(ResourceArn=arn, Tags=[{"Key": "a", "Value": "b"}])
    ddb.delete_table(TableName=name)
    # while DELETING: a change is ResourceInUse, a read is not found (DDB-TABLE-374)
    assert error(ddb.tag_resource, ResourceArn=arn, Tags=[{"Key": "a", "Value": "c"}]) == (
        "ResourceInUseException",
        f"Attempt to change a resource which is still in use: Table is being deleted: {name}", 400)
    assert error(ddb.list_tags_of_resource, ResourceArn=arn)[0] == "ResourceNotFoundException"
    server.advance(10)
    assert create(server, ddb, name)["TableArn"] == arn
    assert tags_of(ddb, arn) == []


def test_tags_survive_a_restart(make_server, unique):
    srv = make_server("--clock", "manual")
    ddb = srv.client("dynamodb")
    arn = create(srv, ddb, unique("tags"))["TableArn"]
    ddb.tag_resource(ResourceArn=arn, Tags=[{"Key": "team", "Value": "data"}])
    srv.restart()
    assert srv.client("dynamodb").list_tags_of_resource(ResourceArn=arn)["Tags"] == [
        {"Key": "team", "Value": "data"}]


def test_cli_round_trip(server, ddb, table_arn):
    server.aws("dynamodb", "tag-resource", "--resource-arn", table_arn, "--tags", "Key=Owner,Value=blueTeam")
    out = server.aws("dynamodb", "list-tags-of-resource", "--resource-arn", table_arn).json
    assert out == {"Tags": [{"Key": "Owner", "Value": "blueTeam"}]}


def test_create_table_tags_are_listed(server, unique):
    # CreateTable's Tags land in the same tag store as TagResource (API_CreateTable: Tags).
    ddb = server.client("dynamodb")
    name = unique("tagged")
    arn = ddb.create_table(TableName=name, AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
                           KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
                           BillingMode="PAY_PER_REQUEST",
                           Tags=[{"Key": "team", "Value": "capacity"}])["TableDescription"]["TableArn"]
    server.advance(10)
    assert ddb.list_tags_of_resource(ResourceArn=arn)["Tags"] == [{"Key": "team", "Value": "capacity"}]
