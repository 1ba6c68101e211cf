"""The pure alarm rule: (alarm, the datapoints of its last N periods, now) -> verdict.

AWS facts: M of N with DatapointsToAlarm (default N); TreatMissingData breaching/notBreaching
count missing periods as such, `missing` goes to INSUFFICIENT_DATA when every period is missing,
`ignore` keeps the state (spec 5.5.3); the premature-alarm rule (5.5.4); alarms on AWS/DynamoDB
metrics ALWAYS keep their state on missing data (5.2.6, model doc of TreatMissingData).
StateReason / StateReasonData formats are AWS's observed ones (spec 5.5.6, 5.5.7): datapoints
newest first as `<java double> (dd/mm/yy HH:MM:SS)` with the period START in UTC.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Optional

# (period start, statistics of the period or None when no datapoint)
Period = tuple[float, Optional[dict[str, float]]]

OPERATORS = {
    "GreaterThanThreshold": ("greater than", lambda v, t: v > t),
    "GreaterThanOrEqualToThreshold": ("greater than or equal to", lambda v, t: v >= t),
    "LessThanThreshold": ("less than", lambda v, t: v < t),
    "LessThanOrEqualToThreshold": ("less than or equal to", lambda v, t: v <= t),
}
KEEPS_STATE_ON_MISSING = ("AWS/DynamoDB",)
# The "statistic" of a metric math alarm's periods: their StateReasonData has no statistic,
# unit or sampleCount (observed "State change for a metric math alarm" event in the CloudWatch
# User Guide, "Alarm events and EventBridge": {"version","queryDate","startDate","period",
# "recentDatapoints","threshold"}).
MATH_VALUE = "Value"


@dataclass(frozen=True)
class Verdict:
    state: str
    reason: str
    reason_data: dict[str, Any]

    def reason_data_json(self) -> str:
        return json.dumps(self.reason_data, separators=(",", ":"))


def java_double(v: float) -> str:
    """A double as Java's Double.toString prints it (42.0, 15.39, 1.0E7)."""
    if v != v:
        return "NaN"
    if v in (float("inf"), float("-inf")):
        return "Infinity" if v > 0 else "-Infinity"
    if v == 0:
        return "0.0"
    if 1e-3 <= abs(v) < 1e7:
        text = repr(float(v))
        return text if ("." in text or "e" in text) else text + ".0"
    mantissa, exponent = f"{v:.16e}".split("e")
    mantissa = repr(float(mantissa))
    return f"{mantissa}E{int(exponent)}"


def reason_time(ts: float) -> str:
    return datetime.fromtimestamp(ts, timezone.utc).strftime("%d/%m/%y %H:%M:%S")


def data_time(ts: float) -> str:
    dt = datetime.fromtimestamp(ts, timezone.utc)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}+0000"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def evaluate(alarm: dict[str, Any], periods: list[Period], now: float) -> Optional[Verdict]:
    """Verdict over `periods` (newest first, one per evaluation period), or None to keep state."""
    operator = OPERATORS.get(alarm.get("ComparisonOperator", ""))
    statistic = alarm.get("Statistic")
    if operator is None or statistic is None or alarm.get("Threshold") is None:
        return None  # anomaly bands and percentiles are not evaluated: keep the state
    phrase, breaches = operator
    threshold = float(alarm["Threshold"])
    n = len(periods)
    m = alarm.get("DatapointsToAlarm") or n
    treat = alarm.get("TreatMissingData", "missing")
    if alarm.get("Namespace") in KEEPS_STATE_ON_MISSING:
        treat = "ignore"
    real = [(start, stats) for start, stats in periods if stats is not None]
    if not real and treat in ("missing", "ignore"):
        if treat == "ignore":
            return None
        return Verdict("INSUFFICIENT_DATA",
                       f"Insufficient Data: {_plural(n, 'datapoint')} "
                       f"{'was' if n == 1 else 'were'} unknown.",
                       _insufficient_data(alarm, periods, now, threshold))
    if not real:
        return _all_missing_verdict(alarm, periods, n, now, threshold, treat == "breaching")
    # newest first: True = breaching, False = not breaching, None = missing
    marks: list[Optional[bool]] = []
    for _, stats in periods:
        if stats is None:
            marks.append({"breaching": True, "notBreaching": False}.get(treat))
        else:
            marks.append(breaches(stats[statistic], threshold))
    alarming = sum(1 for x in marks if x) >= m or _premature_alarm(marks, m)
    if not alarming and False not in marks:
        return None  # too few datapoints to alarm, none that says OK: keep the state
    state = "ALARM" if alarming else "OK"
    listed = [(start, stats) for start, stats in real
              if breaches(stats[statistic], threshold) == alarming] or real
    reason = _crossed_reason(alarm, state, listed, n, m, phrase if alarming else f"not {phrase}",
                             threshold)
    return Verdict(state, reason, _crossed_data(alarm, periods, real, listed, now, threshold))


def _all_missing_verdict(alarm: dict[str, Any], periods: list[Period], n: int, now: float,
                         threshold: float, breaching: bool) -> Verdict:
    """Every period missing, treated as breaching or not: AWS words it after the missing data,
    "Threshold Crossed: no datapoints were received for 2 periods and 2 missing datapoints were
    treated as [Breaching]." (and "... 1 period and 1 missing datapoint was treated as
    [NonBreaching]."), its StateReasonData without startDate, listing each period's timestamp
    alone. LocalStack snapshot tests/aws/services/cloudwatch/test_cloudwatch.snapshot.json::
    test_breaching_alarm_actions and test_put_metric_alarm, recorded against AWS. The same text
    with DatapointsToAlarm set is [inferred]."""
    state = "ALARM" if breaching else "OK"  # n missing-as-breaching periods >= M
    reason = (f"Threshold Crossed: no datapoints were received for {_plural(n, 'period')} and "
              f"{_plural(n, 'missing datapoint')} {'was' if n == 1 else 'were'} treated as "
              f"[{'Breaching' if breaching else 'NonBreaching'}].")
    return Verdict(state, reason, _insufficient_data(alarm, periods, now, threshold))


def _premature_alarm(marks: list[Optional[bool]], m: int) -> bool:
    """ALARM with fewer than M datapoints when the oldest real one breaches, is at least M periods
    old, and every newer real one breaches too (CloudWatch user guide, "Avoiding premature
    transitions to alarm state")."""
    real = [i for i, x in enumerate(marks) if x is not None]
    if not real:
        return False
    oldest = real[-1]
    return oldest >= m - 1 and all(marks[i] for i in real)


def _crossed_reason(alarm: dict[str, Any], state: str, listed: list[Period], n: int, m: int,
                    phrase: str, threshold: float) -> str:
    statistic = alarm["Statistic"]
    points = ", ".join(f"{java_double(stats[statistic])} ({reason_time(start)})"  # type: ignore[index]
                       for start, stats in listed)
    verb = "was" if len(listed) == 1 else "were"
    if alarm.get("DatapointsToAlarm") is None:
        return (f"Threshold Crossed: {_plural(len(listed), 'datapoint')} [{points}] {verb} {phrase} "
                f"the threshold ({java_double(threshold)}).")
    minimum = m if state == "ALARM" else n - m + 1
    old = alarm.get("StateValue", "INSUFFICIENT_DATA")
    last = "datapoint" if n == 1 else "datapoints"
    return (f"Threshold Crossed: {len(listed)} out of the last {n} {last} [{points}] {verb} {phrase} "
            f"the threshold ({java_double(threshold)}) "
            f"(minimum {_plural(minimum, 'datapoint')} for {old} -> {state} transition).")


def _base_data(alarm: dict[str, Any], now: float) -> dict[str, Any]:
    return {"version": "1.0", "queryDate": data_time(now)}


def _crossed_data(alarm: dict[str, Any], periods: list[Period], real: list[Period],
                  listed: list[Period], now: float, threshold: float) -> dict[str, Any]:
    statistic = alarm["Statistic"]
    data = _base_data(alarm, now)
    data["startDate"] = data_time(periods[-1][0])
    if alarm.get("Unit"):
        data["unit"] = alarm["Unit"]
    if statistic != MATH_VALUE:
        data["statistic"] = statistic
    data["period"] = alarm.get("Period")
    data["recentDatapoints"] = [stats[statistic] for _, stats in reversed(real)]  # type: ignore[index]
    data["threshold"] = threshold
    data["evaluatedDatapoints"] = [
        {"timestamp": data_time(start), "sampleCount": stats["SampleCount"],  # type: ignore[index]
         "value": stats[statistic]} if statistic != MATH_VALUE  # type: ignore[index]
        else {"timestamp": data_time(start), "value": stats[statistic]}  # type: ignore[index]
        for start, stats in listed]
    return data


def _insufficient_data(alarm: dict[str, Any], periods: list[Period], now: float,
                       threshold: float) -> dict[str, Any]:
    data = _base_data(alarm, now)
    if alarm.get("Unit"):
        data["unit"] = alarm["Unit"]
    if alarm["Statistic"] != MATH_VALUE:
        data["statistic"] = alarm["Statistic"]
    data["period"] = alarm.get("Period")
    data["recentDatapoints"] = []
    data["threshold"] = threshold
    data["evaluatedDatapoints"] = [{"timestamp": data_time(start)} for start, _ in periods]
    return data
