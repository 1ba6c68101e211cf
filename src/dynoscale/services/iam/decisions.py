"""Who may do what, on the stored users, roles and managed policies: the policies that apply
to an authenticated principal (context.Principal), evaluated by evaluate.py, for `--auth
enforce` (through the port) and AssumeRole's trust check."""

from __future__ import annotations

from dynoscale.errors import AwsError
from dynoscale.services.iam import entities, evaluate, resource_based, users
from dynoscale.services.iam.api import Decision
class PolicyDecisions:
    """Identity-based and trust policy decisions for authenticated principals (context.Principal)
    under `--auth enforce`, on the stored users, roles and managed policies."""

    def __init__(self, roles: entities.Roles, users_: users.Users, policies: entities.Policies):
        self.roles = roles
        self.users = users_
        self.policies = policies

    def identity_documents(self, principal) -> list[dict]:
        """The principal's inline and attached policies (default versions), parsed. AWS-managed
        policies are not modelled, so an attached `arn:aws:iam::aws:policy/...` adds nothing."""
        if principal.kind == "user":
            owner = self.users.get(principal.account_id, principal.name)
        elif principal.kind == "assumed-role":
            owner = self.roles.get(principal.account_id, principal.name)
        else:
            owner = None
        if owner is None:
            return []
        docs = [evaluate.parse(p["PolicyDocument"]) for p in owner["inline"].values()]
        for arn in owner["attached"]:
            try:
                policy = self.policies.find(principal.account_id, arn)
            except AwsError:  # a stored ARN that does not parse grants nothing
                policy = None
            if policy is None:
                continue
            default = next((v for v in policy["versions"] if v["IsDefaultVersion"]), None)
            if default is not None:
                docs.append(evaluate.parse(default["Document"]))
        return docs

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
        """The identity-based decision combined with the resource's policy (resource_based.py).
        The account root's identity allows everything; a resource policy can still deny it."""
        identity = Decision.ALLOW if principal.kind == "root" else evaluate.evaluate(
            self.identity_documents(principal), action, resource, context)
        doc = evaluate.parse(resource_policy) if resource_policy is not None else None
        return resource_based.combine(identity, doc, action, resource, context,
                                      principal.account_id,
                                      self.principal_values(principal, direct_only=True),
                                      self.principal_values(principal), {"AWS": [principal.arn]})

    def trusts(self, account_id, role_name, principal, context) -> bool:
        role = self.roles.get(account_id, role_name)
        if role is None:
            return False
        doc = [evaluate.parse(role["AssumeRolePolicyDocument"])]
        return evaluate.evaluate(doc, "sts:AssumeRole", role["Arn"], context,
                                 self.principal_values(principal)) is Decision.ALLOW
