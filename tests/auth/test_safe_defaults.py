"""Safe defaults: `--auth none` only on loopback; secrets never in the log."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.auth.helpers import ROOT_FLAGS, SECRET, client
from tests.conftest import Server, free_port

REFUSAL = ("dynoscale: refusing to listen on 0.0.0.0 with --auth none (anyone who reaches it "
           "acts as the account root); use --auth verify or --auth enforce, or "
           "--allow-insecure-bind to accept the risk")


def serve(*args, env=None):
    return subprocess.run([sys.executable, "-m", "dynoscale", "serve", "--in-memory", "--port",
                           str(free_port()), *args], capture_output=True, text=True, timeout=60,
                          env=env)


def test_auth_none_refuses_a_non_loopback_address():
    proc = serve("--host", "0.0.0.0")
    assert proc.returncode != 0
    assert proc.stderr.strip() == REFUSAL


def test_the_environment_chooses_too():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DYNOSCALE_")}
    env.update(DYNOSCALE_HOST="0.0.0.0")
    proc = serve(env=env)
    assert proc.returncode != 0 and proc.stderr.strip() == REFUSAL


def test_non_loopback_with_override_or_verify_starts(tmp_path):
    for flags in (("--allow-insecure-bind",), ("--auth", "verify", *ROOT_FLAGS)):
        s = Server(None, ["--host", "0.0.0.0", *flags]).start()
        try:
            assert client(s, "dynamodb").list_tables()["TableNames"] == []
        finally:
            s.stop()


def test_environment_selects_verify_and_root_keys():
    env = dict(os.environ, DYNOSCALE_AUTH="verify", DYNOSCALE_ACCESS_KEY_ID="AKIAENVROOT000000000",
               DYNOSCALE_SECRET_ACCESS_KEY="env-secret")
    s = Server(None, [])
    old = os.environ.copy()
    os.environ.update(env)
    try:
        s.start()
        assert client(s, "sts", "AKIAENVROOT000000000", "env-secret").get_caller_identity()
        from tests.kit import error
        assert error(client(s, "sts").get_caller_identity)[0] == "InvalidClientTokenId"
    finally:
        os.environ.clear()
        os.environ.update(old)
        s.stop()


def test_secrets_are_never_logged():
    s = Server(None, ["--auth", "verify", *ROOT_FLAGS, "--log-level", "debug"]).start()
    try:
        iam = client(s, "iam")
        iam.create_user(UserName="logged")
        key = iam.create_access_key(UserName="logged")["AccessKey"]
        client(s, "sts", key["AccessKeyId"], key["SecretAccessKey"]).get_caller_identity()
        try:
            client(s, "sts", key["AccessKeyId"], "wrong-secret").get_caller_identity()
        except Exception:
            pass
        # temporary credentials: their secrets and the session tokens sent in every request
        import json
        role = iam.create_role(RoleName="logged-role", AssumeRolePolicyDocument=json.dumps({
            "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                    "Principal": {"AWS": "*"}}]}))["Role"]["Arn"]
        user_sts = client(s, "sts", key["AccessKeyId"], key["SecretAccessKey"])
        temporary = [user_sts.assume_role(RoleArn=role, RoleSessionName="logged")["Credentials"],
                     user_sts.get_session_token()["Credentials"]]
        for c in temporary:
            creds = (c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"])
            client(s, "dynamodb", *creds).list_tables()
            try:  # a refused one, logged as refused
                client(s, "dynamodb", c["AccessKeyId"], "x" * 40, c["SessionToken"]).list_tables()
            except Exception:
                pass
    finally:
        s.stop()
    log = s.log_path.read_text()
    assert "auth: verify" in log and "ListTables" in log  # the log is the server's, per request
    assert SECRET not in log and key["SecretAccessKey"] not in log and "wrong-secret" not in log
    for c in temporary:
        assert c["SecretAccessKey"] not in log and c["SessionToken"] not in log


def test_state_changing_admin_endpoints_need_the_root_s_signature():
    import json
    import urllib.error
    import urllib.request
    s = Server(None, ["--clock", "manual", "--auth", "verify", *ROOT_FLAGS]).start()
    try:
        before = s.now()  # GET stays open
        for path in ("clock", "reset"):
            req = urllib.request.Request(f"{s.url}/_dynoscale/{path}", method="POST",
                                         data=b'{"advance_seconds": 60}',
                                         headers={"Content-Type": "application/json"})
            try:
                urllib.request.urlopen(req, timeout=30)
                raise AssertionError("unsigned admin POST accepted")
            except urllib.error.HTTPError as e:
                assert e.code == 403
                assert json.loads(e.read())["error"].startswith(
                    "IncompleteSignature")
        assert s.now() == before
        # the dashboard's page is open, its data API (every account's resources) is not
        for path, status in (("health", 200), ("ui", 200), ("ui/api/overview", 403)):
            try:
                with urllib.request.urlopen(f"{s.url}/_dynoscale/{path}", timeout=30) as r:
                    got = r.status
            except urllib.error.HTTPError as e:
                got = e.code
            assert (path, got) == (path, status)
        iam = client(s, "iam")
        iam.create_user(UserName="notroot")
        key = iam.create_access_key(UserName="notroot")["AccessKey"]
        import botocore.auth
        import botocore.awsrequest
        import botocore.credentials
        signed = botocore.awsrequest.AWSRequest(
            method="POST", url=f"{s.url}/_dynoscale/reset", data=b"{}",
            headers={"Content-Type": "application/json"})
        botocore.auth.SigV4Auth(botocore.credentials.Credentials(
            key["AccessKeyId"], key["SecretAccessKey"]), "dynoscale", "us-east-1").add_auth(signed)
        try:
            urllib.request.urlopen(urllib.request.Request(
                signed.url, data=b"{}", method="POST", headers=dict(signed.headers)), timeout=30)
            raise AssertionError("a user reset the server")
        except urllib.error.HTTPError as e:
            assert (e.code, json.loads(e.read())) == (403, {
                "error": "only the account root's credentials may use the admin endpoints"})
        assert [u["UserName"] for u in iam.list_users()["Users"]] == ["notroot"]
        assert s.advance(60)  # the root's signature (tests/conftest.py Server.admin)
        assert s.now() == before + 60
    finally:
        s.stop()
