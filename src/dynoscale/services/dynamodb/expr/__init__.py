"""DynamoDB's expression language: parse, resolve placeholders, evaluate, update, project.

Pure functions and small objects, no HTTP and no storage. Every error is the ValidationException
AWS sends (services/dynamodb/errors.py `validation`), with AWS's text.

Typical use in an operation (check everything before touching storage):

    cache = svc.expression_cache                          # one ExpressionCache per service
    r = members.resolver(request, cache)                  # = Resolver(names, values, cache)
    update = r.update(request["UpdateExpression"])        # in AWS's order: Update, Condition,
    condition = r.condition(request["ConditionExpression"])   # KeyCondition, Filter, Projection
    keys = r.key_condition(request["KeyConditionExpression"])
    filt = r.condition(request["FilterExpression"], "FilterExpression")
    proj = r.projection(request["ProjectionExpression"])
    r.check_unused()                                      # unused #names, then :values

    key_range = key_condition_ranges(keys, hash_key, range_key, {"pk": "S", "sk": "N"})
    if not evaluate(condition, old_item): ...             # ConditionalCheckFailedException
    new_item = apply_update(update, old_item or key)      # pure; old_item is not modified
    returned = project(new_item, updated_paths(update))   # UPDATED_NEW
    visible = project(item, proj)

Pass the key attributes as the "old item" when UpdateItem creates an item: AWS lets SET read them
(dynalite test/updateItem.js "should update values from other attributes").
Checks this package leaves to the operation: "Cannot update attribute a. This attribute is part of
the key" (compare updated_paths' first elements with the key schema), item size, index key types
(services/dynamodb/key_attributes.py); the "can only be specified when using expressions" checks
are in members.py.

Around this core, in the same package:
- tree.py also holds the one walker over trees (`children`, `walk`, `terms`, `document_paths`);
- placeholders.py: the two placeholder maps of a request (checks, lookups, unused keys);
- members.py: the request members around expressions (expression vs. legacy parameters,
  ConditionalOperator, the request's Resolver, a conditional write's condition);
- legacy.py: the pre-expression members (Expected, QueryFilter/ScanFilter, KeyConditions,
  AttributesToGet, AttributeUpdates) turned into the same trees, for the same evaluator.
"""

from dynoscale.services.dynamodb.expr.cache import ExpressionCache
from dynoscale.services.dynamodb.expr.evaluate import equal, evaluate, lookup, order
from dynoscale.services.dynamodb.expr.keycond import (KeyCondition, KeyRange, key_condition_ranges,
                                                      key_conditions, multi_key_ranges)
from dynoscale.services.dynamodb.expr.parser import (parse_condition, parse_key_condition,
                                                     parse_projection, parse_update)
from dynoscale.services.dynamodb.expr.project import project
from dynoscale.services.dynamodb.expr.reserved import RESERVED_WORDS, is_reserved
from dynoscale.services.dynamodb.expr.resolve import Resolver
from dynoscale.services.dynamodb.expr.tree import ConditionTree, ProjectionTree, UpdateTree
from dynoscale.services.dynamodb.expr.update import apply_update, only_deletes, updated_paths

__all__ = [
    "ExpressionCache", "Resolver",
    "parse_condition", "parse_key_condition", "parse_update", "parse_projection",
    "evaluate", "apply_update", "only_deletes", "updated_paths", "project",
    "key_conditions", "key_condition_ranges", "multi_key_ranges", "KeyCondition", "KeyRange",
    "equal", "order", "lookup", "is_reserved", "RESERVED_WORDS",
    "ConditionTree", "UpdateTree", "ProjectionTree",
]
