"""Who may do what, on the stored users, roles and managed policies: the policies that apply
to an authenticated principal (context.Principal), evaluated by evaluate.py, for `--auth
enforce` (through the port) and AssumeRole's trust check."""

from __future__ import annotations

from dynoscale.services.iam import entities, evaluate, groups, policy_sets, users
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
        identity = policy_sets.decide(self.sets.of(principal), action, resource, context)
        if identity.explicit or resource_policy is None:
            return identity
        doc = [evaluate.parse(resource_policy)]
        direct = evaluate.evaluate(doc, action, resource, context,
                                   self.principal_values(principal, direct_only=True))
        if direct is not Decision.IMPLICIT_DENY:
            return direct
        return identity

    def trusts(self, account_id, role_name, principal, context,
               action: str = "sts:AssumeRole") -> bool:
        role = self.roles.get(account_id, role_name)
        if role is None:
            return False
        doc = [evaluate.parse(role["AssumeRolePolicyDocument"])]
        return evaluate.evaluate(doc, action, role["Arn"], context,
                                 self.principal_values(principal)) is Decision.ALLOW
