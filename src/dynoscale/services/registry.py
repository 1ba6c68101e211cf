"""What the composition root (app.py) needs of a service package: `service.build(parts)` returns
a component whose `.service` is the `Service` below, optionally with `.api` (the port other
services may use) and `start()`; `wire.WIRE` declares the service's wire identity
(protocol/declaration.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from dynoscale.clock import Clock, Scheduler
from dynoscale.config import Config
from dynoscale.context import Caller
from dynoscale.storage.interface import Store
from dynoscale.timing import FAST, TimingProfile

Handler = Callable[[Caller, dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class Access:
    """One permission a call needs under `--auth enforce`: the IAM `action` on the `resource`
    ARN ("*" for actions without resource-level permissions). `resource_policy`: a resource-based
    policy document (JSON text) that may grant it as well (a role's trust policy for
    sts:AssumeRole). `context`: condition keys this permission adds (lower-case names).
    `refusal`: the message of the AccessDenied when it is refused, where the service words it
    itself (DynamoDB's self-lockout check of a new resource policy)."""
    action: str
    resource: str
    resource_policy: Optional[str] = None
    context: Optional[dict[str, Any]] = None
    refusal: Optional[str] = None


# (caller, operation, validated request) -> the permissions the call needs, in AWS's order
AccessMap = Callable[[Caller, str, dict[str, Any]], list[Access]]


@dataclass
class Service:
    """name: the botocore model name of the service's declaration (wire.WIRE.name);
    operations: AWS operation name -> handler(caller, request) -> output dict;
    access: the IAM permissions each call needs (services/<package>/access.py)."""
    name: str
    operations: dict[str, Handler] = field(default_factory=dict)
    access: Optional[AccessMap] = None


@dataclass
class Parts:
    """What a service is built from: the shared store, clock, scheduler, configuration and
    timing profile (timing.py), and the ports of the services built before it, by package name
    (`ports["cloudwatch"]`)."""
    store: Store
    clock: Clock
    scheduler: Scheduler
    config: Config
    ports: dict[str, Any] = field(default_factory=dict)
    timing: TimingProfile = FAST


def bind(operations: dict[str, Callable[..., dict[str, Any]]], svc: Any) -> dict[str, Handler]:
    """Turn an OPERATIONS table of `handle(svc, caller, request)` functions into handlers."""
    return {name: (lambda caller, req, _fn=fn: _fn(svc, caller, req)) for name, fn in operations.items()}
