"""`--auth enforce` with AWS-managed policies attached (AWS Managed Policy Reference guide:
AmazonDynamoDBReadOnlyAccess v15, AdministratorAccess v1, PowerUserAccess v12, ReadOnlyAccess,
IAMReadOnlyAccess), over HTTP with boto3."""

from __future__ import annotations

import pytest

from tests.auth.helpers import ROOT_FLAGS, client
from tests.conftest import ACCOUNT, REGION, Server
from tests.kit import error

TABLE_ARN = f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/"
AWS_POLICY = "arn:aws:iam::aws:policy/"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    s = Server(str(tmp_path_factory.mktemp("data")),
               ["--clock", "manual", "--auth", "enforce", *ROOT_FLAGS]).start()
    ddb = client(s, "dynamodb")
    ddb.create_table(TableName="Managed", BillingMode="PAY_PER_REQUEST",
                     KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}])
    s.advance(60)
    ddb.put_item(TableName="Managed", Item={"k": {"S": "a"}})
    yield s
    s.stop()


def user_with_managed(server, name, *policy_names, group=False):
    """A new user with these AWS-managed policies attached (to a group it is in, with
    `group`); (user ARN, its key pair)."""
    iam = client(server, "iam")
    arn = iam.create_user(UserName=name)["User"]["Arn"]
    if group:
        iam.create_group(GroupName=name)
        iam.add_user_to_group(GroupName=name, UserName=name)
    for policy_name in policy_names:
        if group:
            iam.attach_group_policy(GroupName=name, PolicyArn=AWS_POLICY + policy_name)
        else:
            iam.attach_user_policy(UserName=name, PolicyArn=AWS_POLICY + policy_name)
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return arn, (key["AccessKeyId"], key["SecretAccessKey"])


def denied(arn, action, resource=None):
    on = f" on resource: {resource}" if resource else ""
    return (f"User: {arn} is not authorized to perform: {action}{on} because no identity-based "
            f"policy allows the {action} action")


def test_dynamodb_read_only_reads_but_cannot_write(server, unique):
    arn, key = user_with_managed(server, unique("reader"), "AmazonDynamoDBReadOnlyAccess")
    ddb = client(server, "dynamodb", *key)
    assert ddb.get_item(TableName="Managed", Key={"k": {"S": "a"}})["Item"] == {"k": {"S": "a"}}
    assert ddb.scan(TableName="Managed")["Count"] == 1
    assert "Managed" in ddb.list_tables()["TableNames"]
    assert error(ddb.put_item, TableName="Managed", Item={"k": {"S": "b"}}) == (
        "AccessDeniedException", denied(arn, "dynamodb:PutItem", TABLE_ARN + "Managed"), 400)
    assert error(ddb.delete_table, TableName="Managed")[0] == "AccessDeniedException"
    # the policy's CloudWatch and Application Auto Scaling reads, but not their writes
    cw = client(server, "cloudwatch", *key)
    cw.describe_alarms()
    assert error(cw.put_metric_data, Namespace="N", MetricData=[
        {"MetricName": "m", "Value": 1.0}]) == (
        "AccessDenied", denied(arn, "cloudwatch:PutMetricData"), 403)
    client(server, "application-autoscaling", *key).describe_scalable_targets(
        ServiceNamespace="dynamodb")
    assert "Item" not in client(server, "dynamodb").get_item(
        TableName="Managed", Key={"k": {"S": "b"}})


def test_administrator_access_allows_everything(server, unique):
    _, key = user_with_managed(server, unique("admin"), "AdministratorAccess")
    ddb = client(server, "dynamodb", *key)
    ddb.put_item(TableName="Managed", Item={"k": {"S": "admin"}})
    ddb.delete_item(TableName="Managed", Key={"k": {"S": "admin"}})
    client(server, "cloudwatch", *key).put_metric_data(
        Namespace="N", MetricData=[{"MetricName": "m", "Value": 1.0}])
    iam = client(server, "iam", *key)
    iam.create_user(UserName=unique("made-by-admin"))
    assert iam.list_users()["Users"]


def test_attached_through_a_group(server, unique):
    arn, key = user_with_managed(server, unique("grouped"), "AmazonDynamoDBReadOnlyAccess",
                                 group=True)
    ddb = client(server, "dynamodb", *key)
    ddb.get_item(TableName="Managed", Key={"k": {"S": "a"}})
    assert error(ddb.put_item, TableName="Managed", Item={"k": {"S": "g"}})[0] == \
        "AccessDeniedException"


def test_power_user_is_kept_out_of_iam(server, unique):
    arn, key = user_with_managed(server, unique("power"), "PowerUserAccess")
    client(server, "dynamodb", *key).put_item(TableName="Managed", Item={"k": {"S": "p"}})
    iam = client(server, "iam", *key)
    iam.list_roles()  # the policy's second statement allows it
    assert error(iam.list_users) == ("AccessDenied", denied(arn, "iam:ListUsers"), 403)


def test_read_only_access_and_iam_read_only(server, unique):
    arn, key = user_with_managed(server, unique("ro"), "ReadOnlyAccess")
    ddb = client(server, "dynamodb", *key)
    ddb.query(TableName="Managed", KeyConditionExpression="k = :k",
              ExpressionAttributeValues={":k": {"S": "a"}})
    client(server, "iam", *key).list_users()
    assert error(ddb.update_item, TableName="Managed", Key={"k": {"S": "a"}},
                 UpdateExpression="SET v = :v", ExpressionAttributeValues={":v": {"S": "x"}}) == (
        "AccessDeniedException", denied(arn, "dynamodb:UpdateItem", TABLE_ARN + "Managed"), 400)
    arn2, key2 = user_with_managed(server, unique("iamro"), "IAMReadOnlyAccess")
    iam = client(server, "iam", *key2)
    iam.get_user(UserName=arn2.rsplit("/", 1)[1])
    assert error(iam.create_user, UserName=unique("nope"))[0] == "AccessDenied"


def test_aws_policy_as_boundary_and_session_policy(server, unique):
    # A permissions boundary and AssumeRole's PolicyArns may name AWS-managed policies (IAM User
    # Guide, "Permissions boundaries for IAM entities", "Session policies").
    iam = client(server, "iam")
    name = unique("bounded")
    arn = iam.create_user(UserName=name,
                          PermissionsBoundary=AWS_POLICY + "AmazonDynamoDBReadOnlyAccess")["User"]["Arn"]
    iam.attach_user_policy(UserName=name, PolicyArn=AWS_POLICY + "AdministratorAccess")
    key = iam.create_access_key(UserName=name)["AccessKey"]
    ddb = client(server, "dynamodb", key["AccessKeyId"], key["SecretAccessKey"])
    ddb.get_item(TableName="Managed", Key={"k": {"S": "a"}})
    assert error(ddb.put_item, TableName="Managed", Item={"k": {"S": "bounded"}}) == (
        "AccessDeniedException",
        f"User: {arn} is not authorized to perform: dynamodb:PutItem on resource: "
        f"{TABLE_ARN}Managed because no permissions boundary allows the dynamodb:PutItem action",
        400)

    role = unique("role")
    trust = ('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":'
             f'"arn:aws:iam::{ACCOUNT}:root"}},"Action":"sts:AssumeRole"}}]}}')
    role_arn = iam.create_role(RoleName=role, AssumeRolePolicyDocument=trust)["Role"]["Arn"]
    iam.attach_role_policy(RoleName=role, PolicyArn=AWS_POLICY + "AdministratorAccess")
    _, admin = user_with_managed(server, unique("assumer"), "AdministratorAccess")
    creds = client(server, "sts", *admin).assume_role(
        RoleArn=role_arn, RoleSessionName="session",
        PolicyArns=[{"arn": AWS_POLICY + "AmazonDynamoDBReadOnlyAccess"}])["Credentials"]
    session = client(server, "dynamodb", creds["AccessKeyId"], creds["SecretAccessKey"],
                     creds["SessionToken"])
    session.scan(TableName="Managed")
    assert error(session.delete_item, TableName="Managed", Key={"k": {"S": "a"}})[0] == \
        "AccessDeniedException"
