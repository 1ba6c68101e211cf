"""What the server needs to know of a service: its botocore name and its operations."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from dynoscale.context import Caller

Handler = Callable[[Caller, dict[str, Any]], dict[str, Any]]


@dataclass
class Service:
    """name: botocore service name (`dynamodb`, `cloudwatch`, `application-autoscaling`, `iam`,
    `sts`); operations: AWS operation name -> handler(caller, request) -> output dict."""
    name: str
    operations: dict[str, Handler] = field(default_factory=dict)


def bind(operations: dict[str, Callable[..., dict[str, Any]]], svc: Any) -> dict[str, Handler]:
    """Turn an OPERATIONS table of `handle(svc, caller, request)` functions into handlers."""
    return {name: (lambda caller, req, _fn=fn: _fn(svc, caller, req)) for name, fn in operations.items()}
