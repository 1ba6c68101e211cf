"""Server-side encryption settings (SSESpecification) as the table record keeps them, and the
SSEDescription AWS renders from them. Dynoscale encrypts nothing itself; it keeps what the table
was asked to use so DescribeTable answers as AWS does.

Facts: botocore model SSESpecification ("If enabled (true), server-side encryption type is set to
KMS and an Amazon Web Services managed key is used ... If disabled (false) or not specified,
server-side encryption is set to Amazon Web Services owned key"); a table on the AWS-owned key has
no SSEDescription, one on KMS has {Status: ENABLED, SSEType: KMS, KMSMasterKeyArn}
(dynamodb-conformance tier1 createTable/config.test.ts, characterised against AWS). Refusals and
their texts: ack-api-quirks DDB-TABLE-442's ValidationException catalogue (live AWS).

The record keeps `{"key_arn": <KMS key ARN>}` for a KMS table, nothing for the AWS-owned key;
`"disabling": True` is added while an UpdateTable turning KMS off is in progress (change()).
Inferred: with no KMS service behind Dynoscale, an alias (or the AWS managed key
alias/aws/dynamodb) stands for a key whose id is a UUID derived from the alias ARN, stable per
account and region; a key id or key ARN is used as given.
"""

from __future__ import annotations

import re
import uuid
from typing import Optional

from dynoscale.services.dynamodb import errors

MANAGED_ALIAS = "alias/aws/dynamodb"
_KEY_ARN = re.compile(r"arn:aws[a-z-]*:kms:[^:]+:\d{12}:key/.+")
_ALIAS_ARN = re.compile(r"arn:aws[a-z-]*:kms:[^:]+:\d{12}:alias/.+")


def check(spec: dict) -> None:
    """An SSESpecification's members together (CreateTable and UpdateTable)."""
    enabled = bool(spec.get("Enabled"))
    sse_type, key = spec.get("SSEType"), spec.get("KMSMasterKeyId")
    if not enabled and sse_type is not None:
        raise errors.invalid("SSEType can not be specified if Enabled is false")
    if not enabled and key is not None:
        raise errors.invalid("KMSMasterKeyId can not be specified if Enabled is false")
    if sse_type == "AES256":
        raise errors.invalid("SSEType AES256 is not supported")
    if key is not None and sse_type is None:
        raise errors.invalid("SSEType KMS is required if KMSMasterKeyId is specified")


def change(current: Optional[dict], new: Optional[dict]) -> Optional[dict]:
    """What UpdateTable stores for a checked change from `current` to `new`. Turning KMS off
    keeps the key, marked `disabling`, until the table is ACTIVE again (settled): AWS's UpdateTable
    answer still carries the KMS SSEDescription, Status UPDATING (LocalStack snapshot
    tests/aws/services/dynamodb/test_dynamodb.snapshot.json::
    test_dynamodb_create_table_with_partial_sse_specification, recorded against AWS)."""
    if new is None and current is not None:
        return {"key_arn": current["key_arn"], "disabling": True}
    return new


def settled(sse: Optional[dict]) -> Optional[dict]:
    """The settings once the UpdateTable that changed them is done: a disabling KMS key gives way
    to the AWS-owned key (no SSEDescription; inferred, as the AWS-owned key has none)."""
    if sse is not None and sse.get("disabling"):
        return None
    return sse


def settings(spec: Optional[dict], region: str, account: str) -> Optional[dict]:
    """What the record keeps for a checked SSESpecification: None for the AWS-owned key."""
    if not spec or not spec.get("Enabled"):
        return None
    return {"key_arn": key_arn(spec.get("KMSMasterKeyId") or MANAGED_ALIAS, region, account)}


def key_arn(key: str, region: str, account: str) -> str:
    """The ARN of the KMS key `key` (key id, key ARN, alias name or alias ARN) names."""
    if _KEY_ARN.fullmatch(key):
        return key
    if _ALIAS_ARN.fullmatch(key) or key.startswith("alias/"):
        alias_arn = key if key.startswith("arn:") else f"arn:aws:kms:{region}:{account}:{key}"
        region = alias_arn.split(":")[3]
        account = alias_arn.split(":")[4]
        return f"arn:aws:kms:{region}:{account}:key/{uuid.uuid5(uuid.NAMESPACE_URL, alias_arn)}"
    return f"arn:aws:kms:{region}:{account}:key/{key}"


def check_change(current: Optional[dict], new: Optional[dict]) -> None:
    """UpdateTable: a specification that changes nothing is refused (ack-api-quirks
    DDB-TABLE-442: "Table is already encrypted by default" for the AWS-owned key re-sent, "Table
    is already encrypted with given KMSMasterKeyId..." for the current key re-sent)."""
    if current is None and new is None:
        raise errors.invalid("Table is already encrypted by default")
    if current is not None and new is not None and current["key_arn"] == new["key_arn"]:
        raise errors.invalid("Table is already encrypted with given KMSMasterKeyId. Use "
                             "KMSMasterKeyId parameter if you want to change Master Key")


def description(sse: Optional[dict]) -> Optional[dict]:
    """SSEDescription, or None (absent) for the AWS-owned key."""
    if sse is None:
        return None
    status = "UPDATING" if sse.get("disabling") else "ENABLED"
    return {"Status": status, "SSEType": "KMS", "KMSMasterKeyArn": sse["key_arn"]}
