"""NextToken / MaxResults for the Describe* operations (spec 1.12).

Tokens are opaque to clients: base64 of the position of the next result. A token that does not
decode is InvalidNextTokenException (declared error, spec 1.5.4). MaxResults outside 1..limit is
a ValidationException (model docs: "This value can be between 1 and N").
"""

from __future__ import annotations

import base64
import binascii
from typing import Any, Optional, Sequence

from dynoscale.services.autoscaling import errors

_PREFIX = "dynoscale-aas:"


def page(items: Sequence[Any], max_results: Optional[int], next_token: Optional[str],
         limit: int) -> tuple[list[Any], Optional[str]]:
    if max_results is None:
        max_results = limit
    if not 1 <= max_results <= limit:
        raise errors.max_results_out_of_range(limit)
    start = _decode(next_token) if next_token else 0
    chunk = list(items[start:start + max_results])
    end = start + len(chunk)
    return chunk, (_encode(end) if end < len(items) else None)


def _encode(position: int) -> str:
    return base64.urlsafe_b64encode(f"{_PREFIX}{position}".encode()).decode()


def _decode(token: str) -> int:
    try:
        text = base64.urlsafe_b64decode(token.encode()).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise errors.invalid_next_token() from None
    if not text.startswith(_PREFIX) or not text[len(_PREFIX):].isdigit():
        raise errors.invalid_next_token()
    return int(text[len(_PREFIX):])
