"""Resolve ExpressionAttributeNames/Values into a parsed tree and run AWS's semantic checks.

One `Resolver` serves one request: it validates the two maps, resolves every expression of the
request (in the order the operation names them: UpdateExpression, ConditionExpression,
KeyConditionExpression, FilterExpression, ProjectionExpression — dynalite validateExpressions),
records which placeholders were used (placeholders.py), and `check_unused()` finally rejects
leftovers.

Each expression collects its semantic errors by category and raises only the first category that
fired, in the order dynalite's grammars encode from live DynamoDB (db/conditionParser.pegjs
`checkErrors`, db/updateParser.pegjs `checkErrors`):
- conditions: redundant parentheses, unknown function, misused function, reserved word, then the
  first condition with an undefined placeholder / operand count / distinct operands / operand type;
- updates: reserved word, unknown function, list_append inside list_append, repeated clause,
  undefined name, undefined value, overlapping paths, conflicting paths, ADD/DELETE operand type,
  function operand errors.
Message texts: dynalite test/updateItem.js, test/query.js, test/putItem.js (recorded against AWS);
the too-many-operands/operators texts from AWS answers quoted in aws-sdk-js#3721 and
reapit/foundations#8255; "not allowed in a condition/update expression" from dynoxide's captures.
"""

from __future__ import annotations

import base64
from typing import Optional

from dynoscale.services.dynamodb.expr import tree as t
from dynoscale.services.dynamodb.expr.evaluate import order
from dynoscale.services.dynamodb.expr.functions import (CONDITION_FUNCTIONS, UPDATE_FUNCTIONS,
                                                        check_condition_call, check_update_call,
                                                        known_type, type_error, value_type)
from dynoscale.services.dynamodb.expr.keycond import key_conditions
from dynoscale.services.dynamodb.expr.parser import (invalid, parse_condition, parse_projection,
                                                     parse_update)
from dynoscale.services.dynamodb.expr.placeholders import Placeholders
from dynoscale.services.dynamodb.expr.reserved import is_reserved

MAX_IN_OPERANDS = 100
MAX_OPERATORS = 300
CONDITION_ORDER = ("operators", "parens", "unknown_function", "misused_function", "reserved",
                   "condition")
LEAF_ORDER = ("placeholder", "operand_count", "distinct", "function")
# "misused_function" (list_append inside list_append) sits where the condition grammar has it,
# right after unknown functions: inferred, AWS's order between these two is unrecorded
UPDATE_ORDER = ("reserved", "unknown_function", "misused_function", "clause", "name", "value",
                "overlap", "conflict", "operand", "function")
PROJECTION_ORDER = ("reserved", "name", "overlap", "conflict")
# what counts against MAX_OPERATORS (developer guide "Constraints: expression parameters":
# operators or functions; AWS's exact tally is unpublished): comparators, BETWEEN, IN, AND, OR,
# NOT and functions, wherever they stand
_OPERATORS = (t.Compare, t.Between, t.In, t.And, t.Or, t.Not, t.Call)
_MISUSED = "The function is not allowed to be used this way in an expression; function: "
_ORDERING = ("<", "<=", ">", ">=")


class Errors:
    """First message per category; `raise_first` raises the highest-priority one."""

    def __init__(self):
        self.first: dict[str, str] = {}

    def add(self, category: str, message: str) -> None:
        self.first.setdefault(category, message)

    def raise_first(self, kind: str, order: tuple) -> None:
        for category in order:
            if category in self.first:
                raise invalid(kind, self.first[category])


class Resolver:
    """Names and values of one request. `cache` (an ExpressionCache) reuses parsed trees."""

    def __init__(self, names: Optional[dict], values_: Optional[dict], cache=None):
        self.placeholders = Placeholders(names, values_)
        self.cache = cache

    # -- public: one call per expression of the request ---------------------------------------
    def condition(self, text: str, kind: str = "ConditionExpression") -> t.ConditionTree:
        """ConditionExpression or FilterExpression -> resolved tree for evaluate()."""
        # `is not None`: an empty cache is falsy (it has __len__) and would never fill
        parsed = (self.cache.condition(text, kind) if self.cache is not None
                  else parse_condition(text, kind))
        return self.resolve_condition(parsed)

    def update(self, text: str) -> t.UpdateTree:
        parsed = self.cache.update(text) if self.cache is not None else parse_update(text)
        return self.resolve_update(parsed)

    def projection(self, text: str) -> t.ProjectionTree:
        parsed = self.cache.projection(text) if self.cache is not None else parse_projection(text)
        return self.resolve_projection(parsed)

    def key_condition(self, text: str) -> tuple:
        """KeyConditionExpression -> KeyConditions (keycond.py) for key_condition_ranges()."""
        parsed = (self.cache.condition(text, "KeyConditionExpression") if self.cache is not None
                  else parse_condition(text, "KeyConditionExpression"))
        return key_conditions(self.resolve_condition(parsed))

    def check_unused(self) -> None:
        """After all expressions: placeholders nobody used (dynalite validateExpressions)."""
        self.placeholders.check_unused()

    # -- trees ----------------------------------------------------------------------------------
    def resolve_condition(self, parsed: t.ConditionTree) -> t.ConditionTree:
        errs = Errors()
        count = sum(1 for node in t.walk(parsed.root) if isinstance(node, _OPERATORS))
        if count > MAX_OPERATORS:
            errs.add("operators", f"The expression contains too many operators; operator count: "
                                  f"{count}")
        root = self._node(parsed.root, errs)
        _flag_misused_size(root, errs)
        errs.raise_first(parsed.kind, CONDITION_ORDER)
        return t.ConditionTree(parsed.kind, root)

    def resolve_update(self, parsed: t.UpdateTree) -> t.UpdateTree:
        errs = Errors()
        if parsed.duplicate_clause:
            errs.add("clause", f'The "{parsed.duplicate_clause}" section can only be used once in '
                               "an update expression;")
        actions, targets = [], []
        for action in parsed.actions:
            path = self._path(action.path, errs, "name")
            _check_overlap(targets, path, errs)
            if action.clause == "SET":
                value = self._update_operand(action.value, errs)
            elif action.clause == "REMOVE":
                value = None
            else:
                value = self._value(action.value, errs, "value")
                _check_add_delete_operand(action.clause, value, errs)
            actions.append(t.Action(action.clause, t.Attr(path), value))
        errs.raise_first(parsed.kind, UPDATE_ORDER)
        return t.UpdateTree(tuple(actions))

    def resolve_projection(self, parsed: t.ProjectionTree) -> t.ProjectionTree:
        errs = Errors()
        paths = []
        for element in parsed.paths:
            path = self._path(element, errs, "name")
            _check_overlap(paths, path, errs)
        errs.raise_first(parsed.kind, PROJECTION_ORDER)
        return t.ProjectionTree(tuple(paths))

    # -- pieces ---------------------------------------------------------------------------------
    def _path(self, path: t.Path, errs: Errors, category: str,
              name_errs: Optional[Errors] = None) -> tuple:
        """Resolved path; reserved words go to `errs`, undefined names to `name_errs`."""
        out = []
        for element in path.elements:
            if isinstance(element, t.NameRef):
                name = self.placeholders.name(element.name)
                if name is None:
                    (name_errs or errs).add(category, "An expression attribute name used in the "
                                            "document path is not defined; attribute name: "
                                            f"{element.name}")
                    name = element.name
                out.append(name)
            else:
                if isinstance(element, str) and is_reserved(element):
                    errs.add("reserved", "Attribute name is a reserved keyword; reserved keyword: "
                                         f"{element}")
                out.append(element)
        return tuple(out)

    def _value(self, ref: t.ValueRef, errs: Errors, category: str) -> t.Const:
        value = self.placeholders.value(ref.name)
        if value is None:
            errs.add(category, "An expression attribute value used in expression is not defined; "
                               f"attribute value: {ref.name}")
            return t.Const({"NULL": True})
        return t.Const(value)

    def _operand(self, node, errs: Errors, leaf: Errors):
        """A condition operand; undefined placeholders count against the enclosing condition."""
        if isinstance(node, t.Paren):
            if isinstance(node.inner, t.Paren):
                errs.add("parens", "The expression has redundant parentheses;")
            return self._operand(node.inner, errs, leaf)
        if isinstance(node, t.Path):
            return t.Attr(self._path(node, errs, "placeholder", leaf))
        if isinstance(node, t.ValueRef):
            return self._value(node, leaf, "placeholder")
        return self._call(node, errs, leaf)

    def _call(self, node: t.Call, errs: Errors, leaf: Errors) -> t.Call:
        if node.name in UPDATE_FUNCTIONS:
            errs.add("unknown_function", "The function is not allowed in a condition expression; "
                                         f"function: {node.name}")
        elif node.name not in CONDITION_FUNCTIONS:
            errs.add("unknown_function", f"Invalid function name; function: {node.name}")
        args = tuple(self._operand(arg, errs, leaf) for arg in node.args)
        _flag_misused(args, errs)
        call = t.Call(node.name, args)
        if node.name in CONDITION_FUNCTIONS:
            check_condition_call(call, leaf)
        return call

    def _node(self, node, errs: Errors):
        if isinstance(node, t.Paren):
            if isinstance(node.inner, t.Paren):
                errs.add("parens", "The expression has redundant parentheses;")
            return self._node(node.inner, errs)
        if isinstance(node, (t.And, t.Or)):
            return type(node)(self._node(node.left, errs), self._node(node.right, errs))
        if isinstance(node, t.Not):
            return t.Not(self._node(node.operand, errs))
        leaf = Errors()
        resolved = self._leaf(node, errs, leaf)
        for category in LEAF_ORDER:
            if category in leaf.first:
                errs.add("condition", leaf.first[category])
                break
        return resolved

    def _leaf(self, node, errs: Errors, leaf: Errors):
        if isinstance(node, t.Call):
            return self._call(node, errs, leaf)
        if isinstance(node, t.Compare):
            left, right = (self._operand(x, errs, leaf) for x in (node.left, node.right))
            _flag_misused((left, right), errs)
            if isinstance(left, t.Attr) and left == right:
                leaf.add("distinct", "The first operand must be distinct from the remaining "
                                     f"operands for this operator or function; operator: "
                                     f"{node.op}, first operand: {t.path_text(left.path)}")
            if node.op in _ORDERING:
                _check_ordering_operands(node.op, (left, right), leaf)
            return t.Compare(node.op, left, right)
        if isinstance(node, t.Between):
            subject, low, high = (self._operand(x, errs, leaf)
                                  for x in (node.subject, node.low, node.high))
            _flag_misused((subject, low, high), errs)
            _check_ordering_operands("BETWEEN", (subject, low, high), leaf)
            _check_between_bounds(low, high, leaf)
            return t.Between(subject, low, high)
        subject = self._operand(node.subject, errs, leaf)
        options = tuple(self._operand(x, errs, leaf) for x in node.options)
        _flag_misused((subject,) + options, errs)
        if len(options) > MAX_IN_OPERANDS:
            leaf.add("function", "The IN operator is provided with too many operands; number of "
                                 f"operands: {len(options)}")
        return t.In(subject, options)

    def _update_operand(self, node, errs: Errors):
        if isinstance(node, t.Path):
            return t.Attr(self._path(node, errs, "name"))
        if isinstance(node, t.ValueRef):
            return self._value(node, errs, "value")
        if isinstance(node, t.Arith):
            arith = t.Arith(node.op, self._update_operand(node.left, errs),
                            self._update_operand(node.right, errs))
            check_update_call(node.op, (arith.left, arith.right), errs)
            return arith
        if node.name in CONDITION_FUNCTIONS:
            errs.add("unknown_function", "The function is not allowed in an update expression; "
                                         f"function: {node.name}")
        elif node.name not in UPDATE_FUNCTIONS:
            errs.add("unknown_function", f"Invalid function name; function: {node.name}")
        call = t.Call(node.name, tuple(self._update_operand(a, errs) for a in node.args))
        if node.name == "list_append" and any(isinstance(a, t.Call) and a.name == "list_append"
                                              for a in call.args):
            # AWS refuses list_append(list_append(...), ...) while it takes if_not_exists inside
            # list_append and if_not_exists inside if_not_exists (scylladb test/alternator/
            # test_update_expression.py::test_update_expression_function_nesting, run against
            # AWS; the argument's position is not recorded: inferred, either one)
            errs.add("misused_function", _MISUSED + "list_append")
        if node.name in UPDATE_FUNCTIONS:
            check_update_call(node.name, call.args, errs)
        return call


# -- semantic checks ----------------------------------------------------------------------------
def _flag_misused(operands: tuple, errs: Errors) -> None:
    """Only size() may be an operand (dynalite checkMisusedFunction)."""
    for operand in operands:
        if isinstance(operand, t.Call) and operand.name != "size":
            errs.add("misused_function", _MISUSED + operand.name)


def _flag_misused_size(node, errs: Errors) -> None:
    """size() alone is no condition (dynalite checkMisusedSize on AND/OR/NOT and the root)."""
    if any(isinstance(term, t.Call) and term.name == "size" for term in t.terms(node)):
        errs.add("misused_function", _MISUSED + "size")


def _check_ordering_operands(op: str, operands: tuple, leaf: Errors) -> None:
    """<, <=, >, >= and BETWEEN order only S, N and B: an operand from the request (a value) of
    another type is a ValidationException, while an item attribute of another type merely fails
    the comparison (scylladb test_condition_expression.py::test_update_condition_lt, _le, _gt,
    _ge and _between, run against AWS). The text is the one AWS gives PartiQL's ordering
    operators (partiql/messages.py ORDERING_OPERAND); for expressions it is inferred, and so is
    applying the check to KeyConditionExpression too (before the key schema's type check, as
    begins_with's operand check already is)."""
    for operand in operands:
        type_name = known_type(operand)
        if type_name is not None and type_name not in ("S", "N", "B"):
            leaf.add("function", type_error(op, type_name))
            return


def _check_between_bounds(low, high, leaf: Errors) -> None:
    if not (isinstance(low, t.Const) and isinstance(high, t.Const)):
        return
    low_type, high_type = value_type(low.value), value_type(high.value)
    shown = (f"lower bound operand: AttributeValue: {{{low_type}:{_show(low.value)}}}, "
             f"upper bound operand: AttributeValue: {{{high_type}:{_show(high.value)}}}")
    if low_type != high_type:
        leaf.add("function", "The BETWEEN operator requires same data type for lower and upper "
                             f"bounds; {shown}")
    elif (order(low.value, high.value) or 0) > 0:
        leaf.add("function", "The BETWEEN operator requires upper bound to be greater than or "
                             f"equal to lower bound; {shown}")


def _show(value: dict) -> str:
    (type_name, v), = value.items()
    if type_name == "B":
        return base64.b64encode(v).decode()
    return str(v).lower() if type_name == "BOOL" else str(v)


def _check_overlap(previous: list, path: tuple, errs: Errors) -> None:
    """dynalite updateParser checkPaths: a prefix overlaps; a name/index clash conflicts."""
    for other in previous:
        for a, b in zip(other, path):
            if isinstance(a, int) != isinstance(b, int):
                errs.add("conflict", "Two document paths conflict with each other; must remove or "
                                     f"rewrite one of these paths; path one: {t.path_text(other)}, "
                                     f"path two: {t.path_text(path)}")
                break
            if a != b:
                break
        else:
            errs.add("overlap", "Two document paths overlap with each other; must remove or "
                                f"rewrite one of these paths; path one: {t.path_text(other)}, "
                                f"path two: {t.path_text(path)}")
    previous.append(path)


_OPERAND_TYPE_NAMES = {"S": "STRING", "N": "NUMBER", "B": "BINARY", "NULL": "NULL",
                       "BOOL": "BOOLEAN", "L": "LIST", "M": "MAP"}


def _check_add_delete_operand(clause: str, value: t.Const, errs: Errors) -> None:
    """ADD takes a number or a set, DELETE a set (dynalite updateParser checkOperator)."""
    type_name = value_type(value.value)
    if type_name in _OPERAND_TYPE_NAMES and not (clause == "ADD" and type_name == "N"):
        errs.add("operand", f"Incorrect operand type for operator or function; operator: {clause}, "
                            f"operand type: {_OPERAND_TYPE_NAMES[type_name]}")
