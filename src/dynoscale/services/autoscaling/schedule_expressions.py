"""Schedule expressions of scheduled actions, and when they next fire.

Facts (spec 4.3-4.5; AAS-UG `scheduled-scaling-using-cron-expressions.md`):
- `at(yyyy-mm-ddThh:mm:ss)` runs once; `rate(N minute|minutes|hour|hours|day|days)` repeats;
  `cron(Minutes Hours Day-of-month Month Day-of-week Year)` (a seven-field form with a leading
  Seconds field is accepted; its seconds are ignored: finest resolution is one minute) with `*`,
  `?`, ranges, lists, increments and names (JAN-DEC, SUN-SAT; Sunday is 1). One of Day-of-month /
  Day-of-week must be `?` (CloudWatch Events cron rules).
- at() and cron() are read in the action's Timezone (IANA, default UTC); StartTime/EndTime are UTC
  instants. With a StartTime a recurring action runs at StartTime and then per recurrence; after
  EndTime it stops.
- A bad expression is `ValidationException: Invalid schedule expression. Details: ...`
  (observed: hashicorp/terraform-provider-aws #13995, `Invalid schedule expression. Details:
  Invalid CRON expression: ...`; the detail texts here are ours).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Optional
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dynoscale.services.autoscaling import errors

_AT = re.compile(r"^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$")
_RATE = re.compile(r"^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$")
_CRON = re.compile(r"^cron\((.*)\)$")
_UNIT_SECONDS = {"minute": 60, "hour": 3600, "day": 86400}
_MONTHS = {m: i + 1 for i, m in enumerate(
    "JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split())}
_DAYS = {d: i + 1 for i, d in enumerate("SUN MON TUE WED THU FRI SAT".split())}
# (field name, low, high, names)
_FIELDS = (("Minutes", 0, 59, {}), ("Hours", 0, 23, {}), ("Day-of-month", 1, 31, {}),
           ("Month", 1, 12, _MONTHS), ("Day-of-week", 1, 7, _DAYS), ("Year", 1970, 2199, {}))
_SEARCH_DAYS = 366 * 5


def invalid(details: str):
    return errors.validation(f"Invalid schedule expression. Details: {details}")


def zone(name: Optional[str]) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        raise errors.validation(f"Invalid timezone: {name}") from None


@dataclass(frozen=True)
class Schedule:
    kind: str                                   # "at" | "rate" | "cron"
    at: Optional[dt.datetime] = None            # naive local time
    period: Optional[int] = None                # seconds
    fields: Optional[tuple] = None              # six Optional[frozenset]; None = `?`

    @property
    def recurring(self) -> bool:
        return self.kind != "at"


def parse(text: str) -> Schedule:
    m = _AT.match(text)
    if m:
        try:
            return Schedule("at", at=dt.datetime(*map(int, m.groups())))
        except ValueError:
            raise invalid(f"Invalid AT expression: {text}") from None
    m = _RATE.match(text)
    if m:
        count, unit = int(m.group(1)), m.group(2)
        if count < 1 or (count == 1) != (not unit.endswith("s")):
            raise invalid(f"Invalid RATE expression: {text}")
        return Schedule("rate", period=count * _UNIT_SECONDS[unit.rstrip("s")])
    m = _CRON.match(text)
    if m:
        return Schedule("cron", fields=_parse_cron(m.group(1)))
    raise invalid(f"Unsupported schedule expression: {text}")


def _parse_cron(body: str) -> tuple:
    parts = body.split()
    if len(parts) == 7:
        parts = parts[1:]  # leading Seconds: accepted, not honoured (spec 4.3)
    if len(parts) != 6:
        raise invalid(f"Invalid CRON expression: expected 6 fields, got {len(parts)}")
    fields = tuple(_parse_field(p, *spec) for p, spec in zip(parts, _FIELDS))
    if (fields[2] is None) == (fields[4] is None):
        raise invalid("Invalid CRON expression: exactly one of Day-of-month and Day-of-week "
                      "must be '?'")
    return fields


def _parse_field(text: str, name: str, low: int, high: int, names: dict) -> Optional[frozenset]:
    if text == "?":
        if name not in ("Day-of-month", "Day-of-week"):
            raise invalid(f"Invalid CRON expression: '?' is not allowed in {name}")
        return None
    values: set[int] = set()
    for item in text.split(","):
        base, _, step_text = item.partition("/")
        if base == "*":
            first, last = low, high
        elif "-" in base:
            a, _, b = base.partition("-")
            first, last = _value(a, name, low, high, names), _value(b, name, low, high, names)
        else:
            first = _value(base, name, low, high, names)
            last = high if step_text else first
        if step_text:
            if not step_text.isdigit() or int(step_text) < 1:
                raise invalid(f"Invalid CRON expression: invalid increment '{step_text}' in {name}")
            step = int(step_text)
        else:
            step = 1
        if first > last:
            raise invalid(f"Invalid CRON expression: invalid range '{base}' in {name}")
        values.update(range(first, last + 1, step))
    return frozenset(values)


def _value(text: str, name: str, low: int, high: int, names: dict) -> int:
    if text.upper() in names:
        return names[text.upper()]
    if not text.isdigit() or not low <= int(text) <= high:
        raise invalid(f"Invalid CRON expression: invalid {name} value: '{text}'")
    return int(text)


def next_fire(schedule: Schedule, tz: ZoneInfo, not_before: float, anchor: float,
              start: Optional[float] = None, end: Optional[float] = None) -> Optional[float]:
    """The earliest fire time >= not_before, or None when the schedule is over.

    `anchor` is when a rate() without StartTime starts counting (its creation/update)."""
    if schedule.kind == "at":
        when = schedule.at.replace(tzinfo=tz).timestamp()
        return when if when >= not_before else None
    candidates = []
    if start is not None and start >= not_before:
        candidates.append(start)  # spec 4.5: runs at StartTime, then per recurrence
    floor = max(not_before, start) if start is not None else not_before
    if schedule.kind == "rate":
        origin = start if start is not None else anchor + schedule.period
        steps = max(0, -(-(floor - origin) // schedule.period))
        candidates.append(origin + steps * schedule.period)
    else:
        found = _next_cron(schedule.fields, tz, floor)
        if found is not None:
            candidates.append(found)
    when = min(candidates) if candidates else None
    if when is None or (end is not None and when > end):
        return None
    return when


def _next_cron(fields: tuple, tz: ZoneInfo, floor: float) -> Optional[float]:
    minutes, hours, dom, months, dow, years = fields
    local = dt.datetime.fromtimestamp(floor, tz).replace(tzinfo=None)
    day = local.date()
    for _ in range(_SEARCH_DAYS):
        if day.year in years and day.month in months and (
                (dom is not None and day.day in dom)
                or (dow is not None and (day.isoweekday() % 7) + 1 in dow)):
            for hour in sorted(hours):
                for minute in sorted(minutes):
                    when = dt.datetime(day.year, day.month, day.day, hour, minute,
                                       tzinfo=tz).timestamp()
                    if when >= floor:
                        return when
        day += dt.timedelta(days=1)
    return None
