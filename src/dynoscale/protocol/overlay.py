"""A service's own server-side validation, declared as data and applied by the generic model
validator (protocol/validate.py) on top of the botocore model's constraints.

A service whose front end checks more (or less, or differently) than its published model says
declares an `Overlay` of the rules below; each rule carries `source`: where the behaviour was
recorded, so it can be checked against AWS. A service without one is validated by the model alone,
in the generic wording every Coral service shares.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Optional


@dataclass(frozen=True)
class MissingInput:
    """When `member` of the input shape `shape` is absent (or, with `empty_counts`, empty), the
    request is answered with `message` alone, before any constraint check."""
    shape: str
    member: str
    message: str
    source: str
    empty_counts: bool = False


@dataclass(frozen=True)
class Unchecked:
    """Constraints of `shape` are not checked by the model validator: the service checks the
    value itself, in its own words."""
    shape: str
    source: str


@dataclass(frozen=True)
class LengthLimit:
    """A length bound the server applies that the published model does not carry: on every value
    of `shape`, or, when `within` names structure shapes, only on their members of that shape
    (one list shape may be bounded in one place and not in another)."""
    shape: str
    source: str
    min: Optional[int] = None
    max: Optional[int] = None
    within: tuple = ()


@dataclass(frozen=True)
class RequiredMember:
    """A member the server requires that the published model marks optional: absent, it is
    `Value null at '<member>' failed to satisfy constraint: Member must not be null`, reported
    with the other constraint violations."""
    shape: str
    member: str
    source: str


@dataclass(frozen=True)
class UnechoedMaximum:
    """Too many elements in `member` of `shape` is reported without the value and with the
    request's (upper-camel) member names in the path: `Value at 'A.b.C' failed to satisfy ...`."""
    shape: str
    member: str
    source: str


@dataclass(frozen=True)
class UncheckedMapPart:
    """The keys (`part="key"`) or values (`part="value"`) of the map shape `shape` are not checked
    against their shape's constraints by the model validator: the service checks them itself, in
    its own words (the rest of the map is validated as usual)."""
    shape: str
    part: str
    source: str


@dataclass(frozen=True)
class Unechoed:
    """Violations by values of `shape` are reported without the value, the path as usual:
    `Value at 'tags.1.member.key' failed to satisfy constraint: ...`."""
    shape: str
    source: str


@dataclass(frozen=True)
class ElementsAtList:
    """Broken elements of the list shape `shape` are reported once, at the list, with every
    constraint of the element shape: `Value at 'tagKeys' failed to satisfy constraint: Member must
    satisfy constraint: [<max length>, <min length>, <pattern>, Member must not be null]`."""
    shape: str
    source: str


@dataclass(frozen=True)
class NameUnlessArn:
    """A member `member` whose model shape `shape` is an ARN but that also takes a plain name:
    after the ARN shape's own length check, a value not starting with `arn:` must match
    `pattern` and have `min`..`max` characters."""
    member: str
    shape: str
    pattern: str
    min: int
    max: int
    source: str


@dataclass(frozen=True)
class CoralRendering:
    """The service's validator is Coral's Java one and shows it (protocol/coral.py): members
    visited in Java HashMap order, enum values listed in hash order, echoed values rendered by
    Java `toString()` (`hidden_members`: members of the server's classes that the model leaves
    out, by shape: member -> the hidden members that follow it), and a map's key and value
    constraints reported once, at the map, echoing the whole map."""
    source: str
    hidden_members: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)


@dataclass(frozen=True)
class EnumHashOrder:
    """The service lists an enum's allowed values in `Member must satisfy enum value set` in Java
    hash order (protocol/coral.py `enum_listing`), as a Coral service does, without the rest of
    Coral's rendering (echoed values, member order stay the generic ones)."""
    source: str


class Overlay:
    """A service's validation rules, indexed for the validator. Compared and hashed by identity:
    compiled checkers are cached per (shape, overlay)."""

    def __init__(self, *, coral: Optional[CoralRendering] = None,
                 missing_inputs: tuple[MissingInput, ...] = (),
                 unchecked: tuple[Unchecked, ...] = (),
                 unchecked_map_parts: tuple[UncheckedMapPart, ...] = (),
                 length_limits: tuple[LengthLimit, ...] = (),
                 required_members: tuple[RequiredMember, ...] = (),
                 unechoed_maximums: tuple[UnechoedMaximum, ...] = (),
                 unechoed: tuple[Unechoed, ...] = (),
                 elements_at_list: tuple[ElementsAtList, ...] = (),
                 names_unless_arn: tuple[NameUnlessArn, ...] = (),
                 enum_hash_order: Optional[EnumHashOrder] = None):
        self.coral = coral
        self.enum_hash_order = coral is not None or enum_hash_order is not None
        self.missing_inputs = {r.shape: r for r in missing_inputs}
        self.unchecked = frozenset(r.shape for r in unchecked)
        self.unchecked_map_parts = frozenset((r.shape, r.part) for r in unchecked_map_parts)
        self.length_limits = {r.shape: r for r in length_limits if not r.within}
        self.member_length_limits = {(parent, r.shape): r for r in length_limits
                                     for parent in r.within}
        self.required_members: dict[str, frozenset] = {}
        for r in required_members:
            self.required_members[r.shape] = self.required_members.get(r.shape, frozenset()) | {r.member}
        self.unechoed_maximums = frozenset((r.shape, r.member) for r in unechoed_maximums)
        self.unechoed = frozenset(r.shape for r in unechoed)
        self.elements_at_list = frozenset(r.shape for r in elements_at_list)
        self.names_unless_arn = {(r.member, r.shape): r for r in names_unless_arn}
        self.rules = (*((coral,) if coral else ()), *missing_inputs, *unchecked,
                      *unchecked_map_parts, *length_limits, *required_members,
                      *unechoed_maximums, *unechoed, *elements_at_list,
                      *names_unless_arn, *((enum_hash_order,) if enum_hash_order else ()))
