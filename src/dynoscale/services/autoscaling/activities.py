"""Scaling activity records: creation, status transitions, listing.

Facts (spec §3): an activity has ActivityId (uuid4), ServiceNamespace, ResourceId,
ScalableDimension, Description, Cause, StartTime, StatusCode, and optionally EndTime,
StatusMessage, Details, NotScaledReasons. Newest first; retained six weeks; activities outlive
their policy and target (spec 3.7, inferred). Not-scaled decisions carry NotScaledReasons and are
returned only with IncludeNotScaledActivities=true (spec 3.5).

Status transitions (spec 3.2) as a table: (status, event) -> status.
"""

from __future__ import annotations

import uuid
from typing import Any, Optional

from dynoscale.services.autoscaling.targets_and_policies import Records

ACTIVITY_KIND = "aas:activity"
RETENTION_SECONDS = 42 * 86400  # six weeks (spec 3.6)
PRUNE_EVERY = 3600.0

TRANSITIONS = {
    ("Pending", "accepted"): "InProgress",
    ("Pending", "failed"): "Failed",
    ("InProgress", "fulfilled"): "Successful",
    ("InProgress", "failed"): "Failed",
    ("InProgress", "timed_out"): "Unfulfilled",
    ("InProgress", "superseded"): "Overridden",
}
MEMBERS = ("ActivityId", "ServiceNamespace", "ResourceId", "ScalableDimension", "Description",
           "Cause", "StartTime", "EndTime", "StatusCode", "StatusMessage", "Details",
           "NotScaledReasons")


class Activities:
    def __init__(self, store, records: Records):
        self.store = store
        self.records = records
        self._pruned: dict[str, float] = {}   # scope -> when expired activities were deleted

    def _prune(self, scope: str, now: float) -> None:
        """Delete activities past the retention (they are no longer listed), at most once per
        simulated hour per account and Region: they would otherwise accumulate forever, and
        latest()/in_progress() read them all."""
        if now - self._pruned.get(scope, float("-inf")) < PRUNE_EVERY:
            return
        self._pruned[scope] = now
        for _, doc_id, doc in self.store.list_docs(ACTIVITY_KIND, scope):   # in seq order
            if doc["StartTime"] >= now - RETENTION_SECONDS:
                break
            if doc["StatusCode"] not in ("Pending", "InProgress"):
                self.store.delete_doc(ACTIVITY_KIND, scope, doc_id)

    def start(self, scope: str, target: dict[str, Any], description: str, cause: str,
              now: float) -> dict[str, Any]:
        """A new Pending activity for `target` (stored)."""
        activity = {
            "ActivityId": str(uuid.uuid4()),
            "ServiceNamespace": target["ServiceNamespace"],
            "ResourceId": target["ResourceId"],
            "ScalableDimension": target["ScalableDimension"],
            "Description": description,
            "Cause": cause,
            "StartTime": round(now, 3),  # AWS reports milliseconds (spec 1.1.3)
            "StatusCode": "Pending",
            "seq": self.records.next_seq(scope, "activity"),
        }
        self.save(scope, activity)
        self._prune(scope, now)
        return activity

    def not_scaled(self, scope: str, target: dict[str, Any], cause: str, reason: dict[str, Any],
                   now: float) -> None:
        """Record a decision not to scale. CloudWatch re-invokes the policy each minute while
        the alarm stays in ALARM (spec 2.5.1): an identical decision right after the previous
        one is not recorded again, so the history is not flooded."""
        latest = self.latest(scope, target)
        if latest and latest.get("NotScaledReasons") == [reason] and latest["Cause"] == cause:
            return
        activity = self.start(scope, target, "Attempting to scale due to alarm triggered", cause,
                              now)
        # The AAS-UG sample of a not-scaled activity carries no StatusMessage or EndTime.
        activity.update(StatusCode="Failed", NotScaledReasons=[reason])
        self.save(scope, activity)

    def advance(self, scope: str, activity: dict[str, Any], event: str, message: str,
                now: Optional[float] = None) -> dict[str, Any]:
        activity["StatusCode"] = TRANSITIONS[(activity["StatusCode"], event)]
        activity["StatusMessage"] = message
        if now is not None:
            activity["EndTime"] = round(now, 3)
        self.save(scope, activity)
        return activity

    def discard(self, scope: str, activity: dict[str, Any]) -> None:
        """Forget an activity that turned out to repeat the one before it."""
        self.store.delete_doc(ACTIVITY_KIND, scope, f"{activity['seq']:012d}")

    def get(self, scope: str, activity_id: str) -> Optional[dict[str, Any]]:
        for _, _, doc in self.store.list_docs(ACTIVITY_KIND, scope):
            if doc["ActivityId"] == activity_id:
                return doc
        return None

    def save(self, scope: str, activity: dict[str, Any]) -> None:
        self.store.put_doc(ACTIVITY_KIND, scope, f"{activity['seq']:012d}", activity)

    def latest(self, scope: str, target: dict[str, Any]) -> Optional[dict[str, Any]]:
        found = self.list(scope, target["ServiceNamespace"], target["ResourceId"],
                          target["ScalableDimension"], include_not_scaled=True, now=None)
        return found[0] if found else None

    def in_progress(self, scope: str, target: dict[str, Any]) -> bool:
        return any(a["StatusCode"] in ("Pending", "InProgress")
                   for a in self.list(scope, target["ServiceNamespace"], target["ResourceId"],
                                      target["ScalableDimension"], include_not_scaled=False,
                                      now=None))

    def list(self, scope: str, namespace: str, resource_id: Optional[str],
             dimension: Optional[str], include_not_scaled: bool,
             now: Optional[float]) -> list[dict[str, Any]]:
        """Matching activities, newest first."""
        out = []
        for _, _, doc in self.store.list_docs(ACTIVITY_KIND, scope):
            if doc["ServiceNamespace"] != namespace:
                continue
            if resource_id is not None and doc["ResourceId"] != resource_id:
                continue
            if dimension is not None and doc["ScalableDimension"] != dimension:
                continue
            if doc.get("NotScaledReasons") and not include_not_scaled:
                continue
            if now is not None and doc["StartTime"] < now - RETENTION_SECONDS:
                continue
            out.append(doc)
        out.sort(key=lambda d: d["seq"], reverse=True)
        return out


def activity_output(activity: dict[str, Any]) -> dict[str, Any]:
    return {k: activity[k] for k in MEMBERS if k in activity}
