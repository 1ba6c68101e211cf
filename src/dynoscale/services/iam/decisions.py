"""Who may do what, on the stored users, roles and managed policies: the policies that apply
to an authenticated principal (context.Principal), evaluated by evaluate.py, for `--auth
enforce` (through the port) and AssumeRole's trust check."""

from __future__ import annotations

from dynoscale.services.iam import entities, evaluate, groups, policy_sets, resource_based, users
from dynoscale.services.iam.api import Decision


class PolicyDecisions:
    """Identity-based and trust policy decisions for authenticated principals (context.Principal)
    under `--auth enforce`, on the stored users, groups, roles and managed policies; which
    policies apply and how identity, boundary and session policies combine is policy_sets.py's."""

    def __init__(self, roles: entities.Roles, users_: users.Users, policies: entities.Policies,
                 groups_: groups.Groups):
        self.roles = roles
        self.users = users_
        self.policies = policies
        self.sets = policy_sets.PolicySets(roles, users_, groups_, policies)

    @staticmethod
    def principal_values(principal, direct_only: bool = False) -> dict[str, list[str]]:
        """The caller as a resource policy's Principal element may name it: its own ARN (and an
        assumed role's role ARN), and, unless `direct_only`, its account (`<id>` or
        `arn:aws:iam::<id>:root`), which grants only with an identity policy's consent."""
        arns = [principal.arn]
        if principal.kind == "assumed-role":
            arns.append(f"arn:aws:iam::{principal.account_id}:role/{principal.name}")
        if not direct_only:
            arns += [principal.account_id, f"arn:aws:iam::{principal.account_id}:root"]
        return {"AWS": arns}

    def decide(self, principal, action, resource, context, resource_policy=None) -> Decision:
        """The identity-side decision (identity, boundary and session policies, policy_sets.py)
        combined with the resource's policy (resource_based.py). The account root's identity
        allows everything; a resource policy can still deny it."""
        if principal.kind == "root":
            identity = limited = Decision.ALLOW
        else:
            sets = self.sets.of(principal)
            identity = limited = policy_sets.decide(sets, action, resource, context)
            if identity is Decision.IMPLICIT_DENY and policy_sets.narrowed(sets, action, resource,
                                                                          context):
                # no identity policy allows it and a boundary or session policy would not either:
                # a resource policy's grant to the role's ARN is limited too (resource_based.py)
                limited = Decision.BOUNDARY_IMPLICIT_DENY
        doc = evaluate.parse(resource_policy) if resource_policy is not None else None
        out = resource_based.combine(limited, doc, action, resource, context,
                                     principal.account_id,
                                     self.principal_values(principal, direct_only=True),
                                     self.principal_values(principal), {"AWS": [principal.arn]})
        return identity if out is limited else out

    def trusts(self, account_id, role_name, principal, context,
               action: str = "sts:AssumeRole") -> bool:
        role = self.roles.get(account_id, role_name)
        if role is None:
            return False
        doc = [evaluate.parse(role["AssumeRolePolicyDocument"])]
        return evaluate.evaluate(doc, action, role["Arn"], context,
                                 self.principal_values(principal)) is Decision.ALLOW
