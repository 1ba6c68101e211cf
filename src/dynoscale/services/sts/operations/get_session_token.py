"""GetSessionToken: temporary credentials for the calling IAM user (or the root), which act as
that user: GetCallerIdentity answers with the user, and under `--auth enforce` the user's
policies decide (STS API reference, GetSessionToken).

DurationSeconds: 900..129600 (model), default 43200; for the root at most 3600, longer requests
give one hour ("If the duration is longer than one hour, the session for Amazon Web Services
account owners defaults to one hour", same page). Called with temporary credentials it is
AccessDenied "Cannot call GetSessionToken with session credentials" (AWS's text, quoted in
aws/aws-sdk-js#3670 and aws/aws-sdk-net#1704). The credentials may not call IAM (no MFA in
Dynoscale; auth.py refuses them as an invalid token, as AWS does) nor STS other than AssumeRole
and GetCallerIdentity. SerialNumber/TokenCode (MFA) are accepted and not checked [inferred:
Dynoscale models no MFA devices].
"""

from __future__ import annotations

from dynoscale.errors import AwsError
from dynoscale.services.sts import sessions

DEFAULT_DURATION = 43200
ROOT_MAX = 3600


def refuse_session_credentials(svc, caller, operation: str) -> None:
    principal = caller.principal
    temporary = (principal is not None and principal.kind == "assumed-role") or \
        sessions.lookup(svc.store, caller.access_key) is not None
    if temporary:
        raise AwsError("AccessDenied", f"Cannot call {operation} with session credentials", 403)


def handle(svc, caller, request: dict) -> dict:
    refuse_session_credentials(svc, caller, "GetSessionToken")
    principal = caller.principal
    duration = request.get("DurationSeconds") or DEFAULT_DURATION
    account = principal.account_id if principal is not None else caller.account_id
    if principal is not None and principal.kind == "user":
        who = {"Kind": "user", "UserName": principal.name}
        user_id, arn = principal.user_id, principal.arn
    else:  # the root (and every caller with --auth none)
        duration = min(duration, ROOT_MAX)
        who = {"Kind": "root"}
        user_id, arn = account, f"arn:aws:iam::{account}:root"
    expires = float(int(svc.clock.now() + duration))
    key = sessions.new_access_key()
    secret, token = sessions.new_secret(), sessions.new_session_token()
    sessions.remember(svc.store, key, account, user_id, arn, expires, secret=secret, token=token,
                      **who)
    return {"Credentials": {"AccessKeyId": key, "SecretAccessKey": secret, "SessionToken": token,
                            "Expiration": expires}}
