"""Request-member checks shared by the item operations, until expressions are emulated (issue 3).

Texts: dynalite validations/index.js `validateExpressionParams` (recorded against AWS).
"""

from __future__ import annotations

from typing import Sequence

from dynoscale.services.dynamodb import errors


def check_params(request: dict, expressions: Sequence[str], legacy: Sequence[str]) -> None:
    used = [e for e in expressions if request.get(e) is not None]
    if used:
        old = [n for n in legacy if request.get(n) is not None]
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


def refuse_conditions(request: dict) -> None:
    """Conditional writes are issue 3's work: refuse them clearly rather than ignore them."""
    for member in ("ConditionExpression", "Expected"):
        if request.get(member) is not None:
            raise errors.not_supported(member)
