"""Content codings on the wire: request bodies sent with `Content-Encoding`, and responses
compressed for clients that send `Accept-Encoding`.

The rules are those recorded against DynamoDB's front end by scylladb's Alternator tests
(test/alternator/test_compressed_request.py and test_compressed_response.py, run against AWS);
every service on the endpoint gets the same request decoding (inferred for the others: AWS's SDKs
compress requests the same way for every service, e.g. CloudWatch PutMetricData's
`requestcompression` trait). Whether and from what size a service compresses its answers is in
its declaration (`compress_min`).
"""

from __future__ import annotations

import zlib
from functools import lru_cache
from typing import Optional

_GZIP_MAGIC = b"\x1f\x8b"
SUPPORTED = ("gzip", "deflate")  # in the order `*` prefers them (recorded: `*` gives gzip)


class UndecodableBody(Exception):
    """The body is not what its Content-Encoding says, the coding is unknown, or it decodes to
    more than the request limit. DynamoDB answers an unknown coding, a body that is not gzip or
    not deflate, a truncated stream and an empty body with HTTP 500 (recorded). It did not limit
    the decoded size until 2026, when it began refusing decoded bodies over its request limit
    (scylladb pull request 28820: Alternator's test_gzip_request_oversized "now passes on AWS",
    with an error code other than Alternator's 413). Inferred: that answer is the same 500 as for
    every other body the front end cannot decode (before the fix a 10 GB body got 500 too)."""


def decode(content_encoding: str, body: bytes, limit: int) -> bytes:
    """The body with the codings of a Content-Encoding header undone (listed in the order they
    were applied, so undone last to first; `identity` is no coding); at most `limit` bytes."""
    for coding in reversed(content_encoding.split(",")):
        coding = coding.strip().lower()
        if coding == "gzip":
            body = _gunzip(body, limit)
        elif coding == "deflate":
            body = _inflate(body, limit, 15)
        elif coding not in ("", "identity"):
            raise UndecodableBody(f"unknown content coding {coding!r}")
    return body


def _inflate(data: bytes, limit: int, wbits: int) -> bytes:
    """One compressed stream (zlib: wbits 15; gzip member: 31); what follows it is left out.
    `max_length` keeps a compression bomb from allocating past the limit."""
    d = zlib.decompressobj(wbits)
    try:
        out = d.decompress(data, limit + 1)
    except zlib.error as exc:
        raise UndecodableBody(str(exc)) from None
    if len(out) > limit:
        raise UndecodableBody("decoded body over the limit")
    if not d.eof:  # truncated, or empty
        raise UndecodableBody("incomplete compressed stream")
    return out


def _gunzip(data: bytes, limit: int) -> bytes:
    """Every gzip member of the body, concatenated (RFC 1952 allows several, and DynamoDB
    accepts them). Bytes after a member that do not start another one are ignored, as DynamoDB
    ignores them (Alternator's test_gzip_request_with_extra_junk, marked a DynamoDB bug)."""
    parts = []
    while True:
        d = zlib.decompressobj(31)
        try:
            out = d.decompress(data, limit + 1)
        except zlib.error as exc:
            raise UndecodableBody(str(exc)) from None
        if len(out) > limit:
            raise UndecodableBody("decoded body over the limit")
        if not d.eof:
            raise UndecodableBody("incomplete gzip member")
        parts.append(out)
        limit -= len(out)
        data = d.unused_data
        if not data.startswith(_GZIP_MAGIC):
            break
    return parts[0] if len(parts) == 1 else b"".join(parts)


@lru_cache(maxsize=256)  # clients send few distinct Accept-Encoding values
def negotiate(accept: str) -> Optional[str]:
    """The coding to answer with for an Accept-Encoding header (None: identity).

    DynamoDB's rules as recorded (Alternator's test_accept_encoding_header): only gzip and
    deflate; names case-insensitive, empty and unknown entries ignored; a coding's quality is the
    number after the first `q=` in its parameters (`gzip;nq=0` reads 0, `gzip;q =0;q=1` reads 1),
    clamped to 0..1, 1 when absent or not a number; a coding listed twice takes its highest
    quality; `*` gives its quality to the supported codings not listed; the highest quality wins,
    ties going to the coding listed first and then to the ones `*` covers (gzip before
    deflate); quality 0 is refused; `identity` is ignored."""
    explicit: dict[str, float] = {}
    star: Optional[float] = None
    for entry in accept.split(","):
        coding, sep, params = entry.partition(";")
        coding = coding.strip().lower()
        if coding == "*":
            q = _quality(params) if sep else 1.0
            star = q if star is None else max(star, q)
        elif coding in SUPPORTED:
            q = _quality(params) if sep else 1.0
            explicit[coding] = max(explicit.get(coding, 0.0), q)
    candidates = list(explicit.items())
    if star:
        candidates.extend((c, star) for c in SUPPORTED if c not in explicit)
    best, best_q = None, 0.0
    for coding, q in candidates:
        if q > best_q:
            best, best_q = coding, q
    return best


def _quality(params: str) -> float:
    at = params.find("q=")
    if at < 0:
        return 1.0
    value = params[at + 2:].split(";", 1)[0]
    try:
        q = float(value)
    except ValueError:
        return 1.0
    if q != q:  # NaN
        return 1.0
    return min(max(q, 0.0), 1.0)


def compress(coding: str, body: bytes) -> bytes:
    """`body` in `coding` (gzip or deflate, zlib level 6: AWS's level is not recorded)."""
    if coding == "gzip":
        c = zlib.compressobj(6, zlib.DEFLATED, 31)
        return c.compress(body) + c.flush()
    return zlib.compress(body, 6)
