"""DescribeLimits: the account's default provisioned-capacity quotas for the Region
(spec 3.2.1/3.2.2: 80,000 RCU/WCU per account, 40,000 per table)."""

from __future__ import annotations

from dynoscale.context import Caller

ACCOUNT_MAX_UNITS = 80000
TABLE_MAX_UNITS = 40000


def handle(svc, caller: Caller, request: dict) -> dict:
    return {"AccountMaxReadCapacityUnits": ACCOUNT_MAX_UNITS,
            "AccountMaxWriteCapacityUnits": ACCOUNT_MAX_UNITS,
            "TableMaxReadCapacityUnits": TABLE_MAX_UNITS,
            "TableMaxWriteCapacityUnits": TABLE_MAX_UNITS}
