"""IAM identifiers: unique ids and ARNs.

Unique ids are 21 characters: a 4-character type prefix (AROA role, ANPA managed policy, AIDA
user, AGPA group, AIPA instance profile) and 17 upper-case letters and digits (IAM identifiers
page, "Understanding unique ID prefixes"; spec §6.6). Access key ids are 20: AKIA and 16 (same
page's examples, `AKIAIOSFODNN7EXAMPLE`). We draw the characters from the base32 alphabet AWS's
ids use. ARNs: `arn:aws:iam::<account>:role<path><name>`, `...:policy<path><name>`,
`...:user<path><name>`, `...:group<path><name>`, `...:instance-profile<path><name>`, where the
path starts and ends with `/` (so the default path gives `role/<name>`; spec §6.3, §6.7).
"""

from __future__ import annotations

import base64
import re
import secrets
from typing import NamedTuple, Optional

_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
ROLE_ID_PREFIX = "AROA"
POLICY_ID_PREFIX = "ANPA"
USER_ID_PREFIX = "AIDA"
GROUP_ID_PREFIX = "AGPA"
INSTANCE_PROFILE_ID_PREFIX = "AIPA"
ACCESS_KEY_PREFIX = "AKIA"  # long-term access keys (same page)

_POLICY_ARN = re.compile(r"^arn:aws:iam::(\d{12}|aws):policy(/(?:[\x21-\x7e]*/)?)([\w+=,.@-]+)$")


def unique_id(prefix: str) -> str:
    return prefix + "".join(secrets.choice(_ALPHABET) for _ in range(17))


def role_arn(account_id: str, path: str, name: str) -> str:
    return f"arn:aws:iam::{account_id}:role{path}{name}"


def access_key_id() -> str:
    return ACCESS_KEY_PREFIX + "".join(secrets.choice(_ALPHABET) for _ in range(16))


def user_arn(account_id: str, path: str, name: str) -> str:
    return f"arn:aws:iam::{account_id}:user{path}{name}"


def group_arn(account_id: str, path: str, name: str) -> str:
    return f"arn:aws:iam::{account_id}:group{path}{name}"


def instance_profile_arn(account_id: str, path: str, name: str) -> str:
    return f"arn:aws:iam::{account_id}:instance-profile{path}{name}"


def new_secret() -> str:
    """A 40-character secret access key (AWS's are 40 base64 characters)."""
    return base64.b64encode(secrets.token_bytes(30)).decode()


def policy_arn(account_id: str, path: str, name: str) -> str:
    return f"arn:aws:iam::{account_id}:policy{path}{name}"


class PolicyArn(NamedTuple):
    account_id: str
    path: str
    name: str


def parse_policy_arn(arn: str) -> Optional[PolicyArn]:
    m = _POLICY_ARN.match(arn)
    return PolicyArn(m.group(1), m.group(2), m.group(3)) if m else None
