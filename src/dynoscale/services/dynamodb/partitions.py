"""The partition hash: where a partition key value sits in a table's (or index's) key space, which
fixes the order Scan returns items in and the parallel-scan segment an item belongs to.

DynamoDB scans partition by partition, in the order of a hash of the partition key; the items of
one partition come together, in sort-key order. Following dynalite, whose hashing reproduces
orders recorded against live DynamoDB (architect/dynalite test/scan.js "should return items in
string hash order", "... number hash order", "... from correct string hash segments"), the hash
is MD5 over the salt "Outliers" and the key's bytes (UTF-8 for S, raw for B, DynamoDB's number
bytes for N), of which dynalite keeps the first 24 bits (db/index.js `hashPrefix`, `numToBuffer`,
`createKey`: prefix, then the key itself for ties). Storage keys therefore begin with those
3 bytes, so a storage range scan yields DynamoDB's order while a Query (one partition) is still a
range scan under one partition-bytes value.

Parallel scan (dynalite actions/scan.js): the first 12 bits of the hash, h in [0, 4096), put an
item in segment k when ceil(4096 k / T) <= h < ceil(4096 (k + 1) / T), i.e. k = h * T >> 12, so
segment k is one contiguous stretch of storage keys and comes before segment k + 1.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from typing import Optional

from dynoscale.storage.encoding import encode_number

PREFIX_BYTES = 3                        # dynalite keeps 6 hex digits of the MD5
HASH_SPACE_BITS = 12                    # segments split the first 12 bits (3 hex digits)
HASH_SPACE = 1 << HASH_SPACE_BITS
_SALTED = hashlib.md5(b"Outliers")      # copied per key: cheaper than hashing the salt again


def partition_bytes(type_name: str, value) -> bytes:
    """Storage bytes of a partition key value: hash prefix, then the order-preserving key bytes
    (storage.encoding; for S and B those are also the bytes hashed)."""
    if type_name == "S":
        raw = value.encode("utf-8")
        hashed = raw
    elif type_name == "B":
        raw = hashed = bytes(value)
    elif type_name == "N":
        number = value if isinstance(value, Decimal) else Decimal(value)
        raw, hashed = encode_number(number), number_hash_bytes(number)
    else:
        raise ValueError(f"not a key type: {type_name}")
    digest = _SALTED.copy()
    digest.update(hashed)
    return digest.digest()[:PREFIX_BYTES] + raw


def composite_partition_bytes(parts) -> bytes:
    """Storage bytes of a multi-attribute partition key ((type, value) per HASH attribute, in
    KeySchema order). DynamoDB hashes the attributes together (DG GSI.DesignPattern
    .MultiAttributeKeys, "hashing them together for data distribution") with a function it does
    not publish; inferred: the same salted MD5 over every attribute's hashed bytes, each escaped
    and terminated (0x00 -> 0x00 0xFF, then 0x00 0x01) so that ("ab", "c") and ("a", "bc")
    differ, followed by the attributes' order-preserving bytes in the same framing."""
    raw = hashed = b""
    for type_name, value in parts:
        if type_name == "N":
            number = value if isinstance(value, Decimal) else Decimal(value)
            one_raw, one_hashed = encode_number(number), number_hash_bytes(number)
        else:
            one_raw = one_hashed = value.encode("utf-8") if type_name == "S" else bytes(value)
        raw += _framed(one_raw)
        hashed += _framed(one_hashed)
    digest = _SALTED.copy()
    digest.update(hashed)
    return digest.digest()[:PREFIX_BYTES] + raw


def _framed(raw: bytes) -> bytes:
    return raw.replace(b"\x00", b"\x00\xff") + b"\x00\x01"


def segment_of(pk: bytes, total: int) -> int:
    """Parallel-scan segment (of `total`) of stored partition bytes."""
    return ((pk[0] << 4 | pk[1] >> 4) * total) >> HASH_SPACE_BITS


def segment_bounds(segment: int, total: int) -> tuple[Optional[bytes], Optional[bytes]]:
    """(lo, hi): segment `segment` of `total` holds exactly the partition bytes with
    lo <= pk < hi (None: unbounded). Both are bare prefixes, shorter than any stored key."""
    start = -(-HASH_SPACE * segment // total)        # ceil(4096 k / T)
    end = -(-HASH_SPACE * (segment + 1) // total)
    shift = PREFIX_BYTES * 8 - HASH_SPACE_BITS
    lo = (start << shift).to_bytes(PREFIX_BYTES, "big") if start > 0 else None
    hi = (end << shift).to_bytes(PREFIX_BYTES, "big") if end < HASH_SPACE else None
    return lo, hi


def number_hash_bytes(number: Decimal) -> bytes:
    """dynalite's numToBuffer (db/index.js), DynamoDB's serialized number: a base-100 mantissa
    after an exponent byte, each digit pair plus one; negatives complemented (101 - pair) and,
    when short, ended by 102."""
    if number == 0:
        return bytes([0x80])
    sign, digits, exp = number.as_tuple()   # not normalize(): it rounds to 28 digits
    mantissa = list(digits)
    while mantissa[0] == 0:
        mantissa.pop(0)
    while mantissa[-1] == 0:
        mantissa.pop()
        exp += 1
    negative = sign == 1
    exponent = exp + len(mantissa)             # big.js e + 1
    append_zero = 1 if exponent % 2 else 0
    length = (len(mantissa) + append_zero + 1) // 2
    out = [0] * (length + 2 if length < 20 and negative else length + 1)
    if length < 20 and negative:
        out[length + 1] = 102
    out[0] = (exponent + append_zero) // 2 - 64
    if negative:
        out[0] ^= 0xFFFFFFFF
    index, appended = 0, False
    while index < len(mantissa):
        at = (index + append_zero) // 2 + 1
        if append_zero and index == 0 and not appended:
            out[at] = 0
            appended = True
            index -= 1
        elif (index + append_zero) % 2 == 0:
            out[at] = mantissa[index] * 10
        else:
            out[at] += mantissa[index]
        if (index + append_zero) % 2 or index == len(mantissa) - 1:
            out[at] = 101 - out[at] if negative else out[at] + 1
        index += 1
    return bytes(b & 0xFF for b in out)
