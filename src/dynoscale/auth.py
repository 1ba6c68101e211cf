"""`--auth verify` / `enforce`, wired: which access key means whom, and whether a call is allowed.

The composition root (app.py) builds one `Auth`. Its `authenticate` (server/authenticate.py)
knows three kinds of keys: the account root's (`--access-key-id` / `--secret-access-key`), IAM
users' (CreateAccessKey, through IAM's port) and STS sessions' (AssumeRole, through STS's port).
Its `authorize` asks each service which permissions a call needs (`Service.access`,
services/<package>/access.py) and IAM's port what the principal's policies decide, and raises
the service's AccessDenied with AWS's message. Root credentials may do everything (IAM User
Guide: the root user has complete access) that no resource-based policy explicitly denies.
"""

from __future__ import annotations

from typing import Any, Optional

from dynoscale.clock import Clock
from dynoscale.config import Config
from dynoscale.context import Caller, Principal, condition_context
from dynoscale.errors import AwsError
from dynoscale.protocol.declaration import ServiceDeclaration
from dynoscale.server.authenticate import Authenticator, KeyRecord
from dynoscale.services.iam.api import Decision

# Decision -> the policy type AccessDenied names ("with an explicit deny in <type>", "because no
# <type without its article> allows ...").
_POLICY_TYPE = {
    Decision.IMPLICIT_DENY: "an identity-based policy",
    Decision.EXPLICIT_DENY: "an identity-based policy",
    Decision.BOUNDARY_IMPLICIT_DENY: "a permissions boundary",
    Decision.BOUNDARY_EXPLICIT_DENY: "a permissions boundary",
    Decision.SESSION_IMPLICIT_DENY: "a session policy",
    Decision.SESSION_EXPLICIT_DENY: "a session policy",
    Decision.RESOURCE_IMPLICIT_DENY: "a resource-based policy",
    Decision.RESOURCE_EXPLICIT_DENY: "a resource-based policy",
}


def _pairs(tags) -> tuple[tuple[str, str], ...]:
    return tuple((t["Key"], t["Value"]) for t in tags)


# The admin endpoints' own "declaration", for the error codes of a refused signature.
ADMIN = ServiceDeclaration(name="dynoscale-admin", api_version="", signing_names=())


class Auth:
    """ports: package -> port, as app.py builds them (refreshed by `rebind` after a reset);
    services: model name -> Service (the app's own dict)."""

    def __init__(self, config: Config, clock: Clock, declarations: list[ServiceDeclaration],
                 services: dict[str, Any], ports: dict[str, Any]):
        self.config = config
        self.clock = clock
        self.declarations = {d.name: d for d in declarations}
        self.services = services
        self.ports = ports
        account = config.account_id
        self.root = Principal("root", account, f"arn:aws:iam::{account}:root", account)
        self.authenticate = Authenticator(self.lookup, clock.now, Clock.wall_now, self.used)
        self.authorize = self.check if config.auth == "enforce" else None

    def rebind(self, ports: dict[str, Any]) -> None:
        self.ports = ports

    def admin_refusal(self, req) -> Optional[str]:
        """Why a state-changing admin request (/_dynoscale/clock, /reset) is refused, or None
        when the account root signed it."""
        try:
            principal = self.authenticate(ADMIN, req)
        except AwsError as err:
            return f"{err.code}: {err.message}"
        if principal.kind != "root":
            return "only the account root's credentials may use the admin endpoints"
        return None

    # -- who ------------------------------------------------------------------------------------
    def lookup(self, key_id: str) -> Optional[KeyRecord]:
        if key_id == self.config.access_key_id:
            return KeyRecord(self.config.secret_access_key, self.root)
        if key_id.startswith("ASIA"):  # temporary credentials (IAM identifiers page)
            s = self.ports["sts"].session(key_id)
            if s is None or "SecretAccessKey" not in s:  # sessions of older versions kept none
                return None
            return self._session_record(s)
        k = self.ports["iam"].access_key(key_id)
        if k is None:
            return None
        principal = Principal("user", k["account"], k["Arn"], k["UserId"], k["UserName"],
                              tags=_pairs(k["Tags"]))
        return KeyRecord(k["secret"], principal, active=k["active"])

    def _session_record(self, s: dict[str, Any]) -> KeyRecord:
        """Temporary credentials: an assumed role's (AssumeRole), or a user's or the root's
        (GetSessionToken, `Kind`), which may not call IAM (Dynoscale has no MFA; STS API
        reference, GetSessionToken: "You cannot call any IAM API operations unless MFA
        authentication information is included in the request")."""
        kind = s.get("Kind", "assumed-role")
        refused: frozenset = frozenset()
        if kind == "assumed-role":
            principal = Principal("assumed-role", s["Account"], s["Arn"], s["UserId"],
                                  s.get("RoleName", ""), s.get("RoleSessionName", ""),
                                  session_policy=s.get("Policy"),
                                  session_policy_arns=tuple(s.get("PolicyArns", ())),
                                  tags=_pairs(s.get("Tags", ())))
        elif kind == "user":
            principal = Principal("user", s["Account"], s["Arn"], s["UserId"], s["UserName"],
                                  tags=_pairs(self.ports["iam"].user_tags(s["Account"],
                                                                          s["UserName"])))
            refused = frozenset({"iam"})
        else:
            principal = self.root
            refused = frozenset({"iam"})
        return KeyRecord(s["SecretAccessKey"], principal, session_token=s["SessionToken"],
                         expires=s["Expiration"], refused_services=refused)

    def used(self, key_id: str, service: str, region: str) -> None:
        """An accepted signature: an IAM user's long-term key records its last use."""
        if key_id != self.config.access_key_id and not key_id.startswith("ASIA"):
            self.ports["iam"].record_key_use(key_id, service, region)

    # -- what -----------------------------------------------------------------------------------
    def check(self, service: str, operation: str, caller: Caller, params: dict) -> None:
        principal = caller.principal
        if principal is None:
            return
        svc = self.services.get(service)
        if svc is None or svc.access is None:
            return
        root = principal.kind == "root"
        needs = svc.access(caller, operation, params)
        if root and not any(need.resource_policy for need in needs):
            return  # the root's identity allows everything; only a resource policy may deny it
        context = condition_context(principal, caller.region, self.clock.now())
        iam = self.ports["iam"]
        for need in needs:
            if root and not need.resource_policy:
                continue
            decision = iam.decide(principal, need.action, need.resource,
                                  {**context, **need.context} if need.context else context,
                                  need.resource_policy)
            if decision is not Decision.ALLOW:
                if need.refusal:
                    codes = self.declarations[service].auth_errors
                    raise AwsError(codes.access_denied, need.refusal, codes.status,
                                   namespace=self.declarations[service].auth_namespace)
                raise self._denied(self.declarations[service], principal, need.action,
                                   need.resource, decision)

    @staticmethod
    def _denied(declaration: ServiceDeclaration, principal: Principal, action: str,
                resource: str, decision: Decision) -> AwsError:
        # "User: arn:aws:iam::123456789012:user/alice is not authorized to perform:
        # dynamodb:PutItem on resource: arn:aws:dynamodb:...:table/T because no identity-based
        # policy allows the dynamodb:PutItem action" / "... with an explicit deny in an
        # identity-based policy" (IAM User Guide, "Troubleshooting access denied error
        # messages"); actions without resource-level permissions name no resource.
        on = f" on resource: {resource}" if resource != "*" else ""
        # The policy type that refused: "... with an explicit deny in a permissions boundary" /
        # "... because no resource-based policy allows the ... action" (same page, its examples).
        kind = _POLICY_TYPE[decision]
        why = (f"with an explicit deny in {kind}" if decision.explicit
               else f"because no {kind.split(' ', 1)[1]} allows the {action} action")
        codes = declaration.auth_errors
        return AwsError(codes.access_denied, f"User: {principal.arn} is not authorized to "
                        f"perform: {action}{on} {why}", codes.status,
                        namespace=declaration.auth_namespace)
