"""Model-level validation in AWS's server wording.

Every AWS service built on Coral reports constraint violations the same way:
  `1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member
  must not be null` — several joined with `; ` after `N validation errors detected: `, at most ten.
Member paths are lower-camel-cased and dotted; list elements appear as `name.<1-based index>.member`
and map values as `name.<key>.member` (dynalite validations/index.js, recorded against AWS).
Order of checks per member: not null, enum, pattern, length (dynalite test/query.js: the pattern
violation of a table name comes before its length violation).

A service whose front end checks more, less or differently declares an `Overlay`
(protocol/overlay.py) of rules, each with its source, which the compiler below applies.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any, Callable, Optional

from botocore.model import Shape

from dynoscale.protocol import coral
from dynoscale.protocol.overlay import NameUnlessArn, Overlay

PLAIN = Overlay()  # the model's constraints alone

MAX_ERRORS = 10


class Standalone(str):
    """A violation AWS reports on its own, without the `N validation errors detected` envelope."""


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


# Java's \p{L} and \p{Z} as Python character-class ranges (Python's re has no \p{..}): the Z
# (separator) set exactly, from the Unicode Zs/Zl/Zp categories; for letters, ASCII ones plus every
# non-ASCII character from U+00C0 on, an approximation (inferred: accepting a rare non-letter
# symbol is better than rejecting a real letter). \p{N} becomes \d, Unicode decimal digits.
_LETTERS = "a-zA-Z\u00aa\u00b5\u00ba\u00c0-\U0010ffff"
_SEPARATORS = " \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"


@lru_cache(maxsize=512)
def _compile(pattern: str) -> Optional[re.Pattern]:
    py = (pattern.replace(r"\p{Print}", r"\x20-\x7e").replace(r"\P{M}", ".")
          .replace(r"\p{L}", _LETTERS).replace(r"\p{N}", r"\d").replace(r"\p{Z}", _SEPARATORS))
    if r"\x20-\x7e" in py and not py.lstrip("^").startswith("["):
        py = py.replace(r"\x20-\x7e", r"[\x20-\x7e]")
    try:
        return re.compile(py, re.DOTALL)
    except re.error:
        return None  # a Java-only construct: skip rather than reject valid input


def collect(shape: Shape, value: Any, overlay: Overlay = PLAIN) -> list[str]:
    """All violations (capped at ten) of `value` (parsed input) against `shape` and the
    service's `overlay`."""
    errors: list[str] = []
    check = compiled(shape, overlay)
    if check is not None:
        check(value or {}, "", errors)
    return errors


def message(errors: list[str]) -> str:
    for error in errors:
        if isinstance(error, Standalone):
            return str(error)
    n = len(errors)
    return f"{n} validation error{'s' if n > 1 else ''} detected: " + "; ".join(errors)


def _add(errors: list[str], shown: Optional[str], path: str, constraint: str) -> None:
    """`shown` is the rendered value, None for an absent one."""
    if len(errors) < MAX_ERRORS:
        v = "null" if shown is None else f"'{shown}'"
        errors.append(f"Value {v} at '{path}' failed to satisfy constraint: {constraint}")


def _add_hidden(errors: list[str], shown: Optional[str], path: str, constraint: str) -> None:
    """`_add` for a shape the overlay declares `Unechoed`: the value is left out."""
    if len(errors) < MAX_ERRORS:
        errors.append(f"Value at '{path}' failed to satisfy constraint: {constraint}")


def _add_unechoed(errors: list[str], path: str, constraint: str) -> None:
    """The newer validation framework's form: no value, the request's member names in the path."""
    if len(errors) < MAX_ERRORS:
        parts = path.split(".")
        parts[0], parts[-1] = parts[0][:1].upper() + parts[0][1:], parts[-1][:1].upper() + parts[-1][1:]
        errors.append(f"Value at '{'.'.join(parts)}' failed to satisfy constraint: {constraint}")


# -- compilation -------------------------------------------------------------------------------
# Each shape compiles once into a checker `check(value, path, errors)`, or None when nothing under
# it carries a constraint, so a request only pays for the members it holds that can be wrong.
Check = Callable[[Any, str, list], None]


@lru_cache(maxsize=4096)  # by shape object and overlay (both hash by identity); keeps them alive
def compiled(shape: Shape, overlay: Overlay = PLAIN) -> Optional[Check]:
    check = _Compiler(overlay).compile(shape)
    rule = overlay.missing_inputs.get(shape.name)
    if rule is None:
        return check
    member, text, empty_counts = rule.member, Standalone(rule.message), rule.empty_counts

    def check_input(value: dict, path: str, errors: list) -> None:
        v = value.get(member)
        if v is None or (empty_counts and not v):
            errors.append(text)
        elif check is not None:
            check(value, path, errors)
    return check_input


class _Compiler:
    def __init__(self, overlay: Overlay) -> None:
        self.overlay = overlay
        self.coral = overlay.coral
        # container shapes by name, for recursive models (DynamoDB AttributeValue -> M -> ...):
        # a cell filled once the shape is compiled; recursive references call through it.
        self.cells: dict[str, list] = {}

    def show(self, shape: Shape) -> Callable[[Any], str]:
        """How an echoed value of `shape` is rendered."""
        if self.coral is not None:
            hidden = self.coral.hidden_members
            return lambda v: coral.java_string(v, shape, hidden)
        return _value_str

    def _adder(self, shape: Shape) -> Callable[[list, Optional[str], str, str], None]:
        """How a violation by a value of `shape` is recorded: echoing the value or not."""
        return _add_hidden if shape.name in self.overlay.unechoed else _add

    def compile(self, shape: Shape) -> Optional[Check]:
        if shape.name in self.overlay.unchecked:
            return None
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
            return self._range(shape)
        if t == "blob":
            return self._length(shape)
        return None

    def _structure(self, shape: Shape) -> Optional[Check]:
        required = set(shape.required_members)
        required |= self.overlay.required_members.get(shape.name, frozenset())
        names = list(shape.members)
        if self.coral is not None:
            by_path = {coral.lower_first(n): n for n in names}
            names = [by_path[p] for p in coral.hashmap_order(list(by_path))]
        members = []  # (name, path suffix, required, checker)
        for name in names:
            member = shape.members[name]
            name_rule = self.overlay.names_unless_arn.get((name, member.name))
            member_limit = self.overlay.member_length_limits.get((shape.name, member.name))
            if member_limit is not None:
                check = self._list(member, limit=member_limit)
            elif (shape.name, name) in self.overlay.unechoed_maximums:
                check = self._unechoed_maximum(member)
            elif name_rule is not None:
                check = self._name_unless_arn(member, name_rule)
            else:
                check = self.compile(member)
            if check is not None or name in required:
                members.append((name, coral.lower_first(name), name in required, check))
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

    def _list(self, shape: Shape, *, own_length: bool = True, limit=None) -> Optional[Check]:
        length = self._length(shape, limit) if own_length else None
        if shape.name in self.overlay.elements_at_list:
            return self._elements_at_list(shape, length)
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

    def _elements_at_list(self, shape: Shape, length: Optional[Check]) -> Optional[Check]:
        """One violation at the list for any broken element, naming all the element's rules."""
        rules = _own_rules(shape.member)
        text = ("Member must satisfy constraint: ["
                + ", ".join([t for t, _ in rules] + ["Member must not be null"]) + "]")
        add, show = self._adder(shape), self.show(shape)

        def check_elements(v: list, path: str, errors: list) -> None:
            if length is not None:
                length(v, path, errors)
            if any(x is None or any(broken(x) for _, broken in rules) for x in v):
                add(errors, show(v), path, text)
        return check_elements

    def _unechoed_maximum(self, shape: Shape) -> Optional[Check]:
        """A list whose too few elements are reported in Coral's form, too many in the newer one."""
        lo, hi = shape.metadata.get("min"), shape.metadata.get("max")
        show = self.show(shape)
        item = self.compile(shape.member)

        def check_elements(v: list, path: str, errors: list) -> None:
            if lo is not None and len(v) < lo:
                _add(errors, show(v), path, f"Member must have length greater than or equal to {_num(lo)}")
            if hi is not None and len(v) > hi:
                _add_unechoed(errors, path, f"Member must have length less than or equal to {_num(hi)}")
            if item is not None:
                for i, x in enumerate(v, 1):
                    if len(errors) >= MAX_ERRORS:
                        return
                    item(x, f"{path}.{i}.member", errors)
        return check_elements

    def _name_unless_arn(self, shape: Shape, rule: NameUnlessArn) -> Optional[Check]:
        """A name that may also be an ARN: the ARN shape's length first; a value that is not an
        ARN is then held to the name's pattern, then its length."""
        length = self._length(shape)
        name_pattern = re.compile(rule.pattern)
        lo, hi = rule.min, rule.max

        def check_name(v: str, path: str, errors: list) -> None:
            before = len(errors)
            if length is not None:
                length(v, path, errors)
            if len(errors) > before or v.startswith("arn:"):
                return
            if not name_pattern.fullmatch(v):
                _add(errors, v, path, f"Member must satisfy regular expression pattern: {rule.pattern}")
            if len(v) < lo:
                _add(errors, v, path, f"Member must have length greater than or equal to {lo}")
            elif len(v) > hi:
                _add(errors, v, path, f"Member must have length less than or equal to {hi}")
        return check_name

    def _map(self, shape: Shape) -> Optional[Check]:
        if self.coral is not None:
            return self._coral_map(shape)
        length = self._length(shape)
        parts = self.overlay.unchecked_map_parts
        key = (self.compile(shape.key) if shape.key.metadata and (shape.name, "key") not in parts
               else None)
        value = self.compile(shape.value) if (shape.name, "value") not in parts else None
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

    def _coral_map(self, shape: Shape) -> Optional[Check]:
        length = self._length(shape)
        show = self.show(shape)
        parts = self.overlay.unchecked_map_parts
        key_rules = _own_rules(shape.key) if (shape.name, "key") not in parts else []
        value_rules = (_own_rules(shape.value) if shape.value.name not in self.overlay.unchecked
                       and (shape.name, "value") not in parts else [])
        t = shape.value.type_name
        inner = (self.compile(shape.value) if t == "structure" else
                 self._list(shape.value, own_length=False) if t == "list" else
                 self.compile(shape.value) if t == "map" else None)
        if length is None and not key_rules and not value_rules and inner is None:
            return None
        key_text = "Map keys must satisfy constraint: [" + ", ".join(t for t, _ in key_rules) + "]"
        value_text = "Map value must satisfy constraint: [" + ", ".join(t for t, _ in value_rules) + "]"

        def check_map(v: dict, path: str, errors: list) -> None:
            if length is not None:
                length(v, path, errors)
            if key_rules and any(broken(k) for k in v for _, broken in key_rules):
                _add(errors, show(v), path, key_text)
            if value_rules and any(broken(x) for x in v.values() for _, broken in value_rules):
                _add(errors, show(v), path, value_text)
            if inner is not None:
                for k, x in v.items():
                    if len(errors) >= MAX_ERRORS:
                        return
                    inner(x, f"{path}.{k}.member", errors)
        return check_map

    def _string(self, shape: Shape) -> Optional[Check]:
        meta = shape.metadata
        enum = frozenset(shape.enum) if shape.enum else None
        listed = coral.enum_listing(shape.enum) if enum and self.overlay.enum_hash_order else shape.enum
        enum_text = f"Member must satisfy enum value set: [{', '.join(listed)}]" if enum else ""
        pattern = meta.get("pattern")
        rx = _compile(pattern) if pattern else None
        length = self._length(shape)
        if enum is None and rx is None and length is None:
            return None
        add = self._adder(shape)

        def check_string(v: str, path: str, errors: list) -> None:
            if enum is not None and v not in enum:
                add(errors, v, path, enum_text)
                return
            if rx is not None and not rx.fullmatch(v):
                add(errors, v, path, f"Member must satisfy regular expression pattern: {pattern}")
            if length is not None:
                length(v, path, errors)
        return check_string

    def _range(self, shape: Shape) -> Optional[Check]:
        lo, hi = shape.metadata.get("min"), shape.metadata.get("max")
        if lo is None and hi is None:
            return None
        show = self.show(shape)

        def check_range(v, path: str, errors: list) -> None:
            if lo is not None and v < lo:
                _add(errors, show(v), path, f"Member must have value greater than or equal to {_num(lo)}")
            if hi is not None and v > hi:
                _add(errors, show(v), path, f"Member must have value less than or equal to {_num(hi)}")
        return check_range

    def _length(self, shape: Shape, limit=None) -> Optional[Check]:
        lo, hi = shape.metadata.get("min"), shape.metadata.get("max")
        limit = limit or self.overlay.length_limits.get(shape.name)
        if limit is not None:
            lo = limit.min if limit.min is not None else lo
            hi = limit.max if limit.max is not None else hi
        if lo is None and hi is None:
            return None
        show = self.show(shape)
        add = self._adder(shape)

        def check_length(v, path: str, errors: list) -> None:
            n = len(v)
            if lo is not None and n < lo:
                add(errors, show(v), path, f"Member must have length greater than or equal to {_num(lo)}")
            if hi is not None and n > hi:
                add(errors, show(v), path, f"Member must have length less than or equal to {_num(hi)}")
        return check_length


def _own_rules(shape: Shape) -> list[tuple[str, Callable[[Any], bool]]]:
    """The constraints of `shape` itself as (text, is broken by), in the order AWS lists them
    inside `Map keys/value must satisfy constraint: [...]`: length max, length min, pattern
    (dynalite test/batchWriteItem.js, conformance capture c_bw_over25)."""
    meta = shape.metadata
    rules: list[tuple[str, Callable[[Any], bool]]] = []
    sized = shape.type_name in ("string", "list", "map", "blob")
    lo, hi = meta.get("min"), meta.get("max")
    word = "length" if sized else "value"
    measure = len if sized else (lambda v: v)
    if hi is not None:
        rules.append((f"Member must have {word} less than or equal to {_num(hi)}",
                      lambda v: measure(v) > hi))
    if lo is not None:
        rules.append((f"Member must have {word} greater than or equal to {_num(lo)}",
                      lambda v: measure(v) < lo))
    rx = _compile(meta["pattern"]) if meta.get("pattern") else None
    if rx is not None:
        rules.append((f"Member must satisfy regular expression pattern: {meta['pattern']}",
                      lambda v: not rx.fullmatch(v)))
    if shape.type_name == "string" and shape.enum:
        allowed = frozenset(shape.enum)
        rules.append((f"Member must satisfy enum value set: [{', '.join(coral.enum_listing(shape.enum))}]",
                      lambda v: v not in allowed))
    return rules


def _num(n: Any) -> str:
    return str(int(n)) if isinstance(n, float) and n.is_integer() else str(n)
