"""STS GetSessionToken over HTTP: the credentials' shape and duration, and who they stand for
(with `--auth none` the root; with `--auth verify` the calling IAM user, whose signature with
them is checked like any other)."""

from __future__ import annotations

import re

import pytest

from tests.auth.helpers import INVALID_TOKEN, ROOT_FLAGS, client
from tests.conftest import ACCOUNT, Server
from tests.kit import error


def test_session_token_as_root_with_auth_none(server):
    out = server.client("sts").get_session_token()
    c = out["Credentials"]
    assert re.fullmatch(r"ASIA[A-Z2-7]{16}", c["AccessKeyId"]) and c["SessionToken"]
    # the root's sessions last an hour at most, whatever was asked
    assert c["Expiration"].timestamp() == int(server.now()) + 3600
    me = client(server, "sts", c["AccessKeyId"], c["SecretAccessKey"],
                c["SessionToken"]).get_caller_identity()
    assert (me["Arn"], me["UserId"]) == (f"arn:aws:iam::{ACCOUNT}:root", ACCOUNT)
    assert error(client(server, "sts", c["AccessKeyId"], c["SecretAccessKey"],
                        c["SessionToken"]).get_session_token) == (
        "AccessDenied", "Cannot call GetSessionToken with session credentials", 403)


@pytest.fixture(scope="module")
def verify(tmp_path_factory):
    s = Server(str(tmp_path_factory.mktemp("data")),
               ["--clock", "manual", "--auth", "verify", *ROOT_FLAGS]).start()
    yield s
    s.stop()


def test_session_token_of_a_user_under_verify(verify, unique):
    iam = client(verify, "iam")
    name = unique("u")
    user = iam.create_user(UserName=name)["User"]
    key = iam.create_access_key(UserName=name)["AccessKey"]
    c = client(verify, "sts", key["AccessKeyId"], key["SecretAccessKey"]).get_session_token(
        DurationSeconds=3600)["Credentials"]
    assert c["Expiration"].timestamp() == int(verify.now()) + 3600
    creds = (c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"])
    me = client(verify, "sts", *creds).get_caller_identity()
    assert (me["Arn"], me["UserId"], me["Account"]) == (user["Arn"], user["UserId"], ACCOUNT)
    assert client(verify, "dynamodb", *creds).list_tables()["TableNames"] == []
    # the token must come with the key, and the secret must sign
    assert error(client(verify, "sts", c["AccessKeyId"], c["SecretAccessKey"]).get_caller_identity) \
        == ("InvalidClientTokenId", INVALID_TOKEN, 403)
    assert error(client(verify, "sts", c["AccessKeyId"], "x" * 40,
                        c["SessionToken"]).get_caller_identity)[0] == "SignatureDoesNotMatch"
    # IAM refuses them (no MFA), as AWS does
    assert error(client(verify, "iam", *creds).get_user) == ("InvalidClientTokenId",
                                                            INVALID_TOKEN, 403)
