"""Marker/MaxItems paging of IAM's List* operations, on the shared paging.

AWS: MaxItems 1..1000 (model-validated), default 100; the response always carries IsTruncated and,
when truncated, a Marker to pass back (botocore model docs for `markerType`/`maxItemsType`). A
marker Dynoscale did not issue starts from the first item.
"""

from __future__ import annotations

from typing import Any

from dynoscale.services import paging

DEFAULT_MAX_ITEMS = 100


def page(member: str, items: list[Any], request: dict[str, Any]) -> dict[str, Any]:
    chunk, marker = paging.page(items, request.get("Marker"),
                                request.get("MaxItems") or DEFAULT_MAX_ITEMS, invalid=None)
    out: dict[str, Any] = {member: chunk, "IsTruncated": marker is not None}
    if marker is not None:
        out["Marker"] = marker
    return out
