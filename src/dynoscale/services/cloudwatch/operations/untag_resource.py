"""UntagResource: remove tag keys from a metric or composite alarm; keys it does not have are
ignored (rules in tags.py)."""

from __future__ import annotations

from dynoscale.context import Caller


def handle(svc, caller: Caller, request: dict) -> dict:
    svc.tags.untag(caller, request["ResourceARN"], request["TagKeys"])
    return {}
