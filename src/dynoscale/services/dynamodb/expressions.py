"""Request-member checks shared by the item operations: expression vs. legacy parameters,
ConditionalOperator, nested paths into key attributes, index key types, and the per-request
expr.Resolver.

Texts: dynalite validations/index.js `validateExpressionParams` (recorded against AWS), including
its one special case: Query may combine KeyConditions with FilterExpression/ProjectionExpression
as long as KeyConditionExpression is absent.
"""

from __future__ import annotations

from typing import Sequence

from dynoscale.services.dynamodb import errors, indexes
from dynoscale.services.dynamodb.expr import Resolver


def check_params(request: dict, expressions: Sequence[str], legacy: Sequence[str]) -> None:
    """Raise AWS's error when expression and legacy members are mixed, or when
    ExpressionAttributeNames/Values come without an expression that could use them.
    `expressions` and `legacy` list the operation's members in AWS's order, e.g. UpdateItem:
    ["UpdateExpression", "ConditionExpression"], ["AttributeUpdates", "Expected"]."""
    used = [e for e in expressions if request.get(e) is not None]
    if used:
        old = [n for n in legacy if request.get(n) is not None]
        if "KeyConditions" in old and request.get("KeyConditionExpression") is None:
            old.remove("KeyConditions")
        if old:
            raise errors.validation(
                "Can not use both expression and non-expression parameters in the same request: "
                f"Non-expression parameters: {{{', '.join(old)}}} "
                f"Expression parameters: {{{', '.join(used)}}}")
    if request.get("ExpressionAttributeNames") is not None and not used:
        raise errors.validation("ExpressionAttributeNames can only be specified when using expressions")
    value_exprs = [e for e in expressions if e != "ProjectionExpression"]
    if value_exprs and request.get("ExpressionAttributeValues") is not None \
            and not any(request.get(e) is not None for e in value_exprs):
        raise errors.validation(
            "ExpressionAttributeValues can only be specified when using expressions: "
            f"{' and '.join(value_exprs)} {'are' if len(value_exprs) > 1 else 'is'} null")


def resolver(svc, request: dict) -> Resolver:
    """The request's Resolver (validates the two placeholder maps), sharing the service's cache
    of parsed expressions. Resolve the expressions in AWS's order, then `check_unused()`."""
    return Resolver(request.get("ExpressionAttributeNames"),
                    request.get("ExpressionAttributeValues"), svc.expression_cache)


def check_key_paths(table: dict, schema, paths) -> None:
    """Reject a nested path (`a.b`, `a[0]`) into a table or index key attribute: AWS's
    "Key attributes must be scalars; ..." naming `Key: a` for the table's keys (schema order)
    before `IndexKey: d` for index keys (dynalite db/index.js validateKeyPaths, whose
    traverseIndexes visits GSIs then LSIs, each list backwards; recorded against AWS).
    `paths`: resolved paths (tuples) from any expression of the request."""
    nested = {path[0] for path in paths if len(path) > 1}
    if not nested:
        return
    for name in schema.names:
        if name in nested:
            raise errors.validation(f"{_KEY_SCALARS}Key: {name}")
    for name, _ in index_key_types(table):
        if name in nested:
            raise errors.validation(f"{_KEY_SCALARS}IndexKey: {name}")


_KEY_SCALARS = "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: "


def index_key_types(table: dict) -> list:
    """[(attribute, (type, index name))...] for every live index key attribute, in dynalite's
    traverseIndexes order (GSIs backwards, then LSIs backwards), which decides which index AWS
    names when several are wrong."""
    live = indexes.of(table, live_only=True)
    ordered = [i for i in live if i.is_global][::-1] + [i for i in live if not i.is_global][::-1]
    out = []
    for index in ordered:
        for name, type_name, _ in index.schema.typed():
            out.append((name, (type_name, index.name)))
    return out


def check_conditional_operator(request: dict, legacy_member: str = "Expected") -> None:
    """ConditionalOperator needs a legacy condition map of two or more entries (extenddb
    tests/test_conditional_operator.py, dual-targeted against Amazon DynamoDB; DynamoDB Local's
    COND_OP_WITHOUT_FILTER_OR_EXPECTED / COND_OP_WITH_ONE_ELEMENT). Call after check_params,
    which lists ConditionalOperator among the non-expression parameters."""
    if request.get("ConditionalOperator") is None:
        return
    conditions = request.get(legacy_member) or {}
    if not conditions:
        raise errors.validation("ConditionalOperator cannot be used without Filter or Expected")
    if len(conditions) < 2:
        raise errors.validation("ConditionalOperator can only be used when Filter or Expected has "
                                "two or more elements")


def check_index_key_types(table: dict, item: dict) -> None:
    """PutItem: an index key attribute of the wrong type, naming the index AWS names (dynalite
    db/index.js validateItem, in traverseIndexes order; putItem.js "should return
    ValidationException if secondary index key is incorrect type" expects index4 over index3/1).
    Empty index key values are left to indexes.check_item at save time."""
    for name, (type_name, index_name) in index_key_types(table):
        value = item.get(name)
        if value is not None and type_name not in value:
            raise errors.invalid(f"Type mismatch for Index Key {name} Expected: {type_name} "
                                 f"Actual: {next(iter(value))} IndexName: {index_name}")
