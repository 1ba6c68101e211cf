"""Resolved expression trees -> ConditionExpression / UpdateExpression text with placeholders.

PartiQL writes run through the item API's own operations (PutItem, UpdateItem, DeleteItem,
TransactWriteItems), whose requests carry expressions as text. Every attribute name becomes a
`#nN` placeholder and every value a `:vN` placeholder, so no reserved word, odd character or
value needs quoting, and the texts of one statement shape are the same from call to call (the
service's expression cache parses each once). Binary operands that are themselves AND/OR are
parenthesised once, which the expression parser never counts as redundant.
"""

from __future__ import annotations

from dynoscale.services.dynamodb.expr import tree as t


class Placeholders:
    """The ExpressionAttributeNames/Values of one item request."""

    def __init__(self):
        self.names: dict[str, str] = {}
        self.values: dict[str, dict] = {}
        self._by_name: dict[str, str] = {}

    def name(self, name: str) -> str:
        ref = self._by_name.get(name)
        if ref is None:
            ref = self._by_name[name] = f"#n{len(self._by_name)}"
            self.names[ref] = name
        return ref

    def value(self, value: dict) -> str:
        ref = f":v{len(self.values)}"
        self.values[ref] = value
        return ref

    def members(self) -> dict:
        """ExpressionAttributeNames / ExpressionAttributeValues members, when non-empty."""
        out: dict = {}
        if self.names:
            out["ExpressionAttributeNames"] = dict(self.names)
        if self.values:
            out["ExpressionAttributeValues"] = dict(self.values)
        return out

    # -- rendering --------------------------------------------------------------------------
    def path(self, path: tuple) -> str:
        out = ""
        for step in path:
            if isinstance(step, int):
                out += f"[{step}]"
            else:
                out += ("." if out else "") + self.name(step)
        return out

    def operand(self, node) -> str:
        if isinstance(node, t.Attr):
            return self.path(node.path)
        if isinstance(node, t.Const):
            return self.value(node.value)
        if isinstance(node, t.Arith):
            return f"{self.operand(node.left)} {node.op} {self.operand(node.right)}"
        return f"{node.name}({', '.join(self.operand(a) for a in node.args)})"

    def condition(self, node) -> str:
        if isinstance(node, (t.And, t.Or)):
            word = "AND" if isinstance(node, t.And) else "OR"
            return f"{self._grouped(node.left)} {word} {self._grouped(node.right)}"
        if isinstance(node, t.Not):
            return f"NOT ({self.condition(node.operand)})"
        if isinstance(node, t.Compare):
            return f"{self.operand(node.left)} {node.op} {self.operand(node.right)}"
        if isinstance(node, t.Between):
            return (f"{self.operand(node.subject)} BETWEEN {self.operand(node.low)} AND "
                    f"{self.operand(node.high)}")
        if isinstance(node, t.In):
            options = ", ".join(self.operand(o) for o in node.options)
            return f"{self.operand(node.subject)} IN ({options})"
        return self.operand(node)  # a function used as a condition

    def _grouped(self, node) -> str:
        text = self.condition(node)
        return f"({text})" if isinstance(node, (t.And, t.Or)) else text

    def update(self, actions: tuple) -> str:
        """One clause per kind, in SET, REMOVE, ADD, DELETE order; PartiQL's repeated SET
        clauses merge into one (an UpdateExpression names each clause once)."""
        clauses: dict[str, list] = {}
        for action in actions:
            target = self.path(action.path.path)
            if action.clause == "SET":
                text = f"{target} = {self.operand(action.value)}"
            elif action.clause == "REMOVE":
                text = target
            else:
                text = f"{target} {self.operand(action.value)}"
            clauses.setdefault(action.clause, []).append(text)
        return " ".join(f"{clause} {', '.join(parts)}" for clause in ("SET", "REMOVE", "ADD",
                                                                      "DELETE")
                        if (parts := clauses.get(clause)))
