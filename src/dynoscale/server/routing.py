"""Which service, protocol and operation a request is for, read from the services' declarations
(protocol/declaration.py; docs/architecture.md, "The request path").

Clues, in order: the CBOR path `/service/<Shape>/operation/<Op>` with `smithy-protocol:
rpc-v2-cbor`; `X-Amz-Target: <prefix>.<Op>`; a form body's `Action` and `Version` (query
protocol), falling back to the SigV4 credential scope's service.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence

from dynoscale.protocol.declaration import ServiceDeclaration


@dataclass(frozen=True)
class Route:
    service: ServiceDeclaration
    protocol: str          # json | cbor | query
    operation: Optional[str]


class Router:
    def __init__(self, declarations: Sequence[ServiceDeclaration]):
        self.declarations = tuple(declarations)
        self.by_target = {d.json_target: d for d in declarations if d.json_target}
        self.by_cbor = {d.cbor_service: d for d in declarations if d.cbor_service}
        self.by_version = {d.query_version: d for d in declarations if d.query_version}
        # Several services may share a signing name (DynamoDB Streams signs as `dynamodb`): the
        # catch-all service keeps it, else the first declared.
        self.by_signing: dict[str, ServiceDeclaration] = {}
        for d in sorted(declarations, key=lambda d: not d.answers_unrouted):
            for name in d.signing_names:
                self.by_signing.setdefault(name, d)
        # Requests nobody recognises are answered as this service answers them.
        self.catch_all = next((d for d in declarations if d.answers_unrouted), None)
        # A form without a known Version or signing name goes to the first query service.
        self.first_query = next((d for d in declarations if d.query_version), None)
        self._targets: dict[tuple[str, Optional[str]], Route] = {}

    def signer(self, signing_name: Optional[str]) -> Optional[ServiceDeclaration]:
        """The service a SigV4 credential scope names, else the catch-all service."""
        return self.by_signing.get(signing_name or "", self.catch_all)

    def route(self, method: str, path: str, headers: dict[str, str], form: Optional[dict[str, str]],
              signing_name: Optional[str]) -> Optional[Route]:
        if headers.get("smithy-protocol") == "rpc-v2-cbor":
            parts = path.strip("/").split("/")
            if len(parts) == 4 and parts[0] == "service" and parts[2] == "operation":
                service = self.by_cbor.get(parts[1])
                if service:
                    return Route(service, "cbor", parts[3])
            return None
        target = headers.get("x-amz-target")
        if target:
            key = (target, signing_name)
            found = self._targets.get(key)
            if found is None:
                found = self._target_route(target, signing_name)
                if len(self._targets) < 4096:  # few distinct targets; a Route is immutable
                    self._targets[key] = found
            return found
        if form is not None:
            service = (self.by_version.get(form.get("Version", ""))
                       or self.by_signing.get(signing_name or ""))
            if service is not None and service.query_version:
                return Route(service, "query", form.get("Action"))
        return None

    def _target_route(self, target: str, signing_name: Optional[str]) -> Optional[Route]:
        prefix, _, op = target.partition(".")
        service = self.by_target.get(prefix)
        if service is not None:
            return Route(service, "json", op or None)
        # An unknown target: UnknownOperationException from the signer's JSON service.
        signer = self.signer(signing_name)
        if signer is None or not signer.json_target:
            signer = self.catch_all
        return Route(signer, "json", None) if signer is not None else None
