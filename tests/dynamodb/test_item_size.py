"""Item sizes and the capacity units they cost, table-driven per item type and nesting shape
(issue 4 acceptance). Each case's expected size is computed HERE from the spec's rules (source per
rule below), independently of the server; the server's size is then pinned exactly by padding the
item to the 1 KB write-unit boundary (1024 bytes -> 1 WCU, 1025 -> 2 WCU, spec 1.2.2) and to the
4 KB read-unit boundary (4096 -> 1 RCU strong / 0.5 eventual, 4097 -> 2 / 1, spec 1.2.1/1.2.3).

Rules (docs/behaviour/dynamodb-capacity.md 1.1-1.2, from the Developer Guide page
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html):
- 1.1.1 item = sum of (UTF-8 name bytes + value size);
- 1.1.2 S = UTF-8 bytes; 1.1.3 B = raw bytes; 1.1.4 BOOL/NULL = 1;
- 1.1.5 N = 1 + ceil(int sig digits/2) + ceil(frac sig digits/2) + 1 if negative; zero = 1
  (dynoxide's byte-exact rule, the doc's "1 byte per two significant digits + 1");
- 1.1.6 L = 3 + sum(1 + size(elem)); M = 3 + sum(1 + UTF-8 key bytes + size(value));
- 1.1.7 SS/NS/BS = plain sum of member sizes;
- 1.1.9 maximum item size 409,600 bytes.
"""

from __future__ import annotations

import math

import pytest

from tests.dynamodb.helpers import create
from tests.kit import error

PAD = "p"      # the padding attribute's name
KEY = {"id": {"S": "k"}}


def number_size(text: str) -> int:
    """spec 1.1.5 (dynoxide rule)."""
    negative = text.startswith("-")
    body = text.lstrip("-+")
    mantissa, _, exponent = body.lower().partition("e")
    int_part, _, frac_part = mantissa.partition(".")
    shift = int(exponent or 0)
    digits = int_part + frac_part
    point = len(int_part) + shift
    stripped = digits.lstrip("0")
    point -= len(digits) - len(stripped)
    digits = stripped.rstrip("0")
    if not digits:
        return 1
    int_digits = min(len(digits), max(point, 0))
    frac_digits = len(digits) - int_digits
    return (1 + math.ceil(int_digits / 2) + math.ceil(frac_digits / 2)
            + (1 if negative else 0))


def value_size(value: dict) -> int:
    (kind, v), = value.items()
    if kind == "S":
        return len(v.encode())                                        # 1.1.2
    if kind == "B":
        return len(v)                                                 # 1.1.3
    if kind in ("BOOL", "NULL"):
        return 1                                                      # 1.1.4
    if kind == "N":
        return number_size(v)                                         # 1.1.5
    if kind == "SS":
        return sum(len(s.encode()) for s in v)                        # 1.1.7
    if kind == "NS":
        return sum(number_size(n) for n in v)
    if kind == "BS":
        return sum(len(b) for b in v)
    if kind == "L":
        return 3 + sum(1 + value_size(x) for x in v)                  # 1.1.6
    if kind == "M":
        return 3 + sum(1 + len(k.encode()) + value_size(x) for k, x in v.items())
    raise AssertionError(kind)


def item_size(item: dict) -> int:
    return sum(len(name.encode()) + value_size(v) for name, v in item.items())   # 1.1.1


CASES = {
    "S ascii": {"v": {"S": "hello"}},
    "S two-byte utf8": {"v": {"S": "héllo"}},
    "S three-byte utf8": {"v": {"S": "€uro€"}},
    "S four-byte utf8": {"v": {"S": "😀x"}},
    "name non-ascii": {"ñame€": {"S": "x"}},
    "B": {"v": {"B": b"\x00\x01\x02\xff"}},
    "BOOL": {"v": {"BOOL": True}},
    "NULL": {"v": {"NULL": True}},
    "N zero": {"v": {"N": "0"}},
    "N 7": {"v": {"N": "7"}},
    "N 42": {"v": {"N": "42"}},
    "N -42": {"v": {"N": "-42"}},
    "N 100": {"v": {"N": "100"}},
    "N 123": {"v": {"N": "123"}},
    "N 1.5": {"v": {"N": "1.5"}},
    "N 0.001": {"v": {"N": "0.001"}},
    "N 12.3456": {"v": {"N": "12.3456"}},
    "N 123.456": {"v": {"N": "123.456"}},
    "N 38 digits": {"v": {"N": "1234567890123456789012345678901234567.8"}},
    "N -1e-130": {"v": {"N": "-1e-130"}},
    "SS": {"v": {"SS": ["a", "bc", "déf"]}},
    "NS": {"v": {"NS": ["1", "22", "-3.5"]}},
    "BS": {"v": {"BS": [b"\x01", b"\x02\x03"]}},
    "L empty": {"v": {"L": []}},
    "M empty": {"v": {"M": {}}},
    "L of scalars": {"v": {"L": [{"S": "a"}, {"N": "1"}, {"BOOL": False}, {"NULL": True}]}},
    "M of scalars": {"v": {"M": {"ab": {"S": "c"}, "n": {"N": "12"}}}},
    "L of M": {"v": {"L": [{"M": {"x": {"S": "y"}}}, {"M": {}}]}},
    "M of L of L": {"v": {"M": {"deep": {"L": [{"L": [{"N": "5"}]}, {"L": []}]}}}},
    "M of sets": {"v": {"M": {"s": {"SS": ["q"]}, "b": {"BS": [b"z"]}}}},
    "several attributes": {"a": {"S": "x"}, "bb": {"N": "-0.5"}, "ccc": {"L": [{"S": "é"}]}},
}


@pytest.fixture(scope="module")
def table(server, ddb):
    create(server, ddb, "SizeTable", read=1000, write=1000)
    return "SizeTable"


def padded(case: dict, total: int) -> dict:
    """The case's item plus a string attribute making the whole item exactly `total` bytes."""
    item = {**KEY, **case}
    base = item_size(item) + len(PAD)
    assert base < total
    return {**item, PAD: {"S": "x" * (total - base)}}


@pytest.mark.parametrize("name", list(CASES))
def test_write_units_at_the_1kb_boundary(ddb, table, name):
    for total, units in ((1024, 1), (1025, 2)):
        item = padded(CASES[name], total)
        assert item_size(item) == total
        out = ddb.put_item(TableName=table, Item=item, ReturnConsumedCapacity="TOTAL")
        ddb.delete_item(TableName=table, Key=KEY)  # so the next put is charged on itself alone
        assert out["ConsumedCapacity"]["CapacityUnits"] == units, (name, total)


@pytest.mark.parametrize("name", ["S three-byte utf8", "N 12.3456", "M of L of L", "SS", "B"])
def test_read_units_at_the_4kb_boundary(ddb, table, name):
    for total, strong, eventual in ((4096, 1, 0.5), (4097, 2, 1)):
        ddb.put_item(TableName=table, Item=padded(CASES[name], total))
        for consistent, units in ((True, strong), (False, eventual)):
            out = ddb.get_item(TableName=table, Key=KEY, ConsistentRead=consistent,
                               ReturnConsumedCapacity="TOTAL")
            assert out["ConsumedCapacity"]["CapacityUnits"] == units, (name, total, consistent)
        # TransactGetItems: 2 x ceil(size / 4 KB) (spec 1.3.11)
        out = ddb.transact_get_items(TransactItems=[{"Get": {"TableName": table, "Key": KEY}}],
                                     ReturnConsumedCapacity="TOTAL")
        assert out["ConsumedCapacity"][0]["CapacityUnits"] == 2 * strong


def test_update_item_charges_the_larger_of_old_and_new(ddb, table):
    # spec 1.3.7: max(size before, size after) in 1 KB units
    ddb.put_item(TableName=table, Item=padded({}, 3000))            # 3 WCU item
    out = ddb.update_item(TableName=table, Key=KEY, UpdateExpression="REMOVE p",
                          ReturnConsumedCapacity="TOTAL")
    assert out["ConsumedCapacity"]["CapacityUnits"] == 3             # old was larger
    out = ddb.update_item(TableName=table, Key=KEY, UpdateExpression="SET p = :p",
                          ExpressionAttributeValues={":p": {"S": "x" * 2100}},
                          ReturnConsumedCapacity="TOTAL")
    assert out["ConsumedCapacity"]["CapacityUnits"] == 3             # new: 3 + 1 + 2100 bytes
    # a failed condition still costs (spec 1.3.10): existing 2104-byte item -> 3 WCU, visible
    # only in CloudWatch; a missing item costs 1 (covered in test_metrics_requests.py)


def test_transactional_write_doubles_per_item(ddb, table):
    # spec 1.3.11: 2 x ceil(size / 1 KB) per item, rounded per item before doubling
    items = [padded({"n": {"N": str(i)}}, 500) for i in range(3)]
    for i, item in enumerate(items):
        item["id"] = {"S": f"tx{i}"}
    out = ddb.transact_write_items(
        TransactItems=[{"Put": {"TableName": table, "Item": item}} for item in items],
        ReturnConsumedCapacity="TOTAL")
    assert out["ConsumedCapacity"] == [{"TableName": table, "CapacityUnits": 6.0,
                                        "WriteCapacityUnits": 6.0}]


def test_maximum_item_size(ddb, table):
    # spec 1.1.9: 409,600 bytes under the same size rule; one byte more is refused
    ddb.put_item(TableName=table, Item=padded({}, 409_600))
    assert error(ddb.put_item, TableName=table, Item=padded({}, 409_601)) == (
        "ValidationException", "Item size has exceeded the maximum allowed size", 400)
