"""Shared pieces of the signature and policy tests: servers with `--auth`, clients with any
credentials, requests signed by botocore at a chosen time, and raw HTTP."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Optional
from unittest import mock

import boto3
import botocore.auth
import botocore.config
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from tests.conftest import CREDS, REGION

KEY, SECRET = CREDS["AWS_ACCESS_KEY_ID"], CREDS["AWS_SECRET_ACCESS_KEY"]
ROOT_FLAGS = ("--access-key-id", KEY, "--secret-access-key", SECRET)

MISMATCH = ("The request signature we calculated does not match the signature you provided. "
            "Check your AWS Secret Access Key and signing method. Consult the service "
            "documentation for details.")
INVALID_TOKEN = "The security token included in the request is invalid."
EXPIRED_TOKEN = "The security token included in the request is expired"


def client(server, service: str, key: str = KEY, secret: str = SECRET,
           token: Optional[str] = None):
    return boto3.session.Session(aws_access_key_id=key, aws_secret_access_key=secret,
                                 aws_session_token=token, region_name=REGION).client(
        service, endpoint_url=server.url,
        config=botocore.config.Config(retries={"total_max_attempts": 1}))


def env(server, key: str, secret: str, token: Optional[str] = None) -> dict:
    """aws CLI environment for this server with these credentials."""
    e = server.env()
    e.update(AWS_ACCESS_KEY_ID=key, AWS_SECRET_ACCESS_KEY=secret)
    if token:
        e["AWS_SESSION_TOKEN"] = token
    return e


def at(when: dt.datetime):
    """Sign as if the client's clock showed `when` (botocore reads it through
    botocore.auth.get_current_datetime)."""
    return mock.patch.object(botocore.auth, "get_current_datetime", lambda: when)


def signed_json(server, target: str, doc: dict, service: str = "dynamodb", key: str = KEY,
                secret: str = SECRET, version: str = "1.0") -> AWSRequest:
    """An awsJson request signed by botocore's SigV4 signer, ready to be tampered with."""
    req = AWSRequest(method="POST", url=server.url + "/", data=json.dumps(doc).encode(),
                     headers={"Content-Type": f"application/x-amz-json-{version}",
                              "X-Amz-Target": target})
    botocore.auth.SigV4Auth(Credentials(key, secret), service, REGION).add_auth(req)
    return req


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


AMZ = r"\d{8}T\d{6}Z"


def skew_message(kind: str, amz_date: str, message: str) -> bool:
    """Whether `message` is AWS's "Signature expired" / "not yet current" text for `amz_date`,
    with a bound exactly 15 minutes from the server's time."""
    if kind == "expired":
        m = re.fullmatch(rf"Signature expired: {amz_date} is now earlier than ({AMZ}) "
                         rf"\(({AMZ}) - 15 min\.\)", message)
    else:
        m = re.fullmatch(rf"Signature not yet current: {amz_date} is still later than ({AMZ}) "
                         rf"\(({AMZ}) \+ 15 min\.\)", message)
    if m is None:
        return False
    bound, now = (dt.datetime.strptime(x, "%Y%m%dT%H%M%SZ") for x in m.groups())
    delta = (now - bound) if kind == "expired" else (bound - now)
    return delta == dt.timedelta(minutes=15) and abs(now - utc_now()) < dt.timedelta(minutes=1)
