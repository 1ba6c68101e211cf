"""UpdateTable's rule for a GSI Create whose AttributeDefinitions give one of the new index's key
attributes a type other than the one the table already has for it: the request is refused,
naming both key schemas. An attribute the new index does not key on may be redeclared: AWS
keeps the stored type and ignores the request's (operations/update_table.py)."""

from __future__ import annotations

from dynoscale.services.dynamodb import errors
from dynoscale.services.dynamodb.table_record import TableRecord


def schema_text(key_schema: list, types: dict) -> str:
    elements = ", ".join(f"SchemaElement: key{{{k['AttributeName']}:{types[k['AttributeName']]}:"
                         f"{k['KeyType']}}}" for k in key_schema)
    return f"Schema:[{elements}]"


def check(table: TableRecord, action: dict, stored: dict, requested: list) -> None:
    """A key attribute of the new GSI redeclared with a type other than the one the table
    already has for it: "Attributes cannot be redefined" (scylladb test/alternator/
    test_gsi_updatetable.py::test_gsi_key_type_conflict_on_update, run against AWS, which
    records the text for a GSI whose single HASH key `xyz` an existing GSI keys as S:
    "... Existing schema: Schema:[SchemaElement: key{xyz:S:HASH}] New schema:
    Schema:[SchemaElement: key{xyz:N:HASH}]"). Inferred: "Existing schema" is the key schema
    of the table or first index that keys on the attribute, and elements of a two-part schema
    are joined by ", "."""
    requested_types = {d["AttributeName"]: d["AttributeType"] for d in requested}
    new_keys = [k["AttributeName"] for k in action.get("KeySchema") or []]
    for name in new_keys:
        if name not in stored or name not in requested_types:
            continue
        old_type = stored[name]["AttributeType"]
        if requested_types[name] == old_type:
            continue
        existing = next((schema for schema in [table.key_schema] +
                         [index.key_schema for index in table.indexes()]
                         if any(k["AttributeName"] == name for k in schema)),
                        [{"AttributeName": name, "KeyType": "HASH"}])
        old_types = {n: d["AttributeType"] for n, d in stored.items()}
        new_types = {**old_types, **requested_types}
        raise errors.invalid("Attributes cannot be redefined. Please check that your attribute "
                             "has the same type as previously defined. Existing schema: "
                             f"{schema_text(existing, old_types)} New schema: "
                             f"{schema_text(action['KeySchema'], new_types)}")
