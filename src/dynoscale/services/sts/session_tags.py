"""AssumeRole's session policies and session tags: checked as STS checks them, and what the
session keeps of them (STS API reference, AssumeRole: Policy, PolicyArns, Tags,
TransitiveTagKeys; IAM User Guide, "Passing session tags in AWS STS" and "Session policies").

- Policy: an identity policy document, checked by IAM's rules (MalformedPolicyDocument).
- Tags: at most 50 (model); keys are case-insensitive, so two keys differing only in case are
  refused [inferred wording: IAM's text for the same rule, "Duplicate tag keys found. ..."]; a
  session tag overrides the role's tag of the same key. The role's tags are read when the
  session is made [inferred: a later TagRole does not reach sessions already issued].
- TransitiveTagKeys: each must be the key of a passed tag [inferred wording]; a session made
  with temporary credentials inherits its caller's transitive tags, and passing a tag of an
  inherited key fails (AssumeRole's Tags documentation) [inferred wording].
- Packed size: the policy, policy ARNs and tags are packed into a space AWS does not specify;
  Dynoscale counts the policy's non-whitespace characters, the ARNs and the tags' keys and
  values against 2,048 (the documented plaintext limit of session policies) [inferred]. Over
  100% is PackedPolicyTooLarge: "Packed size of session tags consumes N% of allotted space."
  when tags are passed (AWS's text, aws/containers-roadmap#2413), else "Packed policy consumes
  N% of allotted space, please use smaller policy." [inferred wording]. The percentage is
  returned as PackedPolicySize when any of them is passed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Optional

from dynoscale.errors import AwsError

PACKED_SPACE = 2048
_WHITESPACE = re.compile(r"\s")


def _invalid(message: str) -> AwsError:
    return AwsError("InvalidParameterValue", message, 400)


@dataclass(frozen=True)
class SessionScope:
    """What a new role session keeps: session policies, tags (role tags overridden by inherited
    and session tags) and the keys that pass on to the sessions it makes."""
    policy: Optional[str]
    policy_arns: list[str]
    tags: list[dict[str, str]]
    transitive: list[str]
    packed_percent: Optional[int]


def check(request: dict[str, Any], role_tags: list[dict[str, str]],
          inherited: list[dict[str, str]], check_policy) -> SessionScope:
    """check_policy(text): IAM's identity-policy check (raises MalformedPolicyDocument)."""
    policy = request.get("Policy")
    if policy is not None:
        check_policy(policy)
    arns = [d["arn"] for d in request.get("PolicyArns") or () if d.get("arn")]
    tags = request.get("Tags") or []
    keys = [t["Key"].lower() for t in tags]
    if len(keys) != len(set(keys)):
        raise _invalid("Duplicate tag keys found. Please note that Tag keys are case insensitive.")
    transitive = request.get("TransitiveTagKeys") or []
    if any(k.lower() not in keys for k in transitive):
        raise _invalid("The specified transitive tag key must be included in the requested tags.")
    inherited_keys = {t["Key"].lower() for t in inherited}
    if inherited_keys & set(keys):
        raise _invalid("One or more of the specified tag keys are already set as transitive "
                       "session tags by the calling session.")
    policy_size = (len(_WHITESPACE.sub("", policy)) if policy else 0) + sum(len(a) for a in arns)
    tag_size = sum(len(t["Key"]) + len(t["Value"]) for t in tags)
    percent = None
    if policy is not None or arns or tags:
        percent = -(-(policy_size + tag_size) * 100 // PACKED_SPACE)
        if percent > 100:
            if tags:
                raise AwsError("PackedPolicyTooLarge", f"Packed size of session tags consumes "
                               f"{percent}% of allotted space.", 400)
            raise AwsError("PackedPolicyTooLarge", f"Packed policy consumes {percent}% of "
                           "allotted space, please use smaller policy.", 400)
    merged = {t["Key"].lower(): {"Key": t["Key"], "Value": t["Value"]} for t in role_tags}
    for tag in [*inherited, *tags]:
        merged[tag["Key"].lower()] = {"Key": tag["Key"], "Value": tag["Value"]}
    passed_on = [t["Key"] for t in inherited] + [k for k in transitive]
    return SessionScope(policy, arns, list(merged.values()), passed_on, percent)


def inherited_tags(session: Optional[dict[str, Any]]) -> list[dict[str, str]]:
    """The calling session's transitive tags (none unless the caller is a role session)."""
    if not session or session.get("Kind", "assumed-role") != "assumed-role":
        return []
    passed = {k.lower() for k in session.get("TransitiveTagKeys", ())}
    return [t for t in session.get("Tags", ()) if t["Key"].lower() in passed]


def request_context(request: dict[str, Any]) -> dict[str, Any]:
    """The condition keys sts:TagSession is evaluated with: aws:RequestTag/<key> for each passed
    tag and aws:TagKeys, the passed keys (IAM User Guide, "Passing session tags in AWS STS",
    its trust policy examples; lower-cased as condition keys compare)."""
    tags = request.get("Tags") or []
    context: dict[str, Any] = {"aws:tagkeys": [t["Key"] for t in tags]}
    for tag in tags:
        context["aws:requesttag/" + tag["Key"].lower()] = tag["Value"]
    return context
