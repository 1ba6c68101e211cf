"""UpdateItem: change (or create) one item with an UpdateExpression or legacy AttributeUpdates,
optionally only if a condition holds.

Check order (dynalite validations/updateItem.js, actions/updateItem.js; recorded against AWS):
expression vs. legacy members, Key values, AttributeUpdates shape (expr/legacy.py), Expected,
then the expressions in AWS's order (placeholder maps, UpdateExpression, ConditionExpression,
unused placeholders); table, Key against the schema, "Cannot update attribute X. This attribute is part
of the key" (any action whose path starts at a key attribute), "Type mismatch for Index Key" for
a whole index key written with a value whose type the request fixes, "Key attributes must be
scalars" for any nested path into a key (dynalite db/index.js validateUpdates, in that order);
then throttling, the condition on
the old item, the update (a missing item starts as its Key, so SET may read key attributes:
dynalite test/updateItem.js; an update that only removes or deletes creates no item: see
`_only_deletes`), the 400 KB check ("Item size to update has exceeded the maximum
allowed size") and the write. A SET copying an attribute of the wrong type into an index key
gets AWS's other wording, "The update expression attempted to update the secondary index key to
unsupported type" (dynalite actions/updateItem.js).
ReturnValues: NONE | ALL_OLD | UPDATED_OLD | ALL_NEW | UPDATED_NEW; UPDATED_* project the old/new
item onto the updated paths as written (expr.updated_paths), so `SET l[9]` past the end of a
list returns nothing for l[9] (dynalite "should update nested attributes": c[4] shows what
ADD c[6] appended there); an empty result sends no Attributes.
Cost: max(old, new) item size in 1 KB units (spec 1.3.7); a failed condition is charged on the
old item, 1 WCU when there is none (1.3.10); plus index writes (1.3.12), with GSI back-pressure.
"""

from __future__ import annotations

from typing import Optional

from dynoscale.context import Caller
from dynoscale.services.dynamodb import (conditional_write, errors, item_collections, items,
                                         key_attributes, keys, values)
from dynoscale.services.dynamodb.capacity.units import write_units
from dynoscale.services.dynamodb.capacity.writes import write_cost
from dynoscale.services.dynamodb.expr import (apply_update, legacy, members, only_deletes, project,
                                              updated_paths)
from dynoscale.services.dynamodb.expr import tree as t
from dynoscale.services.dynamodb.expr.functions import value_type


def handle(svc, caller: Caller, request: dict) -> dict:
    members.check_params(request, ["UpdateExpression", "ConditionExpression"],
                             ["AttributeUpdates", "Expected", "ConditionalOperator"])
    members.check_conditional_operator(request)
    key_item = values.check_item(request["Key"])
    attribute_updates = legacy.check_attribute_updates(request.get("AttributeUpdates"))
    expected = legacy.expected_condition(request.get("Expected"), request.get("ConditionalOperator"))
    resolver = members.resolver(request, svc.expression_cache)
    update = None
    if request.get("UpdateExpression") is not None:
        update = resolver.update(request["UpdateExpression"])
    condition = members.condition(request, resolver) if expected is None else expected
    resolver.check_unused()

    table = svc.tables.require_usable(caller.scope, request["TableName"])
    schema = keys.KeySchema.of(table)
    keys.check_key(schema, key_item)
    if update is not None:
        paths = updated_paths(update)
    else:
        paths = tuple((name,) for name in attribute_updates or {})
    for path in paths:
        if path[0] in schema.names:
            raise errors.key_attribute_update(path[0])
    index_types = dict(reversed(key_attributes.index_key_types(table)))  # first visit wins
    _check_index_types(index_types, update, attribute_updates)
    if update is not None:
        key_attributes.check_key_paths(table, schema, t.document_paths(update))
    key = keys.storage_key(schema, key_item)
    svc.limiter.admit(caller, table, "write", "UpdateItem", pk=key[0])  # table, then partition
    new, new_size = None, 0
    with svc.store.transaction():
        old = items.load(svc.store, table, key)
        passed = conditional_write.holds(condition, old)
        if passed:
            new = _updated(update, attribute_updates, old or key_item, old is not None)
            _check_set_index_types(index_types, update, new)
            new_size = values.item_size(new)
            if new_size > values.MAX_ITEM_SIZE:
                raise errors.item_too_large_after_update()
            if values.too_deep(new):
                raise errors.too_deeply_nested()
            if old is None and _only_deletes(update, attribute_updates):
                new, new_size = None, 0  # nothing to delete from: no item is created
        old_size = values.item_size(old) if old else 0
        cost = write_cost(table, key, old, new if passed else old,
                          write_units(max(old_size, new_size)))
        if passed and new is not None:
            svc.limiter.admit_index_writes(caller, table, cost.gsis, "UpdateItem", cost.gsi_pks)  # spec 2.1.5
            items.save(svc.store, table, key, new, old=old, changes=svc.changes)
    attributes = _returned(request.get("ReturnValues", "NONE"), old, new, paths) if passed else None
    out = conditional_write.settle(svc.limiter, caller, table, request, cost, passed, old,
                                   attributes, pk=key[0])
    out.update(item_collections.for_write(svc.store, table, request, key_item))
    return out


def _static_type(action) -> Optional[str]:
    """The type an action writes when the request alone tells (dynalite's section attrType):
    a constant, arithmetic (N), list_append (L); None when it depends on the item."""
    value = action.value
    if isinstance(value, t.Const):
        return value_type(value.value)
    if isinstance(value, t.Arith):
        return "N"
    if isinstance(value, t.Call) and value.name == "list_append":
        return "L"
    return None


def _check_index_types(index_types: dict, update, attribute_updates: Optional[dict]) -> None:
    """Before reading the item: an action writing a whole index key attribute with a value of
    the wrong type -> "Type mismatch for Index Key ..." (dynalite db/index.js validateUpdates;
    its test/updateItem.js "should return ValidationException if trying to update wrong type
    on index", recorded against AWS)."""
    for name, (type_name, index_name) in index_types.items():
        actual = None
        if update is not None:
            for action in update.actions:
                if action.path.path == (name,):
                    actual = _static_type(action) if action.clause != "REMOVE" else None
                    break
        elif attribute_updates and (attribute_updates.get(name) or {}).get("Value"):
            actual = value_type(attribute_updates[name]["Value"])
        if actual is not None and actual != type_name:
            raise errors.invalid(f"Type mismatch for Index Key {name} Expected: {type_name} "
                                 f"Actual: {actual} IndexName: {index_name}")


def _check_set_index_types(index_types: dict, update, new: dict) -> None:
    """After the update: a SET of a whole index key attribute whose value came from the item
    with the wrong type (dynalite actions/updateItem.js; test/updateItem.js "should return
    ValidationException if trying to update existing index")."""
    if update is None or not index_types:
        return
    for action in update.actions:
        path = action.path.path
        if action.clause == "SET" and len(path) == 1 and path[0] in index_types:
            value = new.get(path[0])
            if value is not None and index_types[path[0]][0] not in value:
                raise errors.validation("The update expression attempted to update the secondary "
                                        "index key to unsupported type")


def _updated(update, attribute_updates: Optional[dict], start: dict, exists: bool) -> dict:
    if update is not None:
        return apply_update(update, start, exists)
    if attribute_updates:
        return legacy.apply_attribute_updates(attribute_updates, start)
    return dict(start)


def _only_deletes(update, attribute_updates: Optional[dict]) -> bool:
    """An update that only takes attributes away: on a missing item, AWS creates no item
    (scylladb issue #5862 and test/alternator/test_item.py::test_update_item_non_existant, run
    against AWS, for AttributeUpdates DELETE; expr.only_deletes for expressions). An update with
    no actions at all still creates the key-only item."""
    if update is not None:
        return only_deletes(update)
    return bool(attribute_updates) and all(u.get("Action") == "DELETE"
                                           for u in attribute_updates.values())


def _returned(mode: str, old: Optional[dict], new: Optional[dict], paths: tuple) -> Optional[dict]:
    if mode == "ALL_OLD":
        return old
    if mode == "UPDATED_OLD":
        return project(old, paths) if old else None
    if mode == "ALL_NEW":
        return new
    if mode == "UPDATED_NEW":
        return project(new, paths) if new else None
    return None
