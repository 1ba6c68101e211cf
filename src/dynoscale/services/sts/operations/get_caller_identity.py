"""GetCallerIdentity: who the request's credentials are.

With `--auth none` every access key acts as the account's root user, so we answer as AWS does for
root credentials: UserId is the 12-digit account id and Arn `arn:aws:iam::<account>:root`
(STS API reference, GetCallerIdentity; IAM identifiers page: the root user's ARN is
`arn:aws:iam::<account>:root`). IAM-user credentials would give UserId `AIDA...` and
`...:user/<name>`, assumed roles `AROA...:<session>` and `arn:aws:sts::<account>:assumed-role/...`
(spec §6.15): credentials issued by AssumeRole answer as their assumed role (sessions.py). An
internal call on behalf of a role carries `principal_arn` and is reported as that principal.
"""

from __future__ import annotations

from dynoscale.services.sts import sessions


def handle(svc, caller, request: dict) -> dict:
    if caller.principal is not None:  # --auth verify/enforce: the signer
        p = caller.principal
        return {"UserId": p.user_id, "Account": p.account_id, "Arn": p.arn}
    session = sessions.lookup(svc.store, caller.access_key)  # credentials from AssumeRole
    if session is not None:
        return {"UserId": session["UserId"], "Account": session["Account"], "Arn": session["Arn"]}
    account = caller.account_id  # the server's account, or the one a 12-digit access key names
    if caller.principal_arn:
        return {"UserId": account, "Account": account, "Arn": caller.principal_arn}
    return {"UserId": account, "Account": account, "Arn": f"arn:aws:iam::{account}:root"}
