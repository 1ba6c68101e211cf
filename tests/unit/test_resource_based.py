"""services/iam/resource_based.py on its own: how a resource-based policy combines with the
identity decision within one account and across accounts (IAM User Guide, "Policy evaluation
logic", "Cross-account policy evaluation logic"). The HTTP tests
(tests/auth/test_resource_policy_enforce.py) reach the same-account rules and the cross-account
refusal; a second account's principals cannot be created under `--auth enforce`, so the
cross-account grants are checked here."""

from __future__ import annotations

import pytest

from dynoscale.services.iam.api import Decision
from dynoscale.services.iam.resource_based import combine

ALLOW, IMPLICIT, EXPLICIT = Decision.ALLOW, Decision.IMPLICIT_DENY, Decision.EXPLICIT_DENY
BY_RESOURCE, DENIED_BY_RESOURCE = Decision.RESOURCE_IMPLICIT_DENY, Decision.RESOURCE_EXPLICIT_DENY
MINE, THEIRS = "111111111111", "222222222222"
ALICE = f"arn:aws:iam::{MINE}:user/alice"
DIRECT = {"AWS": [ALICE]}
WITH_ACCOUNT = {"AWS": [ALICE, MINE, f"arn:aws:iam::{MINE}:root"]}
OWN_TABLE = f"arn:aws:dynamodb:us-east-1:{MINE}:table/T"
THEIR_TABLE = f"arn:aws:dynamodb:us-east-1:{THEIRS}:table/T"


def doc(effect, principal):
    return {"Statement": [{"Effect": effect, "Principal": {"AWS": principal},
                           "Action": "dynamodb:GetItem", "Resource": "*"}]}


def decide(identity, policy, resource):
    return combine(identity, policy, "dynamodb:GetItem", resource, {}, MINE, DIRECT, WITH_ACCOUNT)


@pytest.mark.parametrize("identity,policy,resource,expected", [
    # same account: either allows; naming the account delegates to identity policies
    (ALLOW, None, OWN_TABLE, ALLOW),
    (IMPLICIT, None, OWN_TABLE, IMPLICIT),
    (IMPLICIT, doc("Allow", ALICE), OWN_TABLE, ALLOW),
    (IMPLICIT, doc("Allow", MINE), OWN_TABLE, IMPLICIT),
    (ALLOW, doc("Allow", MINE), OWN_TABLE, ALLOW),
    # an explicit Deny in either wins, naming its policy type
    (ALLOW, doc("Deny", f"arn:aws:iam::{MINE}:root"), OWN_TABLE, DENIED_BY_RESOURCE),
    (EXPLICIT, doc("Allow", ALICE), OWN_TABLE, EXPLICIT),
    # across accounts both must allow; naming the caller's account suffices there
    (ALLOW, None, THEIR_TABLE, BY_RESOURCE),
    (IMPLICIT, doc("Allow", ALICE), THEIR_TABLE, IMPLICIT),
    (ALLOW, doc("Allow", MINE), THEIR_TABLE, ALLOW),
    (ALLOW, doc("Allow", ALICE), THEIR_TABLE, ALLOW),
    (ALLOW, doc("Allow", THEIRS), THEIR_TABLE, BY_RESOURCE),
    (ALLOW, doc("Deny", MINE), THEIR_TABLE, DENIED_BY_RESOURCE),
    # resources without an account (`*`) are the caller's own
    (IMPLICIT, None, "*", IMPLICIT),
])
def test_combine(identity, policy, resource, expected):
    assert decide(identity, policy, resource) is expected


def test_a_role_arn_grant_yields_to_a_limit_the_session_arn_grant_does_not():
    session = f"arn:aws:sts::{MINE}:assumed-role/R/s1"
    role = f"arn:aws:iam::{MINE}:role/R"
    direct, exact = {"AWS": [session, role]}, {"AWS": [session]}
    with_account = {"AWS": [session, role, MINE, f"arn:aws:iam::{MINE}:root"]}

    def decide_as_session(identity, principal):
        return combine(identity, doc("Allow", principal), "dynamodb:GetItem", OWN_TABLE, {}, MINE,
                       direct, with_account, exact)

    assert decide_as_session(IMPLICIT, role) is ALLOW
    assert decide_as_session(IMPLICIT, session) is ALLOW
    # any implicit denial but the plain one is a limit (a permissions boundary's or a session
    # policy's, once IAM models them); RESOURCE_IMPLICIT_DENY stands for one here
    limit = Decision.RESOURCE_IMPLICIT_DENY
    assert decide_as_session(limit, role) is limit
    assert decide_as_session(limit, session) is ALLOW
    assert decide_as_session(EXPLICIT, session) is EXPLICIT
