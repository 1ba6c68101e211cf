"""TagResource: add or overwrite tags of a metric or composite alarm (rules in tags.py)."""

from __future__ import annotations

from dynoscale.context import Caller


def handle(svc, caller: Caller, request: dict) -> dict:
    svc.tags.tag(caller, request["ResourceARN"], request["Tags"])
    return {}
