"""Storage of scalable targets and scaling policies (documents in the store).

Targets are keyed by (namespace, resource id, dimension) (spec 1.4.2) and policies by that plus
the policy name (spec 1.7.3). Each record keeps its AWS members in PascalCase, exactly as
Describe* returns them, next to internal snake_case fields (`seq`, cooldown ends, alarm names),
which `target_output` / `policy_output` leave out. `seq` gives the insertion order Describe*
lists in (spec 1.5.4, inferred).
"""

from __future__ import annotations

import uuid
from typing import Any, Optional

TARGET_KIND = "aas:target"
POLICY_KIND = "aas:policy"
COUNTER_KIND = "aas:counter"

TARGET_MEMBERS = ("ServiceNamespace", "ResourceId", "ScalableDimension", "MinCapacity",
                  "MaxCapacity", "RoleARN", "CreationTime", "SuspendedState", "ScalableTargetARN")
POLICY_MEMBERS = ("PolicyARN", "PolicyName", "ServiceNamespace", "ResourceId",
                  "ScalableDimension", "PolicyType", "TargetTrackingScalingPolicyConfiguration",
                  "Alarms", "CreationTime")
SUSPENDED_FLAGS = ("DynamicScalingInSuspended", "DynamicScalingOutSuspended",
                   "ScheduledScalingSuspended")


class Records:
    def __init__(self, store):
        self.store = store

    # -- sequence numbers ----------------------------------------------------------------------
    def next_seq(self, scope: str, name: str) -> int:
        doc = self.store.get_doc(COUNTER_KIND, scope, name) or {"next": 1}
        self.store.put_doc(COUNTER_KIND, scope, name, {"next": doc["next"] + 1})
        return doc["next"]

    # -- targets --------------------------------------------------------------------------------
    @staticmethod
    def target_id(namespace: str, resource_id: str, dimension: str) -> str:
        return f"{namespace}|{resource_id}|{dimension}"

    def get_target(self, scope: str, namespace: str, resource_id: str,
                   dimension: str) -> Optional[dict[str, Any]]:
        return self.store.get_doc(TARGET_KIND, scope, self.target_id(namespace, resource_id, dimension))

    def put_target(self, scope: str, target: dict[str, Any]) -> None:
        self.store.put_doc(TARGET_KIND, scope, self.target_id(
            target["ServiceNamespace"], target["ResourceId"], target["ScalableDimension"]), target)

    def delete_target(self, scope: str, target: dict[str, Any]) -> None:
        self.store.delete_doc(TARGET_KIND, scope, self.target_id(
            target["ServiceNamespace"], target["ResourceId"], target["ScalableDimension"]))

    def list_targets(self, scope: str, namespace: Optional[str] = None) -> list[dict[str, Any]]:
        docs = [d for _, _, d in self.store.list_docs(TARGET_KIND, scope,
                                                      f"{namespace}|" if namespace else "")]
        return sorted(docs, key=lambda d: d["seq"])

    def target_by_arn(self, scope: str, arn: str) -> Optional[dict[str, Any]]:
        for target in self.list_targets(scope):
            if target["ScalableTargetARN"] == arn:
                return target
        return None

    # -- policies -------------------------------------------------------------------------------
    @staticmethod
    def policy_id(namespace: str, resource_id: str, dimension: str, name: str) -> str:
        return f"{namespace}|{resource_id}|{dimension}|{name}"

    def get_policy(self, scope: str, namespace: str, resource_id: str, dimension: str,
                   name: str) -> Optional[dict[str, Any]]:
        return self.store.get_doc(POLICY_KIND, scope,
                                  self.policy_id(namespace, resource_id, dimension, name))

    def put_policy(self, scope: str, policy: dict[str, Any]) -> None:
        self.store.put_doc(POLICY_KIND, scope, self._policy_key(policy), policy)

    def delete_policy(self, scope: str, policy: dict[str, Any]) -> None:
        self.store.delete_doc(POLICY_KIND, scope, self._policy_key(policy))

    def _policy_key(self, policy: dict[str, Any]) -> str:
        return self.policy_id(policy["ServiceNamespace"], policy["ResourceId"],
                              policy["ScalableDimension"], policy["PolicyName"])

    def list_policies(self, scope: str, namespace: Optional[str] = None,
                      resource_id: Optional[str] = None) -> list[dict[str, Any]]:
        prefix = ""
        if namespace:
            prefix = f"{namespace}|" + (f"{resource_id}|" if resource_id else "")
        docs = [d for _, _, d in self.store.list_docs(POLICY_KIND, scope, prefix)]
        return sorted(docs, key=lambda d: d["seq"])

    def policies_of_target(self, scope: str, target: dict[str, Any]) -> list[dict[str, Any]]:
        return [p for p in self.list_policies(scope, target["ServiceNamespace"], target["ResourceId"])
                if p["ScalableDimension"] == target["ScalableDimension"]]

    def policy_by_arn(self, scope: str, arn: str) -> Optional[dict[str, Any]]:
        for policy in self.list_policies(scope):
            if policy["PolicyARN"] == arn:
                return policy
        return None


def new_target_arn(region: str, account_id: str) -> str:
    """Spec 1.4.10: `scalable-target/<36 chars of [a-z0-9]>`, stable for the target's life."""
    suffix = (uuid.uuid4().hex + uuid.uuid4().hex)[:36]
    return f"arn:aws:application-autoscaling:{region}:{account_id}:scalable-target/{suffix}"


def new_policy_arn(region: str, account_id: str, namespace: str, resource_id: str,
                   name: str) -> str:
    """Spec 1.7.5: service segment `autoscaling`, a policy-specific uuid."""
    return (f"arn:aws:autoscaling:{region}:{account_id}:scalingPolicy:{uuid.uuid4()}:"
            f"resource/{namespace}/{resource_id}:policyName/{name}")


def target_output(target: dict[str, Any]) -> dict[str, Any]:
    out = {k: target[k] for k in TARGET_MEMBERS if k in target}
    # Spec 1.4.11: DescribeScalableTargets always returns all three flags.
    out["SuspendedState"] = {f: bool(target.get("SuspendedState", {}).get(f, False))
                             for f in SUSPENDED_FLAGS}
    return out


def policy_output(policy: dict[str, Any]) -> dict[str, Any]:
    return {k: policy[k] for k in POLICY_MEMBERS if k in policy}
