"""GetAccessKeyLastUsed: the key's user and when, with which service and in which region, the key
last signed a request (recorded under `--auth verify`/`enforce` as the signature is accepted,
users.AccessKeys.record_use). A key never used has no LastUsedDate and "N/A" as ServiceName and
Region (botocore model docs of AccessKeyLastUsed). An unknown key is AccessDenied (errors.py,
recorded against AWS); so is another account's [inferred: the key is not the caller's to see]."""

from __future__ import annotations

from dynoscale.services.iam import errors


def handle(svc, caller, request: dict) -> dict:
    key_id = request["AccessKeyId"]
    key = svc.access_keys.get(key_id)
    if key is None or key["account"] != caller.account_id:
        who = (caller.principal.arn if caller.principal is not None
               else f"arn:aws:iam::{caller.account_id}:root")
        raise errors.unknown_key_last_used(who, key_id)
    used = key.get("LastUsed")
    if used is None:
        last = {"ServiceName": "N/A", "Region": "N/A"}
    else:
        last = {"LastUsedDate": used["date"], "ServiceName": used["service"],
                "Region": used["region"]}
    return {"UserName": key["UserName"], "AccessKeyLastUsed": last}
