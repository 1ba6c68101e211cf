"""SigV4: read the access key, region and service from the credential scope.

`--auth none` accepts any credentials, but a request must still be signed (header or presigned
query), as on AWS. Signature verification comes with `--auth verify` (later).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Optional


@dataclass(frozen=True)
class Credential:
    access_key: str
    date: str
    region: str
    service: str


_STANDARD = "AWS4-HMAC-SHA256 Credential="


def parse(headers: dict[str, str], form: Optional[dict[str, str]] = None) -> Optional[Credential]:
    """The credential scope of a signed request, or None when the request is not signed."""
    auth = headers.get("authorization", "")
    scope = None
    if auth.startswith(_STANDARD):  # what every SDK sends: Credential is the first part
        end = auth.find(",", len(_STANDARD))
        scope = auth[len(_STANDARD):end if end >= 0 else len(auth)].strip()
        return _credential(scope)
    if auth.startswith("AWS4-"):
        for part in auth.split(" ", 1)[-1].split(","):
            key, _, value = part.strip().partition("=")
            if key == "Credential":
                scope = value
                break
        if scope is None:
            return Credential("", "", "", "")  # signed but malformed: treat as anonymous scope
    elif form and "X-Amz-Credential" in form:
        scope = form["X-Amz-Credential"]
    if scope is None:
        return None
    return _credential(scope)


@lru_cache(maxsize=1024)  # few distinct scopes (one per key, day, region and service)
def _credential(scope: str) -> Credential:
    parts = scope.split("/")
    if len(parts) < 5:
        return Credential(parts[0], "", "", "")
    return Credential(parts[0], parts[1], parts[2], parts[3])
