"""Opaque NextToken values: base64 of a position, rejected with InvalidNextToken if garbled."""

from __future__ import annotations

import base64
import binascii

from dynoscale.services.cloudwatch import errors


def encode(position: str) -> str:
    return base64.urlsafe_b64encode(("v1:" + position).encode()).decode()


def decode(token: str) -> str:
    try:
        text = base64.urlsafe_b64decode(token.encode()).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise errors.invalid_next_token() from None
    if not text.startswith("v1:"):
        raise errors.invalid_next_token()
    return text[3:]


def decode_offset(token: str) -> int:
    position = decode(token)
    if not position.isdigit():
        raise errors.invalid_next_token()
    return int(position)
