"""Key schemas: check an item's or a Key's key attributes and turn them into storage key bytes
(partition bytes: partitions.partition_bytes, the partition hash prefix then the order-preserving
bytes; sort bytes: storage.encoding).

Messages: dynalite db/index.js `validateItem`/`validateKey`/`checkKeySize` (recorded against AWS);
the empty-key wording is AWS's post-2020 text (moto tests, dynoxide helpers).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from dynoscale.errors import AwsError
from dynoscale.services.dynamodb import errors
from dynoscale.services.dynamodb.partitions import partition_bytes
from dynoscale.services.dynamodb.table_record import TableRecord
from dynoscale.storage.encoding import encode_key_value

MAX_HASH_KEY_BYTES = 2048
MAX_RANGE_KEY_BYTES = 1024


@dataclass(frozen=True)
class KeySchema:
    """A table's or index's key attributes. Tables and LSIs have one HASH and at most one RANGE
    attribute; a GSI may have up to four of each ("multi-attribute keys", DG "Using Global
    Secondary Indexes", Multi-attribute key schema): `hash_name`/`range_name` are the first of
    each, `more_hash`/`more_range` the (name, type) pairs after it, in KeySchema order."""
    hash_name: str
    hash_type: str
    range_name: Optional[str] = None
    range_type: Optional[str] = None
    more_hash: tuple = ()
    more_range: tuple = ()

    @classmethod
    def of(cls, table: TableRecord) -> "KeySchema":
        return cls.from_elements(table.key_schema, attribute_types(table))

    @classmethod
    def from_elements(cls, elements: list, types: dict) -> "KeySchema":
        """From AWS KeySchemaElements (HASH elements first) and attribute name -> type."""
        hashes = [(e["AttributeName"], types[e["AttributeName"]]) for e in elements
                  if e["KeyType"] == "HASH"]
        ranges = [(e["AttributeName"], types[e["AttributeName"]]) for e in elements
                  if e["KeyType"] == "RANGE"]
        first_range = ranges[0] if ranges else (None, None)
        return cls(hashes[0][0], hashes[0][1], first_range[0], first_range[1],
                   tuple(hashes[1:]), tuple(ranges[1:]))

    @property
    def hashes(self) -> tuple:
        """((name, type), ...) of the partition key attributes, in order."""
        return ((self.hash_name, self.hash_type),) + self.more_hash

    @property
    def ranges(self) -> tuple:
        """((name, type), ...) of the sort key attributes, in order (empty: no sort key)."""
        if self.range_name is None:
            return ()
        return ((self.range_name, self.range_type),) + self.more_range

    @property
    def is_multi(self) -> bool:
        """A multi-attribute key (more than one HASH or more than one RANGE attribute)."""
        return bool(self.more_hash or self.more_range)

    @property
    def names(self) -> tuple[str, ...]:
        if not self.is_multi:
            return ((self.hash_name,) if self.range_name is None
                    else (self.hash_name, self.range_name))
        return tuple(n for n, _ in self.hashes + self.ranges)

    def typed(self):
        """(name, type, is_hash) of every key attribute, HASH attributes first."""
        yield self.hash_name, self.hash_type, True
        for name, type_name in self.more_hash:
            yield name, type_name, True
        if self.range_name is not None:
            yield self.range_name, self.range_type, False
            for name, type_name in self.more_range:
                yield name, type_name, False


def attribute_types(table: TableRecord) -> dict:
    return {d["AttributeName"]: d["AttributeType"] for d in table.attribute_definitions}


@dataclass(frozen=True)
class KeyProblem:
    """The first thing wrong with an item's or a Key's key attributes. `in_value`: the key value
    itself is unusable (empty, too long), which AWS reports for the whole request even inside
    transactions and batches; otherwise the attributes do not match the key schema, which a
    transaction reports as a cancellation reason (dynamodb-conformance tier3
    transactWriteItems/transactGetItems, captured from AWS)."""
    error: AwsError
    in_value: bool


def _value_problem(name: str, type_name: str, value, is_hash: bool) -> Optional[KeyProblem]:
    if type_name in ("S", "B") and len(value) == 0:
        kind = "string" if type_name == "S" else "binary"
        return KeyProblem(errors.validation(
            "One or more parameter values are not valid. The AttributeValue for a key attribute "
            f"cannot contain an empty {kind} value. Key: {name}"), True)
    if type_name == "N":
        return None
    size = len(value.encode("utf-8")) if type_name == "S" else len(value)
    if is_hash and size > MAX_HASH_KEY_BYTES:
        return KeyProblem(errors.invalid(
            "Size of hashkey has exceeded the maximum size limit of2048 bytes"), True)
    if not is_hash and size > MAX_RANGE_KEY_BYTES:
        return KeyProblem(errors.invalid(
            "Aggregated size of all range keys has exceeded the size limit of 1024 bytes"), True)
    return None


def item_key_problem(schema: KeySchema, item: dict) -> Optional[KeyProblem]:
    """PutItem: the item must carry every key attribute with the declared type."""
    for name, type_name, is_hash in schema.typed():
        value = item.get(name)
        if value is None:
            return KeyProblem(errors.invalid(f"Missing the key {name} in the item"), False)
        if type_name not in value:
            actual = next(iter(value))
            return KeyProblem(errors.invalid(
                f"Type mismatch for key {name} expected: {type_name} actual: {actual}"), False)
        problem = _value_problem(name, type_name, value[type_name], is_hash)
        if problem is not None:
            return problem
    return None


def key_problem(schema: KeySchema, key: dict) -> Optional[KeyProblem]:
    """GetItem/DeleteItem `Key`: exactly the key attributes, with the declared types."""
    if len(key) != len(schema.names):
        return KeyProblem(errors.key_schema_mismatch(), False)
    for name, type_name, is_hash in schema.typed():
        value = key.get(name)
        if value is None or type_name not in value:
            return KeyProblem(errors.key_schema_mismatch(), False)
        problem = _value_problem(name, type_name, value[type_name], is_hash)
        if problem is not None:
            return problem
    return None


def check_item_keys(schema: KeySchema, item: dict) -> None:
    problem = item_key_problem(schema, item)
    if problem is not None:
        raise problem.error


def check_key(schema: KeySchema, key: dict) -> None:
    problem = key_problem(schema, key)
    if problem is not None:
        raise problem.error


def storage_key(schema: KeySchema, item: dict) -> tuple[bytes, bytes]:
    """(partition key bytes, sort key bytes) of an item or Key already checked above."""
    pk = partition_bytes(schema.hash_type, item[schema.hash_name][schema.hash_type])
    if schema.range_name is None:
        return pk, b""
    return pk, encode_key_value(schema.range_type, item[schema.range_name][schema.range_type])
