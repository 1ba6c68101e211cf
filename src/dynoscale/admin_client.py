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
    def __init__(self, endpoint: str, timeout: float = 120.0):
        self.endpoint = endpoint.rstrip("/")
        self.timeout = timeout

    def call(self, name: str, body: Optional[dict] = None) -> dict[str, Any]:
        """GET /_dynoscale/<name>, or POST with a JSON body when `body` is given."""
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(f"{self.endpoint}/_dynoscale/{name}", data=data,
                                     method="POST" if data is not None else "GET",
                                     headers={"Content-Type": "application/json"})
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
