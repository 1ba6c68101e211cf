"""ProjectionExpression for GetItem: comma-separated document paths (`a`, `#n`, `a.b`, `l[2]`).

Texts: dynalite validations/index.js `validateExpressions` (empty expression, undefined and unused
ExpressionAttributeNames). Not yet emulated: the reserved-word check and overlapping-path
errors (the full expression grammar is issue 3's work); the syntax-error text is approximate.
Projected lists keep the selected elements in their original order (DynamoDB "Projection
expressions").
"""

from __future__ import annotations

import re
from typing import Optional, Union

from dynoscale.services.dynamodb import errors

Path = list[Union[str, int]]
_TOKEN = re.compile(r"\s*(?:(?P<name>#?[A-Za-z0-9_]+)|(?P<index>\[\s*\d+\s*\])|(?P<dot>\.)|(?P<comma>,))")


def _fail(detail: str):
    return errors.validation(f"Invalid ProjectionExpression: {detail}")


def parse(text: Optional[str], names: Optional[dict]) -> Optional[list[Path]]:
    names = names or {}
    if text is None:
        if names:
            raise errors.validation("ExpressionAttributeNames can only be specified when using "
                                    "expressions")
        return None
    if not text.strip():
        raise _fail("The expression can not be empty;")
    unused = set(names)
    paths: list[Path] = []
    current: Path = []
    expect_name = True
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            if not text[pos:].strip():
                break
            raise _fail(f'Syntax error; token: "{text[pos:].strip()[:1]}", near: "{text[pos:].strip()[:10]}"')
        pos = m.end()
        if m["name"] is not None and expect_name:
            name = m["name"]
            if name.startswith("#"):
                if name not in names:
                    raise _fail("An expression attribute name used in the document path is not "
                                f"defined; attribute name: {name}")
                unused.discard(name)
                name = names[name]
            elif not re.match(r"[A-Za-z]", name):
                raise _fail(f'Syntax error; token: "{name}", near: "{name}"')
            current.append(name)
            expect_name = False
        elif m["index"] is not None and not expect_name:
            current.append(int(m["index"].strip("[] ")))
        elif m["dot"] is not None and not expect_name:
            expect_name = True
        elif m["comma"] is not None and not expect_name:
            paths.append(current)
            current, expect_name = [], True
        else:
            token = m.group().strip()
            raise _fail(f'Syntax error; token: "{token}", near: "{token}"')
    if expect_name:
        raise _fail('Syntax error; token: "<EOF>", near: ""')
    paths.append(current)
    if unused:
        raise errors.validation("Value provided in ExpressionAttributeNames unused in expressions: "
                                f"keys: {{{', '.join(sorted(unused))}}}")
    return paths


def _get(value: dict, step: Union[str, int]) -> Optional[dict]:
    if isinstance(step, int):
        items = value.get("L")
        return items[step] if items is not None and step < len(items) else None
    m = value.get("M")
    return None if m is None else m.get(step)


def _merge(into: dict, path: Path, leaf: dict) -> None:
    """Copy `leaf` at `path` into the projected item `into` (a map value's dict)."""
    step = path[0]
    if len(path) == 1:
        into[step] = leaf
        return
    nxt = path[1]
    container = into.setdefault(step, {"L": {}} if isinstance(nxt, int) else {"M": {}})
    _merge(container["L"] if isinstance(nxt, int) else container["M"], path[1:], leaf)


def _finish(value: dict) -> dict:
    if "L" in value and isinstance(value["L"], dict):
        return {"L": [_finish(value["L"][i]) for i in sorted(value["L"])]}
    if "M" in value and isinstance(value["M"], dict):
        return {"M": {k: _finish(v) for k, v in value["M"].items()}}
    return value


def project(item: dict, paths: list[Path]) -> dict:
    out: dict = {}
    for path in paths:
        value = item.get(path[0]) if isinstance(path[0], str) else None
        for step in path[1:]:
            if value is None:
                break
            value = _get(value, step)
        if value is not None:
            _merge(out, path, value)
    return {k: _finish(v) for k, v in out.items()}

