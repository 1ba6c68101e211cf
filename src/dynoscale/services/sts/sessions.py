"""Role sessions STS hands out (AssumeRole): temporary credentials and who they stand for.

GetSessionToken's credentials are kept the same way, with `Kind` "user" (or "root"): they
stand for the user that asked for them.

Each issued access key is remembered (document kind "sts.session", scope = the key) so that
GetCallerIdentity called with those credentials answers as the assumed role, as AWS does, and so
that `--auth verify`/`enforce` can check a request signed with them (secret, session token and
expiry on the simulated clock; the role's account and name for its policies). With `--auth none`
the credentials are not checked on other calls (any key is accepted); expiry only shows in the
Expiration AWS reports.

Formats (IAM User Guide, "IAM identifiers": unique ID prefixes; STS API reference, AssumeRole):
temporary access key ids start with `ASIA`, 20 characters; secret access keys are 40 characters;
the assumed-role ARN is `arn:aws:sts::<account>:assumed-role/<role name>/<session name>` and the
AssumedRoleId `<RoleId>:<session name>`.
"""

from __future__ import annotations

import base64
import os
from typing import Any, Optional

SESSION_KIND = "sts.session"


def new_access_key() -> str:
    return "ASIA" + base64.b32encode(os.urandom(10)).decode()[:16]


def new_secret() -> str:
    return base64.b64encode(os.urandom(30)).decode()  # 40 characters


def new_session_token() -> str:
    # Opaque to clients; AWS's are a few hundred base64 characters.
    return "IQoJb3JpZ2luX2VjE" + base64.b64encode(os.urandom(270)).decode()


def remember(store, access_key: str, account: str, user_id: str, arn: str, expires: float, *,
             secret: str, token: str, **who: Any) -> None:
    """who: `Kind` ("assumed-role", the default, or "user"/"root" for GetSessionToken) and what
    that kind needs: RoleName, RoleSessionName, Policy, PolicyArns, Tags, TransitiveTagKeys of a
    role session; UserName of a user's."""
    store.put_doc(SESSION_KIND, access_key, "_", {"Account": account, "UserId": user_id,
                                                  "Arn": arn, "Expiration": expires,
                                                  "SecretAccessKey": secret, "SessionToken": token,
                                                  **who})


def lookup(store, access_key: Optional[str]) -> Optional[dict[str, Any]]:
    if not access_key or not access_key.startswith("ASIA"):
        return None
    return store.get_doc(SESSION_KIND, access_key, "_")
