"""The conditional-write step shared by PutItem, UpdateItem, DeleteItem (and TransactWriteItems):
decide on the stored item, then settle (charge, fail or answer).

    condition = members.condition(request, resolver)      # before storage; None = unconditional
    ...
    old = items.load(...)
    passed = conditional_write.holds(condition, old)       # inside the store transaction
    ...
    return conditional_write.settle(...)                   # charge (spec 1.3.10), raise or answer

A transaction builds its CancellationReasons from `holds` and `failure_item`.

Facts: ConditionalCheckFailedException, `The conditional request failed`, namespace
com.amazonaws.dynamodb.v20120810 (dynalite db/index.js `conditionalError`, recorded against AWS);
ReturnValuesOnConditionCheckFailure=ALL_OLD puts the old item under `Item` in the error body,
nothing when there was no item (API reference, ConditionalCheckFailedException.Item); the error
body carries no ConsumedCapacity, although the write is charged (spec 1.3.10, 1.4.5). A missing
item is evaluated as an empty item: attribute_not_exists holds, comparisons fail.
"""

from __future__ import annotations

from typing import Optional

from dynoscale.context import Caller
from dynoscale.errors import AwsError
from dynoscale.services.dynamodb import errors
from dynoscale.services.dynamodb.capacity.limiter import Limiter
from dynoscale.services.dynamodb.capacity.writes import consumed_write_capacity
from dynoscale.services.dynamodb.expr import ConditionTree, evaluate
from dynoscale.services.dynamodb.table_record import TableRecord


def holds(condition: Optional[ConditionTree], old_item: Optional[dict]) -> bool:
    """True when there is no condition or `old_item` (None = no item) satisfies it."""
    return condition is None or evaluate(condition, old_item)


def failure_item(old_item: Optional[dict], return_on_failure: Optional[str]) -> Optional[dict]:
    """The `Item` to report for a failed condition: the old item under ALL_OLD, else None."""
    return old_item if return_on_failure == "ALL_OLD" and old_item else None


def failed(old_item: Optional[dict], return_on_failure: Optional[str]) -> AwsError:
    """The ConditionalCheckFailedException to raise (after charging the write)."""
    return errors.conditional_check_failed(failure_item(old_item, return_on_failure))


def settle(limiter: Limiter, caller: Caller, table: TableRecord, request: dict, cost,
           passed: bool, old: Optional[dict], attributes: Optional[dict],
           pk: Optional[bytes] = None) -> dict:
    """The end of PutItem/UpdateItem/DeleteItem: charge the write (a failed condition is charged
    too, spec 1.3.10), raise the condition failure, or build the output (`Attributes` when there
    are any, `ConsumedCapacity` when asked for). `pk`: the item's partition bytes, whose
    partition is charged too."""
    limiter.charge_write(caller, table, cost, pk)
    if not passed:
        raise errors.ChargedError(failed(old, request.get("ReturnValuesOnConditionCheckFailure")),
                                  consumed_write_capacity("INDEXES", request["TableName"], cost))
    out: dict = {}
    if attributes:
        out["Attributes"] = attributes
    capacity = consumed_write_capacity(request.get("ReturnConsumedCapacity"), request["TableName"], cost)
    if capacity:
        out["ConsumedCapacity"] = capacity
    return out
