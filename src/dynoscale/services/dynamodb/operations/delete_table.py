"""DeleteTable: the table turns DELETING and disappears (with its items) after
the timing profile's table_delete seconds (timing.py).

Errors (ResourceInUseException texts, spec 3.4.6 and dynalite actions/deleteTable.js): while
CREATING `Table is being created: <name>`, while UPDATING `Table: <name> is in the process of
being updated.`, while DELETING `Table is being deleted: <name>`; a missing table ->
ResourceNotFoundException naming it; deletion protection -> ValidationException; within a
second or two of a change of the table's resource-based policy `Table: <name> has a pending
resource-based policy update.` (resource_policies.py). The answer omits GlobalSecondaryIndexes
(dynalite test/deleteTable.js).
"""

from __future__ import annotations

from dynoscale.context import Caller


def handle(svc, caller: Caller, request: dict) -> dict:
    current = svc.tables.get(caller.scope, request["TableName"])
    if current is not None and current.status == "ACTIVE" and not current.deletion_protection:
        svc.resource_policies.check_deletable(caller.scope, current)
    table = svc.tables.delete(caller.scope, request["TableName"])
    described = svc.tables.describe(table, warm=False)
    # AWS leaves the GSIs out of DeleteTable's answer (dynalite test/deleteTable.js "should
    # eventually delete", recorded against AWS; actions/deleteTable.js)
    described.pop("GlobalSecondaryIndexes", None)
    return {"TableDescription": described}
