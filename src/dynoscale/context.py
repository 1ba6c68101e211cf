"""Caller: who is asking, where, and under which request id. Passed to every operation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Optional


class Usage:
    """What one request consumed, for the request log (server/request_log.py): capacity units
    charged, whether it was throttled, the tables it touched. Attached to the request's Caller
    only while the log is on (`--log-level info`); domain code reports to it when it is there."""

    __slots__ = ("units", "throttled", "tables")

    def __init__(self) -> None:
        self.units = 0.0
        self.throttled = False
        self.tables: list[str] = []

    def consumed(self, table: str, units: float) -> None:
        self.units += units
        if table not in self.tables:
            self.tables.append(table)

    def throttle(self, table: str) -> None:
        self.throttled = True
        if table not in self.tables:
            self.tables.append(table)


@dataclass(frozen=True)
class Principal:
    """Who signed a request under `--auth verify`/`enforce` (server/authenticate.py).

    kind: "root" (the account's root credentials), "user" (an IAM user's access key) or
    "assumed-role" (credentials from STS AssumeRole); name: the user's or the role's name
    ("" for root); session: the role session name. ARNs and ids as the IAM identifiers page
    gives them: `arn:aws:iam::<account>:root` / `:user<path><name>` /
    `arn:aws:sts::<account>:assumed-role/<role>/<session>`; UserId the account id / AIDA... /
    AROA...:<session>.

    session_policy / session_policy_arns: the session policies AssumeRole was given (None / ():
    none, no filter); tags: the principal's tags as (key, value) pairs, its aws:PrincipalTag
    keys (a user's tags; an assumed role's tags overridden by its session tags)."""
    kind: str
    account_id: str
    arn: str
    user_id: str
    name: str = ""
    session: str = ""
    session_policy: Optional[str] = None
    session_policy_arns: tuple[str, ...] = ()
    tags: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Caller:
    account_id: str
    region: str
    request_id: str = ""
    access_key: Optional[str] = None
    # Set for internal calls made on behalf of a role (auto scaling acting on a table).
    principal_arn: Optional[str] = None
    # The server's own base URL as the client reached it (for DescribeEndpoints).
    endpoint: str = ""
    # The authenticated signer (None with `--auth none`, where every key acts as root).
    principal: Optional[Principal] = None
    # The request log's account of this request (None unless the log is on).
    usage: Optional[Usage] = None

    @property
    def scope(self) -> str:
        """Storage scope of regional resources."""
        return f"{self.account_id}/{self.region}"


def condition_context(principal: Principal, region: str, now: float) -> dict:
    """The global condition keys of a request (IAM User Guide, "AWS global condition context
    keys"), lower-cased as IAM compares them: aws:PrincipalArn is the role's ARN for an assumed
    role; aws:username is set for IAM users only; aws:SecureTransport is false (Dynoscale speaks
    plain HTTP); aws:CurrentTime / aws:EpochTime come from the simulated clock [inferred: the
    one clock of Dynoscale]; aws:PrincipalTag/<key> for each of the principal's tags (tag keys
    compare case-insensitively, as every condition key name). aws:SourceIp is not provided."""
    arn = principal.arn
    if principal.kind == "assumed-role":
        arn = f"arn:aws:iam::{principal.account_id}:role/{principal.name}"
    ctx = {"aws:principalarn": arn, "aws:principalaccount": principal.account_id,
           "aws:principaltype": {"root": "Account", "user": "User"}.get(principal.kind,
                                                                           "AssumedRole"),
           "aws:userid": principal.user_id, "aws:securetransport": "false",
           "aws:requestedregion": region,
           "aws:currenttime": dt.datetime.fromtimestamp(int(now), dt.timezone.utc)
           .strftime("%Y-%m-%dT%H:%M:%SZ"),
           "aws:epochtime": str(int(now))}
    if principal.kind == "user":
        ctx["aws:username"] = principal.name
    for key, value in principal.tags:
        ctx["aws:principaltag/" + key.lower()] = value
    return ctx
