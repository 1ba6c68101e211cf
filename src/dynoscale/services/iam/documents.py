"""Policy documents: AWS's grammar checks and the URL-encoding IAM applies on output.

Output: IAM returns every `policyDocumentType` value as the submitted text percent-encoded,
whitespace kept, with only the unreserved characters `A-Za-z0-9-._~` left as they are: AWS's own
PowerShell reference shows `%7B%0A%20%20%22Version%22%3A%20%222012-10-17%22%2C...` and ARNs as
`arn%3Aaws%3Aec2%3Aus-east-1%3A...%3Ainstance%2Fi-0ed...`, `*` as `%2A` (spec §6.5). That is
`urllib.parse.quote(text, safe="")`.

Identity policies (CreatePolicy, CreatePolicyVersion, PutRolePolicy): the checks and their order
follow moto's `iam/policy_validation.py`, whose test cases were recorded against AWS
("Syntax errors in policy." for non-JSON input is also seen in real CLI output,
awslabs/ec2-spot-labs#25). Trust policies (CreateRole, UpdateAssumeRolePolicy): invalid JSON is
"This policy contains invalid Json" (real CLI output, AWSCookbook/Security#2); the Resource and
action rules use the texts of LocalStack's AWS-validated IAM provider.
Sizes: AWS does not count whitespace (IAM quotas page); managed 6144, inline per role 10240,
trust policy 2048 by default.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote

from dynoscale.services.iam import errors

MANAGED_POLICY_MAX = 6144
ROLE_INLINE_TOTAL_MAX = 10240
TRUST_POLICY_MAX = 2048
USER_INLINE_TOTAL_MAX = 2048  # IAM quotas page: user policy size, all inline policies together
GROUP_INLINE_TOTAL_MAX = 5120  # IAM quotas page: group policy size, all inline policies together

_TOP_LEVEL = {"Version", "Id", "Statement"}
_STATEMENT_KEYS = {"Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Condition",
                   "Principal", "NotPrincipal"}
_VERSIONS = {"2008-10-17", "2012-10-17"}
# Action names are case-insensitive in IAM, hence the lower-case set.
_TRUST_ACTIONS = {"*", "sts:*", "sts:assumerole", "sts:assumerolewithsaml",
                  "sts:assumerolewithwebidentity", "sts:tagsession", "sts:setsourceidentity",
                  "sts:setcontext"}
_VENDOR_BAD = re.compile(r"[^a-zA-Z0-9\-.]")
_WHITESPACE = re.compile(r"\s")


def encode(text: str) -> str:
    """The document as IAM puts it on the wire."""
    return quote(text, safe="")


def size(text: str) -> int:
    """Size as IAM counts it against quotas: characters other than whitespace."""
    return len(_WHITESPACE.sub("", text))


def _strings(value: Any) -> bool:
    return isinstance(value, str) or (isinstance(value, list) and all(isinstance(v, str) for v in value))


def _as_list(value: Any) -> list:
    return value if isinstance(value, list) else [value]


def _statements(doc: dict) -> list:
    raw = doc["Statement"]
    return raw if isinstance(raw, list) else [raw]


def _syntax_ok(doc: Any) -> bool:
    """The checks whose failure AWS reports as plain syntax errors."""
    if not isinstance(doc, dict) or not set(doc) <= _TOP_LEVEL or "Statement" not in doc:
        return False
    if "Version" in doc and doc["Version"] not in _VERSIONS:
        return False
    if "Id" in doc and not isinstance(doc["Id"], str):
        return False
    if not isinstance(doc["Statement"], (dict, list)) or not _statements(doc):
        return False
    for st in _statements(doc):
        if not isinstance(st, dict) or not set(st) <= _STATEMENT_KEYS:
            return False
        if ("Action" in st and "NotAction" in st) or ("Resource" in st and "NotResource" in st):
            return False
        effect = st.get("Effect")
        if not isinstance(effect, str) or effect.lower() not in ("allow", "deny"):
            return False
        for key in ("Action", "NotAction", "Resource", "NotResource"):
            if key in st and not _strings(st[key]):
                return False
        if "Sid" in st and not isinstance(st["Sid"], str):
            return False
        cond = st.get("Condition", {})
        if not isinstance(cond, dict) or not all(
                isinstance(v, dict) and all(isinstance(x, (str, list)) for x in v.values())
                for v in cond.values()):
            return False
    return True


def _resource_error(resource: str) -> str | None:
    if resource == "*":
        return None
    if ":" not in resource:
        return f'Resource {resource} must be in ARN format or "*".'
    parts = resource.split(":", 5)
    if len(parts) < 3 or parts[0] != "arn" or not parts[2] or _VENDOR_BAD.search(parts[2]):
        return "Resource vendor must be fully qualified and cannot contain regexes."
    return None


def _action_error(action: str) -> str | None:
    parts = action.split(":")
    if len(parts) == 1 and parts[0] != "*":
        return "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."
    if len(parts) > 2:
        return "Actions/Condition can contain only one colon."
    if parts[0] != "*" and _VENDOR_BAD.search(parts[0]):
        return f"Vendor {parts[0]} is not valid"
    return None


def check_identity_policy(text: str) -> None:
    """Raise MalformedPolicyDocument as AWS does for a permissions policy."""
    try:
        doc = json.loads(text)
    except ValueError:
        raise errors.malformed("Syntax errors in policy.") from None
    if isinstance(doc, dict) and isinstance(doc.get("Statement"), (dict, list)) and any(
            isinstance(st, dict) and ("Principal" in st or "NotPrincipal" in st)
            for st in _statements(doc)):
        raise errors.malformed("Policy document should not specify a principal.")
    if not _syntax_ok(doc):
        raise errors.malformed("Syntax errors in policy.")
    if doc.get("Version") != "2012-10-17":
        raise errors.malformed("Policy document must be version 2012-10-17 or greater.")
    statements = _statements(doc)
    if any(st["Effect"] not in ("Allow", "Deny") for st in statements):
        raise errors.malformed("The policy failed legacy parsing")
    sids = [st["Sid"] for st in statements if st.get("Sid")]
    if len(sids) != len(set(sids)):
        raise errors.malformed("Statement IDs (SID) in a single policy must be unique.")
    for keys, message in ((("Action", "NotAction"), "Policy statement must contain actions."),
                          (("Resource", "NotResource"), "Policy statement must contain resources.")):
        for st in statements:
            present = [k for k in keys if k in st]
            if not present or st[present[0]] == []:
                raise errors.malformed(message)
    for st in statements:
        for resource in _as_list(st.get("Resource", st.get("NotResource"))):
            if (problem := _resource_error(resource)):
                raise errors.malformed(problem)
    for st in statements:
        for action in _as_list(st.get("Action", st.get("NotAction"))):
            if (problem := _action_error(action)):
                raise errors.malformed(problem)


def check_trust_policy(text: str) -> None:
    """Raise MalformedPolicyDocument as AWS does for a role's trust (assume-role) policy."""
    try:
        doc = json.loads(text)
    except ValueError:
        doc = None
    if not isinstance(doc, dict):
        raise errors.malformed("This policy contains invalid Json")
    if "Statement" not in doc:
        raise errors.malformed("Missing required field Statement")
    statements = _statements(doc) if isinstance(doc["Statement"], (dict, list)) else [None]
    for st in statements:
        if not isinstance(st, dict):
            raise errors.malformed("Syntax errors in policy.")
        if "Resource" in st or "NotResource" in st:
            raise errors.malformed("Has prohibited field Resource")
        if "Principal" not in st and "NotPrincipal" not in st:
            raise errors.malformed("Missing required field Principal")
        if "Effect" not in st:
            raise errors.malformed("Missing required field Effect")
        if st["Effect"] not in ("Allow", "Deny"):
            raise errors.malformed("Syntax errors in policy.")
        actions = st.get("Action", st.get("NotAction"))
        if actions is None:
            raise errors.malformed("Missing required field Action")
        if not _strings(actions):
            raise errors.malformed("Syntax errors in policy.")
        if any(a.lower() not in _TRUST_ACTIONS for a in _as_list(actions)):
            raise errors.malformed("AssumeRole policy may only specify STS AssumeRole actions.")
