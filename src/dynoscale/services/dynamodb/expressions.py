"""Request-member checks shared by the item operations: expression vs. legacy parameters, and the
per-request expr.Resolver.

Texts: dynalite validations/index.js `validateExpressionParams` (recorded against AWS), including
its one special case: Query may combine KeyConditions with FilterExpression/ProjectionExpression
as long as KeyConditionExpression is absent.
"""

from __future__ import annotations

from typing import Sequence

from dynoscale.services.dynamodb import errors
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
