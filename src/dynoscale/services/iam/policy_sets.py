"""The policies that decide a principal's request, by type, and how the types combine (IAM User
Guide, "Policy evaluation logic" and its "Determining whether a request is allowed or denied
within an account"):

- identity-based: a user's inline and attached policies and those of each group it belongs to;
  an assumed role's inline and attached policies (GetSessionToken credentials act as their user);
- the permissions boundary of the user or role, when it has one;
- session policies (AssumeRole's Policy and PolicyArns), when the session was given any.

An explicit Deny in any type denies. Otherwise the identity policies must allow, and each of the
boundary and the session policies, when present, must allow too: the effective permissions are
their intersection ("Permissions boundaries for IAM entities", "Session policies"). The decision
names the type that refused, for AccessDenied's text (api.Decision). Resource-based policies
are combined by decisions.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from dynoscale.errors import AwsError
from dynoscale.services.iam import evaluate
from dynoscale.services.iam.api import Decision


@dataclass(frozen=True)
class PolicySet:
    """Parsed documents by type; None: the principal has no policy of that type (no filter)."""
    identity: list[dict]
    boundary: Optional[list[dict]] = None
    session: Optional[list[dict]] = None


class PolicySets:
    """The policy set of an authenticated principal (context.Principal), read from the stored
    users, groups, roles and managed policies, customer-managed or AWS-managed (the catalogue of
    aws_policies.py; an attached `arn:aws:iam::aws:policy/...` it does not know adds nothing)."""

    def __init__(self, roles, users, groups, policies):
        self.roles = roles
        self.users = users
        self.groups = groups
        self.policies = policies

    def of(self, principal) -> PolicySet:
        account = principal.account_id
        if principal.kind == "user":
            owner = self.users.get(account, principal.name)
        elif principal.kind == "assumed-role":
            owner = self.roles.get(account, principal.name)
        else:
            owner = None
        if owner is None:
            return PolicySet([], None, self._session(principal))
        identity = self._documents(account, owner)
        for name in owner.get("groups", ()):
            group = self.groups.get(account, name)
            if group is not None:
                identity += self._documents(account, group)
        boundary = None
        if "PermissionsBoundary" in owner:
            arn = owner["PermissionsBoundary"]["PermissionsBoundaryArn"]
            found = self._managed(account, arn)
            boundary = [found] if found is not None else []  # a boundary that is gone allows nothing
        return PolicySet(identity, boundary, self._session(principal))

    def _documents(self, account: str, owner: dict[str, Any]) -> list[dict]:
        docs = [evaluate.parse(p["PolicyDocument"]) for p in owner["inline"].values()]
        for arn in owner["attached"]:
            found = self._managed(account, arn)
            if found is not None:
                docs.append(found)
        return docs

    def _managed(self, account: str, arn: str) -> Optional[dict]:
        """The default version of a managed policy, parsed; None if there is none."""
        try:
            policy = self.policies.find_any(account, arn)
        except AwsError:  # a stored ARN that does not parse grants nothing
            return None
        if policy is None:
            return None
        default = next((v for v in policy["versions"] if v["IsDefaultVersion"]), None)
        return evaluate.parse(default["Document"]) if default is not None else None

    def _session(self, principal) -> Optional[list[dict]]:
        if principal.session_policy is None and not principal.session_policy_arns:
            return None
        docs = [evaluate.parse(principal.session_policy)] if principal.session_policy else []
        for arn in principal.session_policy_arns:
            found = self._managed(principal.account_id, arn)
            if found is not None:
                docs.append(found)
        return docs


def decide(policies: PolicySet, action: str, resource: str, context) -> Decision:
    identity = evaluate.evaluate(policies.identity, action, resource, context)
    if identity is Decision.EXPLICIT_DENY:
        return identity
    boundary = session = Decision.ALLOW
    if policies.boundary is not None:
        boundary = evaluate.evaluate(policies.boundary, action, resource, context)
        if boundary is Decision.EXPLICIT_DENY:
            return Decision.BOUNDARY_EXPLICIT_DENY
    if policies.session is not None:
        session = evaluate.evaluate(policies.session, action, resource, context)
        if session is Decision.EXPLICIT_DENY:
            return Decision.SESSION_EXPLICIT_DENY
    if identity is not Decision.ALLOW:
        return identity
    if boundary is not Decision.ALLOW:
        return Decision.BOUNDARY_IMPLICIT_DENY
    if session is not Decision.ALLOW:
        return Decision.SESSION_IMPLICIT_DENY
    return Decision.ALLOW


def narrowed(policies: PolicySet, action: str, resource: str, context) -> bool:
    """A permissions boundary or session policy that does not allow the action: it limits a
    resource-based policy's grant to an assumed role's role ARN (IAM User Guide, "Policy
    evaluation logic", the resource-based policies and permissions boundaries sections)."""
    return any(docs is not None and
               evaluate.evaluate(docs, action, resource, context) is not Decision.ALLOW
               for docs in (policies.boundary, policies.session))
