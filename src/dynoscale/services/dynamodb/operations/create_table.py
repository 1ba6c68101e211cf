"""CreateTable: validate the key schema and billing settings, store the table as CREATING; it turns
ACTIVE after tables.CREATE_SECONDS simulated seconds.

Check order and messages: dynalite validations/createTable.js `custom` (recorded against AWS),
spec 3.1.5 and 3.5.1; an existing name -> ResourceInUseException `Table already exists: <name>`.
The response carries no WarmThroughput (spec 3.6.2). Secondary indexes are not emulated yet.
"""

from __future__ import annotations

from dynoscale.context import Caller
from dynoscale.services.dynamodb import errors

MAX_UNITS = 1_000_000_000_000


def check(request: dict) -> tuple[str, int, int]:
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
    definitions = [d["AttributeName"] for d in request["AttributeDefinitions"]]
    schema = request["KeySchema"]
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
    for member in ("LocalSecondaryIndexes", "GlobalSecondaryIndexes"):
        if request.get(member) is not None:
            raise errors.not_supported(member)
    if len(keys) != len(definitions):
        raise errors.invalid("Number of attributes in KeySchema does not exactly match number of "
                             "attributes defined in AttributeDefinitions")
    return billing, read, write


def handle(svc, caller: Caller, request: dict) -> dict:
    billing, read, write = check(request)
    name = request["TableName"]
    if svc.tables.get(caller.scope, name) is not None:
        raise errors.table_exists(name)
    table = svc.tables.create(
        caller.scope, caller.account_id, caller.region, name,
        [{"AttributeName": k["AttributeName"], "KeyType": k["KeyType"]} for k in request["KeySchema"]],
        [{"AttributeName": d["AttributeName"], "AttributeType": d["AttributeType"]}
         for d in request["AttributeDefinitions"]],
        billing, read, write, bool(request.get("DeletionProtectionEnabled", False)))
    return {"TableDescription": svc.tables.describe(table, warm=False)}
