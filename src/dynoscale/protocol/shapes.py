"""Output walking shared by the codecs that need typed output (query XML and CBOR)."""

from __future__ import annotations

from typing import Any, Callable

from botocore.model import Shape


def transform(shape: Shape, value: Any, scalar: Callable[[Shape, Any], Any]) -> Any:
    """Copy `value` following `shape`, passing every scalar through `scalar(shape, value)`."""
    t = shape.type_name
    if t == "structure":
        members = shape.members
        return {k: transform(members[k], v, scalar) for k, v in value.items()
                if k in members and v is not None}
    if t == "list":
        return [transform(shape.member, v, scalar) for v in value]
    if t == "map":
        return {k: transform(shape.value, v, scalar) for k, v in value.items()}
    return scalar(shape, value)
