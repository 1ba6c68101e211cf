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
from typing import Any, Callable, Optional

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
    check = compiled(shape)
    if check is not None:
        check(value or {}, "", errors)
    return errors


def message(errors: list[str]) -> str:
    n = len(errors)
    return f"{n} validation error{'s' if n > 1 else ''} detected: " + "; ".join(errors)


def _add(errors: list[str], value: Any, path: str, constraint: str) -> None:
    if len(errors) < MAX_ERRORS:
        v = _value_str(value)
        v = v if value is None else f"'{v}'"
        errors.append(f"Value {v} at '{path}' failed to satisfy constraint: {constraint}")


# -- compilation -------------------------------------------------------------------------------
# Each shape compiles once into a checker `check(value, path, errors)`, or None when nothing under
# it carries a constraint, so a request only pays for the members it holds that can be wrong.
# A structure's checker visits members in model order, as the walk it replaces did, so the
# violations come out in the same order.
Check = Callable[[Any, str, list], None]


@lru_cache(maxsize=4096)  # by shape object (botocore shapes hash by identity); keeps it alive
def compiled(shape: Shape) -> Optional[Check]:
    return _Compiler().compile(shape)


class _Compiler:
    def __init__(self) -> None:
        # container shapes by name, for recursive models (DynamoDB AttributeValue -> M -> ...):
        # a cell filled once the shape is compiled; recursive references call through it.
        self.cells: dict[str, list] = {}

    def compile(self, shape: Shape) -> Optional[Check]:
        t = shape.type_name
        if t in ("structure", "list", "map"):
            cell = self.cells.get(shape.name)
            if cell is not None:
                return lambda v, path, errors: cell[0](v, path, errors) if cell[0] else None
            cell = self.cells[shape.name] = [None]
            cell[0] = getattr(self, "_" + t)(shape)
            return cell[0]
        if t == "string":
            return self._string(shape)
        if t in ("integer", "long", "double", "float"):
            return self._range(shape.metadata)
        if t == "blob":
            return self._length(shape.metadata)
        return None

    def _structure(self, shape: Shape) -> Optional[Check]:
        required = set(shape.required_members)
        members = []  # (name, path suffix, required, checker)
        for name, member in shape.members.items():
            check = self.compile(member)
            if check is not None or name in required:
                members.append((name, _lower_first(name), name in required, check))
        if not members:
            return None
        members = tuple(members)

        def check_structure(value: dict, prefix: str, errors: list) -> None:
            get = value.get
            for name, suffix, is_required, check in members:
                if len(errors) >= MAX_ERRORS:
                    return
                v = get(name)
                if v is None:
                    if is_required:
                        _add(errors, None, prefix + suffix, "Member must not be null")
                    continue
                if check is not None:
                    check(v, prefix + suffix, errors)
        return lambda value, path, errors: check_structure(value, path + "." if path else "", errors)

    def _list(self, shape: Shape) -> Optional[Check]:
        length = self._length(shape.metadata)
        item = self.compile(shape.member)
        if length is None and item is None:
            return None

        def check_list(v: list, path: str, errors: list) -> None:
            if length is not None:
                length(v, path, errors)
            if item is not None:
                for i, x in enumerate(v, 1):
                    if len(errors) >= MAX_ERRORS:
                        return
                    item(x, f"{path}.{i}.member", errors)
        return check_list

    def _map(self, shape: Shape) -> Optional[Check]:
        length = self._length(shape.metadata)
        key = self.compile(shape.key) if shape.key.metadata else None
        value = self.compile(shape.value)
        if length is None and key is None and value is None:
            return None

        def check_map(v: dict, path: str, errors: list) -> None:
            if length is not None:
                length(v, path, errors)
            if key is None and value is None:
                return
            for k, x in v.items():
                if len(errors) >= MAX_ERRORS:
                    return
                if key is not None:
                    key(k, f"{path}.{k}.key", errors)
                if value is not None:
                    value(x, f"{path}.{k}.member", errors)
        return check_map

    def _string(self, shape: Shape) -> Optional[Check]:
        meta = shape.metadata
        enum = frozenset(shape.enum) if shape.enum else None
        enum_text = f"Member must satisfy enum value set: [{', '.join(shape.enum)}]" if enum else ""
        pattern = meta.get("pattern")
        rx = _compile(pattern) if pattern else None
        length = self._length(meta)
        if enum is None and rx is None and length is None:
            return None

        def check_string(v: str, path: str, errors: list) -> None:
            if enum is not None and v not in enum:
                _add(errors, v, path, enum_text)
                return
            if rx is not None and not rx.fullmatch(v):
                _add(errors, v, path, f"Member must satisfy regular expression pattern: {pattern}")
            if length is not None:
                length(v, path, errors)
        return check_string

    @staticmethod
    def _range(meta: dict) -> Optional[Check]:
        lo, hi = meta.get("min"), meta.get("max")
        if lo is None and hi is None:
            return None

        def check_range(v, path: str, errors: list) -> None:
            if lo is not None and v < lo:
                _add(errors, v, path, f"Member must have value greater than or equal to {_num(lo)}")
            if hi is not None and v > hi:
                _add(errors, v, path, f"Member must have value less than or equal to {_num(hi)}")
        return check_range

    @staticmethod
    def _length(meta: dict) -> Optional[Check]:
        lo, hi = meta.get("min"), meta.get("max")
        if lo is None and hi is None:
            return None

        def check_length(v, path: str, errors: list) -> None:
            n = len(v)
            if lo is not None and n < lo:
                _add(errors, v, path, f"Member must have length greater than or equal to {_num(lo)}")
            if hi is not None and n > hi:
                _add(errors, v, path, f"Member must have length less than or equal to {_num(hi)}")
        return check_length


def _num(n: Any) -> str:
    return str(int(n)) if isinstance(n, float) and n.is_integer() else str(n)
