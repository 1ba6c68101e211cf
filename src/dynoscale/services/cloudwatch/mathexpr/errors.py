"""The one exception of the metric math engine.

A MathError carries the detail of what is wrong with one expression; callers turn it into AWS's
error (services/cloudwatch/errors.py `math_expression`) naming the query Id. Raised while parsing,
while checking references between queries, and while evaluating (argument types).
"""

from __future__ import annotations


class MathError(Exception):
    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail
