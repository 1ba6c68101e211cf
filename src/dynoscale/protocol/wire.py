"""The wire request and response the codecs and the server exchange."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional


@dataclass
class WireRequest:
    method: str
    path: str
    headers: dict[str, str]          # lower-case names
    body: bytes
    form: Optional[dict[str, str]] = None  # decoded form fields for query requests
    query: str = ""                  # the raw URL query (presigned signatures are computed on it)
    raw_body: Optional[bytes] = None  # the body as received when decoding (gzip) changed it
    undecodable: bool = False        # the body is not what its Content-Encoding says
    decoded: Any = None              # the body as the codec decoded it (codec.check_body)


@dataclass
class WireResponse:
    status: int
    body: bytes
    headers: list[tuple[str, str]] = field(default_factory=list)
