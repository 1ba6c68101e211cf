"""INSERT, UPDATE, DELETE as the item API's PutItem, UpdateItem, DeleteItem (and the
TransactWriteItems actions ExecuteTransaction builds from them).

AWS translates each write into the item operation (developer guide "PartiQL insert/update/delete
statements"), so they share its capacity accounting, throttling, conditions, index upkeep,
metrics and stream records; here the translated request goes through the very handler an SDK
call reaches:
- INSERT -> PutItem with `attribute_not_exists(<partition key>)`; a failed condition is
  `DuplicateItemException: Duplicate primary key exists in table` (INSERT is no upsert);
- UPDATE -> UpdateItem with the WHERE's key equalities as Key and
  `attribute_exists(<partition key>) AND <the rest of the WHERE>` as condition, so an UPDATE of a
  missing item fails with ConditionalCheckFailedException and creates nothing (conformance
  fromFirstUpdate.test.ts, setFunctions.test.ts); RETURNING maps to ReturnValues
  (ALL OLD -> ALL_OLD, MODIFIED OLD -> UPDATED_OLD, ALL NEW -> ALL_NEW, MODIFIED NEW ->
  UPDATED_NEW), its item returned as the statement's only row;
- DELETE -> DeleteItem with the rest of the WHERE as condition (a missing item is fine);
  RETURNING ALL OLD * -> ReturnValues ALL_OLD.
"""

from __future__ import annotations

from typing import Optional

from dynoscale.errors import AwsError
from dynoscale.services.dynamodb import errors, keys
from dynoscale.services.dynamodb.expr import tree as t
from dynoscale.services.dynamodb.operations import delete_item, put_item, update_item
from dynoscale.services.dynamodb.partiql import keyed
from dynoscale.services.dynamodb.partiql import messages as m
from dynoscale.services.dynamodb.partiql.plan import Write
from dynoscale.services.dynamodb.partiql.render import Placeholders


def key_and_condition(write: Write, schema: keys.KeySchema) -> tuple[dict, Optional[object]]:
    """(Key, remaining condition node) of an UPDATE/DELETE."""
    extracted = keyed.for_item(write.where, schema.names)
    keyed.check_key_types(extracted.conditions, schema.typed())
    return dict(extracted.conditions), extracted.rest


def check_insert_keys(item: dict, schema: keys.KeySchema) -> None:
    for name, _, _ in schema.typed():
        if name not in item:
            raise m.validation(m.KEY_ABSENT.format(name))
    keyed.check_key_types(item, schema.typed())


def item_request(write: Write, table_name: str, schema: keys.KeySchema) -> dict:
    """The PutItem/UpdateItem/DeleteItem (or Transact Put/Update/Delete/ConditionCheck) body."""
    names = Placeholders()
    body: dict = {"TableName": table_name}
    if write.kind == "insert":
        check_insert_keys(write.item, schema)
        body["Item"] = write.item
        body["ConditionExpression"] = f"attribute_not_exists({names.name(schema.hash_name)})"
    else:
        key, rest = key_and_condition(write, schema)
        body["Key"] = key
        condition = rest
        if write.kind == "update":
            exists = t.Call("attribute_exists", (t.Attr((schema.hash_name,)),))
            condition = exists if rest is None else t.And(exists, rest)
            body["UpdateExpression"] = names.update(write.actions)
        if condition is not None:
            body["ConditionExpression"] = names.condition(condition)
    body.update(names.members())
    return body


def operation_request(write: Write, table_name: str, schema: keys.KeySchema,
                      request: dict) -> dict:
    """The item operation's whole request: item_request plus the members the statement's
    request passes on (ReturnConsumedCapacity, ReturnValuesOnConditionCheckFailure) and
    RETURNING as ReturnValues."""
    body = item_request(write, table_name, schema)
    if request.get("ReturnValuesOnConditionCheckFailure") is not None and write.kind != "insert":
        body["ReturnValuesOnConditionCheckFailure"] = request["ReturnValuesOnConditionCheckFailure"]
    if request.get("ReturnConsumedCapacity") is not None:
        body["ReturnConsumedCapacity"] = request["ReturnConsumedCapacity"]
    if write.return_values != "NONE":
        body["ReturnValues"] = write.return_values
    return body


HANDLERS = {"insert": put_item, "update": update_item, "delete": delete_item}


def send(svc, caller, write: Write, body: dict) -> dict:
    """Run the item operation; the ExecuteStatement output (RETURNING's item as the only row)."""
    try:
        result = HANDLERS[write.kind].handle(svc, caller, body)
    except AwsError as error:
        if write.kind == "insert" and error.code == "ConditionalCheckFailedException":
            duplicate = m.duplicate_item()
            if isinstance(error, errors.ChargedError):
                raise errors.ChargedError(duplicate, error.charged)
            raise duplicate
        raise
    out: dict = {"Items": [result["Attributes"]] if result.get("Attributes") else []}
    if result.get("ConsumedCapacity"):
        out["ConsumedCapacity"] = result["ConsumedCapacity"]
    return out


def execute(svc, caller, write: Write, table_name: str, schema: keys.KeySchema,
            request: dict) -> dict:
    return send(svc, caller, write, operation_request(write, table_name, schema, request))
