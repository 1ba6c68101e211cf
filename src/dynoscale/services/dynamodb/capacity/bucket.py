"""Token bucket for one table direction (read or write): the throttling model of spec 2.1.2.

Refilled at the provisioned units per simulated second; holds at most 300 seconds of them (burst
capacity, DG-BP); starts full. A request is admitted while the balance is >= 0 and then debited
its actual cost, which may drive the balance negative ("debt"): further requests are throttled
until the refill brings it back to zero. Throttled requests cost nothing (spec 2.1.8). Pure: the
caller passes `now`.
"""

from __future__ import annotations

from dataclasses import dataclass

BURST_SECONDS = 300.0


@dataclass
class TokenBucket:
    rate: float        # provisioned units per second
    balance: float
    updated: float     # simulated time of `balance`

    @classmethod
    def full(cls, rate: float, now: float) -> "TokenBucket":
        return cls(rate, rate * BURST_SECONDS, now)

    @property
    def capacity(self) -> float:
        return self.rate * BURST_SECONDS

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

    def set_rate(self, rate: float, now: float) -> None:
        """A throughput change became effective: settle at the old rate, refill at the new one."""
        self.refill(now)
        self.rate = rate
        self.balance = min(self.balance, self.capacity)

    def snapshot(self) -> list[float]:
        return [self.rate, self.balance, self.updated]

    @classmethod
    def restore(cls, data: list[float]) -> "TokenBucket":
        return cls(*data)
