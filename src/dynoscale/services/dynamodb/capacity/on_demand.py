"""What an on-demand (PAY_PER_REQUEST) table or GSI can serve per second: double its previous
peak, or its warm throughput, within the per-table quota and any OnDemandThroughput maximum.

Facts (Developer Guide, on-demand-capacity-mode.html "Initial throughput and scaling properties"
and pre-warming-on-demand-capacity-mode.html): on-demand "instantly accommodates up to double the
previous peak traffic on a table"; "new on-demand tables will be able to sustain up to 4,000
writes per second and 12,000 reads per second" (a previous peak of 2,000 / 6,000, the older
guide's wording); "throttling can occur if you exceed double your previous peak within 30
minutes"; sustained traffic "becomes your new previous peak". A provisioned table switched to
on-demand starts from "half the maximum write capacity units and read capacity units provisioned
since the table was created, or the settings for a newly created table with on-demand capacity
mode, whichever is higher" (HowItWorks.ReadWriteCapacityMode, "Initial throughput for on-demand
capacity mode"). Warm throughput is what the table "can instantaneously support"
(warm-throughput.html). On-demand tables are held to the per-table quota (40,000 read and write
request units by default, ServiceQuotas.html; AccountLimitExceeded) and to an OnDemandThroughput
maximum (MaxOnDemandThroughputExceeded).

Inferred (AWS gives no algorithm): the previous peak is the highest number of units served in one
second; a second above it starts a 30-minute adaptation, at the end of which the highest second
seen meanwhile is the new previous peak (so traffic at three times the old peak is throttled to
twice it for 30 minutes, then absorbed). Exceeding double the previous peak is answered like a
hot partition (KeyRangeThroughputExceeded), since AWS's guidance for that reason is to pre-warm
("check if your table is limited by its warm throughput", key-range mitigation page). The peak
never decreases. On-demand tables keep one second of unused capacity, not five minutes of burst.

A single request (inferred): against the allowance of double the previous peak, a request is
judged whole when it starts: admitted, every item of it, while the table (GSI) is out of debt;
one larger than a second of the allowance draws only what the table has left and leaves no
debt behind. So a single legal request on a new table (a TransactWriteItems or BatchWriteItem of
4 MB: about 8,000 WRU, twice the 4,000 a new table sustains per second) is served, and so are
several back to back, as AWS serves them: Alternator's test_transact.py (scylladb, run against
AWS) passes with such transactions on a new on-demand table, while a one-second bucket charged
in full would refuse every request in the second after one. Why: AWS states the allowance as a
rate of sustained traffic ("instantly accommodates up to double the previous peak"; a spike
"almost instantaneous" above it "might" throttle, AWS Knowledge Center
dynamodb-spiky-workloads-short-intervals) and throttles on-demand tables beyond it only with
the key-range reason, i.e. at partitions; so here the partitions (each held to 1,000 WCU /
3,000 RCU per second, partitions.py, charged in full) bound what large requests can take at
once, and their units still count in the peak (a table serving them for 30 minutes adapts).
Many small requests in one instant are still held to the allowance plus the one that crosses
it. Not for an OnDemandThroughput maximum or the per-table quota: those hold every request.
"""

from __future__ import annotations

from typing import Optional

INITIAL_PEAK = {"read": 6000.0, "write": 2000.0}
ADAPT_SECONDS = 1800.0


class Peak:
    """The previous peak of one table/GSI direction and the adaptation under way."""
    __slots__ = ("peak", "second", "second_units", "rising", "rising_since")

    def __init__(self, peak: float, rising: float = 0.0, rising_since: Optional[float] = None):
        self.peak = peak
        self.second = -1
        self.second_units = 0.0
        self.rising = rising
        self.rising_since = rising_since

    def allowance(self, warm: float) -> float:
        return max(2.0 * self.peak, warm)

    def served(self, units: float, now: float) -> None:
        second = int(now)
        if second != self.second:
            self._second_ended()
            self.second = second
            self.second_units = 0.0
        self.second_units += units

    def _second_ended(self) -> None:
        if self.second_units > self.peak:
            if self.rising_since is None:
                self.rising_since = float(self.second)
            self.rising = max(self.rising, self.second_units)

    def adapt(self, now: float) -> bool:
        """True when a new peak took effect (the table scaled out)."""
        if int(now) != self.second:
            self._second_ended()
            self.second, self.second_units = int(now), 0.0
        if self.rising_since is not None and now >= self.rising_since + ADAPT_SECONDS:
            self.peak = max(self.peak, self.rising)
            self.rising, self.rising_since = 0.0, None
            return True
        return False

    def snapshot(self) -> dict:
        return {"peak": self.peak, "rising": self.rising, "since": self.rising_since}

    @classmethod
    def restore(cls, data: dict) -> "Peak":
        return cls(data["peak"], data.get("rising") or 0.0, data.get("since"))
