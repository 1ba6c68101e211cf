"""DeleteTable: the table turns DELETING and disappears (with its items) after
the timing profile's table_delete seconds (timing.py).

Errors (ResourceInUseException texts, spec 3.4.6 and dynalite actions/deleteTable.js): while
CREATING `Table is being created: <name>`, while UPDATING `Table: <name> is in the process of
being updated.`, while DELETING `Table is being deleted: <name>`; a missing table ->
ResourceNotFoundException naming it; deletion protection -> ValidationException; within a
second or two of a change of the table's resource-based policy `Table: <name> has a pending
resource-based policy update.` (resource_policies.py). The answer is DescribeTable's without the
table's schema: no KeySchema, AttributeDefinitions, CreationDateTime, LocalSecondaryIndexes or
GlobalSecondaryIndexes (scylladb test/alternator/test_table.py::test_delete_table_description and
::test_delete_table_description_with_si, run against AWS; dynalite test/deleteTable.js for the
GSIs).
"""

from __future__ import annotations

from dynoscale.context import Caller

# what DeleteTable's TableDescription leaves out of DescribeTable's (module docstring)
_NOT_ANSWERED = ("KeySchema", "AttributeDefinitions", "CreationDateTime", "LocalSecondaryIndexes",
                 "GlobalSecondaryIndexes")


def handle(svc, caller: Caller, request: dict) -> dict:
    current = svc.tables.get(caller.scope, request["TableName"])
    if current is not None and current.status == "ACTIVE" and not current.deletion_protection:
        svc.resource_policies.check_deletable(caller.scope, current)
    table = svc.tables.delete(caller.scope, request["TableName"])
    described = svc.tables.describe(table, warm=False)
    for member in _NOT_ANSWERED:
        described.pop(member, None)
    return {"TableDescription": described}
