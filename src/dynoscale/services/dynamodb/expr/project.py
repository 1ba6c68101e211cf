"""Project an item onto document paths, shaped the way DynamoDB returns projections.

DynamoDB developer guide "Projection expressions": nested paths come back nested (`a.b` ->
`{"a": {"M": {"b": ...}}}`); selected list elements come back as a shorter list keeping their
original order (`l[3], l[1]` -> `{"l": {"L": [l1, l3]}}`); paths that do not exist in the item
are left out. The same shaping gives UpdateItem's UPDATED_OLD/UPDATED_NEW (dynalite
test/updateItem.js "should update nested attributes": c[1], c[2], c[4] of a 6-element list come
back as a 3-element list).
"""

from __future__ import annotations

import copy
from typing import Iterable, Union

from dynoscale.services.dynamodb.expr import tree as t
from dynoscale.services.dynamodb.expr.evaluate import lookup


def project(item: dict, paths: Union[t.ProjectionTree, Iterable[tuple]]) -> dict:
    """The parts of `item` at `paths` (a resolved ProjectionTree or resolved path tuples)."""
    if isinstance(paths, t.ProjectionTree):
        paths = paths.paths
    out: dict = {}
    for path in paths:
        value = lookup(item, path)
        if value is not None:
            _merge(out, path, copy.deepcopy(value))
    return {name: _finish(value) for name, value in out.items()}


def _merge(into: dict, path: tuple, leaf: dict) -> None:
    """Place `leaf` at `path` in a draft where list levels are {index: value} dicts."""
    step = path[0]
    if len(path) == 1:
        into[step] = leaf
        return
    wanted = "L" if isinstance(path[1], int) else "M"
    container = into.get(step)
    if container is None or wanted not in container or not isinstance(container[wanted], dict):
        container = into[step] = {wanted: {}}
    _merge(container[wanted], path[1:], leaf)


def _finish(value: dict) -> dict:
    if isinstance(value.get("L"), dict):
        return {"L": [_finish(value["L"][i]) for i in sorted(value["L"])]}
    if "M" in value:
        return {"M": {k: _finish(v) for k, v in value["M"].items()}}
    return value
