"""services/iam/resource_based.py on its own: how a resource-based policy combines with the
identity decision within one account and across accounts (IAM User Guide, "Policy evaluation
logic", "Cross-account policy evaluation logic"). The HTTP tests
(tests/auth/test_resource_policy_enforce.py) reach the same-account rules and the cross-account
refusal; a second account's principals cannot be created under `--auth enforce`, so the
cross-account grants are checked here."""

from __future__ import annotations

import pytest

from dynoscale.services.iam.api import IDENTITY, RESOURCE, Decision, Verdict
from dynoscale.services.iam.resource_based import combine

ALLOW, IMPLICIT, EXPLICIT = Decision.ALLOW, Decision.IMPLICIT_DENY, Decision.EXPLICIT_DENY
MINE, THEIRS = "111111111111", "222222222222"
ALICE = f"arn:aws:iam::{MINE}:user/alice"
DIRECT = {"AWS": [ALICE]}
WITH_ACCOUNT = {"AWS": [ALICE, MINE, f"arn:aws:iam::{MINE}:root"]}
OWN_TABLE = f"arn:aws:dynamodb:us-east-1:{MINE}:table/T"
THEIR_TABLE = f"arn:aws:dynamodb:us-east-1:{THEIRS}:table/T"


def doc(effect, principal):
    return {"Statement": [{"Effect": effect, "Principal": {"AWS": principal},
                           "Action": "dynamodb:GetItem", "Resource": "*"}]}


def verdict(identity, policy, resource):
    return combine(identity, policy, "dynamodb:GetItem", resource, {}, MINE, DIRECT, WITH_ACCOUNT)


@pytest.mark.parametrize("identity,policy,resource,expected", [
    # same account: either allows; naming the account delegates to identity policies
    (ALLOW, None, OWN_TABLE, Verdict(ALLOW, IDENTITY)),
    (IMPLICIT, None, OWN_TABLE, Verdict(IMPLICIT, IDENTITY)),
    (IMPLICIT, doc("Allow", ALICE), OWN_TABLE, Verdict(ALLOW, RESOURCE)),
    (IMPLICIT, doc("Allow", MINE), OWN_TABLE, Verdict(IMPLICIT, IDENTITY)),
    (ALLOW, doc("Allow", MINE), OWN_TABLE, Verdict(ALLOW, IDENTITY)),
    # an explicit Deny in either wins, naming its policy type
    (ALLOW, doc("Deny", f"arn:aws:iam::{MINE}:root"), OWN_TABLE, Verdict(EXPLICIT, RESOURCE)),
    (EXPLICIT, doc("Allow", ALICE), OWN_TABLE, Verdict(EXPLICIT, IDENTITY)),
    # across accounts both must allow; naming the caller's account suffices there
    (ALLOW, None, THEIR_TABLE, Verdict(IMPLICIT, RESOURCE)),
    (IMPLICIT, doc("Allow", ALICE), THEIR_TABLE, Verdict(IMPLICIT, IDENTITY)),
    (ALLOW, doc("Allow", MINE), THEIR_TABLE, Verdict(ALLOW, RESOURCE)),
    (ALLOW, doc("Allow", ALICE), THEIR_TABLE, Verdict(ALLOW, RESOURCE)),
    (ALLOW, doc("Allow", THEIRS), THEIR_TABLE, Verdict(IMPLICIT, RESOURCE)),
    (ALLOW, doc("Deny", MINE), THEIR_TABLE, Verdict(EXPLICIT, RESOURCE)),
    # resources without an account (`*`) are the caller's own
    (IMPLICIT, None, "*", Verdict(IMPLICIT, IDENTITY)),
])
def test_combine(identity, policy, resource, expected):
    assert verdict(identity, policy, resource) == expected
