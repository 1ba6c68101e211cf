"""The metric store: statistic sets per metric series, and the statistics computed from them.

A series is one metric (Namespace + MetricName + exact dimension set) in one account and Region
with one Unit: CloudWatch aggregates different units separately (spec 5.6.2). Points are stored
as (timestamp, sample count, sum, minimum, maximum), so Sum/Average/SampleCount/Minimum/Maximum
over any period are exact; percentiles are not kept.
"""

from __future__ import annotations

import math
from typing import Any, Iterable, Optional, Sequence

import orjson

Point = tuple[float, float, float, float, float]
STATISTICS = ("SampleCount", "Average", "Sum", "Minimum", "Maximum")
NO_UNIT = "None"


def canonical_dimensions(dimensions: Optional[Sequence[dict[str, str]]]) -> list[dict[str, str]]:
    return sorted(({"Name": d["Name"], "Value": d["Value"]} for d in dimensions or []),
                  key=lambda d: (d["Name"], d["Value"]))


def metric_key(scope: str, namespace: str, name: str,
               dimensions: Optional[Sequence[dict[str, str]]]) -> str:
    dims = [[d["Name"], d["Value"]] for d in canonical_dimensions(dimensions)]
    return orjson.dumps([scope, namespace, name, dims]).decode()


def series_id(metric: str, unit: str) -> str:
    return f"{metric}\x1f{unit}"


def aggregate(points: Iterable[Point]) -> Optional[dict[str, float]]:
    """All five statistics of a set of points, or None when there are none."""
    count = total = 0.0
    low, high = math.inf, -math.inf
    seen = False
    for _, n, s, lo, hi in points:
        seen = True
        count += n
        total += s
        low = min(low, lo)
        high = max(high, hi)
    if not seen:
        return None
    return {"SampleCount": count, "Sum": total, "Minimum": low, "Maximum": high,
            "Average": total / count if count else 0.0}


def period_start(ts: float, origin: float, period: int) -> float:
    return origin + math.floor((ts - origin) / period) * period


class MetricStore:
    """Metric series on the Store's metric-point API, plus an index metric -> units seen.

    The index is a cache rebuilt from the store at start, so readers that do not name a unit
    (alarms without Unit, GetMetricStatistics without Unit) find every series of a metric.
    """

    def __init__(self, store: Any):
        self.store = store
        self._units: Optional[dict[str, set[str]]] = None

    def _index(self) -> dict[str, set[str]]:
        if self._units is None:
            self._units = {}
            for _, meta in self.store.list_metric_series(0.0):
                if "metric" in meta:
                    self._units.setdefault(meta["metric"], set()).add(meta["Unit"])
        return self._units

    def add(self, scope: str, namespace: str, name: str,
            dimensions: Optional[Sequence[dict[str, str]]], unit: Optional[str],
            points: Sequence[Point]) -> None:
        if not points:
            return
        unit = unit or NO_UNIT
        metric = metric_key(scope, namespace, name, dimensions)
        meta = {"metric": metric, "scope": scope, "Namespace": namespace, "MetricName": name,
                "Dimensions": canonical_dimensions(dimensions), "Unit": unit}
        self.store.add_metric_points(series_id(metric, unit), meta, points)
        self._index().setdefault(metric, set()).add(unit)

    def units(self, scope: str, namespace: str, name: str,
              dimensions: Optional[Sequence[dict[str, str]]]) -> list[str]:
        return sorted(self._index().get(metric_key(scope, namespace, name, dimensions), ()))

    def read(self, scope: str, namespace: str, name: str,
             dimensions: Optional[Sequence[dict[str, str]]], unit: Optional[str],
             start: float, end: float) -> list[Point]:
        """Points with start <= ts < end; of one unit, or of every unit when unit is None."""
        metric = metric_key(scope, namespace, name, dimensions)
        units = [unit] if unit else sorted(self._index().get(metric, ()))
        points: list[Point] = []
        for u in units:
            points.extend(self.store.read_metric_points(series_id(metric, u), start, end))
        return points

    def buckets(self, points: Iterable[Point], origin: float,
                period: int) -> dict[float, dict[str, float]]:
        """Statistics per period, keyed by period start (periods aligned to `origin`)."""
        grouped: dict[float, list[Point]] = {}
        for p in points:
            grouped.setdefault(period_start(p[0], origin, period), []).append(p)
        return {start: aggregate(ps) for start, ps in sorted(grouped.items())}  # type: ignore[misc]

    def list_series(self, since: float) -> list[dict[str, Any]]:
        return [meta for _, meta in self.store.list_metric_series(since) if "metric" in meta]
