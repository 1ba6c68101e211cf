"""WarmThroughput of a table (CreateTable, UpdateTable): the read and write units per second it
can serve at once (Developer Guide, warm-throughput.html: "the number of read and write
operations your DynamoDB table can instantaneously support").

Facts: DescribeTable always shows it; 12,000 / 4,000 for an on-demand table by default, the
highest units ever provisioned for a provisioned one; it never decreases: a lower value is a
ValidationException `One or more parameter values were invalid: Requested ReadUnitsPerSecond for
WarmThroughput for table is lower than current WarmThroughput, decreasing WarmThroughput is not
supported` (spec 3.6.2, ack-api-quirks DDB-TABLE-032/061/179). Its effect here: an on-demand table
serves max(double its previous peak, warm throughput) (on_demand.py) and a table's partitions are
sized from it (partitions.py). Inferred: a raise takes effect at once (AWS reports the warm
throughput UPDATING for minutes while the table stays ACTIVE; the emulator skips that phase);
only the table's own value is settable (GSI WarmThroughput updates are refused as before).
"""

from __future__ import annotations

from typing import Optional

from dynoscale.services.dynamodb import errors
from dynoscale.services.dynamodb.table_record import TableRecord

MEMBERS = (("ReadUnitsPerSecond", "warm_read"), ("WriteUnitsPerSecond", "warm_write"))
ON_DEMAND_DEFAULT = {"warm_read": 12000, "warm_write": 4000}


def current(table: TableRecord, attribute: str) -> int:
    have = getattr(table, attribute)
    return max(have, ON_DEMAND_DEFAULT[attribute]) if table.on_demand else have


def check(table: TableRecord, spec: Optional[dict]) -> None:
    """An UpdateTable WarmThroughput lower than the current value is refused."""
    for member, attribute in MEMBERS:
        value = (spec or {}).get(member)
        if value is not None and value < current(table, attribute):
            raise errors.invalid(f"Requested {member} for WarmThroughput for table is lower "
                                 "than current WarmThroughput, decreasing WarmThroughput is not "
                                 "supported")


def apply(table: TableRecord, spec: Optional[dict]) -> bool:
    """Raise the table's warm throughput to `spec`'s values; True when anything changed."""
    changed = False
    for member, attribute in MEMBERS:
        value = (spec or {}).get(member)
        if value is not None and value > getattr(table, attribute):
            setattr(table, attribute, int(value))
            changed = True
    return changed
