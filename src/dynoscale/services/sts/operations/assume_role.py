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
A session made with role-session credentials (role chaining) lasts at most an hour: "The
requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining."
(STS API reference, DurationSeconds; the text as AWS returns it, quoted in aws-cli issues).

Session policies (Policy, PolicyArns) and session tags (Tags, TransitiveTagKeys) are checked and
kept by session_tags.py; under `--auth enforce` the session's permissions are the role's
intersected with its session policies, and its tags are aws:PrincipalTag keys. Passing tags
needs sts:TagSession, which the role's trust policy must allow ("Passing session tags in AWS
STS": "the role trust policy must allow sts:TagSession").
"""

from __future__ import annotations

import re

from dynoscale.context import condition_context
from dynoscale.errors import AwsError
from dynoscale.services.sts import session_tags, sessions

# A RoleArn that is no ARN at all (not `arn:<partition>:<service>:<region>:<account>:<resource>`
# with partition, service and resource non-empty) is a ValidationError "<arn> is invalid", before
# any lookup: LocalStack snapshot tests/aws/services/sts/test_sts.snapshot.json::
# test_sts_invalid_parameters, recorded against AWS. A well-formed ARN of no role stays
# AccessDenied.
def _well_formed(arn: str) -> bool:
    parts = arn.split(":", 5)
    return (len(parts) == 6 and parts[0] == "arn" and bool(parts[1]) and bool(parts[2])
            and bool(parts[5]))


ROLE_ARN = re.compile(r"arn:aws[a-z-]*:iam::(\d{12}):role/(?:[^/]+/)*([\w+=,.@-]+)")
DEFAULT_DURATION = 3600
CHAINED_MAX = 3600


def handle(svc, caller, request: dict) -> dict:
    arn = request["RoleArn"]
    session = request["RoleSessionName"]
    if not _well_formed(arn):
        raise AwsError("ValidationError", f"{arn} is invalid", 400)
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
    tagging = bool(request.get("Tags") or request.get("TransitiveTagKeys"))
    if svc.config.auth == "enforce" and principal is not None:
        context = condition_context(principal, caller.region, svc.clock.now())
        if not svc.iam.trusts(match.group(1), match.group(2), principal, context):
            raise denied
        if tagging and not svc.iam.trusts(match.group(1), match.group(2), principal,
                                          {**context, **session_tags.request_context(request)},
                                          "sts:TagSession"):
            raise AwsError("AccessDenied", f"User: {who} is not authorized to perform: "
                           f"sts:TagSession on resource: {arn}", 403)
    caller_session = sessions.lookup(svc.store, caller.access_key)
    chained = caller_session is not None and \
        caller_session.get("Kind", "assumed-role") == "assumed-role"
    duration = request.get("DurationSeconds") or DEFAULT_DURATION
    if chained and duration > CHAINED_MAX:
        raise AwsError("ValidationError", "The requested DurationSeconds exceeds the 1 hour "
                       "session limit for roles assumed by role chaining.", 400)
    if duration > role.get("MaxSessionDuration", DEFAULT_DURATION):
        raise AwsError("ValidationError", "The requested DurationSeconds exceeds the "
                       "MaxSessionDuration set for this role.", 400)
    scope = session_tags.check(request, role.get("Tags", []),
                               session_tags.inherited_tags(caller_session),
                               svc.iam.check_session_policy)
    account = match.group(1)
    now = svc.clock.now()
    expires = float(int(now + duration))
    key = sessions.new_access_key()
    user_id = f"{role['RoleId']}:{session}"
    assumed_arn = f"arn:aws:sts::{account}:assumed-role/{role['RoleName']}/{session}"
    secret, token = sessions.new_secret(), sessions.new_session_token()
    sessions.remember(svc.store, key, account, user_id, assumed_arn, expires, secret=secret,
                      token=token, Kind="assumed-role", RoleName=role["RoleName"],
                      RoleSessionName=session, Policy=scope.policy, PolicyArns=scope.policy_arns,
                      Tags=scope.tags, TransitiveTagKeys=scope.transitive)
    out = {"Credentials": {"AccessKeyId": key, "SecretAccessKey": secret,
                           "SessionToken": token, "Expiration": expires},
           "AssumedRoleUser": {"AssumedRoleId": user_id, "Arn": assumed_arn}}
    if scope.packed_percent is not None:
        out["PackedPolicySize"] = scope.packed_percent
    if request.get("SourceIdentity"):
        out["SourceIdentity"] = request["SourceIdentity"]
    return out
