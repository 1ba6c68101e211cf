"""UpdateTable: provisioned-throughput changes, billing-mode switches, deletion protection.

A change turns the table UPDATING; the new settings take effect when it is ACTIVE again
(tables.UPDATE_SECONDS later; spec 3.4). Rules and texts: spec 3.1.4 (unchanged values), 3.1.5
(member combinations), 3.3 (decrease limits), 3.4.6 (ResourceInUseException while UPDATING),
3.5 (billing mode; re-sending PAY_PER_REQUEST to an on-demand table is a no-op answered as
UPDATING, 3.5.5). Index, stream, SSE, replica, table-class and warm/on-demand throughput updates
are not emulated yet and are refused with a clear ValidationException.
"""

from __future__ import annotations

from dynoscale.context import Caller
from dynoscale.services.dynamodb import errors

ACTIONABLE = ("ProvisionedThroughput", "BillingMode", "GlobalSecondaryIndexUpdates",
              "StreamSpecification", "SSESpecification", "ReplicaUpdates", "TableClass",
              "DeletionProtectionEnabled", "OnDemandThroughput", "WarmThroughput",
              "MultiRegionConsistency", "GlobalTableWitnessUpdates",
              "GlobalTableSettingsReplicationMode", "DisassociationProtectionEnabled",
              "VectorIndexUpdates")
SUPPORTED = ("ProvisionedThroughput", "BillingMode", "DeletionProtectionEnabled")


def handle(svc, caller: Caller, request: dict) -> dict:
    present = [m for m in ACTIONABLE if request.get(m) is not None]
    if not present:
        raise errors.nothing_to_update()
    for member in present:
        if member not in SUPPORTED:
            raise errors.not_supported(f"UpdateTable {member}")
    tables = svc.tables
    table = tables.require(caller.scope, request["TableName"])
    throughput = request.get("ProvisionedThroughput")
    mode = request.get("BillingMode")
    current = table["billing_mode"]
    if mode == "PAY_PER_REQUEST" and throughput:
        raise errors.invalid("ProvisionedThroughput cannot be specified when BillingMode is "
                             "PAY_PER_REQUEST")
    if mode == "PROVISIONED" and not throughput:
        raise errors.invalid("ProvisionedThroughput must be specified when BillingMode is PROVISIONED")
    if "DeletionProtectionEnabled" in request:
        # stored with the throughput change below, or on its own if there is none
        table["deletion_protection"] = bool(request["DeletionProtectionEnabled"])
    if mode is not None and mode != current:
        read = throughput["ReadCapacityUnits"] if throughput else table["read"]
        write = throughput["WriteCapacityUnits"] if throughput else table["write"]
        table = tables.switch_billing(caller.scope, table, mode, read, write)
    elif throughput:
        table = svc.change_throughput(caller, table, throughput["ReadCapacityUnits"],
                                      throughput["WriteCapacityUnits"])
    elif mode == "PAY_PER_REQUEST":
        tables.check_changeable(table)
        tables.save(caller.scope, table)
        described = tables.describe(table)
        described["TableStatus"] = "UPDATING"
        return {"TableDescription": described}
    else:
        tables.check_changeable(table)
        tables.save(caller.scope, table)
    return {"TableDescription": tables.describe(table)}
