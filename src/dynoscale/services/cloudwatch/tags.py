"""Tags of metric and composite alarms: TagResource, UntagResource, ListTagsForResource and the
`Tags` of PutMetricAlarm / PutCompositeAlarm.

AWS facts (botocore model docs of TagResource, PutMetricAlarm.Tags, PutCompositeAlarm.Tags and
shapes Tag/TagKey/TagValue): an alarm's ARN is `arn:aws:cloudwatch:<Region>:<account>:alarm:<name>`;
TagResource appends new keys and replaces the value of existing ones; at most 50 tags per
resource; Tags given to PutMetricAlarm/PutCompositeAlarm apply only when the alarm is created
("If you are using this operation to update an existing alarm, any tags you specify in this
parameter are ignored"). The tags live in the alarm record ("Tags", a Tag list in insertion
order), so they go away with the alarm and survive restarts. Only alarms are taggable here
(dashboards, metric streams and Contributor Insights rules do not exist in Dynoscale).
"""

from __future__ import annotations

import re
from typing import Any, Iterable, Optional

from dynoscale.context import Caller
from dynoscale.services.cloudwatch import errors

MAX_TAGS = 50  # model docs of TagResource and PutMetricAlarm.Tags
ALARM_ARN = re.compile(r"^arn:aws[a-z-]*:cloudwatch:([a-z0-9-]*):([0-9]*):alarm:(.+)$", re.S)
ANY_ARN = re.compile(r"^arn:[^:]+:[^:]+:[^:]*:[^:]*:.+$", re.S)


def merged(current: Iterable[dict[str, str]], added: Iterable[dict[str, str]]) -> list[dict[str, str]]:
    """Tags after adding `added`: new keys appended, existing keys get the new value."""
    by_key = {t["Key"]: t["Value"] for t in current}
    for tag in added:
        by_key[tag["Key"]] = tag["Value"]
    if len(by_key) > MAX_TAGS:
        raise errors.too_many_tags()
    return [{"Key": k, "Value": v} for k, v in by_key.items()]


def initial(request: dict[str, Any]) -> Optional[list[dict[str, str]]]:
    """The tags a PutMetricAlarm/PutCompositeAlarm that creates an alarm gives it."""
    tags = request.get("Tags")
    return merged([], tags) if tags else None


class AlarmTags:
    """Tag operations on the alarm records of an AlarmBook."""

    def __init__(self, book: Any):
        self.book = book

    def _alarm(self, caller: Caller, arn: str) -> dict[str, Any]:
        match = ALARM_ARN.match(arn)
        if match is None:
            if ANY_ARN.match(arn):
                # A well-formed ARN of something that is not an alarm: nothing of that kind
                # exists here (dashboards, metric streams, insight rules are not emulated).
                raise errors.tag_resource_not_found()
            raise errors.invalid_arn(arn)
        region, account, name = match.groups()
        alarm = None
        if region == caller.region and account == caller.account_id:
            alarm = self.book.get(caller.scope, name)
        if alarm is None:
            raise errors.tag_resource_not_found()
        return alarm

    def list(self, caller: Caller, arn: str) -> list[dict[str, str]]:
        return [dict(t) for t in self._alarm(caller, arn).get("Tags", [])]

    def tag(self, caller: Caller, arn: str, tags: list[dict[str, str]]) -> None:
        alarm = self._alarm(caller, arn)
        alarm["Tags"] = merged(alarm.get("Tags", []), tags)
        self.book.save(caller.scope, alarm)

    def untag(self, caller: Caller, arn: str, keys: list[str]) -> None:
        alarm = self._alarm(caller, arn)
        drop = set(keys)
        kept = [t for t in alarm.get("Tags", []) if t["Key"] not in drop]
        if kept:
            alarm["Tags"] = kept
        else:
            alarm.pop("Tags", None)
        self.book.save(caller.scope, alarm)
