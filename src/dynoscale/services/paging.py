"""Paging for every service's list and describe operations: one opaque token format and one way
to cut a page.

A token (CloudWatch and Application Auto Scaling `NextToken`, IAM `Marker`) is opaque to clients
(botocore models: "The token for the next set of items to return"): here base64 of `v1:` and the
position of the next result, an offset into a stably ordered list or, for DescribeAlarms, the
last alarm name returned. Each service decides what a token it did not issue means: `invalid`
builds the error to raise (CloudWatch, Application Auto Scaling), or is None to start from the
first item (IAM, as Dynoscale always has; what AWS IAM answers is not recorded).
"""

from __future__ import annotations

import base64
from typing import Any, Callable, Optional, Sequence
_VERSION = "v1:"


def encode(position: str) -> str:
    return base64.urlsafe_b64encode((_VERSION + position).encode()).decode()


Invalid = Optional[Callable[[], Exception]]


def decode(token: str, invalid: Callable[[], Exception]) -> str:
    """The position in a token this module issued; `invalid()` is raised for anything else."""
    try:
        text = base64.urlsafe_b64decode(token.encode()).decode()
    except ValueError:  # binascii.Error and UnicodeDecodeError are ValueErrors
        raise invalid() from None
    if not text.startswith(_VERSION):
        raise invalid()
    return text[len(_VERSION):]


def decode_offset(token: Optional[str], invalid: Invalid) -> int:
    """The offset a token points at; 0 without a token."""
    if not token:
        return 0
    try:
        position = decode(token, _NotOurs)
        if not position.isdigit():
            raise _NotOurs()
    except _NotOurs:
        if invalid is None:
            return 0
        raise invalid() from None
    return int(position)


def page(items: Sequence[Any], token: Optional[str], size: int,
         invalid: Invalid) -> tuple[list[Any], Optional[str]]:
    """Up to `size` items from where `token` points, and the token of the rest (None: no more)."""
    start = decode_offset(token, invalid)
    chunk = list(items[start:start + size])
    end = start + len(chunk)
    return chunk, (encode(str(end)) if end < len(items) else None)


class _NotOurs(Exception):
    """A token this module did not issue (turned into the service's answer by the caller)."""
