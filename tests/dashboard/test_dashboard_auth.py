"""The dashboard under `--auth verify`: its page and static files are public code and load
unsigned; its data API reads every account's resources, so it answers only calls the account
root signed (SigV4 over the query string too), refusing others with 403 and the verifier's
code and AWS's message, as every admin endpoint does."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import botocore.auth
import pytest
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from tests.auth.helpers import KEY, MISMATCH, ROOT_FLAGS, SECRET, client
from tests.conftest import REGION


@pytest.fixture(scope="module")
def verify_server(tmp_path_factory):
    from tests.conftest import Server
    s = Server(None, ["--clock", "manual", "--auth", "verify", *ROOT_FLAGS]).start()
    yield s
    s.stop()


def get(server, path, key=None, secret=None):
    headers = {}
    if key is not None:
        req = AWSRequest(method="GET", url=server.url + path)
        botocore.auth.SigV4Auth(Credentials(key, secret), "dynoscale", REGION).add_auth(req)
        headers = dict(req.headers)
    try:
        with urllib.request.urlopen(urllib.request.Request(server.url + path, headers=headers),
                                    timeout=30) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def test_the_page_and_its_files_load_unsigned(verify_server):
    for path in ("/_dynoscale/ui", "/_dynoscale/ui/static/dashboard.js",
                 "/_dynoscale/ui/static/dashboard.css", "/_dynoscale/ui/static/plotly.min.js"):
        status, body = get(verify_server, path)
        assert status == 200 and len(body) > 1000, path


def test_the_data_api_needs_the_roots_signature(verify_server):
    ddb = client(verify_server, "dynamodb")
    ddb.create_table(TableName="Guarded", AttributeDefinitions=[
        {"AttributeName": "id", "AttributeType": "S"}], KeySchema=[
        {"AttributeName": "id", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST")
    for path in ("/_dynoscale/ui/api/overview",
                 "/_dynoscale/ui/api/capacity?table=Guarded&resolution=second&seconds=5"):
        status, body = get(verify_server, path)
        assert status == 403, path
        assert json.loads(body)["error"].startswith("IncompleteSignature: ")
        status, body = get(verify_server, path, KEY, "not the secret")
        assert (status, json.loads(body)) == (403, {"error": f"SignatureDoesNotMatch: {MISMATCH}"})
        status, body = get(verify_server, path, KEY, SECRET)
        assert status == 200, body
    status, body = get(verify_server, "/_dynoscale/ui/api/overview?account=&region=" + REGION,
                       KEY, SECRET)
    assert status == 200 and [t["name"] for t in json.loads(body)["tables"]] == ["Guarded"]


def test_an_iam_users_key_is_refused(verify_server):
    iam = client(verify_server, "iam")
    iam.create_user(UserName="dash-viewer")
    key = iam.create_access_key(UserName="dash-viewer")["AccessKey"]
    status, body = get(verify_server, "/_dynoscale/ui/api/overview", key["AccessKeyId"],
                       key["SecretAccessKey"])
    assert (status, json.loads(body)) == \
        (403, {"error": "only the account root's credentials may use the admin endpoints"})


def test_under_enforce_too_only_the_root_reads_the_data_api(make_server):
    """--auth enforce protects the dashboard as --auth verify does: the page is public code, its
    data API answers the root's signature only, even a user whose policy allows everything."""
    server = make_server("--auth", "enforce", *ROOT_FLAGS, durable=False)
    assert get(server, "/_dynoscale/ui")[0] == 200
    status, body = get(server, "/_dynoscale/ui/api/overview")
    assert status == 403 and json.loads(body)["error"].startswith("IncompleteSignature: ")
    iam = client(server, "iam")
    iam.create_user(UserName="admin")
    iam.put_user_policy(UserName="admin", PolicyName="all", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
    key = iam.create_access_key(UserName="admin")["AccessKey"]
    assert client(server, "dynamodb", key["AccessKeyId"], key["SecretAccessKey"]).list_tables()
    status, body = get(server, "/_dynoscale/ui/api/overview", key["AccessKeyId"],
                       key["SecretAccessKey"])
    assert (status, json.loads(body)) == \
        (403, {"error": "only the account root's credentials may use the admin endpoints"})
    status, body = get(server, "/_dynoscale/ui/api/overview", KEY, SECRET)
    assert status == 200 and json.loads(body)["tables"] == []
