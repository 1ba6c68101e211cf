"""`--auth enforce` with DynamoDB resource-based policies, over HTTP: a table's policy evaluated
together with the caller's identity policies (IAM User Guide, "Policy evaluation logic" and
"Cross-account policy evaluation logic"; DynamoDB Developer Guide, "Using resource-based policies
for DynamoDB"; texts: IAM User Guide, "Troubleshoot access denied error messages")."""

from __future__ import annotations

import json

import pytest

from tests.auth.helpers import ROOT_FLAGS, client
from tests.auth.test_enforce import allow, denied, policy, user_with
from tests.conftest import ACCOUNT, REGION, Server
from tests.kit import error

TABLE_ARN = f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/"
KEY = {"k": {"S": "a"}}


def by_resource(arn, action, resource, explicit=False):
    """AWS's refusal naming a resource-based policy."""
    why = ("with an explicit deny in a resource-based policy" if explicit
           else f"because no resource-based policy allows the {action} action")
    return f"User: {arn} is not authorized to perform: {action} on resource: {resource} {why}"


def statement(effect, principal, action, resource, **extra):
    return {"Effect": effect, "Principal": {"AWS": principal}, "Action": action,
            "Resource": resource, **extra}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    s = Server(str(tmp_path_factory.mktemp("data")),
               ["--clock", "manual", "--auth", "enforce", *ROOT_FLAGS]).start()
    yield s
    s.stop()


def new_table(server, name, *, gsi=False):
    ddb = client(server, "dynamodb")
    extra = {}
    if gsi:
        extra["GlobalSecondaryIndexes"] = [{
            "IndexName": "by-v", "KeySchema": [{"AttributeName": "v", "KeyType": "HASH"}],
            "Projection": {"ProjectionType": "ALL"}}]
    ddb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                     KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"},
                                           {"AttributeName": "v", "AttributeType": "S"}]
                     if gsi else [{"AttributeName": "k", "AttributeType": "S"}], **extra)
    server.advance(60)
    for k in ("a", "b"):
        ddb.put_item(TableName=name, Item={"k": {"S": k}, "v": {"S": name}})
    return TABLE_ARN + name


def attach(server, arn, *statements):
    server.advance(15)  # policy changes of one table are 15 s apart
    client(server, "dynamodb").put_resource_policy(ResourceArn=arn, Policy=policy(*statements))


def detach(server, arn):
    server.advance(15)
    client(server, "dynamodb").delete_resource_policy(ResourceArn=arn)


def test_resource_policy_alone_grants_the_named_user(server, unique):
    arn = new_table(server, unique("rp"))
    user, key = user_with(server, unique("nopolicy"))  # no identity policy at all
    ddb = client(server, "dynamodb", *key)
    assert error(ddb.get_item, TableName=arn, Key=KEY) == (
        "AccessDeniedException", denied(user, "dynamodb:GetItem", arn), 400)
    attach(server, arn, statement("Allow", user, "dynamodb:GetItem", arn))
    assert ddb.get_item(TableName=arn, Key=KEY)["Item"]["k"] == {"S": "a"}
    name = arn.rsplit("/", 1)[1]
    assert ddb.get_item(TableName=name, Key=KEY)["Item"]  # by name: the same table ARN
    # what the policy does not grant stays refused, naming identity-based policies
    assert error(ddb.put_item, TableName=name, Item={"k": {"S": "z"}}) == (
        "AccessDeniedException", denied(user, "dynamodb:PutItem", arn), 400)
    # the policy removed: refused again
    detach(server, arn)
    assert error(ddb.get_item, TableName=arn, Key=KEY)[0] == "AccessDeniedException"


def test_naming_the_account_delegates_to_identity_policies(server, unique):
    arn = new_table(server, unique("rpacct"))
    attach(server, arn, statement("Allow", ACCOUNT, "dynamodb:GetItem", arn))
    user, key = user_with(server, unique("acctonly"))
    assert error(client(server, "dynamodb", *key).get_item, TableName=arn, Key=KEY) == (
        "AccessDeniedException", denied(user, "dynamodb:GetItem", arn), 400)
    _, key = user_with(server, unique("acctid"), allow("dynamodb:GetItem", arn))
    assert client(server, "dynamodb", *key).get_item(TableName=arn, Key=KEY)["Item"]


def test_explicit_deny_in_the_resource_policy_beats_an_identity_allow(server, unique):
    arn = new_table(server, unique("rpdeny"))
    user, key = user_with(server, unique("admin"), allow("dynamodb:*", "*"))
    ddb = client(server, "dynamodb", *key)
    assert ddb.get_item(TableName=arn, Key=KEY)["Item"]
    # a Deny naming the account applies to every principal of it
    attach(server, arn, statement("Deny", f"arn:aws:iam::{ACCOUNT}:root", "dynamodb:GetItem", arn))
    assert error(ddb.get_item, TableName=arn, Key=KEY) == (
        "AccessDeniedException", by_resource(user, "dynamodb:GetItem", arn, explicit=True), 400)
    name = arn.rsplit("/", 1)[1]
    # other actions stay allowed (BatchGetItem is an action of its own)
    assert ddb.scan(TableName=name)["Count"] == 2
    assert len(ddb.batch_get_item(RequestItems={name: {"Keys": [KEY]}})["Responses"][name]) == 1


def test_conditions_in_the_resource_policy(server, unique):
    arn = new_table(server, unique("rpcond"))
    user, key = user_with(server, unique("leading"))
    attach(server, arn, statement("Allow", user, "dynamodb:GetItem", arn, Condition={
        "ForAllValues:StringEquals": {"dynamodb:LeadingKeys": ["a"]}}))
    ddb = client(server, "dynamodb", *key)
    assert ddb.get_item(TableName=arn, Key=KEY)["Item"]
    assert error(ddb.get_item, TableName=arn, Key={"k": {"S": "b"}})[0] == "AccessDeniedException"


def test_assumed_role_granted_by_role_arn(server, unique):
    arn = new_table(server, unique("rprole"))
    iam = client(server, "iam")
    user, key = user_with(server, unique("assumer"))
    role = unique("reader")
    role_arn = iam.create_role(RoleName=role, AssumeRolePolicyDocument=policy(
        {"Effect": "Allow", "Principal": {"AWS": user}, "Action": "sts:AssumeRole"}))["Role"]["Arn"]
    attach(server, arn, statement("Allow", role_arn, "dynamodb:GetItem", arn))
    creds = client(server, "sts", *key).assume_role(RoleArn=role_arn,
                                                    RoleSessionName="s1")["Credentials"]
    ddb = client(server, "dynamodb", creds["AccessKeyId"], creds["SecretAccessKey"],
                 creds["SessionToken"])
    assert ddb.get_item(TableName=arn, Key=KEY)["Item"]
    assert error(ddb.delete_item, TableName=arn, Key=KEY) == (
        "AccessDeniedException",
        denied(f"arn:aws:sts::{ACCOUNT}:assumed-role/{role}/s1", "dynamodb:DeleteItem", arn), 400)


def test_a_role_arn_grant_is_limited_by_the_role_s_boundary_a_session_arn_grant_is_not(
        server, unique):
    """IAM User Guide, "Policy evaluation logic": a resource-based policy naming the role's ARN
    is limited by an implicit deny in the role's permissions boundary; one naming the session's
    ARN is not."""
    arn = new_table(server, unique("rpbound"))
    iam = client(server, "iam")
    user, key = user_with(server, unique("assumer"))
    boundary = iam.create_policy(PolicyName=unique("only-put"), PolicyDocument=policy(
        allow("dynamodb:PutItem", "*")))["Policy"]["Arn"]
    role = unique("bounded")
    role_arn = iam.create_role(RoleName=role, PermissionsBoundary=boundary,
                               AssumeRolePolicyDocument=policy(
        {"Effect": "Allow", "Principal": {"AWS": user}, "Action": "sts:AssumeRole"}))["Role"]["Arn"]
    creds = client(server, "sts", *key).assume_role(RoleArn=role_arn,
                                                    RoleSessionName="s1")["Credentials"]
    ddb = client(server, "dynamodb", creds["AccessKeyId"], creds["SecretAccessKey"],
                 creds["SessionToken"])
    session = f"arn:aws:sts::{ACCOUNT}:assumed-role/{role}/s1"
    attach(server, arn, statement("Allow", role_arn, "dynamodb:GetItem", arn))
    assert error(ddb.get_item, TableName=arn, Key=KEY) == (
        "AccessDeniedException", denied(session, "dynamodb:GetItem", arn), 400)
    attach(server, arn, statement("Allow", session, "dynamodb:GetItem", arn))
    assert ddb.get_item(TableName=arn, Key=KEY)["Item"]


def test_index_is_governed_by_the_table_policy(server, unique):
    arn = new_table(server, unique("rpidx"), gsi=True)
    user, key = user_with(server, unique("idx"))
    attach(server, arn, statement("Allow", user, "dynamodb:Query", f"{arn}/index/*"))
    ddb = client(server, "dynamodb", *key)
    name = arn.rsplit("/", 1)[1]
    got = ddb.query(TableName=name, IndexName="by-v", KeyConditionExpression="v = :v",
                    ExpressionAttributeValues={":v": {"S": name}})
    assert got["Count"] == 2
    assert error(ddb.query, TableName=name, KeyConditionExpression="k = :k",
                 ExpressionAttributeValues={":k": {"S": "a"}}) == (
        "AccessDeniedException", denied(user, "dynamodb:Query", arn), 400)


def test_root_is_bound_by_an_explicit_deny_but_may_delete_the_policy(server, unique):
    arn = new_table(server, unique("rproot"))
    root = client(server, "dynamodb")
    attach(server, arn, {"Effect": "Deny", "Principal": "*", "Action": "dynamodb:PutItem",
                         "Resource": arn})
    assert error(root.put_item, TableName=arn, Item={"k": {"S": "r"}}) == (
        "AccessDeniedException", by_resource(f"arn:aws:iam::{ACCOUNT}:root", "dynamodb:PutItem",
                                             arn, explicit=True), 400)
    assert root.get_item(TableName=arn, Key=KEY)["Item"]
    attach(server, arn, {"Effect": "Deny", "Principal": "*",
                         "Action": ["dynamodb:PutItem", "dynamodb:DeleteResourcePolicy"],
                         "Resource": arn})
    server.advance(15)
    root.delete_resource_policy(ResourceArn=arn)  # the root may, whatever the policy says
    root.put_item(TableName=arn, Item={"k": {"S": "r"}})


def test_another_account_s_table_needs_its_resource_policy(server, unique):
    user, key = user_with(server, unique("crosser"), allow("dynamodb:*", "*"))
    other = f"arn:aws:dynamodb:{REGION}:210987654321:table/{unique('theirs')}"
    assert error(client(server, "dynamodb", *key).get_item, TableName=other, Key=KEY) == (
        "AccessDeniedException", by_resource(user, "dynamodb:GetItem", other), 400)


def test_create_table_with_a_policy_needs_put_resource_policy(server, unique):
    name = unique("rpcreate")
    arn = TABLE_ARN + name
    user, key = user_with(server, unique("creator"), allow("dynamodb:CreateTable", "*"))
    ddb = client(server, "dynamodb", *key)
    doc = policy(statement("Allow", user, "dynamodb:GetItem", arn))
    spec = dict(BillingMode="PAY_PER_REQUEST", KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
                AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}])
    assert error(ddb.create_table, TableName=name, ResourcePolicy=doc, **spec) == (
        "AccessDeniedException", denied(user, "dynamodb:PutResourcePolicy", arn), 400)
    _, key = user_with(server, unique("creator2"), allow(
        ["dynamodb:CreateTable", "dynamodb:PutResourcePolicy"], "*"))
    client(server, "dynamodb", *key).create_table(TableName=name, ResourcePolicy=doc, **spec)
    server.advance(60)
    got = client(server, "dynamodb").get_resource_policy(ResourceArn=arn)
    assert json.loads(got["Policy"])["Statement"][0]["Principal"] == {"AWS": user}


def test_a_deleted_table_s_policy_grants_nothing_to_its_successor(server, unique):
    name = unique("rpgone")
    arn = new_table(server, name)
    user, key = user_with(server, unique("former"))
    attach(server, arn, statement("Allow", user, "dynamodb:GetItem", arn))
    ddb = client(server, "dynamodb", *key)
    assert ddb.get_item(TableName=arn, Key=KEY)["Item"]
    server.advance(2)  # a table whose policy just changed cannot be deleted at once
    client(server, "dynamodb").delete_table(TableName=name)
    server.advance(60)
    new_table(server, name)
    assert error(ddb.get_item, TableName=arn, Key=KEY) == (
        "AccessDeniedException", denied(user, "dynamodb:GetItem", arn), 400)


def test_restart_keeps_the_policy_in_force(make_server, unique):
    server = make_server("--clock", "manual", "--auth", "enforce", *ROOT_FLAGS)
    arn = new_table(server, unique("rpkeep"))
    user, key = user_with(server, unique("kept"))
    attach(server, arn, statement("Allow", user, "dynamodb:GetItem", arn))
    server.restart()
    assert client(server, "dynamodb", *key).get_item(TableName=arn, Key=KEY)["Item"]


def test_stream_policy_governs_the_streams_api(server, unique):
    name = unique("rpstream")
    ddb = client(server, "dynamodb")
    stream = ddb.create_table(
        TableName=name, BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"},
    )["TableDescription"]["LatestStreamArn"]
    server.advance(60)
    ddb.put_item(TableName=name, Item=dict(KEY))
    user, key = user_with(server, unique("streamer"))
    streams = client(server, "dynamodbstreams", *key)
    assert error(streams.describe_stream, StreamArn=stream) == (
        "AccessDeniedException", denied(user, "dynamodb:DescribeStream", stream), 400)
    attach(server, stream, statement("Allow", user, ["dynamodb:DescribeStream",
                                                     "dynamodb:GetShardIterator",
                                                     "dynamodb:GetRecords"], stream))
    shard = streams.describe_stream(StreamArn=stream)["StreamDescription"]["Shards"][0]["ShardId"]
    iterator = streams.get_shard_iterator(StreamArn=stream, ShardId=shard,
                                          ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    assert len(streams.get_records(ShardIterator=iterator)["Records"]) == 1
    # the table's own policy is another slot: it grants nothing on the table
    assert error(client(server, "dynamodb", *key).get_item, TableName=name, Key=KEY)[0] == \
        "AccessDeniedException"
    # an explicit Deny in the stream's policy beats an identity Allow
    admin, admin_key = user_with(server, unique("streamadmin"), allow("dynamodb:*", "*"))
    attach(server, stream, statement("Deny", admin, "dynamodb:DescribeStream", stream))
    assert error(client(server, "dynamodbstreams", *admin_key).describe_stream,
                 StreamArn=stream) == (
        "AccessDeniedException", by_resource(admin, "dynamodb:DescribeStream", stream,
                                             explicit=True), 400)
    detach(server, stream)
    assert client(server, "dynamodbstreams", *admin_key).describe_stream(StreamArn=stream)


LOCKOUT = "The new resource policy will not allow you to update the resource policy in the future."


def test_self_lockout_needs_confirmation(server, unique):
    arn = new_table(server, unique("rplock"))
    user, key = user_with(server, unique("author"), allow("dynamodb:*", "*"))
    ddb = client(server, "dynamodb", *key)
    deny_put = policy(statement("Deny", user, ["dynamodb:PutResourcePolicy",
                                               "dynamodb:DeleteResourcePolicy"], arn))
    assert error(ddb.put_resource_policy, ResourceArn=arn, Policy=deny_put) == (
        "AccessDeniedException", LOCKOUT, 400)
    assert error(ddb.put_resource_policy, ResourceArn=arn, Policy=deny_put,
                 ConfirmRemoveSelfResourceAccess=False) == ("AccessDeniedException", LOCKOUT, 400)
    assert error(client(server, "dynamodb").get_resource_policy, ResourceArn=arn)[0] == \
        "PolicyNotFoundException"  # nothing was attached
    # a Deny of DeleteResourcePolicy alone leaves PutResourcePolicy: accepted
    ddb.put_resource_policy(ResourceArn=arn, Policy=policy(
        statement("Deny", user, "dynamodb:DeleteResourcePolicy", arn)))
    server.advance(15)
    ddb.put_resource_policy(ResourceArn=arn, Policy=deny_put, ConfirmRemoveSelfResourceAccess=True)
    server.advance(15)
    assert error(ddb.put_resource_policy, ResourceArn=arn, Policy=policy(
        statement("Allow", user, "dynamodb:GetItem", arn))) == (
        "AccessDeniedException", by_resource(user, "dynamodb:PutResourcePolicy", arn,
                                             explicit=True), 400)
    # a user who may put policies only through the table's policy must keep that grant
    author, author_key = user_with(server, unique("granted"))
    detach(server, arn)
    attach(server, arn, statement("Allow", author, "dynamodb:PutResourcePolicy", arn))
    server.advance(15)
    assert error(client(server, "dynamodb", *author_key).put_resource_policy, ResourceArn=arn,
                 Policy=policy(statement("Allow", author, "dynamodb:GetItem", arn))) == (
        "AccessDeniedException", LOCKOUT, 400)
