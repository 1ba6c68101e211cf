"""Marker/MaxItems paging shared by IAM's List* operations.

AWS: MaxItems 1..1000 (model-validated), default 100; the response always carries IsTruncated and,
when truncated, a Marker to pass back (botocore model docs for `markerType`/`maxItemsType`). The
marker is opaque; ours encodes the offset into the (stably ordered) full list.
"""

from __future__ import annotations

import base64
from typing import Any, Optional

DEFAULT_MAX_ITEMS = 100


def _decode(marker: Optional[str]) -> int:
    if not marker:
        return 0
    try:
        return max(0, int(base64.urlsafe_b64decode(marker.encode()).decode()))
    except ValueError:
        return 0


def page(member: str, items: list[Any], request: dict[str, Any]) -> dict[str, Any]:
    start = _decode(request.get("Marker"))
    limit = request.get("MaxItems") or DEFAULT_MAX_ITEMS
    chunk = items[start:start + limit]
    out: dict[str, Any] = {member: chunk, "IsTruncated": start + limit < len(items)}
    if out["IsTruncated"]:
        out["Marker"] = base64.urlsafe_b64encode(str(start + limit).encode()).decode()
    return out
