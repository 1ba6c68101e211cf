"""DescribeAlarms: metric and composite alarms filtered by AlarmNames XOR AlarmNamePrefix,
AlarmTypes, StateValue and ActionPrefix, in name order, MaxRecords (1..100, default 50) per page
with NextToken; or the children / parents of an alarm.

AWS facts (spec 5.3.1, model docs): unknown names are simply absent; AlarmTypes defaults to
metric alarms only ("even if composite alarms ... exist"); ChildrenOfAlarmName returns the alarms
a composite alarm's rule names with only AlarmName, AlarmArn, StateValue and
StateUpdatedTimestamp; ParentsOfAlarmName the composite alarms naming the alarm with only
AlarmName and AlarmArn; with either, only MaxRecords and NextToken may also be given (else a
validation error). One page covers both lists, in name order.
"""

from __future__ import annotations

from dynoscale.context import Caller
from dynoscale.services import paging
from dynoscale.services.cloudwatch import alarms, composites, errors

DEFAULT_MAX_RECORDS = 50
FAMILY_EXCLUSIVE = ("AlarmNames", "AlarmNamePrefix", "AlarmTypes", "StateValue", "ActionPrefix",
                    "ChildrenOfAlarmName", "ParentsOfAlarmName")


def _family(svc, caller: Caller, request: dict) -> list[dict]:
    """Children or parents, reduced to the fields AWS returns for them."""
    key = "ChildrenOfAlarmName" if request.get("ChildrenOfAlarmName") else "ParentsOfAlarmName"
    if any(request.get(p) for p in FAMILY_EXCLUSIVE if p != key):
        raise errors.family_filter_combination(key)
    name = request[key]
    if key == "ParentsOfAlarmName":
        return [{"AlarmName": a["AlarmName"], "AlarmArn": a["AlarmArn"],
                 "AlarmRule": a["AlarmRule"]} for a in svc.composites.parents(caller.scope, name)]
    alarm = svc.alarms.get(caller.scope, name)
    if alarm is None or not composites.is_composite(alarm):
        return []
    found = (svc.alarms.get(caller.scope, n) for n in svc.composites.children(caller.scope, alarm))
    return [{k: a[k] for k in ("AlarmName", "AlarmArn", "StateValue", "StateUpdatedTimestamp")}
            | {"AlarmRule": a.get("AlarmRule")} for a in found if a is not None]


def _matching(svc, caller: Caller, request: dict) -> list[dict]:
    names = request.get("AlarmNames")
    prefix = request.get("AlarmNamePrefix")
    if names and prefix:  # [inferred] text
        raise errors.combination("The parameters AlarmNames and AlarmNamePrefix are mutually "
                                 "exclusive and you have specified both.")
    types = request.get("AlarmTypes") or ["MetricAlarm"]
    if names:
        found = [a for a in (svc.alarms.get(caller.scope, n) for n in sorted(set(names))) if a]
    else:
        found = svc.alarms.in_scope(caller.scope, prefix or "")
    state = request.get("StateValue")
    action_prefix = request.get("ActionPrefix")
    return [a for a in found
            if ("CompositeAlarm" if composites.is_composite(a) else "MetricAlarm") in types
            and (state is None or a["StateValue"] == state)
            and (action_prefix is None
                 or any(arn.startswith(action_prefix) for key in
                        ("OKActions", "AlarmActions", "InsufficientDataActions")
                        for arn in a.get(key, [])))]


def handle(svc, caller: Caller, request: dict) -> dict:
    family = request.get("ChildrenOfAlarmName") or request.get("ParentsOfAlarmName")
    found = _family(svc, caller, request) if family else _matching(svc, caller, request)
    found.sort(key=lambda a: a["AlarmName"])
    after = (paging.decode(request["NextToken"], errors.invalid_next_token)
             if request.get("NextToken") else None)
    if after is not None:
        found = [a for a in found if a["AlarmName"] > after]
    limit = request.get("MaxRecords") or DEFAULT_MAX_RECORDS
    page = found[:limit]
    metric = [a for a in page if not composites.is_composite(a)]
    composite = [a for a in page if composites.is_composite(a)]
    if family:  # AlarmRule only told the two kinds apart
        out = {"MetricAlarms": [{k: v for k, v in a.items() if k != "AlarmRule"} for a in metric],
               "CompositeAlarms": [{k: v for k, v in a.items() if k != "AlarmRule"}
                                   for a in composite]}
    else:
        out = {"MetricAlarms": [alarms.public(a) for a in metric],
               "CompositeAlarms": [composites.public(a) for a in composite]}
    if len(found) > limit:
        out["NextToken"] = paging.encode(page[-1]["AlarmName"])
    return out
