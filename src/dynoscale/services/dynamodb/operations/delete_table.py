"""DeleteTable: the table turns DELETING and disappears (with its items) after
tables.DELETE_SECONDS simulated seconds.

Errors (ResourceInUseException texts, spec 3.4.6 and dynalite actions/deleteTable.js): while
CREATING `Table is being created: <name>`, while UPDATING `Table: <name> is in the process of
being updated.`, while DELETING `Table is being deleted: <name>`; a missing table ->
ResourceNotFoundException naming it; deletion protection -> ValidationException.
"""

from __future__ import annotations

from dynoscale.context import Caller


def handle(svc, caller: Caller, request: dict) -> dict:
    table = svc.tables.delete(caller.scope, request["TableName"])
    return {"TableDescription": svc.tables.describe(table, warm=False)}
