"""`--auth enforce`: IAM policy evaluation for users and assumed roles, over HTTP.

Identity policies (inline and managed), explicit Deny over Allow, NotAction / NotResource,
wildcards, policy variables and condition operators, AWS's AccessDenied texts per service, and
AssumeRole's trust policy (IAM User Guide, "Policy evaluation logic"; "Troubleshooting access
denied error messages" for the texts).
"""

from __future__ import annotations

import json

import pytest

from tests.auth.helpers import ROOT_FLAGS, client
from tests.conftest import ACCOUNT, REGION, Server
from tests.kit import error

TABLE_ARN = f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    s = Server(str(tmp_path_factory.mktemp("data")),
               ["--clock", "manual", "--auth", "enforce", *ROOT_FLAGS]).start()
    yield s
    s.stop()


@pytest.fixture(scope="module")
def tables(server):
    ddb = client(server, "dynamodb")
    names = ("Readable", "Other")
    for name in names:
        ddb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                         KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
                         AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}])
    server.advance(60)
    for name in names:
        ddb.put_item(TableName=name, Item={"k": {"S": "a"}, "v": {"S": name}})
    return names


def policy(*statements) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def allow(action, resource="*", **extra):
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def user_with(server, name, *statements):
    """A new IAM user whose one inline policy holds `statements`; (user ARN, its key pair)."""
    iam = client(server, "iam")
    arn = iam.create_user(UserName=name)["User"]["Arn"]
    if statements:
        iam.put_user_policy(UserName=name, PolicyName="p", PolicyDocument=policy(*statements))
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return arn, (key["AccessKeyId"], key["SecretAccessKey"])


def denied(arn, action, resource=None, explicit=False):
    on = f" on resource: {resource}" if resource else ""
    why = ("with an explicit deny in an identity-based policy" if explicit
           else f"because no identity-based policy allows the {action} action")
    return f"User: {arn} is not authorized to perform: {action}{on} {why}"


def test_get_item_on_one_table_only(server, tables, unique):
    arn, key = user_with(server, unique("reader"), allow("dynamodb:GetItem", TABLE_ARN + "Readable"))
    ddb = client(server, "dynamodb", *key)
    item = ddb.get_item(TableName="Readable", Key={"k": {"S": "a"}})["Item"]
    assert item["v"] == {"S": "Readable"}
    assert error(ddb.get_item, TableName="Other", Key={"k": {"S": "a"}}) == (
        "AccessDeniedException", denied(arn, "dynamodb:GetItem", TABLE_ARN + "Other"), 400)
    assert error(ddb.put_item, TableName="Readable", Item={"k": {"S": "b"}}) == (
        "AccessDeniedException", denied(arn, "dynamodb:PutItem", TABLE_ARN + "Readable"), 400)
    assert error(ddb.list_tables) == (
        "AccessDeniedException", denied(arn, "dynamodb:ListTables", TABLE_ARN + "*"), 400)
    assert error(ddb.batch_get_item, RequestItems={
        "Readable": {"Keys": [{"k": {"S": "a"}}]}})[0] == "AccessDeniedException"
    assert error(client(server, "cloudwatch", *key).list_metrics) == (
        "AccessDenied", denied(arn, "cloudwatch:ListMetrics"), 403)
    assert error(client(server, "iam", *key).list_users) == (
        "AccessDenied", denied(arn, "iam:ListUsers"), 403)
    assert error(client(server, "application-autoscaling", *key).describe_scalable_targets,
                 ServiceNamespace="dynamodb") == (
        "AccessDeniedException", denied(arn, "application-autoscaling:DescribeScalableTargets"), 400)
    # nothing was written
    root = client(server, "dynamodb")
    assert "Item" not in root.get_item(TableName="Readable", Key={"k": {"S": "b"}})


def test_get_item_on_one_table_only_with_the_cli(server, tables, unique):
    """The same user with the aws CLI: get-item of its table answers, anything else is AWS's
    AccessDeniedException, word for word on stderr."""
    import subprocess
    from tests.auth.helpers import env
    from tests.conftest import AWS_CLI
    arn, key = user_with(server, unique("clireader"), allow("dynamodb:GetItem", TABLE_ARN + "Readable"))
    user_env = dict(env(server, *key), AWS_MAX_ATTEMPTS="1")

    def aws(*args):
        return subprocess.run([str(AWS_CLI), "dynamodb", *args], capture_output=True, text=True,
                              env=user_env, timeout=60)
    got = aws("get-item", "--table-name", "Readable", "--key", '{"k": {"S": "a"}}')
    assert got.returncode == 0, got.stderr
    assert json.loads(got.stdout)["Item"]["v"] == {"S": "Readable"}
    for args, action, table, operation in (
            (("get-item", "--table-name", "Other", "--key", '{"k": {"S": "a"}}'), "GetItem",
             "Other", "GetItem"),
            (("put-item", "--table-name", "Readable", "--item", '{"k": {"S": "c"}}'), "PutItem",
             "Readable", "PutItem"),
            (("delete-table", "--table-name", "Readable"), "DeleteTable", "Readable",
             "DeleteTable"),
            (("list-tables",), "ListTables", "*", "ListTables")):
        proc = aws(*args)
        assert proc.returncode != 0
        assert proc.stderr.strip() == (
            f"An error occurred (AccessDeniedException) when calling the {operation} operation: "
            + denied(arn, f"dynamodb:{action}", TABLE_ARN + table))
    assert client(server, "dynamodb").describe_table(TableName="Readable")["Table"]["TableStatus"] \
        == "ACTIVE"


def test_access_denied_wire_shape(server, tables, unique):
    from tests.kit import post  # the raw __type, which boto3 hides
    _, key = user_with(server, unique("raw"))
    from tests.auth.helpers import signed_json
    req = signed_json(server, "DynamoDB_20120810.ListTables", {}, key=key[0], secret=key[1])
    status, _, body = post(server, req.body, dict(req.headers))
    assert status == 400
    assert json.loads(body)["__type"] == "com.amazon.coral.service#AccessDeniedException"


def test_explicit_deny_wins(server, tables, unique):
    arn, key = user_with(server, unique("denied"), allow("dynamodb:*", "*"),
                         {"Effect": "Deny", "Action": "dynamodb:GetItem",
                          "Resource": TABLE_ARN + "Other"})
    ddb = client(server, "dynamodb", *key)
    assert ddb.get_item(TableName="Readable", Key={"k": {"S": "a"}})["Item"]
    assert error(ddb.get_item, TableName="Other", Key={"k": {"S": "a"}}) == (
        "AccessDeniedException",
        denied(arn, "dynamodb:GetItem", TABLE_ARN + "Other", explicit=True), 400)


def test_batch_checks_every_table(server, tables, unique):
    arn, key = user_with(server, unique("batch"),
                         allow("dynamodb:BatchGetItem", TABLE_ARN + "Readable"))
    ddb = client(server, "dynamodb", *key)
    got = ddb.batch_get_item(RequestItems={"Readable": {"Keys": [{"k": {"S": "a"}}]}})
    assert len(got["Responses"]["Readable"]) == 1
    assert error(ddb.batch_get_item, RequestItems={
        "Readable": {"Keys": [{"k": {"S": "a"}}]}, "Other": {"Keys": [{"k": {"S": "a"}}]}}) == (
        "AccessDeniedException", denied(arn, "dynamodb:BatchGetItem", TABLE_ARN + "Other"), 400)


def test_transactions_check_each_item_s_action(server, tables, unique):
    arn, key = user_with(server, unique("tx"), allow("dynamodb:PutItem", TABLE_ARN + "Readable"))
    ddb = client(server, "dynamodb", *key)
    ddb.transact_write_items(TransactItems=[
        {"Put": {"TableName": "Readable", "Item": {"k": {"S": "tx"}}}}])
    assert error(ddb.transact_write_items, TransactItems=[
        {"Put": {"TableName": "Readable", "Item": {"k": {"S": "tx2"}}}},
        {"Delete": {"TableName": "Readable", "Key": {"k": {"S": "a"}}}}]) == (
        "AccessDeniedException", denied(arn, "dynamodb:DeleteItem", TABLE_ARN + "Readable"), 400)
    assert "Item" not in client(server, "dynamodb").get_item(
        TableName="Readable", Key={"k": {"S": "tx2"}})


def test_not_action_and_not_resource(server, tables, unique):
    arn, key = user_with(server, unique("nots"),
                         {"Effect": "Allow", "NotAction": "dynamodb:Delete*",
                          "NotResource": TABLE_ARN + "Other"})
    ddb = client(server, "dynamodb", *key)
    ddb.put_item(TableName="Readable", Item={"k": {"S": "n"}})
    assert error(ddb.delete_item, TableName="Readable", Key={"k": {"S": "n"}})[0] == \
        "AccessDeniedException"
    assert error(ddb.put_item, TableName="Other", Item={"k": {"S": "n"}})[0] == \
        "AccessDeniedException"


def test_managed_policy_attach_and_detach(server, tables, unique):
    iam = client(server, "iam")
    pol = iam.create_policy(PolicyName=unique("read"), PolicyDocument=policy(
        allow(["dynamodb:GetItem", "dynamodb:Query"], TABLE_ARN + "Read*")))["Policy"]["Arn"]
    name = unique("managed")
    arn, key = user_with(server, name)
    ddb = client(server, "dynamodb", *key)
    assert error(ddb.get_item, TableName="Readable", Key={"k": {"S": "a"}})[0] == \
        "AccessDeniedException"
    iam.attach_user_policy(UserName=name, PolicyArn=pol)
    assert iam.list_attached_user_policies(UserName=name)["AttachedPolicies"][0]["PolicyArn"] == pol
    assert ddb.get_item(TableName="Readable", Key={"k": {"S": "a"}})["Item"]
    iam.detach_user_policy(UserName=name, PolicyArn=pol)
    assert error(ddb.get_item, TableName="Readable", Key={"k": {"S": "a"}})[0] == \
        "AccessDeniedException"


def test_conditions_and_policy_variables(server, tables, unique):
    name = unique("cond")
    arn, key = user_with(
        server, name,
        allow("iam:GetUser", "arn:aws:iam::*:user/${aws:username}"),
        allow("dynamodb:GetItem", TABLE_ARN + "Readable",
              Condition={"StringEquals": {"aws:username": name},
                         "Bool": {"aws:SecureTransport": "false"},
                         "DateLessThan": {"aws:CurrentTime": "2999-01-01T00:00:00Z"},
                         "StringLikeIfExists": {"dynamodb:Select": "ALL_*"},
                         "Null": {"aws:TokenIssueTime": "true"}}),
        allow("dynamodb:GetItem", TABLE_ARN + "Other",
              Condition={"NumericLessThan": {"aws:EpochTime": "1000"}}))
    iam = client(server, "iam", *key)
    assert iam.get_user(UserName=name)["User"]["Arn"] == arn
    assert error(iam.get_user, UserName="someone-else")[0] == "AccessDenied"
    ddb = client(server, "dynamodb", *key)
    assert ddb.get_item(TableName="Readable", Key={"k": {"S": "a"}})["Item"]
    assert error(ddb.get_item, TableName="Other", Key={"k": {"S": "a"}})[0] == \
        "AccessDeniedException"


def test_current_time_is_the_simulated_clock(server, tables, unique):
    limit = server.now() + 600
    stamp = __import__("datetime").datetime.fromtimestamp(
        limit, __import__("datetime").timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    _, key = user_with(server, unique("until"), allow(
        "dynamodb:GetItem", TABLE_ARN + "Readable",
        Condition={"DateLessThan": {"aws:CurrentTime": stamp}}))
    ddb = client(server, "dynamodb", *key)
    assert ddb.get_item(TableName="Readable", Key={"k": {"S": "a"}})["Item"]
    server.advance(601)
    assert error(ddb.get_item, TableName="Readable", Key={"k": {"S": "a"}})[0] == \
        "AccessDeniedException"


# -- roles -----------------------------------------------------------------------------------
def test_assume_role_honours_the_trust_policy(server, tables, unique):
    iam = client(server, "iam")
    name = unique("assumer")
    arn, key = user_with(server, name)  # no identity policy at all
    trusting = unique("trusting")
    role_arn = iam.create_role(RoleName=trusting, AssumeRolePolicyDocument=policy(
        {"Effect": "Allow", "Principal": {"AWS": arn}, "Action": "sts:AssumeRole"}))["Role"]["Arn"]
    iam.put_role_policy(RoleName=trusting, PolicyName="read", PolicyDocument=policy(
        allow("dynamodb:GetItem", TABLE_ARN + "Readable")))
    other = iam.create_role(RoleName=unique("other"), AssumeRolePolicyDocument=policy(
        {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"},
         "Action": "sts:AssumeRole"}))["Role"]["Arn"]
    sts = client(server, "sts", *key)
    # trusted by name: no identity policy needed (same account)
    creds = sts.assume_role(RoleArn=role_arn, RoleSessionName="s1")["Credentials"]
    session = (creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"])
    session_arn = f"arn:aws:sts::{ACCOUNT}:assumed-role/{trusting}/s1"
    ddb = client(server, "dynamodb", *session)
    assert ddb.get_item(TableName="Readable", Key={"k": {"S": "a"}})["Item"]
    assert error(ddb.put_item, TableName="Readable", Item={"k": {"S": "r"}}) == (
        "AccessDeniedException", denied(session_arn, "dynamodb:PutItem", TABLE_ARN + "Readable"),
        400)
    # not trusted
    assert error(sts.assume_role, RoleArn=other, RoleSessionName="s2") == (
        "AccessDenied", denied(arn, "sts:AssumeRole", other), 403)


def test_account_trust_needs_an_identity_policy(server, tables, unique):
    iam = client(server, "iam")
    role_arn = iam.create_role(RoleName=unique("acct"), AssumeRolePolicyDocument=policy(
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
         "Action": "sts:AssumeRole"}))["Role"]["Arn"]
    arn, key = user_with(server, unique("noperm"))
    assert error(client(server, "sts", *key).assume_role, RoleArn=role_arn,
                 RoleSessionName="s1") == ("AccessDenied", denied(arn, "sts:AssumeRole", role_arn),
                                           403)
    _, key = user_with(server, unique("perm"), allow("sts:AssumeRole", role_arn))
    assert client(server, "sts", *key).assume_role(RoleArn=role_arn, RoleSessionName="s1")


def test_get_caller_identity_needs_no_permission(server, unique):
    arn, key = user_with(server, unique("nobody"))
    assert client(server, "sts", *key).get_caller_identity()["Arn"] == arn


def test_root_may_do_everything(server, tables):
    assert "Readable" in client(server, "dynamodb").list_tables()["TableNames"]


# -- the role behind auto scaling ------------------------------------------------------------
SLR = "AWSServiceRoleForApplicationAutoScaling_DynamoDBTable"
SLR_ARN = (f"arn:aws:iam::{ACCOUNT}:role/aws-service-role/"
           f"dynamodb.application-autoscaling.amazonaws.com/{SLR}")


def test_first_registration_needs_create_service_linked_role(make_server):
    server = make_server("--clock", "manual", "--auth", "enforce", *ROOT_FLAGS, durable=False)
    ddb = client(server, "dynamodb")
    for name in ("Scaled", "Scaled2"):
        ddb.create_table(TableName=name, ProvisionedThroughput={
            "ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
            KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}])
    server.advance(60)
    target = dict(ServiceNamespace="dynamodb", ScalableDimension="dynamodb:table:ReadCapacityUnits",
                  MinCapacity=5, MaxCapacity=10)
    arn, key = user_with(server, "scaler", allow("application-autoscaling:*"))
    aas = client(server, "application-autoscaling", *key)
    assert error(aas.register_scalable_target, ResourceId="table/Scaled", **target) == (
        "AccessDeniedException", denied(arn, "iam:CreateServiceLinkedRole", SLR_ARN), 400)
    assert aas.describe_scalable_targets(ServiceNamespace="dynamodb")["ScalableTargets"] == []
    assert error(client(server, "iam").get_role, RoleName=SLR)[0] == "NoSuchEntity"
    # allowed only for this service's role: the condition key iam:AWSServiceName is set
    _, key2 = user_with(server, "scaler2", allow("application-autoscaling:*"),
                        allow("iam:CreateServiceLinkedRole", "arn:aws:iam::*:role/aws-service-role/*",
                              Condition={"StringEquals": {"iam:AWSServiceName":
                                         "dynamodb.application-autoscaling.amazonaws.com"}}))
    client(server, "application-autoscaling", *key2).register_scalable_target(
        ResourceId="table/Scaled", **target)
    assert client(server, "iam").get_role(RoleName=SLR)["Role"]["Arn"] == SLR_ARN
    # once the role exists, registering needs no IAM permission
    aas.register_scalable_target(ResourceId="table/Scaled2", **target)
    ids = [t["ResourceId"] for t in aas.describe_scalable_targets(
        ServiceNamespace="dynamodb")["ScalableTargets"]]
    assert sorted(ids) == ["table/Scaled", "table/Scaled2"]


def test_enforce_with_several_workers(make_server):
    """With --workers 2 the front checks a signature's form and date and the owner, which holds
    the keys, settles it: the same answers as one process."""
    server = make_server("--workers", "2", "--auth", "enforce", *ROOT_FLAGS, durable=False)
    from tests.auth.helpers import INVALID_TOKEN, MISMATCH, SECRET, KEY
    assert client(server, "dynamodb").list_tables()["TableNames"] == []
    assert error(client(server, "dynamodb", KEY, "bad").list_tables) == (
        "InvalidSignatureException", MISMATCH, 400)
    assert error(client(server, "sts", "AKIANOBODY0000000000", SECRET).get_caller_identity) == (
        "InvalidClientTokenId", INVALID_TOKEN, 403)
    arn, key = user_with(server, "w", allow("dynamodb:ListTables"))
    assert client(server, "sts", *key).get_caller_identity()["Arn"] == arn
    assert client(server, "dynamodb", *key).list_tables()["TableNames"] == []
    assert error(client(server, "dynamodb", *key).describe_limits) == (
        "AccessDeniedException", denied(arn, "dynamodb:DescribeLimits"), 400)


def test_leading_keys(server, tables, unique):
    """dynamodb:LeadingKeys: a user confined to items whose partition key is their user name
    (the DynamoDB Developer Guide's fine-grained access control example)."""
    name = unique("own")
    arn, key = user_with(server, name, allow(
        ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:BatchWriteItem"], TABLE_ARN + "Other",
        Condition={"ForAllValues:StringEquals": {"dynamodb:LeadingKeys": ["${aws:username}"]}}))
    ddb = client(server, "dynamodb", *key)
    ddb.put_item(TableName="Other", Item={"k": {"S": name}, "v": {"S": "mine"}})
    assert ddb.get_item(TableName="Other", Key={"k": {"S": name}})["Item"]["v"] == {"S": "mine"}
    assert error(ddb.get_item, TableName="Other", Key={"k": {"S": "a"}}) == (
        "AccessDeniedException", denied(arn, "dynamodb:GetItem", TABLE_ARN + "Other"), 400)
    assert error(ddb.batch_write_item, RequestItems={"Other": [
        {"PutRequest": {"Item": {"k": {"S": name}}}},
        {"PutRequest": {"Item": {"k": {"S": "someone"}}}}]})[0] == "AccessDeniedException"
    ddb.batch_write_item(RequestItems={"Other": [{"PutRequest": {"Item": {"k": {"S": name}}}}]})


def test_each_condition_operator_grants_and_withholds(server, tables, unique):
    """Each operator family the issue names (String*, Arn*, Numeric*, Date*, Bool, ...IfExists,
    Null) decides a real request on its own: the same user's one statement, with a condition
    that holds (GetItem answered) and one that does not (AWS's implicit-deny text). Keys from
    the IAM User Guide's "AWS global condition context keys": aws:username, aws:PrincipalArn,
    aws:EpochTime and aws:CurrentTime (the simulated clock), aws:SecureTransport (false over
    http), aws:TokenIssueTime (absent for long-term keys)."""
    name = unique("ops")
    arn, key = user_with(server, name)
    iam, ddb = client(server, "iam"), client(server, "dynamodb", *key)
    now = int(server.now())
    cases = [
        ("StringEquals", {"aws:username": name}, {"aws:username": name + "x"}),
        ("StringNotLike", {"aws:username": "nobody*"}, {"aws:username": name[:3] + "*"}),
        ("StringEqualsIgnoreCase", {"aws:username": name.upper()}, {"aws:username": "x"}),
        ("ArnLike", {"aws:PrincipalArn": "arn:aws:iam::*:user/ops-*"},
         {"aws:PrincipalArn": "arn:aws:iam::*:role/*"}),
        ("ArnNotEquals", {"aws:PrincipalArn": arn + "x"}, {"aws:PrincipalArn": arn}),
        ("NumericGreaterThan", {"aws:EpochTime": str(now - 100)}, {"aws:EpochTime": str(now + 10**6)}),
        ("NumericLessThanEquals", {"aws:EpochTime": str(now + 10**6)}, {"aws:EpochTime": "1"}),
        ("DateGreaterThan", {"aws:CurrentTime": "2000-01-01T00:00:00Z"},
         {"aws:CurrentTime": "2999-01-01T00:00:00Z"}),
        ("DateLessThanEquals", {"aws:CurrentTime": "2999-01-01T00:00:00Z"},
         {"aws:CurrentTime": "2000-01-01T00:00:00Z"}),
        ("Bool", {"aws:SecureTransport": "false"}, {"aws:SecureTransport": "true"}),
        ("StringEqualsIfExists", {"aws:NoSuchKey": "x"}, {"aws:username": "someone"}),
        ("Null", {"aws:TokenIssueTime": "true"}, {"aws:TokenIssueTime": "false"}),
    ]
    target = TABLE_ARN + "Readable"
    for operator, holds, fails in cases:
        for condition, granted in ((holds, True), (fails, False)):
            iam.put_user_policy(UserName=name, PolicyName="p", PolicyDocument=policy(
                allow("dynamodb:GetItem", target, Condition={operator: condition})))
            if granted:
                assert ddb.get_item(TableName="Readable", Key={"k": {"S": "a"}})["Item"], \
                    (operator, condition)
            else:
                assert error(ddb.get_item, TableName="Readable", Key={"k": {"S": "a"}}) == (
                    "AccessDeniedException", denied(arn, "dynamodb:GetItem", target), 400), \
                    (operator, condition)
