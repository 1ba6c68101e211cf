"""LRU cache of parsed expression trees, keyed by (expression kind, text).

Parsed trees are immutable and hold no request data (placeholders stay unresolved), so every
request with the same expression text can share one; only resolution (resolve.py) is per request.
Syntax errors are not cached: they are raised again on the next parse. One cache lives on the
DynamoDB service object (no module-level state).
"""

from __future__ import annotations

from collections import OrderedDict

from dynoscale.services.dynamodb.expr import parser
from dynoscale.services.dynamodb.expr import tree as t


class ExpressionCache:
    def __init__(self, maxsize: int = 2048):
        self.maxsize = maxsize
        self._trees: OrderedDict = OrderedDict()
        self.hits = 0
        self.misses = 0

    def _get(self, key: tuple, parse):
        tree = self._trees.get(key)
        if tree is not None:
            self._trees.move_to_end(key)
            self.hits += 1
            return tree
        self.misses += 1
        tree = parse()
        self._trees[key] = tree
        if len(self._trees) > self.maxsize:
            self._trees.popitem(last=False)
        return tree

    def condition(self, text: str, kind: str = "ConditionExpression") -> t.ConditionTree:
        """ConditionExpression, FilterExpression or KeyConditionExpression, per `kind`."""
        return self._get((kind, text), lambda: parser.parse_condition(text, kind))

    def update(self, text: str) -> t.UpdateTree:
        return self._get(("UpdateExpression", text), lambda: parser.parse_update(text))

    def projection(self, text: str) -> t.ProjectionTree:
        return self._get(("ProjectionExpression", text), lambda: parser.parse_projection(text))

    def __len__(self) -> int:
        return len(self._trees)
