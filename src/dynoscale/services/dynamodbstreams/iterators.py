"""Shard iterators: `<stream ARN>|1|<opaque>`, the form AWS returns (API_streams_GetRecords sample
request, AWS DynamoDB API Reference). The opaque part carries everything GetRecords needs (shard,
position as a sequence, whether trimmed records may be skipped, when it was issued), so iterators
survive a restart and cost no storage; an iterator lives 15 minutes on the clock
(API_streams_GetShardIterator: "A shard iterator expires 15 minutes after it is returned")."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Optional

import orjson

LIFETIME = 15 * 60.0
MAX_LENGTH = 2048  # model shape ShardIterator: max 2048


@dataclass(frozen=True)
class Position:
    stream_arn: str
    shard_id: str
    after: int            # records with a greater sequence come next
    skip_trimmed: bool    # TRIM_HORIZON: trimmed records are passed over, not an error
    issued: float


def encode(p: Position) -> str:
    payload = orjson.dumps([p.shard_id, p.after, int(p.skip_trimmed), p.issued])
    return f"{p.stream_arn}|1|{base64.b64encode(payload).decode()}"


def decode(token: str) -> Optional[Position]:
    """The position of one of our iterators; None when `token` is not one."""
    arn, sep, rest = token.partition("|1|")
    if not sep or not arn:
        return None
    try:
        raw = base64.b64decode(rest, validate=True)
        shard_id, after, skip, issued = orjson.loads(raw)
    except (binascii.Error, ValueError, TypeError, orjson.JSONDecodeError):
        return None
    if base64.b64encode(raw).decode() != rest:  # only the exact token we issued (no extra '=')
        return None
    if not (isinstance(shard_id, str) and isinstance(after, int) and after >= 0
            and isinstance(issued, (int, float))):
        return None
    return Position(arn, shard_id, after, bool(skip), float(issued))
