"""`--auth verify` failures in each protocol the services speak, with AWS's code, status and
message: CloudWatch in CBOR and JSON as well as query (awsQueryCompatible: the query code, also in
`x-amzn-query-error`), unsigned query requests (MissingAuthenticationToken), expired temporary
credentials on every service, tampered bodies and headers on the query services, a malformed
Authorization part; and the aws CLI meeting a tampered body, a tampered header and a slow clock.

AWS's answers quoted: STS's unsigned request, "403 ... <Code>MissingAuthenticationToken</Code>
<Message>Request is missing Authentication Token</Message>" (amzn/selling-partner-api-docs#3081);
DynamoDB's expired token, "400 ... {"__type":"com.amazon.coral.service#ExpiredTokenException",
"message":"The security token included in the request is expired"}" (guregu/dynamo#68); the
missing equal sign, STS's IncompleteSignature (boto/boto3#2280) and DynamoDB's
IncompleteSignatureException (awslabs/fhir-works-on-aws-deployment#379).
"""

from __future__ import annotations

import datetime as dt
import http.client
import http.server
import json
import subprocess
import threading

import botocore.model
import pytest

from tests.auth.helpers import (EXPIRED_TOKEN, INVALID_TOKEN, KEY, MISMATCH, ROOT_FLAGS, SECRET,
                                client, env, signed_json, skew_message, utc_now)
from tests.conftest import ACCOUNT, AWS_CLI, REGION, Server
from tests.kit import error, post, raised

TRUST_ACCOUNT = json.dumps({"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
    "Action": "sts:AssumeRole"}]})


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    s = Server(None, ["--clock", "manual", "--auth", "verify", *ROOT_FLAGS]).start()
    yield s
    s.stop()


def cloudwatch(server, protocol, key=KEY, secret=SECRET, token=None):
    """A CloudWatch client speaking `protocol` (botocore takes the first of its priority list
    that the model offers; tests/cloudwatch/helpers.py)."""
    saved = botocore.model.PRIORITY_ORDERED_SUPPORTED_PROTOCOLS
    botocore.model.PRIORITY_ORDERED_SUPPORTED_PROTOCOLS = (protocol,) + tuple(
        p for p in saved if p != protocol)
    try:
        c = client(server, "cloudwatch", key, secret, token)
    finally:
        botocore.model.PRIORITY_ORDERED_SUPPORTED_PROTOCOLS = saved
    assert c.meta.service_model.resolved_protocol == protocol
    return c


CW_PROTOCOLS = ["smithy-rpc-v2-cbor", "json", "query"]


@pytest.mark.parametrize("protocol", CW_PROTOCOLS)
def test_cloudwatch_refusals_in_each_protocol(server, protocol):
    """The query-era codes and 403 whatever the protocol; JSON and CBOR answers also carry
    `x-amzn-query-error: <code>;Sender`, from which SDKs take the code."""
    for key, secret, code, message in ((KEY, "wrong" + SECRET, "SignatureDoesNotMatch", MISMATCH),
                                       ("AKIAUNKNOWNKEY000000", SECRET, "InvalidClientTokenId",
                                        INVALID_TOKEN)):
        response = raised(cloudwatch(server, protocol, key, secret).list_metrics)
        got = (response["Error"]["Code"], response["Error"]["Message"],
               response["ResponseMetadata"]["HTTPStatusCode"])
        assert got == (code, message, 403)
        if protocol != "query":
            assert response["ResponseMetadata"]["HTTPHeaders"]["x-amzn-query-error"] == \
                f"{code};Sender"
    assert cloudwatch(server, protocol).list_metrics()["Metrics"] == []


@pytest.mark.parametrize("body,version", [
    (b"Action=GetCallerIdentity&Version=2011-06-15", "https://sts.amazonaws.com/doc/2011-06-15/"),
    (b"Action=ListUsers&Version=2010-05-08", "https://iam.amazonaws.com/doc/2010-05-08/"),
    (b"Action=ListMetrics&Version=2010-08-01", "http://monitoring.amazonaws.com/doc/2010-08-01/"),
])
def test_unsigned_query_request_is_missing_authentication_token(server, body, version):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:  # raw: no Authorization header, no presigned query
        conn.request("POST", "/", body=body,
                     headers={"Content-Type": "application/x-www-form-urlencoded"})
        resp = conn.getresponse()
        status, ctype, text = resp.status, resp.getheader("content-type"), resp.read().decode()
    finally:
        conn.close()
    assert (status, ctype) == (403, "text/xml")
    assert text.startswith(f'<ErrorResponse xmlns="{version}"><Error><Type>Sender</Type>'
                           "<Code>MissingAuthenticationToken</Code>"
                           "<Message>Request is missing Authentication Token</Message></Error>")


@pytest.fixture(scope="module")
def expired(server):
    """Temporary credentials of an assumed role, past their hour on the simulated clock."""
    iam = client(server, "iam")
    arn = iam.create_role(RoleName="expiring", AssumeRolePolicyDocument=TRUST_ACCOUNT)["Role"]["Arn"]
    iam.create_user(UserName="expiring-user")
    key = iam.create_access_key(UserName="expiring-user")["AccessKey"]
    creds = client(server, "sts", key["AccessKeyId"], key["SecretAccessKey"]).assume_role(
        RoleArn=arn, RoleSessionName="expiring")["Credentials"]
    server.advance(3600)
    return creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"]


@pytest.mark.parametrize("service,call,kwargs,code,status", [
    ("dynamodb", "list_tables", {}, "ExpiredTokenException", 400),
    ("dynamodbstreams", "list_streams", {}, "ExpiredTokenException", 400),
    ("application-autoscaling", "describe_scalable_targets", {"ServiceNamespace": "dynamodb"},
     "ExpiredTokenException", 400),
    ("sts", "get_caller_identity", {}, "ExpiredToken", 403),
    ("iam", "list_users", {}, "ExpiredToken", 403),
    ("cloudwatch", "list_metrics", {}, "ExpiredToken", 403),
])
def test_expired_session_on_every_service(server, expired, service, call, kwargs, code, status):
    assert error(getattr(client(server, service, *expired), call), **kwargs) == (
        code, EXPIRED_TOKEN, status)


@pytest.mark.parametrize("protocol", ["smithy-rpc-v2-cbor", "json"])
def test_expired_session_in_cloudwatch_s_other_protocols(server, expired, protocol):
    assert error(cloudwatch(server, protocol, *expired).list_metrics) == (
        "ExpiredToken", EXPIRED_TOKEN, 403)


def test_expired_session_dynamodb_wire_body(server, expired):
    """The body as recorded from DynamoDB (guregu/dynamo#68)."""
    kid, secret, token = expired
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    req = AWSRequest(method="POST", url=server.url + "/", data=b"{}",
                     headers={"Content-Type": "application/x-amz-json-1.0",
                              "X-Amz-Target": "DynamoDB_20120810.Scan"})
    SigV4Auth(Credentials(kid, secret, token), "dynamodb", REGION).add_auth(req)
    status, _, body = post(server, req.body, dict(req.headers))
    assert (status, json.loads(body)) == (400, {
        "__type": "com.amazon.coral.service#ExpiredTokenException", "message": EXPIRED_TOKEN})


def _signed_form(server, service: str, body: bytes):
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    req = AWSRequest(method="POST", url=server.url + "/", data=body,
                     headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
    SigV4Auth(Credentials(KEY, SECRET), service, REGION).add_auth(req)
    return req


def _xml_error(body: bytes) -> tuple[str, str]:
    text = body.decode()
    return (text.split("<Code>")[1].split("</Code>")[0],
            text.split("<Message>")[1].split("</Message>")[0])


@pytest.mark.parametrize("service,body,tampered", [
    ("sts", b"Action=GetCallerIdentity&Version=2011-06-15",
     b"Action=GetCallerIdentity&Version=2011-06-15&X=1"),
    ("iam", b"Action=ListUsers&Version=2010-05-08", b"Action=ListUsers&Version=2010-05-08&MaxItems=1"),
    ("monitoring", b"Action=ListMetrics&Version=2010-08-01",
     b"Action=ListMetrics&Version=2010-08-01&Namespace=X"),
])
def test_tampered_query_body_and_header(server, service, body, tampered):
    req = _signed_form(server, service, body)
    status, _, answer = post(server, req.body, dict(req.headers))
    assert status == 200, answer
    status, _, answer = post(server, tampered, dict(req.headers))
    assert (status, _xml_error(answer)) == (403, ("SignatureDoesNotMatch", MISMATCH))
    headers = dict(req.headers)
    headers["Content-Type"] = "application/x-www-form-urlencoded"  # signed: a change breaks it
    status, _, answer = post(server, req.body, headers)
    assert (status, _xml_error(answer)) == (403, ("SignatureDoesNotMatch", MISMATCH))


@pytest.mark.parametrize("target,service,version", [
    ("DynamoDB_20120810.ListTables", "dynamodb", "1.0"),
    ("AnyScaleFrontendService.DescribeScalableTargets", "application-autoscaling", "1.1"),
])
def test_tampered_json_header_exact_answer(server, target, service, version):
    doc = {"ServiceNamespace": "dynamodb"} if service != "dynamodb" else {}
    req = signed_json(server, target, doc, service=service, version=version)
    headers = dict(req.headers)
    # another operation of the service (an unknown one is refused before the signature)
    headers["X-Amz-Target"] = target.replace(".ListTables", ".DescribeLimits").replace(
        ".DescribeScalableTargets", ".DescribeScalingPolicies")
    status, _, body = post(server, req.body, headers)
    answer = json.loads(body)
    # DynamoDB's namespace as recorded (dynalite test/connection.js); Application Auto Scaling's
    # __type carries none in Dynoscale [inferred: no recorded answer found], SDKs read the code.
    kind = answer.pop("__type")
    assert kind == ("com.amazon.coral.service#InvalidSignatureException" if service == "dynamodb"
                    else "InvalidSignatureException")
    assert (status, answer) == (400, {"message": MISMATCH})
    status, _, body = post(server, json.dumps({**doc, "MaxResults": 1}).encode(),
                           dict(req.headers))
    assert (status, json.loads(body)["message"]) == (400, MISMATCH)


@pytest.mark.parametrize("service,call,code", [
    ("sts", "get_caller_identity", "IncompleteSignature"),
    ("dynamodb", "list_tables", "IncompleteSignatureException"),
])
def test_a_part_without_an_equal_sign(server, service, call, code):
    """A key pasted with a leading space signs as `Credential= AKIA...`: AWS names the part
    (boto/boto3#2280 from STS; awslabs/fhir-works-on-aws-deployment#379 from DynamoDB)."""
    c = client(server, service, " " + KEY, SECRET)
    sent = []
    c.meta.events.register("before-send", lambda request, **_: sent.append(request))
    response = raised(getattr(c, call))
    auth, amz_date = (_header(sent[0], name) for name in ("Authorization", "X-Amz-Date"))
    assert auth.startswith("AWS4-HMAC-SHA256 Credential= " + KEY)
    scope = f"{KEY}/{amz_date[:8]}/{REGION}/{service}/aws4_request"
    assert (response["Error"]["Code"], response["Error"]["Message"],
            response["ResponseMetadata"]["HTTPStatusCode"]) == (
        code, f"'{scope}' not a valid key=value pair (missing equal-sign) in "
              f"Authorization header: '{auth}'.", 400)


def _header(request, name: str) -> str:
    value = request.headers[name]
    return value.decode() if isinstance(value, bytes) else value


# -- the aws CLI -----------------------------------------------------------------------------
class _Tamper(http.server.BaseHTTPRequestHandler):
    """A proxy between the CLI and the server that changes what the CLI signed: `change` maps
    (headers, body) to the (headers, body) forwarded."""
    change = None
    target_port = 0

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        headers = {k: v for k, v in self.headers.items()}
        headers, body = type(self).change(headers, body)
        headers["Content-Length"] = str(len(body))
        conn = http.client.HTTPConnection("127.0.0.1", type(self).target_port, timeout=30)
        try:
            conn.request("POST", self.path, body=body, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
            self.send_response(resp.status)
            for k, v in resp.getheaders():
                if k.lower() not in ("content-length", "connection", "date", "server"):
                    self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        finally:
            conn.close()

    def log_message(self, *args):
        pass


def _through_proxy(server, change, *args):
    handler = type("Tamper", (_Tamper,), {"change": staticmethod(change),
                                          "target_port": server.port})
    proxy = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    try:
        e = env(server, KEY, SECRET)
        e.update(AWS_ENDPOINT_URL=f"http://127.0.0.1:{proxy.server_address[1]}",
                 AWS_MAX_ATTEMPTS="1")
        return subprocess.run([str(AWS_CLI), *args], capture_output=True, text=True, env=e,
                              timeout=60)
    finally:
        proxy.shutdown()
        proxy.server_close()


def _cli_message(proc, code, operation) -> str:
    """The message of the CLI's error line (the CLI notes "(reached max retries: 0)" after
    errors its retry handler considered, as botocore's standard mode does clock-skew codes)."""
    assert proc.returncode != 0
    line = proc.stderr.strip()
    for retries in ("", " (reached max retries: 0)"):
        prefix = f"An error occurred ({code}) when calling the {operation} operation{retries}: "
        if line.startswith(prefix):
            return line[len(prefix):]
    raise AssertionError(proc.stderr)


def _cli_error(proc, code, operation, message):
    assert _cli_message(proc, code, operation) == message


def test_cli_through_an_untouched_proxy(server):
    proc = _through_proxy(server, lambda h, b: (h, b), "dynamodb", "list-tables")
    assert proc.returncode == 0 and json.loads(proc.stdout) == {"TableNames": []}, proc.stderr


def test_cli_tampered_body(server):
    def limit(h, b):
        assert json.loads(b) == {}
        return h, b'{"Limit": 1}'
    proc = _through_proxy(server, limit, "dynamodb", "list-tables")
    _cli_error(proc, "InvalidSignatureException", "ListTables", MISMATCH)
    proc = _through_proxy(server, lambda h, b: (h, b + b"&X=1"), "sts", "get-caller-identity")
    _cli_error(proc, "SignatureDoesNotMatch", "GetCallerIdentity", MISMATCH)


def test_cli_tampered_header(server):
    def content_type(h, b):
        name = next(k for k in h if k.lower() == "content-type")
        return {**h, name: h[name] + "; charset=latin-1"}, b
    proc = _through_proxy(server, content_type, "dynamodb", "list-tables")
    _cli_error(proc, "InvalidSignatureException", "ListTables", MISMATCH)
    proc = _through_proxy(server, content_type, "iam", "list-users")
    _cli_error(proc, "SignatureDoesNotMatch", "ListUsers", MISMATCH)


def test_cli_on_a_slow_clock(server, tmp_path):
    """The CLI on a machine whose clock is 20 minutes behind: its requests carry that date
    (botocore reads the time through botocore.auth.get_current_datetime, shifted here by a
    sitecustomize the CLI's interpreter loads)."""
    (tmp_path / "sitecustomize.py").write_text(
        "import datetime, botocore.auth\n"
        "_real = botocore.auth.get_current_datetime\n"
        "botocore.auth.get_current_datetime = lambda *a, **k: _real(*a, **k) - "
        "datetime.timedelta(minutes=20)\n")
    e = env(server, KEY, SECRET)
    e.update(PYTHONPATH=str(tmp_path), AWS_MAX_ATTEMPTS="1")
    for args, code, operation in ((("dynamodb", "list-tables"), "InvalidSignatureException",
                                   "ListTables"),
                                  (("sts", "get-caller-identity"), "SignatureDoesNotMatch",
                                   "GetCallerIdentity")):
        before = utc_now()
        proc = subprocess.run([str(AWS_CLI), *args], capture_output=True, text=True, env=e,
                              timeout=60)
        message = _cli_message(proc, code, operation)
        amz_date = message.split()[2]
        sent = dt.datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ")
        assert abs(sent - (before - dt.timedelta(minutes=20))) < dt.timedelta(minutes=1)
        assert skew_message("expired", amz_date, message), message
