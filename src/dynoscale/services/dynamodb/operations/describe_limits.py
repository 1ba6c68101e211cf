"""DescribeLimits: the account's default provisioned-capacity quotas for the Region
(spec 3.2.1/3.2.2: 80,000 RCU/WCU per account, 40,000 per table). The same constants are what
CreateTable/UpdateTable enforce (capacity/limits.py), so the two always agree."""

from __future__ import annotations

from dynoscale.context import Caller
from dynoscale.services.dynamodb.capacity.limits import ACCOUNT_MAX_UNITS, TABLE_MAX_UNITS


def handle(svc, caller: Caller, request: dict) -> dict:
    return {"AccountMaxReadCapacityUnits": ACCOUNT_MAX_UNITS,
            "AccountMaxWriteCapacityUnits": ACCOUNT_MAX_UNITS,
            "TableMaxReadCapacityUnits": TABLE_MAX_UNITS,
            "TableMaxWriteCapacityUnits": TABLE_MAX_UNITS}
