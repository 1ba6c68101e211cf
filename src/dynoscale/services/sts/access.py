"""The IAM permissions each STS call needs under `--auth enforce`: sts:AssumeRole on the role's
ARN, which the role's trust policy may grant as well (IAM User Guide, "Policy evaluation logic":
within one account a resource-based policy that names the principal suffices); GetCallerIdentity
needs none (STS API reference: "No permissions are required to perform this operation")."""

from __future__ import annotations

import re
from typing import Any

from dynoscale.services.iam.api import IamApi
from dynoscale.services.sts import session_tags
from dynoscale.services.registry import Access

ROLE_ARN = re.compile(r"arn:aws[a-z-]*:iam::(\d{12}):role/(?:[^/]+/)*([\w+=,.@-]+)")


class Requests:
    def __init__(self, iam: IamApi):
        self.iam = iam

    def __call__(self, caller, operation: str, request: dict[str, Any]) -> list[Access]:
        if operation in ("GetCallerIdentity", "GetSessionToken"):
            # GetSessionToken: "you don't need to grant permission to an IAM user or role to get
            # a session token" (IAM User Guide, "Permissions for GetSessionToken") [inferred:
            # an explicit Deny of sts:GetSessionToken is not modelled].
            return []
        if operation == "AssumeRole":
            arn = request["RoleArn"]
            m = ROLE_ARN.fullmatch(arn)
            role = self.iam.get_role(m.group(1), m.group(2)) if m else None
            trust = self.iam.trust_policy(m.group(1), m.group(2)) if role else None
            needs = [Access("sts:AssumeRole", arn, trust)]
            if request.get("Tags") or request.get("TransitiveTagKeys"):
                needs.append(Access("sts:TagSession", arn, trust,  # session tags
                                    session_tags.request_context(request)))
            return needs
        return [Access(f"sts:{operation}", "*")]
