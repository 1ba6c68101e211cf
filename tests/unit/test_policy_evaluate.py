"""services/iam/evaluate.py on its own: the condition operators and element rules of the IAM
User Guide ("IAM JSON policy elements: Condition operators", "Policy evaluation logic"), which
the HTTP tests (tests/auth/test_enforce.py) exercise only in part."""

from __future__ import annotations

import pytest

from dynoscale.services.iam.api import Decision
from dynoscale.services.iam.evaluate import evaluate

ALLOW, IMPLICIT, EXPLICIT = Decision.ALLOW, Decision.IMPLICIT_DENY, Decision.EXPLICIT_DENY
CTX = {"aws:username": "alice", "aws:principalarn": "arn:aws:iam::123456789012:user/alice",
       "aws:currenttime": "2026-12-06T12:00:00Z", "aws:epochtime": "1796558400",
       "aws:securetransport": "false", "aws:principaltags": ["a", "b"]}


def decide(condition=None, action="dynamodb:GetItem", resource="arn:aws:dynamodb:r:1:table/T",
           statement=None):
    st = statement or {"Effect": "Allow", "Action": "dynamodb:*", "Resource": "*"}
    if condition is not None:
        st = dict(st, Condition=condition)
    return evaluate([{"Statement": [st]}], action, resource, CTX)


@pytest.mark.parametrize("condition,expected", [
    ({"StringEquals": {"aws:username": "alice"}}, ALLOW),
    ({"StringEquals": {"aws:username": "Alice"}}, IMPLICIT),
    ({"StringEqualsIgnoreCase": {"aws:username": "ALICE"}}, ALLOW),
    ({"StringNotEquals": {"aws:username": "bob"}}, ALLOW),
    ({"StringNotEquals": {"aws:username": ["bob", "alice"]}}, IMPLICIT),
    ({"StringLike": {"aws:username": "al?c*"}}, ALLOW),
    ({"StringNotLike": {"aws:username": "a*"}}, IMPLICIT),
    ({"StringEquals": {"aws:missing": "x"}}, IMPLICIT),
    ({"StringNotEquals": {"aws:missing": "x"}}, ALLOW),       # negated: a missing key matches
    ({"StringEqualsIfExists": {"aws:missing": "x"}}, ALLOW),
    ({"StringEqualsIfExists": {"aws:username": "bob"}}, IMPLICIT),
    ({"ArnLike": {"aws:principalarn": "arn:aws:iam::*:user/a*"}}, ALLOW),
    ({"ArnEquals": {"aws:principalarn": "arn:aws:iam::123456789012:user/bob"}}, IMPLICIT),
    ({"ArnNotLike": {"aws:principalarn": "arn:aws:iam::*:role/*"}}, ALLOW),
    ({"NumericGreaterThan": {"aws:epochtime": "1796558399"}}, ALLOW),
    ({"NumericLessThanEquals": {"aws:epochtime": 1796558399}}, IMPLICIT),
    ({"NumericEquals": {"aws:epochtime": "not a number"}}, IMPLICIT),
    ({"DateGreaterThan": {"aws:currenttime": "2026-12-06T11:59:59Z"}}, ALLOW),
    ({"DateLessThan": {"aws:currenttime": "2026-12-06"}}, IMPLICIT),
    ({"DateEquals": {"aws:currenttime": "1796558400"}}, ALLOW),  # epoch seconds are dates too
    ({"Bool": {"aws:securetransport": "true"}}, IMPLICIT),
    ({"Bool": {"aws:SecureTransport": False}}, ALLOW),           # key names ignore case
    ({"Null": {"aws:missing": "true"}}, ALLOW),
    ({"Null": {"aws:username": "true"}}, IMPLICIT),
    ({"Null": {"aws:username": "false"}}, ALLOW),
    ({"ForAllValues:StringEquals": {"aws:principaltags": ["a", "b", "c"]}}, ALLOW),
    ({"ForAllValues:StringEquals": {"aws:principaltags": ["a"]}}, IMPLICIT),
    ({"ForAnyValue:StringEquals": {"aws:principaltags": ["b", "z"]}}, ALLOW),
    ({"StringEquals": {"aws:username": "alice"}, "Bool": {"aws:securetransport": "true"}},
     IMPLICIT),                                                  # every block must hold
    ({"StringEquals": {"aws:username": "${aws:username}"}}, ALLOW),
    ({"MadeUpOperator": {"aws:username": "alice"}}, IMPLICIT),
])
def test_condition_operators(condition, expected):
    assert decide(condition) is expected


@pytest.mark.parametrize("statement,action,resource,expected", [
    ({"Effect": "Allow", "Action": "DynamoDB:getitem", "Resource": "*"}, "dynamodb:GetItem", "x",
     ALLOW),                                                     # actions ignore case
    ({"Effect": "Allow", "Action": "dynamodb:Get*", "Resource": "arn:*:table/t"},
     "dynamodb:GetItem", "arn:x:table/T", IMPLICIT),             # resources do not
    ({"Effect": "Allow", "NotAction": ["iam:*"], "Resource": "*"}, "dynamodb:PutItem", "x", ALLOW),
    ({"Effect": "Allow", "NotAction": ["iam:*"], "Resource": "*"}, "iam:ListUsers", "x", IMPLICIT),
    ({"Effect": "Allow", "Action": "*", "NotResource": "arn:a:*"}, "s:A", "arn:a:b", IMPLICIT),
    ({"Effect": "Allow", "Action": "*", "NotResource": "arn:a:*"}, "s:A", "arn:b:c", ALLOW),
    ({"Effect": "Deny", "Action": "*", "Resource": "*"}, "s:A", "r", EXPLICIT),
    ({"Effect": "Allow", "Action": "*"}, "s:A", "r", IMPLICIT),  # identity statements need one
    ({"Effect": "Allow", "Action": "*", "Resource": "arn:x:user/${aws:username}"}, "s:A",
     "arn:x:user/alice", ALLOW),
    ({"Effect": "Allow", "Action": "*", "Resource": "arn:x:user/${aws:nothing}"}, "s:A",
     "arn:x:user/", IMPLICIT),
])
def test_elements(statement, action, resource, expected):
    assert decide(statement=statement, action=action, resource=resource) is expected


def test_deny_in_any_policy_wins_over_allows():
    allow = {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    deny = {"Statement": {"Effect": "Deny", "Action": "s:A", "Resource": "*"}}
    assert evaluate([allow, deny], "s:A", "r", CTX) is EXPLICIT
    assert evaluate([allow, deny], "s:B", "r", CTX) is ALLOW
    assert evaluate([], "s:A", "r", CTX) is IMPLICIT


def test_resource_policy_principals():
    trust = {"Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::1:user/a"},
                            "Action": "sts:AssumeRole"}]}
    assert evaluate([trust], "sts:AssumeRole", "r", CTX,
                    {"AWS": ["arn:aws:iam::1:user/a"]}) is ALLOW
    assert evaluate([trust], "sts:AssumeRole", "r", CTX,
                    {"AWS": ["arn:aws:iam::1:user/b"]}) is IMPLICIT
    assert evaluate([{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*"}]}],
                    "sts:AssumeRole", "r", CTX, {"AWS": ["x"]}) is ALLOW
