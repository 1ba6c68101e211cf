"""`--auth verify`: every request must carry a valid SigV4 signature of a known, active key.

Each failure is checked for AWS's code, HTTP status and message: DynamoDB and Application Auto
Scaling (Coral JSON: UnrecognizedClientException, InvalidSignatureException, 400) and the query
services STS, IAM, CloudWatch (InvalidClientTokenId, SignatureDoesNotMatch, 403). Includes the
request-signing cases of scylladb's Alternator suite (test/alternator/test_authorization.py,
written against DynamoDB): wrong key, wrong secret, missing header, expired and future-dated
signatures, an Authorization header without whitespace.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import subprocess
import urllib.error
import urllib.request

import pytest

from tests.auth.helpers import (EXPIRED_TOKEN, INVALID_TOKEN, KEY, MISMATCH, ROOT_FLAGS, SECRET,
                                at, client, env, signed_json, skew_message, utc_now)
from tests.conftest import ACCOUNT, AWS_CLI, Server
from tests.kit import error, post

TRUST_ACCOUNT = json.dumps({"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
    "Action": "sts:AssumeRole"}]})


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    s = Server(str(tmp_path_factory.mktemp("data")),
               ["--clock", "manual", "--auth", "verify", *ROOT_FLAGS]).start()
    yield s
    s.stop()


def test_root_credentials_sign_every_service(server):
    assert client(server, "dynamodb").list_tables()["TableNames"] == []
    assert client(server, "sts").get_caller_identity()["Arn"] == f"arn:aws:iam::{ACCOUNT}:root"
    assert client(server, "cloudwatch").list_metrics()["Metrics"] == []
    assert client(server, "application-autoscaling").describe_scalable_targets(
        ServiceNamespace="dynamodb")["ScalableTargets"] == []
    assert client(server, "iam").list_users()["Users"] == []


@pytest.mark.parametrize("service,call,kwargs,code,status", [
    ("dynamodb", "list_tables", {}, "InvalidSignatureException", 400),
    ("dynamodbstreams", "list_streams", {}, "InvalidSignatureException", 400),
    ("application-autoscaling", "describe_scalable_targets", {"ServiceNamespace": "dynamodb"},
     "InvalidSignatureException", 400),
    ("sts", "get_caller_identity", {}, "SignatureDoesNotMatch", 403),
    ("cloudwatch", "list_metrics", {}, "SignatureDoesNotMatch", 403),
    ("iam", "list_users", {}, "SignatureDoesNotMatch", 403),
])
def test_wrong_secret(server, service, call, kwargs, code, status):
    c = client(server, service, KEY, "wrong" + SECRET[5:])
    assert error(getattr(c, call), **kwargs) == (code, MISMATCH, status)


@pytest.mark.parametrize("service,call,kwargs,code,status", [
    ("dynamodb", "list_tables", {}, "UnrecognizedClientException", 400),
    ("dynamodbstreams", "list_streams", {}, "UnrecognizedClientException", 400),
    ("application-autoscaling", "describe_scalable_targets", {"ServiceNamespace": "dynamodb"},
     "UnrecognizedClientException", 400),
    ("sts", "get_caller_identity", {}, "InvalidClientTokenId", 403),
    ("cloudwatch", "list_metrics", {}, "InvalidClientTokenId", 403),
    ("iam", "list_users", {}, "InvalidClientTokenId", 403),
])
def test_unknown_key(server, service, call, kwargs, code, status):
    c = client(server, service, "AKIAUNKNOWNKEY000000", SECRET)
    assert error(getattr(c, call), **kwargs) == (code, INVALID_TOKEN, status)


def test_wrong_credentials_with_the_cli(server):
    assert server.aws("sts", "get-caller-identity").json["Arn"] == f"arn:aws:iam::{ACCOUNT}:root"
    for key, secret, code in (("AKIAUNKNOWNKEY000000", SECRET, "InvalidClientTokenId"),
                              (KEY, "nope", "SignatureDoesNotMatch")):
        bad = subprocess.run([str(AWS_CLI), "sts", "get-caller-identity"], capture_output=True,
                             text=True, env=env(server, key, secret), timeout=60)
        assert bad.returncode != 0
        assert f"An error occurred ({code}) when calling the GetCallerIdentity operation" \
            in bad.stderr


def _send(server, req, body=None, headers=None):
    return post(server, req.body if body is None else body,
                dict(req.headers) if headers is None else headers)


def test_untouched_signed_request_is_accepted(server):
    status, _, body = _send(server, signed_json(server, "DynamoDB_20120810.ListTables", {}))
    assert (status, json.loads(body)) == (200, {"TableNames": []})


def test_tampered_body(server):
    req = signed_json(server, "DynamoDB_20120810.ListTables", {"Limit": 5})
    status, _, body = _send(server, req, body=json.dumps({"Limit": 6}).encode())
    doc = json.loads(body)
    assert status == 400
    assert doc == {"__type": "com.amazon.coral.service#InvalidSignatureException",
                   "message": MISMATCH}


def test_tampered_signed_header(server):
    req = signed_json(server, "DynamoDB_20120810.ListTables", {})
    headers = dict(req.headers)
    headers["X-Amz-Target"] = "DynamoDB_20120810.DescribeLimits"
    status, _, body = _send(server, req, headers=headers)
    assert status == 400
    assert json.loads(body)["__type"] == "com.amazon.coral.service#InvalidSignatureException"


def test_unsigned_header_may_change(server):
    req = signed_json(server, "DynamoDB_20120810.ListTables", {})
    headers = dict(req.headers, **{"User-Agent": "something else", "X-Extra": "1"})
    status, _, _ = _send(server, req, headers=headers)
    assert status == 200


def test_declared_payload_hash_must_be_the_body_s(server):
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    req = AWSRequest(method="POST", url=server.url + "/", data=b"{}",
                     headers={"Content-Type": "application/x-amz-json-1.0",
                              "X-Amz-Target": "DynamoDB_20120810.ListTables",
                              "X-Amz-Content-SHA256": "0" * 64})
    SigV4Auth(Credentials(KEY, SECRET), "dynamodb", "us-east-1").add_auth(req)
    status, _, body = _send(server, req)
    assert (status, json.loads(body)["message"]) == (400, MISMATCH)


def test_expired_date(server):
    when = utc_now() - dt.timedelta(minutes=20)
    with at(when):
        c = client(server, "dynamodb")
        code, message, status = error(c.list_tables)
    assert (code, status) == ("InvalidSignatureException", 400)
    assert skew_message("expired", when.strftime("%Y%m%dT%H%M%SZ"), message), message
    with at(when):
        code, message, status = error(client(server, "sts").get_caller_identity)
    assert (code, status) == ("SignatureDoesNotMatch", 403)
    assert skew_message("expired", when.strftime("%Y%m%dT%H%M%SZ"), message), message


def test_future_date(server):
    when = utc_now() + dt.timedelta(minutes=20)
    with at(when):
        code, message, status = error(client(server, "dynamodb").list_tables)
    assert (code, status) == ("InvalidSignatureException", 400)
    assert skew_message("future", when.strftime("%Y%m%dT%H%M%SZ"), message), message


def test_date_within_the_skew_is_accepted(server):
    with at(utc_now() - dt.timedelta(minutes=14)):
        assert client(server, "dynamodb").list_tables()["TableNames"] == []


# -- scylladb Alternator's test_authorization.py, recorded against DynamoDB -------------------
class _Answer:
    def __init__(self, status: int, body: bytes):
        self.ok = status < 400
        self.text = body.decode()


def _alternator(server, date: str, auth: str = None):
    headers = {"Content-Type": "application/x-amz-json-1.0", "X-Amz-Date": date,
               "X-Amz-Target": "DynamoDB_20120810.DescribeEndpoints"}
    if auth is not None:
        headers["Authorization"] = auth
    # Alternator sends no body; "{}" keeps this test to the signature (an empty body is another
    # check, whose order against the signature is --auth none's business).
    status, _, body = post(server, b"{}", headers)
    return _Answer(status, body)


ALTERNATOR_AUTH = ("AWS4-HMAC-SHA256 Credential=alternator/2/3/4/aws4_request "
                   "SignedHeaders=x-amz-date;host Signature=123")


def test_alternator_expired_signature(server):
    r = _alternator(server, "20170101T010101Z", ALTERNATOR_AUTH)
    assert not r.ok
    assert "InvalidSignatureException" in r.text and "Signature expired" in r.text


def test_alternator_signature_too_futuristic(server):
    r = _alternator(server, "30200101T010101Z", ALTERNATOR_AUTH)
    assert not r.ok
    assert "InvalidSignatureException" in r.text and "Signature not yet current" in r.text


def test_alternator_no_authorization_header(server):
    r = _alternator(server, "20170101T010101Z")
    assert not r.ok and "MissingAuthenticationTokenException" in r.text


def test_alternator_wrong_key_and_wrong_password(server):
    for key, secret in (("whatever", ""), ("alternator", "wrong_key")):
        c = client(server, "dynamodb", key, secret or "x")
        assert error(c.describe_endpoints)[0] == "UnrecognizedClientException"


def test_alternator_authorization_without_whitespace(server):
    req = signed_json(server, "DynamoDB_20120810.ListTables", {})
    a = req.headers["Authorization"].split()
    headers = dict(req.headers)
    headers["Authorization"] = a[0] + " " + "".join(a[1:])
    status, _, _ = _send(server, req, headers=headers)
    assert status == 200


def _signed_put(server, extra=None):
    """A PutItem signed by botocore, with `extra` headers signed too (the table need not exist:
    a request whose signature passes gets as far as ResourceNotFoundException)."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    req = AWSRequest(method="POST", url=server.url + "/", data=json.dumps(
        {"TableName": "canon", "Item": {"p": {"S": "x"}}}).encode(),
        headers={"Content-Type": "application/x-amz-json-1.0",
                 "X-Amz-Target": "DynamoDB_20120810.PutItem", **(extra or {})})
    SigV4Auth(Credentials(KEY, SECRET), "dynamodb", "us-east-1").add_auth(req)
    return req, dict(req.headers)


@pytest.mark.parametrize("change", ["trailing", "leading", "middle", "name_case", "order"])
def test_signed_headers_are_canonicalised(server, change):
    """Header changes a proxy may make do not break the signature: the SigV4 canonical form
    trims values, collapses inner runs of spaces, lower-cases names and sorts them (scylladb
    test/alternator/test_authorization.py::test_canonization_trailing_whitespace,
    _leading_whitespace, _middle_whitespace, _header_name_capitalization, _header_order, run
    against DynamoDB)."""
    req, headers = _signed_put(server, {"Meerkat": "Hello world"} if change == "middle" else None)
    assert "content-type" in headers["Authorization"]
    if change == "trailing":
        headers["Content-Type"] += "    "
    elif change == "leading":
        headers["Content-Type"] = "    " + headers["Content-Type"]
    elif change == "middle":
        assert "meerkat" in headers["Authorization"]
        headers["Meerkat"] = "Hello   world"
    elif change == "name_case":
        headers["CoNtEnT-tYpE"] = headers.pop("Content-Type")
    else:
        headers = dict(reversed(list(headers.items())))
    status, _, body = _send(server, req, headers=headers)
    assert (status, json.loads(body)["__type"]) == (
        400, "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException"), body
    # and a real change of a signed header's value still fails
    headers["Content-Type"] = "application/x-amz-json-1.1"
    status, _, body = _send(server, req, headers=headers)
    assert json.loads(body)["message"] == MISMATCH


@pytest.mark.parametrize("body", [b"", b"{}"])
def test_alternator_expired_signature_without_body(server, body):
    """Alternator's request has no body at all: the expired date is still said first."""
    headers = {"Content-Type": "application/x-amz-json-1.0", "X-Amz-Date": "20170101T010101Z",
               "X-Amz-Target": "DynamoDB_20120810.DescribeEndpoints",
               "Authorization": ALTERNATOR_AUTH.replace("alternator", "cassandra")}
    status, _, answer = post(server, body, headers)
    doc = json.loads(answer)
    assert status == 400 and doc["__type"].endswith("#InvalidSignatureException")
    assert doc["message"].startswith("Signature expired: 20170101T010101Z is now earlier than")


@pytest.mark.parametrize("auth,crc,doc", [
    (None, "2088342776", {"__type": "com.amazon.coral.service#MissingAuthenticationTokenException",
                          "message": "Request is missing Authentication Token"}),
    ("AWS4", "2088342776", {"__type": "com.amazon.coral.service#MissingAuthenticationTokenException",
                            "message": "Request is missing Authentication Token"}),
    ("AWS4-", "1828866742", {
        "__type": "com.amazon.coral.service#IncompleteSignatureException",
        "message": "Authorization header requires 'Credential' parameter. Authorization header "
                   "requires 'Signature' parameter. Authorization header requires "
                   "'SignedHeaders' parameter. Authorization header requires existence of "
                   "either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-"}),
])
def test_dynalite_missing_and_incomplete_authorization(server, auth, crc, doc):
    """dynalite test/connection.js (recorded against DynamoDB), under --auth verify: no
    Authorization header, "AWS4" and "AWS4-", each with DynamoDB's exact body and CRC32."""
    headers = {"Content-Type": "application/x-amz-json-1.0",
               "X-Amz-Target": "DynamoDB_20120810.ListTables"}
    if auth is not None:
        headers["Authorization"] = auth
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:  # raw: tests.kit.post would add an X-Amz-Date
        conn.request("POST", "/", body=b"", headers=headers)
        resp = conn.getresponse()
        status, crc32, body = resp.status, resp.getheader("x-amz-crc32"), resp.read()
    finally:
        conn.close()
    assert (status, json.loads(body), crc32) == (400, doc, crc)


def test_incomplete_authorization_header(server):
    import datetime as dt
    now = dt.datetime.now(dt.timezone.utc)  # a current date: an expired one is said first
    headers = {"Content-Type": "application/x-amz-json-1.0",
               "X-Amz-Date": now.strftime("%Y%m%dT%H%M%SZ"),
               "X-Amz-Target": "DynamoDB_20120810.ListTables",
               "Authorization": f"AWS4-HMAC-SHA256 Credential={KEY}/{now:%Y%m%d}/us-east-1/"
                                "dynamodb/aws4_request"}
    status, _, body = post(server, b"{}", headers)
    doc = json.loads(body)
    assert status == 400
    assert doc["__type"] == "com.amazon.coral.service#IncompleteSignatureException"
    assert doc["message"] == ("Authorization header requires 'Signature' parameter. "
                              "Authorization header requires 'SignedHeaders' parameter. "
                              f"Authorization={headers['Authorization']}")


# -- presigned URLs --------------------------------------------------------------------------
def _get(url: str):
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def test_presigned_url(server):
    url = client(server, "sts").generate_presigned_url("get_caller_identity", ExpiresIn=900,
                                                     HttpMethod="GET")
    status, body = _get(url)
    assert status == 200 and f"<Arn>arn:aws:iam::{ACCOUNT}:root</Arn>" in body


def test_tampered_presigned_url(server):
    url = client(server, "sts").generate_presigned_url("get_caller_identity", ExpiresIn=900,
                                                     HttpMethod="GET")
    status, body = _get(url.replace("X-Amz-Expires=900", "X-Amz-Expires=901"))
    assert status == 403
    assert "<Code>SignatureDoesNotMatch</Code>" in body and f"<Message>{MISMATCH}</Message>" in body


def test_presigned_url_past_expiry(server):
    when = utc_now() - dt.timedelta(minutes=16)
    with at(when):
        url = client(server, "sts").generate_presigned_url("get_caller_identity", ExpiresIn=900,
                                                     HttpMethod="GET")
    status, body = _get(url)
    assert status == 403 and "<Code>SignatureDoesNotMatch</Code>" in body
    message = body.split("<Message>")[1].split("</Message>")[0]
    assert skew_message("expired", when.strftime("%Y%m%dT%H%M%SZ"), message), message


# -- IAM access keys -------------------------------------------------------------------------
def test_iam_user_keys_lifecycle(server, unique):
    iam = client(server, "iam")
    name = unique("alice")
    user = iam.create_user(UserName=name)["User"]
    assert user["Arn"] == f"arn:aws:iam::{ACCOUNT}:user/{name}" and user["UserId"].startswith("AIDA")
    key = iam.create_access_key(UserName=name)["AccessKey"]
    assert key["Status"] == "Active" and key["AccessKeyId"].startswith("AKIA")
    assert len(key["AccessKeyId"]) == 20 and len(key["SecretAccessKey"]) == 40
    kid, secret = key["AccessKeyId"], key["SecretAccessKey"]
    me = client(server, "sts", kid, secret).get_caller_identity()
    assert me == {**me, "Arn": user["Arn"], "UserId": user["UserId"], "Account": ACCOUNT}
    listed = iam.list_access_keys(UserName=name)["AccessKeyMetadata"]
    assert [(k["AccessKeyId"], k["Status"], k["UserName"]) for k in listed] == [(kid, "Active", name)]
    assert "SecretAccessKey" not in listed[0]
    # the user lists its own keys without naming itself
    own = client(server, "iam", kid, secret).list_access_keys()["AccessKeyMetadata"]
    assert [k["AccessKeyId"] for k in own] == [kid]

    iam.update_access_key(UserName=name, AccessKeyId=kid, Status="Inactive")
    assert error(client(server, "dynamodb", kid, secret).list_tables) == (
        "UnrecognizedClientException", INVALID_TOKEN, 400)
    assert error(client(server, "sts", kid, secret).get_caller_identity) == (
        "InvalidClientTokenId", INVALID_TOKEN, 403)
    iam.update_access_key(UserName=name, AccessKeyId=kid, Status="Active")
    assert client(server, "dynamodb", kid, secret).list_tables()["TableNames"] == []

    iam.create_access_key(UserName=name)
    assert error(iam.create_access_key, UserName=name) == (
        "LimitExceeded", "Cannot exceed quota for AccessKeysPerUser: 2", 409)
    assert error(iam.delete_user, UserName=name) == (
        "DeleteConflict", "Cannot delete entity, must delete access keys first.", 409)
    iam.delete_access_key(UserName=name, AccessKeyId=kid)
    assert error(client(server, "dynamodb", kid, secret).list_tables)[0] == \
        "UnrecognizedClientException"
    assert error(iam.delete_access_key, UserName=name, AccessKeyId=kid) == (
        "NoSuchEntity", f"The Access Key with id {kid} cannot be found.", 404)


def test_iam_user_errors(server, unique):
    iam = client(server, "iam")
    name = unique("bob")
    assert error(iam.get_user, UserName=name) == (
        "NoSuchEntity", f"The user with name {name} cannot be found.", 404)
    iam.create_user(UserName=name)
    assert error(iam.create_user, UserName=name.upper()) == (
        "EntityAlreadyExists", f"User with name {name.upper()} already exists.", 409)
    assert name in [u["UserName"] for u in iam.list_users()["Users"]]
    iam.delete_user(UserName=name)
    assert error(iam.get_user, UserName=name)[0] == "NoSuchEntity"


# -- STS temporary credentials ---------------------------------------------------------------
def _assume(server, unique):
    iam = client(server, "iam")
    role = unique("role")
    arn = iam.create_role(RoleName=role, AssumeRolePolicyDocument=TRUST_ACCOUNT)["Role"]["Arn"]
    name = unique("carol")
    iam.create_user(UserName=name)
    key = iam.create_access_key(UserName=name)["AccessKey"]
    sts = client(server, "sts", key["AccessKeyId"], key["SecretAccessKey"])
    return sts.assume_role(RoleArn=arn, RoleSessionName="s1")["Credentials"], role


def test_assumed_role_credentials(server, unique):
    creds, role = _assume(server, unique)
    kid, secret, token = creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"]
    me = client(server, "sts", kid, secret, token).get_caller_identity()
    assert me["Arn"] == f"arn:aws:sts::{ACCOUNT}:assumed-role/{role}/s1"
    assert client(server, "dynamodb", kid, secret, token).list_tables()["TableNames"] == []
    # without the session token, or with another one
    assert error(client(server, "dynamodb", kid, secret).list_tables) == (
        "UnrecognizedClientException", INVALID_TOKEN, 400)
    assert error(client(server, "sts", kid, secret, token[:-4] + "AAAA").get_caller_identity) == (
        "InvalidClientTokenId", INVALID_TOKEN, 403)
    assert error(client(server, "dynamodb", kid, "x" * 40, token).list_tables)[0] == \
        "InvalidSignatureException"


def test_root_may_not_assume_roles(server, unique):
    iam = client(server, "iam")
    arn = iam.create_role(RoleName=unique("r"), AssumeRolePolicyDocument=TRUST_ACCOUNT)["Role"]["Arn"]
    assert error(client(server, "sts").assume_role, RoleArn=arn, RoleSessionName="s0") == (
        "AccessDenied", "Roles may not be assumed by root accounts.", 403)


def test_temporary_credentials_expire_on_the_clock(server, unique):
    creds, _ = _assume(server, unique)
    kid, secret, token = creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"]
    assert client(server, "dynamodb", kid, secret, token).list_tables()["TableNames"] == []
    server.advance(3600)
    assert error(client(server, "dynamodb", kid, secret, token).list_tables) == (
        "ExpiredTokenException", EXPIRED_TOKEN, 400)
    assert error(client(server, "sts", kid, secret, token).get_caller_identity) == (
        "ExpiredToken", EXPIRED_TOKEN, 403)


def test_user_policies_and_entities_for_policy(server, unique):
    iam = client(server, "iam")
    name = unique("dave")
    user_id = iam.create_user(UserName=name)["User"]["UserId"]
    doc = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "*"}]})
    iam.put_user_policy(UserName=name, PolicyName="inline", PolicyDocument=doc)
    assert iam.list_user_policies(UserName=name)["PolicyNames"] == ["inline"]
    assert iam.get_user_policy(UserName=name, PolicyName="inline")["PolicyDocument"] == \
        json.loads(doc)
    arn = iam.create_policy(PolicyName=unique("m"), PolicyDocument=doc)["Policy"]["Arn"]
    iam.attach_user_policy(UserName=name, PolicyArn=arn)
    got = iam.list_entities_for_policy(PolicyArn=arn)
    assert (got["PolicyUsers"], got["PolicyRoles"]) == ([{"UserName": name, "UserId": user_id}], [])
    assert iam.get_policy(PolicyArn=arn)["Policy"]["AttachmentCount"] == 1
    assert error(iam.delete_user, UserName=name) == (
        "DeleteConflict", "Cannot delete entity, must detach all policies first.", 409)
    iam.detach_user_policy(UserName=name, PolicyArn=arn)
    iam.delete_user_policy(UserName=name, PolicyName="inline")
    assert error(iam.get_user_policy, UserName=name, PolicyName="inline") == (
        "NoSuchEntity", "The user policy with name inline cannot be found.", 404)
    iam.delete_user(UserName=name)


def test_compressed_body_is_verified_as_sent(server):
    """botocore gzips PutMetricData bodies of 10 KB or more and signs the compressed bytes."""
    cw = client(server, "cloudwatch")
    data = [{"MetricName": f"m{i}", "Value": float(i), "Dimensions": [
        {"Name": "LongDimensionName", "Value": "x" * 200}]} for i in range(100)]
    cw.put_metric_data(Namespace="Auth/Gzip", MetricData=data)
    names = {m["MetricName"] for m in cw.list_metrics(Namespace="Auth/Gzip")["Metrics"]}
    assert len(names) == 100
