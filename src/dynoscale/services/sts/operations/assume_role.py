"""AssumeRole: temporary credentials for a role.

AWS checks the role's trust policy against the caller. With `--auth none` (every caller is
trusted) Dynoscale checks only that the role exists, in the account its ARN names; with `--auth
enforce` the trust policy must also allow the signer (its Principal naming the user, the role
or the account), and the pipeline has checked the identity policies (access.py). A role that does not
exist is AccessDenied, as on AWS, where a missing role and a refused one look the same: "User:
<caller ARN> is not authorized to perform: sts:AssumeRole on resource: <role ARN>" (STS API
reference, AssumeRole errors; the text as AWS returns it for IAM principals, e.g. moto's and
localstack's reproductions). AWS also refuses root credentials ("Roles may not be assumed by root
accounts."); Dynoscale does too under `--auth verify`/`enforce`, not with `--auth none`, where
every key acts as root. The issued secret and session token are kept for signature checks.

DurationSeconds: 900..43200 (model), default 3600, and at most the role's MaxSessionDuration:
"The requested DurationSeconds exceeds the MaxSessionDuration set for this role." (STS API
reference, DurationSeconds: "If you specify a value higher than this setting ... the operation
fails"; the text as AWS returns it, quoted in aws/aws-cli and terraform-provider-aws issues).
PackedPolicySize (percent of the packed session-policy limit) is returned only when a session
policy, policy ARNs or tags are passed; its exact packing is AWS-internal [inferred: size of the
JSON over 2,048 bytes].
"""

from __future__ import annotations

import json
import re

from dynoscale.context import condition_context
from dynoscale.errors import AwsError
from dynoscale.services.sts import sessions

ROLE_ARN = re.compile(r"arn:aws[a-z-]*:iam::(\d{12}):role/(?:[^/]+/)*([\w+=,.@-]+)")
DEFAULT_DURATION = 3600


def handle(svc, caller, request: dict) -> dict:
    arn = request["RoleArn"]
    session = request["RoleSessionName"]
    match = ROLE_ARN.fullmatch(arn)
    role = svc.iam.get_role(match.group(1), match.group(2)) if match else None
    principal = caller.principal
    if principal is not None and principal.kind == "root":
        raise AwsError("AccessDenied", "Roles may not be assumed by root accounts.", 403)
    who = principal.arn if principal is not None else f"arn:aws:iam::{caller.account_id}:root"
    denied = AwsError("AccessDenied", f"User: {who} is not authorized to perform: "
                      f"sts:AssumeRole on resource: {arn}", 403)
    if role is None or role["Arn"] != arn:
        raise denied
    if svc.config.auth == "enforce" and principal is not None and not svc.iam.trusts(
            match.group(1), match.group(2), principal,
            condition_context(principal, caller.region, svc.clock.now())):
        raise denied
    duration = request.get("DurationSeconds") or DEFAULT_DURATION
    if duration > role.get("MaxSessionDuration", DEFAULT_DURATION):
        raise AwsError("ValidationError", "The requested DurationSeconds exceeds the "
                       "MaxSessionDuration set for this role.", 400)
    account = match.group(1)
    now = svc.clock.now()
    expires = float(int(now + duration))
    key = sessions.new_access_key()
    user_id = f"{role['RoleId']}:{session}"
    assumed_arn = f"arn:aws:sts::{account}:assumed-role/{role['RoleName']}/{session}"
    secret, token = sessions.new_secret(), sessions.new_session_token()
    sessions.remember(svc.store, key, account, user_id, assumed_arn, expires, secret=secret,
                      token=token, role_name=role["RoleName"], session_name=session)
    out = {"Credentials": {"AccessKeyId": key, "SecretAccessKey": secret,
                           "SessionToken": token, "Expiration": expires},
           "AssumedRoleUser": {"AssumedRoleId": user_id, "Arn": assumed_arn}}
    packed = [request.get(k) for k in ("Policy", "PolicyArns", "Tags") if request.get(k)]
    if packed:
        out["PackedPolicySize"] = min(100, -(-len(json.dumps(packed)) * 100 // 2048))
    if request.get("SourceIdentity"):
        out["SourceIdentity"] = request["SourceIdentity"]
    return out
