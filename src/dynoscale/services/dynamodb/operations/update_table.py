"""UpdateTable: provisioned-throughput changes, billing-mode switches, deletion protection.

A change turns the table UPDATING; the new settings take effect when it is ACTIVE again
(the timing profile's table_update seconds later, timing.py; spec 3.4). Rules and texts: spec 3.1.4 (unchanged values), 3.1.5
(member combinations), 3.3 (decrease limits), 3.4.6 (ResourceInUseException while UPDATING),
3.5 (billing mode; re-sending PAY_PER_REQUEST to an on-demand table is a no-op answered as
UPDATING, 3.5.5). GlobalSecondaryIndexUpdates (dynalite validations/updateTable.js and
test/updateTable.js, recorded against AWS): one Create or Delete per call, Update changes a GSI's
throughput; a created GSI is CREATING (backfilling) then ACTIVE, a deleted one DELETING then gone,
on the scheduler (tables.py). StreamSpecification: ack-api-quirks DDB-TABLE-050 (observed on AWS).
Capacity quotas (spec 3.2) and OnDemandThroughput (3.6.1, merged per member, -1 removes a cap,
applied at once): capacity/limits.py. Switching PAY_PER_REQUEST -> PROVISIONED takes every GSI's
throughput from GlobalSecondaryIndexUpdates, applied with the switch. SSESpecification,
TableClass, WarmThroughput and DeletionProtectionEnabled each come alone (AWS's texts,
ack-api-quirks DDB-TABLE-442; SSE is named first when several are combined, as recorded): SSE and
the table class are stored at once (encryption.py, description.py), a WarmThroughput only
rises. A GSI Update may carry OnDemandThroughput or WarmThroughput without ProvisionedThroughput. Replica updates are not
emulated yet and are refused with a clear ValidationException.
"""

from __future__ import annotations

from dynoscale.context import Caller
from dynoscale.errors import AwsError
from dynoscale.services.dynamodb import (description, encryption, errors, redefinition,
                                         table_class)
from dynoscale.services.dynamodb.capacity import limits
from dynoscale.services.dynamodb.operations.create_table import (MAX_UNITS, _check_index,
                                                                 check_definitions,
                                                                 check_index_on_demand,
                                                                 check_index_warm, check_stream,
                                                                 index_definition)
from dynoscale.services.dynamodb.table_record import TableRecord

ACTIONABLE = ("ProvisionedThroughput", "BillingMode", "GlobalSecondaryIndexUpdates",
              "StreamSpecification", "SSESpecification", "ReplicaUpdates", "TableClass",
              "DeletionProtectionEnabled", "OnDemandThroughput", "WarmThroughput",
              "MultiRegionConsistency", "GlobalTableWitnessUpdates",
              "GlobalTableSettingsReplicationMode", "DisassociationProtectionEnabled",
              "VectorIndexUpdates")
SUPPORTED = ("ProvisionedThroughput", "BillingMode", "DeletionProtectionEnabled",
             "GlobalSecondaryIndexUpdates", "StreamSpecification", "OnDemandThroughput",
             "SSESpecification", "TableClass", "WarmThroughput")
# members that must come alone, with AWS's wording (ack-api-quirks DDB-TABLE-442, live AWS)
ALONE = (("SSESpecification", "Server-Side Encryption modification"),
         ("TableClass", "TableClass modification"), ("WarmThroughput", "WarmThroughput"),
         ("DeletionProtectionEnabled", "DeletionProtection modification"))


# members that change the table itself (not only its indexes)
TABLE_MEMBERS = ("ProvisionedThroughput", "BillingMode", "StreamSpecification",
                 "OnDemandThroughput")


def handle(svc, caller: Caller, request: dict) -> dict:
    throughput, updates = _check_request(request)
    tables = svc.tables
    table = tables.require(caller.scope, request["TableName"])
    if request.get("WarmThroughput") is not None:
        table = _raise_warm(tables, caller, table, request["WarmThroughput"])
        svc.limiter.rate_changed(table)   # more partitions, a larger on-demand rate
        return {"TableDescription": tables.describe(table)}
    if request.get("SSESpecification") is not None or request.get("TableClass") is not None:
        changed = _change_settings(tables, caller, table, request, svc.clock.now())
        return {"TableDescription": tables.describe(changed)}
    mode, current = request.get("BillingMode"), table.billing_mode
    _check_billing_members(mode, throughput)
    on_demand = _check_on_demand(caller, request, table)
    updates, capless = _split_capless(updates)
    if capless:
        table = _apply_capless(tables, caller, table, capless, mode)
        for action in capless:   # a warmer GSI: more partitions, a larger on-demand rate
            if action.get("WarmThroughput") is not None:
                svc.limiter.rate_changed(table, action["IndexName"])
        if not updates and not any(request.get(m) is not None for m in TABLE_MEMBERS):
            return {"TableDescription": tables.describe(table)}
    index_throughput, updates = _check_throughput_changes(tables, caller, table, mode, current,
                                                          throughput, updates)

    if updates:
        table = _apply_index_updates(svc, caller, table, updates, request)
        if not any(request.get(m) is not None for m in TABLE_MEMBERS):
            return {"TableDescription": tables.describe(table)}
    if request.get("StreamSpecification") is not None:
        tables.check_changeable(table)
        table = tables.change_stream(caller.scope, table, request["StreamSpecification"])
        if request.get("ProvisionedThroughput") is None and request.get("BillingMode") is None:
            return {"TableDescription": tables.describe(table)}
    return {"TableDescription": _apply_table_settings(tables, caller, table, request, mode,
                                                      current, on_demand, index_throughput)}


# -- the steps of handle, in order ----------------------------------------------------------------
def _check_request(request: dict) -> tuple:
    """What the request alone tells, before the table lookup: something to update, nothing
    unsupported, bounds (dynalite test/updateTable.js "high ProvisionedThroughput"), the index
    updates and the stream specification. -> (ProvisionedThroughput, GlobalSecondaryIndexUpdates)"""
    present = [m for m in ACTIONABLE if request.get(m) is not None]
    if request.get("GlobalSecondaryIndexUpdates") == [] and present == ["GlobalSecondaryIndexUpdates"]:
        present = []
    if not present:
        raise errors.nothing_to_update()
    for member in present:
        if member not in SUPPORTED:
            raise errors.not_supported(f"UpdateTable {member}")
    for member, wording in ALONE:
        if member in present and len(present) > 1:
            raise errors.invalid(f"{wording} must be the only operation in the request")
    if request.get("SSESpecification") is not None:
        encryption.check(request["SSESpecification"])
    table_class.check(request.get("TableClass"))
    throughput = request.get("ProvisionedThroughput")
    if throughput:
        _check_bounds(throughput, "")
    updates = request.get("GlobalSecondaryIndexUpdates") or []
    _check_index_updates(updates)
    if request.get("StreamSpecification") is not None:
        check_stream(request["StreamSpecification"])
    return throughput, updates


def _change_settings(tables, caller: Caller, table: TableRecord, request: dict,
                     now: float) -> TableRecord:
    """SSESpecification or TableClass, each alone in its request (_check_request): stored at
    once, the table UPDATING meanwhile. A re-sent TableClass is accepted (inferred: no AWS text
    for it is recorded); it stamps TableClassSummary.LastUpdateDateTime."""
    tables.check_changeable(table)
    spec = request.get("SSESpecification")
    if spec is not None:
        new = encryption.settings(spec, caller.region, caller.account_id)
        encryption.check_change(table.sse, new)
        table.sse = encryption.change(table.sse, new)
    else:
        table.table_class = request["TableClass"]
        table.table_class_updated = now
    return tables.change_settings(caller.scope, table)


def _raise_warm(tables, caller: Caller, table: TableRecord, spec: dict) -> TableRecord:
    """WarmThroughput, alone in its request: it only rises (spec 3.6.2, ack-api-quirks
    DDB-TABLE-179: the read text; the write text by analogy)."""
    read, write = _warm_units(spec, description.warm_throughput(table), "table")
    return tables.raise_warm(caller.scope, table, read, write)


def _split_capless(updates: list) -> tuple[list, list]:
    """GSI Update actions without ProvisionedThroughput (OnDemandThroughput, WarmThroughput)
    apart from the others. -> (other updates, capless Update actions)."""
    capless = [u["Update"] for u in updates
               if u.get("Update") and not u["Update"].get("ProvisionedThroughput")]
    if not capless:
        return updates, []
    return [u for u in updates if not (u.get("Update") and u["Update"] in capless)], capless


def _apply_capless(tables, caller: Caller, table: TableRecord, actions: list,
                   mode) -> TableRecord:
    """A GSI's OnDemandThroughput, merged like the table's (spec 3.6.1) and in force at once;
    only on a table that is (or is becoming) on-demand, with the table's texts (inferred for an
    index: AWS's index variants are recorded only as "also ... for index : <IDX>"). A GSI's
    WarmThroughput only rises, like the table's ("for index <IDX>" in the text, DDB-TABLE-442).
    An Update naming none of the three is refused (inferred text). All are checked first."""
    billing = mode or table.billing_mode
    warms = []
    for action in actions:
        name = action["IndexName"]
        gsi = table.index(name)
        if gsi is None or not gsi.is_global:
            raise errors.validation("This operation cannot be performed with given input values. "
                                    "Please contact DynamoDB service team for more info: Action "
                                    "Blocked: IndexUpdate")
        spec, warm = action.get("OnDemandThroughput"), action.get("WarmThroughput")
        if spec is None and warm is None:
            raise errors.invalid("ProvisionedThroughput, OnDemandThroughput or WarmThroughput must "
                                 f"be specified for index: {name}")
        if spec is not None:
            present = [m for m in limits.ON_DEMAND_MEMBERS if spec.get(m) is not None]
            if present and billing == "PROVISIONED":
                raise errors.on_demand_on_provisioned(present[0], create=False)
            limits.check_on_demand(caller.region, spec, update=True)
        if warm is not None:
            warms.append((gsi, _warm_units(warm, description.index_warm_throughput(
                gsi, billing == "PAY_PER_REQUEST"), f"index {name}")))
    for action in actions:
        if action.get("OnDemandThroughput") is not None:
            throughput = table.index(action["IndexName"]).throughput
            throughput.on_demand = limits.merge_on_demand(throughput.on_demand,
                                                          action["OnDemandThroughput"])
    for gsi, (read, write) in warms:
        tables.warm_index(gsi, read, write)
    tables.save(caller.scope, table)
    return table


def _warm_units(spec: dict, current: tuple, subject: str) -> tuple[int, int]:
    """A requested WarmThroughput against the current one: it only rises (spec 3.6.2,
    ack-api-quirks DDB-TABLE-442: the read text; the write text by analogy). -> (read, write)."""
    wanted = []
    for member, units in zip(("ReadUnitsPerSecond", "WriteUnitsPerSecond"), current):
        value = spec.get(member)
        if value is not None and value < units:
            raise errors.invalid(f"Requested {member} for WarmThroughput for {subject} is lower "
                                 "than current WarmThroughput, decreasing WarmThroughput is not "
                                 "supported")
        wanted.append(units if value is None else value)
    return wanted[0], wanted[1]


def _check_billing_members(mode, throughput) -> None:
    """BillingMode and ProvisionedThroughput together (spec 3.1.5)."""
    if mode == "PAY_PER_REQUEST" and throughput:
        raise errors.invalid("ProvisionedThroughput cannot be specified when BillingMode is "
                             "PAY_PER_REQUEST")
    if mode == "PROVISIONED" and not throughput:
        raise errors.invalid("ProvisionedThroughput must be specified when BillingMode is PROVISIONED")


def _check_throughput_changes(tables, caller: Caller, table: TableRecord, mode, current: str,
                              throughput, updates: list) -> tuple[dict, list]:
    """Throughput changes checked as a whole before any is applied. -> (GSI throughput taken
    with a switch to PROVISIONED, the index updates still to apply)."""
    index_throughput: dict = {}
    if mode == "PROVISIONED" and current == "PAY_PER_REQUEST":
        # every GSI needs its throughput in the same call (spec 3.1.5, dynalite
        # getThroughputUpdates); those Updates take effect with the switch
        index_throughput = {u["Update"]["IndexName"]: u["Update"]["ProvisionedThroughput"]
                            for u in updates if u.get("Update")}
        missing = [g.name for g in table.gsis if g.name not in index_throughput]
        if missing:
            raise errors.invalid(f"ProvisionedThroughput must be specified for index: "
                                 f"{','.join(missing)}")
        for name, pt in index_throughput.items():
            tables.check_index_throughput_change(caller.scope, table, name,
                                                 pt["ReadCapacityUnits"], pt["WriteCapacityUnits"],
                                                 switching=True)
        updates = [u for u in updates if not u.get("Update")]
    elif throughput and mode in (None, "PROVISIONED") and any(u.get("Update") for u in updates):
        # a call changing the table and its GSIs is refused as a whole (spec 3.3.1)
        tables.check_throughput_change(caller.scope, table, throughput["ReadCapacityUnits"],
                                       throughput["WriteCapacityUnits"])
        for u in updates:
            if u.get("Update"):
                pt = u["Update"]["ProvisionedThroughput"]
                tables.check_index_throughput_change(caller.scope, table, u["Update"]["IndexName"],
                                                     pt["ReadCapacityUnits"],
                                                     pt["WriteCapacityUnits"])
    return index_throughput, updates


def _apply_table_settings(tables, caller: Caller, table: TableRecord, request: dict, mode,
                          current: str, on_demand, index_throughput: dict) -> dict:
    """OnDemandThroughput and deletion protection, stored with the billing switch or
    throughput change, or on their own. -> the table's description."""
    throughput = request.get("ProvisionedThroughput")
    if on_demand is not None:
        table.throughput.on_demand = limits.merge_on_demand(table.throughput.on_demand, on_demand)
    if "DeletionProtectionEnabled" in request:
        table.deletion_protection = bool(request["DeletionProtectionEnabled"])
    if mode is not None and mode != current:
        read = throughput["ReadCapacityUnits"] if throughput else table.throughput.read
        write = throughput["WriteCapacityUnits"] if throughput else table.throughput.write
        if mode == "PROVISIONED":
            requests = {(table.name, None): (read, write)}
            requests.update({(table.name, name): (pt["ReadCapacityUnits"],
                                                  pt["WriteCapacityUnits"])
                             for name, pt in index_throughput.items()})
            tables.check_quotas(caller.scope, requests)
        table = tables.switch_billing(caller.scope, table, mode, read, write,
                                      {name: (pt["ReadCapacityUnits"], pt["WriteCapacityUnits"])
                                       for name, pt in index_throughput.items()})
    elif throughput:
        table = tables.change_throughput(caller.scope, table, throughput["ReadCapacityUnits"],
                                         throughput["WriteCapacityUnits"])
    elif mode == "PAY_PER_REQUEST":  # re-sent to an on-demand table: a no-op answered UPDATING
        tables.check_changeable(table)
        tables.save(caller.scope, table)
        described = tables.describe(table)
        described["TableStatus"] = "UPDATING"
        return described
    else:
        tables.check_changeable(table)
        tables.save(caller.scope, table)
    return tables.describe(table)


def _check_on_demand(caller: Caller, request: dict, table: TableRecord):
    """OnDemandThroughput (spec 3.6.1): only for a table that is (or is becoming) on-demand."""
    spec = request.get("OnDemandThroughput")
    if spec is None:
        return None
    mode = request.get("BillingMode") or table.billing_mode
    present = [m for m in limits.ON_DEMAND_MEMBERS if spec.get(m) is not None]
    if present and mode == "PROVISIONED":
        raise errors.on_demand_on_provisioned(present[0], create=False)
    limits.check_on_demand(caller.region, spec, update=True)
    return spec


def _check_bounds(throughput: dict, suffix: str) -> None:
    for member in ("ReadCapacityUnits", "WriteCapacityUnits"):
        if throughput[member] > MAX_UNITS:
            raise errors.validation(f"Given value {throughput[member]} for {member} is out of "
                                    f"bounds{suffix}")


def _check_index_updates(updates: list) -> None:
    names: set = set()
    for update in updates:
        action = update.get("Update") or update.get("Create") or update.get("Delete")
        if action is None:
            raise errors.invalid("One of GlobalSecondaryIndexUpdate.Update, "
                                 "GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Delete "
                                 "must not be null")
        if sum(1 for kind in ("Update", "Create", "Delete") if update.get(kind)) > 1:
            # ack-api-quirks DDB-TABLE-442 (AWS's text); scylladb test/alternator/
            # test_gsi_updatetable.py::test_gsi_updatetable_errors, run against AWS
            raise errors.invalid("Only one global secondary index action is allowed per "
                                 "GlobalSecondaryIndexUpdate object")
        name = action["IndexName"]
        if update.get("Update") and update["Update"].get("ProvisionedThroughput"):
            # dynalite test/updateTable.js "high index ReadCapacityUnits"
            _check_bounds(update["Update"]["ProvisionedThroughput"], f" for index {name}")
        if name in names:
            raise errors.invalid("Only one global secondary index update per index is allowed "
                                 f"simultaneously. Index: {name}")
        names.add(name)
    if sum(1 for u in updates if u.get("Create") or u.get("Delete")) > 1:
        raise AwsError("LimitExceededException", "Subscriber limit exceeded: Only 1 online index "
                       "can be created or deleted simultaneously per table", namespace=errors.DDB)


def _apply_index_updates(svc, caller: Caller, table: TableRecord, updates: list,
                         request: dict) -> TableRecord:
    tables = svc.tables
    for update in updates:
        if update.get("Update"):
            action = update["Update"]
            _check_not_local(table, action["IndexName"], "update")
            throughput = action["ProvisionedThroughput"]
            table = tables.change_index_throughput(caller.scope, table, action["IndexName"],
                                                   throughput["ReadCapacityUnits"],
                                                   throughput["WriteCapacityUnits"])
            continue
        busy = [g for g in table.gsis if g.status in ("CREATING", "DELETING")]
        if busy:
            raise AwsError("LimitExceededException", "Subscriber limit exceeded: Only 1 online "
                           "index can be created or deleted simultaneously per table",
                           namespace=errors.DDB)
        if table.status != "ACTIVE":
            tables.check_changeable(table)
        if update.get("Delete"):
            name = update["Delete"]["IndexName"]
            _check_not_local(table, name, "delete")
            if not any(g.name == name for g in table.gsis):
                raise errors.index_not_found(table.name, name)
            table = tables.delete_index(caller.scope, table, name)
            continue
        table = _create_index(svc, caller, table, update["Create"], request)
    return table


def _check_not_local(table: TableRecord, name: str, verb: str) -> None:
    """An LSI named in a GSI Update or Delete: AWS's own ValidationException, not the
    ResourceNotFoundException of an unknown name (ack-api-quirks DDB-TABLE-442)."""
    if any(lsi.name == name for lsi in table.lsis):
        raise errors.validation(f"Cannot {verb} an index that is not a GlobalSecondaryIndex: "
                                f"{name}")


def _create_index(svc, caller: Caller, table: TableRecord, action: dict,
                  request: dict) -> TableRecord:
    """Texts and their order (ack-api-quirks DDB-TABLE-442, recorded against AWS; scylladb
    test/alternator/test_gsi_updatetable.py::test_gsi_backfill and test_gsi_backfill_with_lsi,
    run against AWS): a name any index (GSI or LSI) has -> "Attempting to create an index which
    already exists", before any schema check; no AttributeDefinitions -> "AttributeDefinitions is
    not specified for index", even when every key attribute's type is known already."""
    if table.index(action["IndexName"]) is not None:
        raise errors.validation("Attempting to create an index which already exists")
    if not request.get("AttributeDefinitions"):
        raise errors.invalid(f"AttributeDefinitions is not specified for index: "
                             f"{action['IndexName']}")
    definitions = {d["AttributeName"]: d for d in table.attribute_definitions}
    check_definitions(request.get("AttributeDefinitions") or [])
    for d in request.get("AttributeDefinitions") or []:
        # an attribute already defined keeps its type: AWS accepts a conflicting redeclaration
        # of an attribute the new index does not use and ignores it (paritysuite/dynamodb-
        # conformance issue #78, characterised against AWS: a table key redeclared while adding
        # a GSI on another attribute)
        definitions.setdefault(d["AttributeName"], {"AttributeName": d["AttributeName"],
                                                    "AttributeType": d["AttributeType"]})
    _check_index(action, list(definitions), set(), is_global=True)
    redefinition.check(table, action, definitions, request["AttributeDefinitions"])
    if len(table.gsis) >= 20:
        raise errors.invalid("GlobalSecondaryIndex count exceeds the per-table limit of 20")
    on_demand = table.on_demand
    if on_demand and action.get("ProvisionedThroughput"):
        raise errors.invalid("ProvisionedThroughput should not be specified for index: "
                             f"{action['IndexName']} when BillingMode is PAY_PER_REQUEST")
    if not on_demand and not action.get("ProvisionedThroughput"):
        raise errors.invalid("ProvisionedThroughput must be specified for index: "
                             f"{action['IndexName']}")
    check_index_on_demand(action, table.billing_mode, caller.region)
    check_index_warm(action, table.billing_mode)
    index = index_definition(action)
    return svc.tables.create_index(caller.scope, table, index, list(definitions.values()),
                                   index["read"], index["write"])
