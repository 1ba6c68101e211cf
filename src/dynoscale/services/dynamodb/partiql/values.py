"""PartiQL literals and `?` parameters -> DynamoDB AttributeValues, with AWS's messages.

Literals: 'text' -> S, numbers -> N (exact, canonical, 38 digits as in the item API), TRUE/FALSE
-> BOOL, NULL -> NULL, [..] -> L, {'k': v} -> M, <<..>> -> SS or NS (DynamoDB developer guide
"PartiQL data types for DynamoDB"; binary values come only as parameters). MISSING is no value.

Numbers are read as Java's BigDecimal reads them (dynamodb-conformance tests/tier3/
error-messages/partiqlGrammar.test.ts and partiqlParameterNumbers.test.ts, pinned against AWS):
an exponent, or a scale (fraction digits less the exponent), outside a 32-bit integer cannot be
converted at all (a literal: the syntax envelope with nothing after its colon; a parameter:
`The parameter cannot be converted to a numeric value: <text>`); inside that range the magnitude
check runs on precision minus scale in 32-bit arithmetic, which wraps, so `1e2147483647`
underflows. Otherwise the item API's number rules apply (values.parse_number). A literal's
messages end with ` under <path>`: `root` for the value itself (each top-level attribute of an
INSERT item is its own root), `root.x` and `root[1]` inside maps and lists.
"""

from __future__ import annotations

import re
from typing import Optional

from dynoscale.errors import AwsError
from dynoscale.services.dynamodb import errors
from dynoscale.services.dynamodb import values as av
from dynoscale.services.dynamodb.partiql import ast
from dynoscale.services.dynamodb.partiql import messages as m

_JAVA_DECIMAL = re.compile(r"[+-]?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?")
_INT_MIN, _INT_MAX = -2 ** 31, 2 ** 31 - 1
_UNDERFLOW = ("Number underflow. Attempting to store a number with magnitude smaller than "
              "supported range")
_OVERFLOW = ("Number overflow. Attempting to store a number with magnitude larger than supported "
             "range")
_UNCONVERTIBLE = "The parameter cannot be converted to a numeric value"


def _java_problem(text: str) -> Optional[str]:
    """'unconvertible', 'underflow', 'overflow' per Java BigDecimal's 32-bit exponent and
    scale, or None when the number is within them (then the item API's rules decide)."""
    match = _JAVA_DECIMAL.fullmatch(text)
    if match is None or not (match.group(1) or match.group(2)):
        return None  # not a number at all: values.parse_number words that
    integer, fraction, exponent = match.group(1), match.group(2) or "", int(match.group(3) or 0)
    if not _INT_MIN <= exponent <= _INT_MAX:
        return "unconvertible"
    scale = len(fraction) - exponent
    if not _INT_MIN <= scale <= _INT_MAX:
        return "unconvertible"
    digits = (integer + fraction).lstrip("0")
    if not digits:
        return None
    magnitude = len(digits) - scale
    if magnitude > _INT_MAX:
        return "underflow"  # wraps negative
    if magnitude < _INT_MIN:
        return "overflow"   # wraps positive
    return None


def literal_number(text: str, path: str) -> str:
    problem = _java_problem(text)
    if problem == "unconvertible":
        raise m.malformed("")
    if problem is not None:
        raise errors.validation(f"{_UNDERFLOW if problem == 'underflow' else _OVERFLOW} under {path}")
    try:
        return av.canonical_number(av.parse_number(text))
    except AwsError as error:
        raise errors.validation(f"{error.message} under {path}")


def _parameter_number(text: str) -> None:
    problem = _java_problem(text)
    if problem == "unconvertible":
        raise errors.validation(f"{_UNCONVERTIBLE}: {text}")
    if problem is not None:
        raise errors.validation(_UNDERFLOW if problem == "underflow" else _OVERFLOW)


def _walk_parameter(value: dict, depth: int) -> None:
    """Java's number rule and the nesting limit, in document order (AWS reports whichever it
    meets first: partiqlParameterNumbers.test.ts)."""
    if depth >= av.MAX_DEPTH:
        av.check_value(value, depth=depth)  # raises the item API's nesting message
    for type_name, v in value.items():
        if type_name == "N" and isinstance(v, str):
            _parameter_number(v)
        elif type_name == "NS" and isinstance(v, list):
            for member in v:
                _parameter_number(member)
        elif type_name == "M" and isinstance(v, dict):
            for member in v.values():
                _walk_parameter(member, depth + 1)
        elif type_name == "L" and isinstance(v, list):
            for member in v:
                _walk_parameter(member, depth + 1)


def check_parameters(parameters: Optional[list]) -> list:
    """The request's Parameters, validated and with numbers canonical."""
    out = []
    for value in parameters or []:
        _walk_parameter(value, 0)
        out.append(av.check_value(value))
    return out


# -- literals ----------------------------------------------------------------------------------
def _child(path: str, key) -> str:
    return f"{path}[{key}]" if isinstance(key, int) else f"{path}.{key}"


def value_of(node, params: list, path: str = "root") -> dict:
    """The AttributeValue a literal expression (or `?`) denotes."""
    if isinstance(node, ast.Literal):
        kind = node.kind
        if kind == "string":
            return {"S": node.text}
        if kind == "number":
            return {"N": literal_number(node.text, path)}
        if kind in ("true", "false"):
            return {"BOOL": kind == "true"}
        if kind == "null":
            return {"NULL": True}
        raise errors.validation(m.MISSING_OUTSIDE_IS)
    if isinstance(node, ast.Param):
        if node.index >= len(params):
            raise errors.validation(m.PARAMETER_COUNT)
        return params[node.index]
    if isinstance(node, ast.ListExpr):
        return {"L": [value_of(x, params, _child(path, i)) for i, x in enumerate(node.items)]}
    if isinstance(node, ast.StructExpr):
        return {"M": struct_of(node, params, path)}
    if isinstance(node, ast.BagExpr):
        return _bag(node, params, path)
    raise m.validation(m.UNSUPPORTED_DATA_TYPE.format(describe(node), path), node.token.where)


def struct_of(node: ast.StructExpr, params: list, path: str = "root",
              top_level: bool = False) -> dict:
    """A tuple's members; `top_level`: an INSERT item, whose attributes are each a root."""
    out: dict = {}
    for key_node, value_node in node.pairs:
        key = _key(key_node, params, path)
        if key in out:
            raise errors.validation(m.TUPLE_DUPLICATE_KEY.format(key, path))
        out[key] = value_of(value_node, params, "root" if top_level else _child(path, key))
    return out


def _key(node, params: list, path: str) -> str:
    if isinstance(node, ast.Literal) and node.kind == "string":
        return node.text
    if isinstance(node, ast.Param) and node.index < len(params) and "S" in params[node.index]:
        return params[node.index]["S"]
    kind = node.kind.upper() if isinstance(node, ast.Literal) else describe(node)
    raise errors.validation(m.TUPLE_KEY_TYPE.format(kind, path))


def _literal_kind(node) -> str:
    if isinstance(node, ast.Literal):
        if node.kind == "number":
            return "DECIMAL" if any(c in node.text for c in ".eE") else "INT"
        return {"string": "STRING", "true": "BOOL", "false": "BOOL", "null": "NULL",
                "missing": "MISSING"}[node.kind]
    return describe(node)


def _bag(node: ast.BagExpr, params: list, path: str) -> dict:
    """<<'a', 'b'>> -> SS, <<1, 2>> -> NS; the first member decides, empty bags and other member
    types are refused ([CONF] partiqlFunctions "Empty bags are not supported"; [DDBL] texts)."""
    if not node.items:
        raise errors.validation(m.EMPTY_BAG)
    first = node.items[0]
    if not (isinstance(first, ast.Literal) and first.kind in ("string", "number")):
        raise errors.validation(m.BAG_TYPE)
    strings = first.kind == "string"
    members = []
    for item in node.items:
        if not (isinstance(item, ast.Literal) and item.kind == ("string" if strings else "number")):
            raise errors.validation(m.BAG_MEMBER.format(_literal_kind(item),
                                                        "String" if strings else "Number", path))
        members.append(item.text if strings else literal_number(item.text, path))
    return av.check_value({"SS": members} if strings else {"NS": members})


def describe(node) -> str:
    """How AWS names an expression in `Unsupported data type: <name> under key ...`."""
    if isinstance(node, ast.Call):
        return node.name
    if isinstance(node, ast.Name):
        return node.name
    if isinstance(node, ast.PathExpr):
        return describe(node.root)
    return type(node).__name__


def is_literal(node) -> bool:
    return isinstance(node, (ast.Literal, ast.Param, ast.ListExpr, ast.StructExpr, ast.BagExpr))
