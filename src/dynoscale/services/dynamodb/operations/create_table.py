"""CreateTable: validate the key schema and billing settings, store the table as CREATING; it turns
ACTIVE after tables.CREATE_SECONDS simulated seconds.

Check order and messages: dynalite validations/createTable.js `custom` (recorded against AWS),
spec 3.1.5 and 3.5.1; an existing name -> ResourceInUseException `Table already exists: <name>`.
The response carries no WarmThroughput (spec 3.6.2). Secondary-index checks: dynalite
validations/createTable.js (recorded against AWS) in its order; "Some AttributeDefinitions are not
used" is AWS's text as users quote it. StreamSpecification: ack-api-quirks DDB-TABLE-050.
Capacity quotas (spec 3.2) and OnDemandThroughput (3.6.1): capacity/limits.py.
"""

from __future__ import annotations

from dynoscale.context import Caller
from dynoscale.services.dynamodb import errors, tags
from dynoscale.services.dynamodb.capacity import limits, warm

MAX_UNITS = 1_000_000_000_000


def check(request: dict) -> tuple[str, int, int]:
    """The table's definition, in dynalite's order: billing, table keys, LSIs, GSIs, unused
    attribute definitions. -> (billing mode, read units, write units)."""
    billing, read, write = _check_billing(request)
    definitions = [d["AttributeName"] for d in request["AttributeDefinitions"]]
    lsis, gsis = request.get("LocalSecondaryIndexes"), request.get("GlobalSecondaryIndexes")
    keys = _check_table_keys(request["KeySchema"], definitions,
                             indexed=lsis is not None or gsis is not None)
    names: set = set()
    used = list(keys)
    if lsis is not None:
        used += _check_lsis(lsis, request["KeySchema"], definitions, names)
    if gsis is not None:
        used += _check_gsis(gsis, billing, definitions, names)
    if lsis is not None or gsis is not None:
        used_once = list(dict.fromkeys(used))
        if any(d not in used_once for d in definitions):
            raise errors.invalid(f"Some AttributeDefinitions are not used. AttributeDefinitions: "
                                 f"[{', '.join(definitions)}], keys used: [{', '.join(used_once)}]")
    return billing, read, write


def _check_billing(request: dict) -> tuple[str, int, int]:
    billing = request.get("BillingMode", "PROVISIONED")
    throughput = request.get("ProvisionedThroughput")
    read = write = 0
    if billing == "PAY_PER_REQUEST":
        if throughput:
            raise errors.invalid("Neither ReadCapacityUnits nor WriteCapacityUnits can be specified "
                                 "when BillingMode is PAY_PER_REQUEST")
    else:
        if not throughput or not throughput.get("ReadCapacityUnits") \
                or not throughput.get("WriteCapacityUnits"):
            raise errors.invalid("ReadCapacityUnits and WriteCapacityUnits must both be specified "
                                 "when BillingMode is PROVISIONED")
        read, write = throughput["ReadCapacityUnits"], throughput["WriteCapacityUnits"]
        for name, value in (("ReadCapacityUnits", read), ("WriteCapacityUnits", write)):
            if value > MAX_UNITS:
                raise errors.validation(f"Given value {value} for {name} is out of bounds")
    return billing, read, write


def _check_table_keys(schema: list, definitions: list, *, indexed: bool) -> list:
    """The table's KeySchema against AttributeDefinitions. -> its key attribute names."""
    keys = [k["AttributeName"] for k in schema]
    if len(keys) > len(definitions):
        raise errors.validation("Invalid KeySchema: Some index key attribute have no definition")
    if any(k not in definitions for k in keys):
        raise errors.invalid("Some index key attributes are not defined in AttributeDefinitions. "
                             f"Keys: [{', '.join(keys)}], AttributeDefinitions: [{', '.join(definitions)}]")
    if len(keys) == 2 and keys[0] == keys[1]:
        raise errors.validation("Both the Hash Key and the Range Key element in the KeySchema have "
                                "the same name")
    if schema[0]["KeyType"] != "HASH":
        raise errors.validation("Invalid KeySchema: The first KeySchemaElement is not a HASH key type")
    if len(schema) == 2 and schema[1]["KeyType"] != "RANGE":
        raise errors.validation("Invalid KeySchema: The second KeySchemaElement is not a RANGE key type")
    if not indexed and len(keys) != len(definitions):
        raise errors.invalid("Number of attributes in KeySchema does not exactly match number of "
                             "attributes defined in AttributeDefinitions")
    return keys


def _check_lsis(lsis: list, schema: list, definitions: list, names: set) -> list:
    """LocalSecondaryIndexes. -> the key attributes they use."""
    if not lsis:
        raise errors.invalid("List of LocalSecondaryIndexes is empty")
    if len(schema) != 2:
        raise errors.invalid("Table KeySchema does not have a range key, which is required when "
                             "specifying a LocalSecondaryIndex")
    hash_key = schema[0]["AttributeName"]
    used: list = []
    for index in lsis:
        # the LSI's own key rules come before its projection (dynalite test/createTable.js
        # "no range key in LocalSecondaryIndex" with an empty Projection)
        _check_index_keys(index, definitions)
        index_keys = index["KeySchema"]
        if len(index_keys) != 2:
            raise errors.invalid("Index KeySchema does not have a range key for index: "
                                 f"{index['IndexName']}")
        if index_keys[0]["AttributeName"] != hash_key:
            raise errors.invalid(
                "Index KeySchema does not have the same leading hash key as table KeySchema "
                f"for index: {index['IndexName']}. index hash key: "
                f"{index_keys[0]['AttributeName']}, table hash key: {hash_key}")
        _check_projection(index)
        _check_name(index, names)
        used += [k["AttributeName"] for k in index_keys]
    if len(lsis) > 5:
        raise errors.invalid("Number of LocalSecondaryIndexes exceeds per-table limit of 5")
    return used


def _check_gsis(gsis: list, billing: str, definitions: list, names: set) -> list:
    """GlobalSecondaryIndexes. -> the key attributes they use."""
    if not gsis:
        raise errors.invalid("List of GlobalSecondaryIndexes is empty")
    used: list = []
    for index in gsis:
        _check_index_keys(index, definitions)
        _check_projection(index)
        # before the duplicate-name check (dynalite validations/createTable.js order)
        if billing == "PAY_PER_REQUEST" and index.get("ProvisionedThroughput"):
            raise errors.invalid("ProvisionedThroughput should not be specified for index: "
                                 f"{index['IndexName']} when BillingMode is PAY_PER_REQUEST")
        _check_name(index, names)
        if billing != "PAY_PER_REQUEST" and not index.get("ProvisionedThroughput"):
            raise errors.invalid("ProvisionedThroughput must be specified for index: "
                                 f"{index['IndexName']}")
        used += [k["AttributeName"] for k in index["KeySchema"]]
    if len(gsis) > 20:
        raise errors.invalid("GlobalSecondaryIndex count exceeds the per-table limit of 20")
    return used


def _check_index(index: dict, definitions: list, names: set) -> None:
    """The checks LSIs and GSIs share (dynalite validations/createTable.js), in its order."""
    _check_index_keys(index, definitions)
    _check_projection(index)
    _check_name(index, names)


def _check_index_keys(index: dict, definitions: list) -> None:
    index_keys = [k["AttributeName"] for k in index["KeySchema"]]
    if any(k not in definitions for k in index_keys):
        raise errors.invalid("Some index key attributes are not defined in AttributeDefinitions. "
                             f"Keys: [{', '.join(index_keys)}], AttributeDefinitions: "
                             f"[{', '.join(definitions)}]")
    if len(index_keys) == 2 and index_keys[0] == index_keys[1]:
        raise errors.validation("Both the Hash Key and the Range Key element in the KeySchema have "
                                "the same name")
    if index["KeySchema"][0]["KeyType"] != "HASH":
        raise errors.validation("Invalid KeySchema: The first KeySchemaElement is not a HASH key type")
    if len(index_keys) == 2 and index["KeySchema"][1]["KeyType"] != "RANGE":
        raise errors.validation("Invalid KeySchema: The second KeySchemaElement is not a RANGE key type")


def _check_projection(index: dict) -> None:
    projection = index["Projection"]
    projection_type = projection.get("ProjectionType")
    if projection_type is None:
        raise errors.invalid("Unknown ProjectionType: null")
    if projection.get("NonKeyAttributes") is not None and projection_type != "INCLUDE":
        raise errors.invalid(f"ProjectionType is {projection_type}, but NonKeyAttributes is "
                             "specified")
    if projection_type == "INCLUDE" and not projection.get("NonKeyAttributes"):
        # observed on AWS (CloudFormation error quoted in users' notes; dynamodb-conformance
        # tier3 error-messages/createTable.test.ts)
        raise errors.invalid("ProjectionType is INCLUDE, but NonKeyAttributes is not specified")


def _check_name(index: dict, names: set) -> None:
    name = index["IndexName"]
    if name in names:
        raise errors.invalid(f"Duplicate index name: {name}")
    names.add(name)


def index_definition(index: dict) -> dict:
    """What tables.py keeps of a requested index: key schema and projection as AWS describes
    them, and (GSIs) the requested `read`/`write` units."""
    projection = {"ProjectionType": index["Projection"]["ProjectionType"]}
    if index["Projection"].get("NonKeyAttributes") is not None:
        projection["NonKeyAttributes"] = list(index["Projection"]["NonKeyAttributes"])
    definition = {"IndexName": index["IndexName"],
                  "KeySchema": [{"AttributeName": k["AttributeName"], "KeyType": k["KeyType"]}
                                for k in index["KeySchema"]],
                  "Projection": projection}
    throughput = index.get("ProvisionedThroughput") or {}
    definition["read"] = throughput.get("ReadCapacityUnits", 0)
    definition["write"] = throughput.get("WriteCapacityUnits", 0)
    return definition


def check_stream(spec: dict, *, create: bool = False) -> None:
    """StreamSpecification member rules. UpdateTable: ack-api-quirks DDB-TABLE-050 (observed on
    AWS); CreateTable words them differently (dynamodb-conformance tier3
    error-messages/createTable.test.ts, verified against AWS)."""
    if spec.get("StreamEnabled") and spec.get("StreamViewType") is None:
        raise errors.invalid("Table is being created with a stream enabled, UpdateViewType is "
                             "required" if create else
                             "If stream is being enabled then UpdateViewType is required")
    if not spec.get("StreamEnabled") and spec.get("StreamViewType") is not None:
        raise errors.invalid("Table is being created with a stream disabled, UpdateViewType "
                             "should not be specified" if create else
                             "If stream is being disabled, then UpdateViewType must not be "
                             "specified")


def handle(svc, caller: Caller, request: dict) -> dict:
    billing, read, write = check(request)
    stream, request_tags, on_demand = _check_other_members(caller, request, billing)
    name = request["TableName"]
    if svc.tables.get(caller.scope, name) is not None:
        raise errors.table_exists(name)
    if billing == "PROVISIONED":
        _check_quotas(svc.tables, caller.scope, request, read, write)

    table = svc.tables.create(
        caller.scope, caller.account_id, caller.region, name,
        [{"AttributeName": k["AttributeName"], "KeyType": k["KeyType"]} for k in request["KeySchema"]],
        [{"AttributeName": d["AttributeName"], "AttributeType": d["AttributeType"]}
         for d in request["AttributeDefinitions"]],
        billing, read, write, bool(request.get("DeletionProtectionEnabled", False)),
        lsis=[index_definition(i) for i in request.get("LocalSecondaryIndexes") or []],
        gsis=[index_definition(i) for i in request.get("GlobalSecondaryIndexes") or []],
        stream=stream)
    if on_demand is not None:
        table.throughput.on_demand = limits.merge_on_demand(None, on_demand)
    if on_demand is not None or warm.apply(table, request.get("WarmThroughput")):
        svc.tables.save(caller.scope, table)
    svc.tags.add(caller.scope, table, request_tags)
    return {"TableDescription": svc.tables.describe(table, warm=False)}


def _check_other_members(caller: Caller, request: dict, billing: str) -> tuple:
    """StreamSpecification, Tags and OnDemandThroughput. -> (stream specification, tags,
    OnDemandThroughput when it names a member, else None)."""
    stream = request.get("StreamSpecification")
    if stream is not None:
        check_stream(stream, create=True)
    request_tags = request.get("Tags") or []
    tags.check_tags(request_tags, allow_empty=True)  # AWS accepts an empty list here
    on_demand = request.get("OnDemandThroughput") or {}
    present = [m for m in limits.ON_DEMAND_MEMBERS if on_demand.get(m) is not None]
    if present and billing != "PAY_PER_REQUEST":
        raise errors.on_demand_on_provisioned(present[0], create=True)
    limits.check_on_demand(caller.region, on_demand, update=False)
    return stream, request_tags, on_demand if present else None


def _check_quotas(tables, scope: str, request: dict, read: int, write: int) -> None:
    """Spec 3.2: each table and GSI, and the account's total."""
    name = request["TableName"]
    requests = {(name, None): (read, write)}
    for index in request.get("GlobalSecondaryIndexes") or []:
        pt = index["ProvisionedThroughput"]
        requests[(name, index["IndexName"])] = (pt["ReadCapacityUnits"], pt["WriteCapacityUnits"])
    tables.check_quotas(scope, requests)
