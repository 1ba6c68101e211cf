"""Which service, protocol and operation a request is for (DESIGN.md §1).

Clues, in order: the CBOR path `/service/<Shape>/operation/<Op>` with `smithy-protocol:
rpc-v2-cbor`; `X-Amz-Target: <prefix>.<Op>`; a form body's `Action` and `Version` (query
protocol), falling back to the SigV4 credential scope's service.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from dynoscale.protocol import models

TARGET_PREFIXES = {
    "DynamoDB_20120810": "dynamodb",
    "AnyScaleFrontendService": "application-autoscaling",
    "GraniteServiceVersion20100801": "cloudwatch",
}
CBOR_SERVICES = {"GraniteServiceVersion20100801": "cloudwatch"}
QUERY_VERSIONS = {"2010-08-01": "cloudwatch", "2010-05-08": "iam", "2011-06-15": "sts"}
# SigV4 signing names -> our service names
SIGNING_NAMES = {"dynamodb": "dynamodb", "monitoring": "cloudwatch", "iam": "iam", "sts": "sts",
                 "application-autoscaling": "application-autoscaling"}


@dataclass(frozen=True)
class Route:
    service: str
    protocol: str          # json | cbor | query
    operation: Optional[str]


def route(method: str, path: str, headers: dict[str, str], form: Optional[dict[str, str]],
          signing_service: Optional[str]) -> Optional[Route]:
    if headers.get("smithy-protocol") == "rpc-v2-cbor":
        parts = path.strip("/").split("/")
        if len(parts) == 4 and parts[0] == "service" and parts[2] == "operation":
            service = CBOR_SERVICES.get(parts[1])
            if service:
                return Route(service, "cbor", parts[3])
        return None
    target = headers.get("x-amz-target")
    if target:
        return _target_route(target, signing_service)
    if form is not None:
        service = QUERY_VERSIONS.get(form.get("Version", "")) or SIGNING_NAMES.get(signing_service or "")
        if service in ("cloudwatch", "iam", "sts"):
            return Route(service, "query", form.get("Action"))
    return None


@lru_cache(maxsize=4096)  # few distinct targets; a Route is immutable, so reuse it
def _target_route(target: str, signing_service: Optional[str]) -> Route:
    prefix, _, op = target.partition(".")
    service = TARGET_PREFIXES.get(prefix)
    if service is None:
        return Route(SIGNING_NAMES.get(signing_service or "", "dynamodb"), "json", None)
    return Route(service, "json", op or None)


def json_version(service: str) -> str:
    return models.service_model(service).metadata.get("jsonVersion", "1.0")
