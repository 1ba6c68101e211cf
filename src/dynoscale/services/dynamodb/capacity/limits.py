"""Provisioned-capacity quotas (spec 3.2): the per-table and per-account maxima DescribeLimits
reports, checked by CreateTable, UpdateTable (table and GSI throughput, GSI creation, switching to
PROVISIONED) and auto scaling's port.

Facts: defaults 40,000 RCU/WCU per table and per GSI (DG-Q current wording: the table-level quota
applies to each table and each of its GSIs), 80,000 per account and Region summed over every
provisioned table and GSI (on-demand tables excluded) (spec 3.2.1/3.2.2). Errors are
LimitExceededException with the texts of spec 3.2.3; AWS's own auto scaling notice shows the
per-table text for an UpdateTable ("Failed to set write capacity units to 45000. Reason: The
requested WriteCapacityUnits, 45000, is above the per table maximum ..."), so both calls check it.
Emulator choices [SILENT]: "reserved by the account" counts every other provisioned table and GSI
at its current setting (a pending change at its new value), "Requested" is the new value of the
resource being set; read is checked before write.
"""

from __future__ import annotations

from typing import Iterable, Optional

from dynoscale.services.dynamodb import errors
from dynoscale.services.dynamodb.table_record import TableRecord

ACCOUNT_MAX_UNITS = 80000
TABLE_MAX_UNITS = 40000
MEMBERS = (("read", "ReadCapacityUnits"), ("write", "WriteCapacityUnits"))


def check_resource_max(region: str, read: int, write: int, index: Optional[str] = None) -> None:
    for value, (_, member) in zip((read, write), MEMBERS):
        if value > TABLE_MAX_UNITS:
            raise errors.table_max_exceeded(member, value, region, TABLE_MAX_UNITS, index)


def reserved(tables: Iterable[TableRecord], *, skip: tuple = ()) -> tuple[int, int]:
    """(read, write) provisioned over the account's PROVISIONED tables and their GSIs, leaving out
    the resources in `skip` ((table name, GSI name or None) pairs)."""
    read = write = 0
    for table in tables:
        if table.billing_mode != "PROVISIONED" or table.status == "DELETING":
            continue
        owners = [(None, table.throughput)] + [(g.name, g.throughput) for g in table.gsis
                                               if g.status != "DELETING"]
        for index, throughput in owners:
            if (table.name, index) in skip:
                continue
            r, w = throughput.reserved_units()
            read, write = read + r, write + w
    return read, write


def check_account(region: str, tables: Iterable[TableRecord], requests: dict) -> None:
    """`requests`: {(table name, GSI name or None): (read, write)} being set by one call."""
    have_read, have_write = reserved(tables, skip=tuple(requests))
    want_read = sum(r for r, _ in requests.values())
    want_write = sum(w for _, w in requests.values())
    for have, want, (_, member) in ((have_read, want_read, MEMBERS[0]),
                                    (have_write, want_write, MEMBERS[1])):
        if have + want > ACCOUNT_MAX_UNITS:
            raise errors.account_max_exceeded(member, region, have, ACCOUNT_MAX_UNITS, want)


def check(region: str, tables: Iterable[TableRecord], requests: dict) -> None:
    """Both quotas for the resources one call sets."""
    for (_, index), (read, write) in requests.items():
        check_resource_max(region, read, write, index)
    check_account(region, tables, requests)


# -- OnDemandThroughput (spec 3.6.1) -------------------------------------------------------------
ON_DEMAND_MEMBERS = ("MaxReadRequestUnits", "MaxWriteRequestUnits")
REMOVE_CAP = -1


def check_on_demand(region: str, spec: dict, *, update: bool) -> None:
    """Values >= 1 set a cap; -1 removes one (UpdateTable only); anything else is out of range;
    above the per-table maximum is a LimitExceededException."""
    for member in ON_DEMAND_MEMBERS:
        value = spec.get(member)
        if value is None:
            continue
        if value < 1 and not (update and value == REMOVE_CAP):
            raise errors.on_demand_out_of_range(member)
        if value > TABLE_MAX_UNITS:
            raise errors.on_demand_above_table_max(member, region)


def merge_on_demand(current: Optional[dict], spec: dict) -> Optional[dict]:
    """Single-member updates merge; -1 removes that member's cap (DDB-TABLE-154/178)."""
    out = dict(current or {})
    for member in ON_DEMAND_MEMBERS:
        value = spec.get(member)
        if value == REMOVE_CAP:
            out.pop(member, None)
        elif value is not None:
            out[member] = value
    return out or None
