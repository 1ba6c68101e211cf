"""The request members around expressions, checked the way AWS checks them before any table is
read: expression vs. legacy parameters, ConditionalOperator, the per-request Resolver, and the
condition of a conditional write (ConditionExpression or legacy Expected).

Texts: dynalite validations/index.js `validateExpressionParams` (recorded against AWS), including
its one special case: Query may combine KeyConditions with FilterExpression/ProjectionExpression
as long as KeyConditionExpression is absent.
"""

from __future__ import annotations

from typing import Optional, Sequence

from dynoscale.services.dynamodb import errors
from dynoscale.services.dynamodb.expr import legacy
from dynoscale.services.dynamodb.expr.cache import ExpressionCache
from dynoscale.services.dynamodb.expr.resolve import Resolver
from dynoscale.services.dynamodb.expr.tree import ConditionTree


def check_params(request: dict, expressions: Sequence[str], legacy_members: Sequence[str]) -> None:
    """Raise AWS's error when expression and legacy members are mixed, or when
    ExpressionAttributeNames/Values come without an expression that could use them.
    `expressions` and `legacy_members` list the operation's members in AWS's order, e.g.
    UpdateItem: ["UpdateExpression", "ConditionExpression"], ["AttributeUpdates", "Expected"]."""
    used = [e for e in expressions if request.get(e) is not None]
    if used:
        old = [n for n in legacy_members if request.get(n) is not None]
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


def resolver(request: dict, cache: Optional[ExpressionCache]) -> Resolver:
    """The Resolver of a request (or of one entry of a batch or transaction): validates its two
    placeholder maps and shares `cache`, the service's parsed expressions. Resolve the
    expressions in AWS's order, then `check_unused()`."""
    return Resolver(request.get("ExpressionAttributeNames"),
                    request.get("ExpressionAttributeValues"), cache)


def condition(request: dict, resolver_: Resolver) -> Optional[ConditionTree]:
    """A conditional write's condition as a resolved tree, or None when it has none: the
    ConditionExpression (resolved through the request's Resolver, so unused placeholders are
    still caught by `check_unused()`) or the legacy Expected + ConditionalOperator (legacy.py).
    Raises AWS's ValidationExceptions (syntax, placeholders, Expected shape). Call
    `check_params` first so the two forms are never mixed."""
    text = request.get("ConditionExpression")
    if text is not None:
        return resolver_.condition(text, "ConditionExpression")
    return legacy.expected_condition(request.get("Expected"), request.get("ConditionalOperator"))
