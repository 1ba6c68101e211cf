"""A client of a running server's admin endpoints (/_dynoscale/*, server/admin.py), for the Python
API (testing/server.py) and the command-line tools (tools.py). Standard library only."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any, Optional


class AdminError(Exception):
    """The server refused an admin request (its `error` text), or could not be reached."""


class AdminClient:
    def __init__(self, endpoint: str, timeout: float = 120.0,
                 credentials: Optional[tuple[str, str]] = None):
        """`credentials` (access key id, secret): POSTs are SigV4-signed with them, as a server
        under --auth verify/enforce requires of state-changing admin calls (its root's keys)."""
        self.endpoint = endpoint.rstrip("/")
        self.timeout = timeout
        self.credentials = credentials

    def call(self, name: str, body: Optional[dict] = None) -> dict[str, Any]:
        """GET /_dynoscale/<name>, or POST with a JSON body when `body` is given."""
        data = json.dumps(body).encode() if body is not None else None
        url = f"{self.endpoint}/_dynoscale/{name}"
        headers = {"Content-Type": "application/json"}
        if data is not None and self.credentials is not None:
            headers = _signed(url, data, headers, self.credentials)
        req = urllib.request.Request(url, data=data, method="POST" if data is not None else "GET",
                                     headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as r:
                return json.loads(r.read() or b"{}")
        except urllib.error.HTTPError as e:
            try:
                message = json.loads(e.read() or b"{}").get("error") or e.reason
            except ValueError:
                message = e.reason
            raise AdminError(f"{self.endpoint}: {message}") from None
        except (urllib.error.URLError, OSError) as e:
            reason = getattr(e, "reason", e)
            raise AdminError(f"no Dynoscale server answers at {self.endpoint} ({reason})") from None

    def health(self) -> dict[str, Any]:
        return self.call("health")

    def clock(self) -> dict[str, Any]:
        return self.call("clock")

    def advance(self, seconds: float) -> dict[str, Any]:
        return self.call("clock", {"advance_seconds": seconds})

    def reset(self) -> dict[str, Any]:
        return self.call("reset", {})


def _signed(url: str, data: bytes, headers: dict, credentials: tuple[str, str]) -> dict:
    """The headers of a SigV4-signed POST (botocore's signer; any service name in the scope)."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    request = AWSRequest(method="POST", url=url, data=data, headers=headers)
    SigV4Auth(Credentials(*credentials), "dynoscale", "us-east-1").add_auth(request)
    return dict(request.headers)
