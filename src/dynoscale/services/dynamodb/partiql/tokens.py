"""ExecuteStatement's NextToken: where a paged SELECT stopped, bound to the statement.

AWS's token is opaque and bound to the issuing account, statement text and parameters: replayed
with another statement, other parameters or another index it is refused, while another Limit is
fine (dynamodb-conformance indexQualifier.test.ts, and a characterisation on AWS quoted by an
emulator's tests); the refusal texts are AWS's translator's ([DDBL] ValidationExceptionMessages:
`Invalid NextToken`, `NextToken does not match request`, `Given NextToken is invalid for this
account`). Ours is base64 of a small JSON document: a digest of the account, one of the
statement and parameters, and the last evaluated key (DynamoDB JSON, binary as base64).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from typing import Optional

import orjson

from dynoscale.services.dynamodb import errors
from dynoscale.services.dynamodb import values as av
from dynoscale.services.dynamodb.partiql import messages as m


def _digest(*parts: bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(len(part).to_bytes(4, "big"))
        h.update(part)
    return h.hexdigest()[:32]


def fingerprint(statement: str, params: list) -> str:
    return _digest(statement.encode("utf-8"),
                   orjson.dumps([av.to_json(p) for p in params], option=orjson.OPT_SORT_KEYS))


def encode(scope: str, statement_fingerprint: str, last_key: dict) -> str:
    doc = {"a": _digest(scope.encode()), "s": statement_fingerprint,
           "k": av.item_to_json(last_key)}
    return base64.b64encode(orjson.dumps(doc)).decode()


def decode(token: Optional[str], scope: str, statement_fingerprint: str) -> Optional[dict]:
    """The key to start after, or None without a token."""
    if token is None:
        return None
    try:
        doc = orjson.loads(base64.b64decode(token, validate=True))
        key = av.item_from_json(doc["k"])
        account, statement = doc["a"], doc["s"]
    except (binascii.Error, ValueError, KeyError, TypeError, AttributeError):
        raise errors.validation(m.INVALID_NEXT_TOKEN)
    if account != _digest(scope.encode()):
        raise errors.validation(m.NEXT_TOKEN_ACCOUNT)
    if statement != statement_fingerprint:
        raise errors.validation(m.NEXT_TOKEN_MISMATCH)
    if not isinstance(key, dict) or not key:
        raise errors.validation(m.INVALID_NEXT_TOKEN)
    return key
