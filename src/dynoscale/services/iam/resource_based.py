"""How a resource-based policy (a DynamoDB table's or stream's, a role's trust policy) combines
with the caller's identity-based decision: pure functions over parsed documents.

The IAM User Guide's rules ("Policy evaluation logic", "Identity-based policies and resource-based
policies", "Cross-account policy evaluation logic"):
- An explicit Deny in either policy type denies, whatever else allows.
- Within one account, either type may allow: an identity policy's Allow suffices, and so does a
  resource policy's Allow that names the caller itself (the user's ARN, the assumed role's ARN or
  its session's ARN; the role's ARN only while no permissions boundary or session policy limits
  the caller). A resource policy that names only the account (`<id>` /
  `arn:aws:iam::<id>:root`) delegates to the account's identity policies and grants nothing by
  itself.
- Across accounts both must allow: the caller's identity policy and the resource's policy, in
  which naming the caller's account is enough.
- The account root's identity is never limited ("the root user has complete access"), but a
  resource policy's explicit Deny applies to it too.

A refusal's Decision says which policy type AWS's message names ("Troubleshoot access denied error
messages": "... with an explicit deny in a resource-based policy", "... because no resource-based
policy allows the <action> action"): within one account an implicit denial is the identity
side's; across accounts it is the side that did not allow, the identity side first [inferred: AWS
names only one type and does not document which when both are missing].

Kept apart from evaluate.py (one statement's matching) and decisions.py (which documents apply).
"""

from __future__ import annotations

from typing import Any, Mapping, Optional, Sequence

from dynoscale.services.iam import evaluate
from dynoscale.services.iam.api import Decision


def account_of(resource: str) -> Optional[str]:
    """The account an ARN names (its fifth field), None for `*` or an ARN without one."""
    parts = resource.split(":", 5)
    return parts[4] or None if len(parts) == 6 else None


def combine(identity: Decision, resource_policy: Optional[dict], action: str, resource: str,
            context: Mapping[str, Any], caller_account: str,
            direct: Mapping[str, Sequence[str]], with_account: Mapping[str, Sequence[str]],
            exact: Optional[Mapping[str, Sequence[str]]] = None) -> Decision:
    """The decision of `identity` (the caller's identity-side decision, passed on when it
    decides) with `resource_policy` (parsed; None when the resource has none). `direct`: the
    caller as Principal values naming the caller itself (an assumed role: its session's and its
    role's ARN); `with_account`: the same plus the caller's account; `exact`: only the caller's
    own ARN (the user's, the session's; default `direct`).

    When the identity side's implicit denial is not the plain one (a permissions boundary or a
    session policy that does not allow what the identity policies do), a grant to the role's ARN
    no longer suffices, only one to the user or the session itself (IAM User Guide, "Policy
    evaluation logic": resource-based policies granting a role ARN are limited by an implicit
    deny in a permissions boundary or session policy, those granting the session ARN are not)."""
    owner = account_of(resource)
    cross = owner is not None and owner != caller_account
    if identity.explicit:
        return identity
    if resource_policy is None:
        if cross and identity is Decision.ALLOW:
            return Decision.RESOURCE_IMPLICIT_DENY
        return identity
    docs = [resource_policy]
    broad = evaluate.evaluate(docs, action, resource, context, with_account)
    if broad is Decision.EXPLICIT_DENY:
        return Decision.RESOURCE_EXPLICIT_DENY
    if cross:
        if identity is not Decision.ALLOW:
            return identity
        return Decision.ALLOW if broad is Decision.ALLOW else Decision.RESOURCE_IMPLICIT_DENY
    if identity is Decision.ALLOW:
        return identity
    named = direct if identity is Decision.IMPLICIT_DENY or exact is None else exact
    if broad is Decision.ALLOW and \
            evaluate.evaluate(docs, action, resource, context, named) is Decision.ALLOW:
        return Decision.ALLOW
    return identity
