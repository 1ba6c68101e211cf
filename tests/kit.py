"""The shared test kit: unpacking the errors boto3 raises, and raw HTTP calls for what an SDK
hides or cannot send (`__type` namespaces, malformed bodies, wire headers). Clients come from
`Server.client` and the `ddb` / `cw` fixtures (tests/conftest.py)."""

from __future__ import annotations

import http.client
import json
from typing import Any, Optional

import pytest
from botocore.exceptions import ClientError

# A SigV4 Authorization header of the right shape (Dynoscale reads the access key and region
# from it and does not check signatures): AUTH.format(svc="dynamodb").
AUTH = ("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261128/us-east-1/{svc}/aws4_request, "
        "SignedHeaders=host;x-amz-date, Signature=0000")


def error_of(excinfo) -> tuple[str, str, int]:
    """(code, message, HTTP status) of a pytest.raises(ClientError) result."""
    response = excinfo.value.response
    return (response["Error"]["Code"], response["Error"]["Message"],
            response["ResponseMetadata"]["HTTPStatusCode"])


def raised(call, *args, **kwargs) -> dict[str, Any]:
    """The parsed error response of a boto3 call that must fail."""
    with pytest.raises(ClientError) as info:
        call(*args, **kwargs)
    return info.value.response


def error(call, *args, **kwargs) -> tuple[str, str, int]:
    """(code, message, HTTP status) of the ClientError `call(...)` raises."""
    response = raised(call, *args, **kwargs)
    return (response["Error"]["Code"], response["Error"]["Message"],
            response["ResponseMetadata"]["HTTPStatusCode"])


def post(server, body: bytes, headers: dict, path: str = "/",
         method: str = "POST") -> tuple[int, dict[str, str], bytes]:
    """One raw HTTP request; (status, lower-case headers, body). A request with an
    Authorization header gets the X-Amz-Date every SigV4 signer sends (matching AUTH's scope
    date) unless it names a date itself."""
    if any(k.lower() == "authorization" for k in headers) and not any(
            k.lower() in ("x-amz-date", "date") for k in headers):
        headers = {**headers, "X-Amz-Date": "20261128T000000Z"}
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers)
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


def json_call(server, target: str, doc: dict, svc: str,
              version: str = "1.0") -> tuple[int, dict[str, str], Optional[Any]]:
    """An awsJson call without an SDK (X-Amz-Target `target`); the body parsed, None if empty."""
    status, headers, data = post(server, json.dumps(doc).encode(), {
        "Content-Type": f"application/x-amz-json-{version}", "X-Amz-Target": target,
        "Authorization": AUTH.format(svc=svc)})
    return status, headers, json.loads(data) if data else None
