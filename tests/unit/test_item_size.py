"""Item sizes (services/dynamodb/values.py) per docs/behaviour/dynamodb-capacity.md 1.1 (AWS:
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html):
UTF-8 names and strings, raw binary length, numbers by dynoxide's measured rule (1.1.5, measured
against AWS: nubo-db/dynoxide src/types.rs `number_size`), L/M overheads (1.1.6), sets as plain
sums (1.1.7); and capacity units from sizes (1.2)."""

from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from dynoscale.services.dynamodb.capacity.units import read_units, write_units
from dynoscale.storage.encoding import number_parts
from dynoscale.services.dynamodb.values import (canonical_number, item_size, number_size,
                                                 parse_number)


@pytest.mark.parametrize("text,size", [
    ("0", 1), ("7", 2), ("42", 2), ("-42", 3), ("100", 2), ("123", 3), ("1.5", 3),
    ("0.001", 2), ("12.3456", 4), ("123.456", 5), ("-0", 1)])
def test_number_sizes_from_spec_examples(text, size):
    assert number_size(text) == size


@pytest.mark.parametrize("item,size", [
    ({"a": {"S": "héllo"}}, 1 + 6),                       # UTF-8, not UTF-16 (1.1.2)
    ({"b": {"B": b"\x00\x01\x02"}}, 1 + 3),               # decoded bytes (1.1.3)
    ({"t": {"BOOL": True}, "n": {"NULL": True}}, 2 + 2),  # 1 byte each (1.1.4)
    ({"l": {"L": []}}, 1 + 3),                            # empty list = name + 3 (1.1.6)
    ({"l": {"L": [{"S": "ab"}, {"N": "1"}]}}, 1 + 3 + (1 + 2) + (1 + 2)),
    ({"m": {"M": {"k": {"S": "v"}}}}, 1 + 3 + (1 + 1 + 1)),
    ({"s": {"SS": ["a", "bc"]}}, 1 + 3),                  # sets: plain sums (1.1.7)
    ({"s": {"NS": ["1", "22"]}}, 1 + 2 + 2),
    ({"s": {"BS": [b"ab", b"c"]}}, 1 + 3),
])
def test_item_sizes(item, size):
    assert item_size(item) == size


def test_tutorial_item_is_98_write_units():
    # Step 5 of the seed tutorial: pk, sk numbers and a map {"S": 100,000 x's} (boto3 resource)
    item = {"pk": {"N": "9"}, "sk": {"N": "9"}, "filler": {"M": {"S": {"S": "x" * 100000}}}}
    assert write_units(item_size(item)) == 98


@pytest.mark.parametrize("size,consistent,units", [
    (0, True, 1), (0, False, 0.5), (3584, True, 1), (3584, False, 0.5),
    (10240, True, 3), (10240, False, 1.5), (8192, True, 2)])
def test_read_units(size, consistent, units):
    assert read_units(size, consistent) == units  # spec 1.2.3


@pytest.mark.parametrize("size,units", [(0, 1), (1, 1), (1024, 1), (1025, 2), (3584, 4)])
def test_write_units(size, units):
    assert write_units(size) == units  # spec 1.2.2, 1.2.5


@given(st.decimals(allow_nan=False, allow_infinity=False, places=None).filter(
    lambda d: d == 0 or -129 <= d.adjusted() + 1 <= 126))
def test_canonical_numbers_keep_value_and_size(d):
    sig = len(number_parts(d)[1])
    if sig > 38:
        return
    text = canonical_number(parse_number(str(d)))
    assert Decimal(text) == d
    assert "E" not in text and "e" not in text
    assert number_size(text) == number_size(str(d))
    # "approximately 1 byte per two significant digits, plus 1" (DG-SIZE)
    assert number_size(text) <= 1 + (sig + 1) // 2 + 2
