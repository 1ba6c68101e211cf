"""The expression functions: their arity and the operand checks AWS makes before reading items.

Source: dynalite db/conditionParser.pegjs and db/updateParser.pegjs `checkFunction` (texts recorded
against DynamoDB, test/updateItem.js "incorrect types to functions"); DynamoDB developer guide
"Condition and filter expressions" (function list) and "Update expressions" (if_not_exists,
list_append, + and -). Only operands whose type is known without an item are checked: values, and
functions whose result type is fixed (size -> N, list_append -> L, + and - -> N).
"""

from __future__ import annotations

from typing import Optional

from dynoscale.services.dynamodb.expr import tree as t

CONDITION_FUNCTIONS = {"attribute_exists": 1, "attribute_not_exists": 1, "attribute_type": 2,
                       "begins_with": 2, "contains": 2, "size": 1}
UPDATE_FUNCTIONS = {"if_not_exists": 2, "list_append": 2}
ATTRIBUTE_TYPES = ("S", "N", "B", "NULL", "SS", "BOOL", "L", "BS", "NS", "M")
# dynalite records these two sets in these (Java HashSet) orders.
_ANY_TYPE = "{NS,SS,L,BS,N,M,B,BOOL,NULL,S}"
_VALID_TYPES = "{B,NULL,SS,BOOL,L,BS,N,NS,S,M}"


def value_type(value: dict) -> str:
    return next(iter(value))


def immediate_type(operand) -> Optional[str]:
    return value_type(operand.value) if isinstance(operand, t.Const) else None


def known_type(operand) -> Optional[str]:
    if isinstance(operand, t.Const):
        return value_type(operand.value)
    if isinstance(operand, t.Arith):
        return "N"
    if isinstance(operand, t.Call):
        if operand.name == "size":
            return "N"
        if operand.name == "list_append":
            return "L"
        if operand.name == "if_not_exists" and len(operand.args) == 2:
            return known_type(operand.args[1])
    return None


def _count_error(name: str, args: tuple) -> str:
    return ("Incorrect number of operands for operator or function; operator or function: "
            f"{name}, number of operands: {len(args)}")


def type_error(name: str, type_name: str) -> str:
    return ("Incorrect operand type for operator or function; operator or function: "
            f"{name}, operand type: {type_name}")


def _needs_path(name: str) -> str:
    return f"Operator or function requires a document path; operator or function: {name}"


def check_condition_call(call: t.Call, leaf) -> None:
    """Arity, distinct operands, then operand types, into `leaf` (an Errors)."""
    name, args = call.name, call.args
    if CONDITION_FUNCTIONS[name] != len(args):
        leaf.add("operand_count", _count_error(name, args))
        return
    if len(args) == 2 and isinstance(args[0], t.Attr) and args[0] == args[1]:
        leaf.add("distinct", "The first operand must be distinct from the remaining operands for "
                             f"this operator or function; operator: {name}, first operand: "
                             f"{t.path_text(args[0].path)}")
        return
    if name in ("attribute_exists", "attribute_not_exists"):
        if not isinstance(args[0], t.Attr):
            leaf.add("function", _needs_path(name))
    elif name == "begins_with":
        for arg in args:
            type_name = known_type(arg)
            if type_name and type_name not in ("S", "B"):
                leaf.add("function", type_error(name, type_name))
                return
    elif name == "attribute_type":
        type_name = known_type(args[1])
        if type_name != "S":
            leaf.add("function", type_error(name, type_name or _ANY_TYPE))
        elif args[1].value["S"] not in ATTRIBUTE_TYPES:
            leaf.add("function", f"Invalid attribute type name found; type: {args[1].value['S']}, "
                                 f"valid types: {_VALID_TYPES}")
    elif name == "size":
        type_name = known_type(args[0])
        if type_name in ("N", "BOOL", "NULL"):
            leaf.add("function", type_error(name, type_name))


def check_update_call(name: str, args: tuple, errs) -> None:
    """if_not_exists, list_append, + and - in a SET value, into `errs` category "function"."""
    expected = UPDATE_FUNCTIONS.get(name, 2)
    if expected != len(args):
        errs.add("function", _count_error(name, args))
        return
    if name == "if_not_exists":
        if not isinstance(args[0], t.Attr):
            errs.add("function", _needs_path(name))
        return
    wanted = "L" if name == "list_append" else "N"
    for arg in args:
        type_name = immediate_type(arg)
        if type_name and type_name != wanted:
            errs.add("function", type_error(name, type_name))
            return
