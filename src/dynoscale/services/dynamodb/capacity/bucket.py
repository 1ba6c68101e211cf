"""Token bucket for one table or GSI direction (read or write): the throttling model of spec 2.1.2.

Refilled at the provisioned units per simulated second; holds at most 300 seconds of them (burst
capacity, DG-BP); starts full. A request is admitted while the balance is >= 0 and then debited
its actual cost, which may drive the balance negative ("debt"): further requests are throttled
until the refill brings it back to zero. Throttled requests cost nothing (spec 2.1.8). Pure: the
caller passes `now`. `burst` is the seconds of unused capacity the bucket holds: 300 for provisioned
throughput; an on-demand maximum (OnDemandThroughput, spec 2.1.9/3.6.1) keeps one second, so
requests above the configured rate get "quick throttle responses" (DG on-demand maximum
throughput) instead of a five-minute burst.
"""

from __future__ import annotations

from dataclasses import dataclass

BURST_SECONDS = 300.0


@dataclass
class TokenBucket:
    rate: float        # provisioned units per second
    balance: float
    updated: float     # simulated time of `balance`
    burst: float = BURST_SECONDS

    @classmethod
    def full(cls, rate: float, now: float, burst: float = BURST_SECONDS) -> "TokenBucket":
        return cls(rate, rate * burst, now, burst)

    @property
    def capacity(self) -> float:
        return self.rate * self.burst

    def refill(self, now: float) -> None:
        if now > self.updated:
            self.balance = min(self.capacity, self.balance + (now - self.updated) * self.rate)
            self.updated = now

    def admits(self, now: float) -> bool:
        self.refill(now)
        return self.balance >= 0

    def debit(self, units: float, now: float) -> None:
        self.refill(now)
        self.balance -= units

    def set_rate(self, rate: float, now: float, burst: float = BURST_SECONDS) -> None:
        """A throughput change became effective: settle at the old rate, refill at the new one."""
        self.refill(now)
        self.rate = rate
        self.burst = burst
        self.balance = min(self.balance, self.capacity)

    def snapshot(self) -> list[float]:
        return [self.rate, self.balance, self.updated, self.burst]

    @classmethod
    def restore(cls, data: list[float]) -> "TokenBucket":
        return cls(*data)
