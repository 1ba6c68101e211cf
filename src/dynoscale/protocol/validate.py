"""Model-level validation in AWS's server wording.

Every AWS service built on Coral reports constraint violations the same way:
  `1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member
  must not be null` — several joined with `; ` after `N validation errors detected: `, at most ten.
Member paths are lower-camel-cased and dotted; list elements appear as `name.<1-based index>.member`
and map values as `name.<key>.member` (dynalite validations/index.js, recorded against AWS).
Order of checks per member: not null, enum, range, pattern, length (dynalite's order).
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any, Optional

from botocore.model import Shape

MAX_ERRORS = 10


def _lower_first(s: str) -> str:
    return s[:1].lower() + s[1:]


def _value_str(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, (bytes, bytearray)):
        n = len(v)
        return f"java.nio.HeapByteBuffer[pos=0 lim={n} cap={n}]"
    if isinstance(v, list):
        return "[" + ", ".join(_value_str(x) if not isinstance(x, dict) else json.dumps(x) for x in v) + "]"
    if isinstance(v, dict):
        return json.dumps(v, default=str, separators=(",", ":"))
    return str(v)


@lru_cache(maxsize=512)
def _compile(pattern: str) -> Optional[re.Pattern]:
    py = pattern.replace(r"\p{Print}", r"\x20-\x7e").replace(r"\P{M}", ".").replace(r"\p{L}", "a-zA-Z")
    if r"\x20-\x7e" in py and not py.lstrip("^").startswith("["):
        py = py.replace(r"\x20-\x7e", r"[\x20-\x7e]")
    try:
        return re.compile(py, re.DOTALL)
    except re.error:
        return None  # a Java-only construct: skip rather than reject valid input


def collect(shape: Shape, value: Any) -> list[str]:
    """All violations (capped at ten) of `value` (parsed input) against `shape`."""
    errors: list[str] = []
    _structure(shape, value or {}, "", errors)
    return errors


def message(errors: list[str]) -> str:
    n = len(errors)
    return f"{n} validation error{'s' if n > 1 else ''} detected: " + "; ".join(errors)


def _add(errors: list[str], value: Any, path: str, constraint: str) -> None:
    if len(errors) < MAX_ERRORS:
        v = _value_str(value)
        v = v if value is None else f"'{v}'"
        errors.append(f"Value {v} at '{path}' failed to satisfy constraint: {constraint}")


def _structure(shape: Shape, value: dict, prefix: str, errors: list[str]) -> None:
    required = set(shape.required_members)
    for name, member in shape.members.items():
        if len(errors) >= MAX_ERRORS:
            return
        path = prefix + _lower_first(name)
        v = value.get(name)
        if v is None:
            if name in required:
                _add(errors, None, path, "Member must not be null")
            continue
        _value(member, v, path, errors)


def _value(shape: Shape, v: Any, path: str, errors: list[str]) -> None:
    t = shape.type_name
    meta = shape.metadata
    if t == "string":
        enum = shape.enum
        if enum and v not in enum:
            _add(errors, v, path, f"Member must satisfy enum value set: [{', '.join(enum)}]")
            return
        pattern = meta.get("pattern")
        if pattern:
            rx = _compile(pattern)
            if rx is not None and not rx.fullmatch(v):
                _add(errors, v, path, f"Member must satisfy regular expression pattern: {pattern}")
        _length(meta, v, len(v), path, errors)
    elif t in ("integer", "long", "double", "float"):
        if "min" in meta and v < meta["min"]:
            _add(errors, v, path, f"Member must have value greater than or equal to {_num(meta['min'])}")
        if "max" in meta and v > meta["max"]:
            _add(errors, v, path, f"Member must have value less than or equal to {_num(meta['max'])}")
    elif t == "blob":
        _length(meta, v, len(v), path, errors)
    elif t == "structure":
        _structure(shape, v, path + ".", errors)
    elif t == "list":
        _length(meta, v, len(v), path, errors)
        for i, item in enumerate(v, 1):
            if len(errors) >= MAX_ERRORS:
                return
            _value(shape.member, item, f"{path}.{i}.member", errors)
    elif t == "map":
        _length(meta, v, len(v), path, errors)
        for k, item in v.items():
            if len(errors) >= MAX_ERRORS:
                return
            _value(shape.key, k, f"{path}.{k}.key", errors) if shape.key.metadata else None
            _value(shape.value, item, f"{path}.{k}.member", errors)


def _length(meta: dict, v: Any, n: int, path: str, errors: list[str]) -> None:
    if "min" in meta and n < meta["min"]:
        _add(errors, v, path, f"Member must have length greater than or equal to {_num(meta['min'])}")
    if "max" in meta and n > meta["max"]:
        _add(errors, v, path, f"Member must have length less than or equal to {_num(meta['max'])}")


def _num(n: Any) -> str:
    return str(int(n)) if isinstance(n, float) and n.is_integer() else str(n)
