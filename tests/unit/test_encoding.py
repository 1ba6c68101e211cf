"""Order-preserving key encoding (storage/encoding.py): byte order of encoded keys must equal
DynamoDB's key order — numbers numerically (up to 38 significant digits, magnitude 1E-130 ..
9.99..E+125), strings by UTF-8 bytes, binary by bytes (docs/architecture.md, Rules)."""

from decimal import Decimal

from hypothesis import given, strategies as st

from dynoscale.storage.encoding import encode_key_value, encode_number


@st.composite
def dynamo_numbers(draw):
    digits = draw(st.integers(min_value=1, max_value=38))
    mantissa = draw(st.integers(min_value=0, max_value=10 ** digits - 1))
    if mantissa == 0:
        return Decimal(0)
    # value = mantissa * 10**exp = 0.digits * 10**point with point = length + exp in [-129, 126]
    length = len(str(mantissa))
    exp = draw(st.integers(min_value=-129 - length, max_value=126 - length))
    value = Decimal(mantissa).scaleb(exp)
    if draw(st.booleans()):
        value = -value
    return value


def _cmp(a, b):
    return (a > b) - (a < b)


@given(dynamo_numbers(), dynamo_numbers())
def test_number_byte_order_is_numeric_order(a, b):
    assert _cmp(encode_number(a), encode_number(b)) == _cmp(a, b)


@given(dynamo_numbers())
def test_equal_numbers_encode_identically(a):
    assert encode_number(a) == encode_number(Decimal(str(a)).normalize())
    assert encode_number(a) == encode_number(a * Decimal("1.000"))


def test_number_examples_sort_numerically():
    texts = ["-1E+125", "-100", "-99.9", "-10", "-1", "-0.5", "-1E-130", "0", "1E-130", "0.001",
             "0.1", "0.12", "0.123", "1", "1.5", "9", "10", "10.01", "99", "100", "1E+125",
             "9.9999999999999999999999999999999999999E+125"]
    encoded = [encode_key_value("N", t) for t in texts]
    assert encoded == sorted(encoded)
    assert encode_key_value("N", "1") == encode_key_value("N", "1.0") == encode_key_value("N", "10E-1")
    assert encode_key_value("N", "-0") == encode_key_value("N", "0")


@given(st.text(), st.text())
def test_strings_sort_by_utf8_bytes(a, b):
    ea, eb = encode_key_value("S", a), encode_key_value("S", b)
    assert _cmp(ea, eb) == _cmp(a.encode("utf-8"), b.encode("utf-8"))


@given(st.binary(), st.binary())
def test_binary_sorts_by_bytes(a, b):
    assert _cmp(encode_key_value("B", a), encode_key_value("B", b)) == _cmp(a, b)
