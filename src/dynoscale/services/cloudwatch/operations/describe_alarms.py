"""DescribeAlarms: metric alarms filtered by AlarmNames XOR AlarmNamePrefix, StateValue and
ActionPrefix, in name order, MaxRecords (1..100, default 50) per page with NextToken.

AWS facts (spec 5.3.1, model docs): unknown names are simply absent; AlarmTypes defaults to
metric alarms only; composite alarms are not supported here, so CompositeAlarms is always [].
"""

from __future__ import annotations

from dynoscale.context import Caller
from dynoscale.services.cloudwatch import alarms, errors, paging

DEFAULT_MAX_RECORDS = 50


def handle(svc, caller: Caller, request: dict) -> dict:
    names = request.get("AlarmNames")
    prefix = request.get("AlarmNamePrefix")
    if names and prefix:  # [inferred] text
        raise errors.combination("The parameters AlarmNames and AlarmNamePrefix are mutually "
                                 "exclusive and you have specified both.")
    types = request.get("AlarmTypes") or ["MetricAlarm"]
    found = []
    if "MetricAlarm" in types and not request.get("ChildrenOfAlarmName") \
            and not request.get("ParentsOfAlarmName"):
        if names:
            found = [a for a in (svc.alarms.get(caller.scope, n) for n in sorted(set(names))) if a]
        else:
            found = svc.alarms.in_scope(caller.scope, prefix or "")
    state = request.get("StateValue")
    action_prefix = request.get("ActionPrefix")
    found = [a for a in found
             if (state is None or a["StateValue"] == state)
             and (action_prefix is None
                  or any(arn.startswith(action_prefix) for key in
                         ("OKActions", "AlarmActions", "InsufficientDataActions") for arn in a[key]))]
    after = paging.decode(request["NextToken"]) if request.get("NextToken") else None
    if after is not None:
        found = [a for a in found if a["AlarmName"] > after]
    limit = request.get("MaxRecords") or DEFAULT_MAX_RECORDS
    out = {"MetricAlarms": [alarms.public(a) for a in found[:limit]], "CompositeAlarms": []}
    if len(found) > limit:
        out["NextToken"] = paging.encode(found[limit - 1]["AlarmName"])
    return out
