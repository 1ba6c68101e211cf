"""Tag<Kind>, Untag<Kind> and List<Kind>Tags of IAM users, roles, instance profiles and managed
policies: one handler per verb, for the kind the operation names (KINDS); how each kind compares
keys, refuses duplicates and names its quota is tags.py's (TagRules).

Tag<Kind> adds tags or overwrites the values of existing keys, at most 50 (tags.py); Untag<Kind>
removes the named keys, unknown ones ignored; List<Kind>Tags pages the tags (Marker/MaxItems). A
resource that does not exist is its kind's NoSuchEntity, from the record store's `require`.
TagPolicy and UntagPolicy change customer-managed policies only, an AWS-managed one being
NoSuchEntity as for every change of it (entities.Policies.find); ListPolicyTags also reads an
AWS-managed policy (aws_policies.py), which has none [inferred, both: AWS's answers are not
recorded]."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Optional

from dynoscale.services.iam import paging, tags

Handler = Callable[..., dict]


@dataclass(frozen=True)
class Kind:
    """noun: as in the operations' names (`InstanceProfile`: TagInstanceProfile); member: the
    request member naming the resource; store: the service's record store of the kind (`require`,
    `put`); rules: its tag rules; readable: List<Kind>Tags' lookup (svc, account, name) where it
    differs from `store(svc).require`."""
    noun: str
    member: str
    store: Callable[[Any], Any]
    rules: tags.TagRules
    readable: Optional[Callable[[Any, str, str], dict]] = None


KINDS = (
    Kind("User", "UserName", lambda svc: svc.users, tags.USER),
    Kind("Role", "RoleName", lambda svc: svc.roles, tags.ROLE),
    Kind("InstanceProfile", "InstanceProfileName", lambda svc: svc.instance_profiles,
         tags.INSTANCE_PROFILE),
    Kind("Policy", "PolicyArn", lambda svc: svc.policies, tags.POLICY,
         readable=lambda svc, account, arn: svc.policies.require_any(account, arn)),
)


def _changed(kind: Kind, change: Callable[[tags.TagRules, list, dict], list]) -> Handler:
    """A handler that sets the named resource's tags to `change(rules, its tags, request)`."""
    def handle(svc, caller, request: dict) -> dict:
        records = kind.store(svc)
        with svc.store.transaction():
            record = records.require(caller.account_id, request[kind.member])
            record["Tags"] = change(kind.rules, record["Tags"], request)
            records.put(caller.account_id, record)
        return {}
    return handle


def tag(kind: Kind) -> Handler:
    return _changed(kind, lambda rules, existing, request: rules.merged(existing, request["Tags"]))


def untag(kind: Kind) -> Handler:
    return _changed(kind, lambda rules, existing, request: rules.without(existing,
                                                                         request["TagKeys"]))


def list_tags(kind: Kind) -> Handler:
    def handle(svc, caller, request: dict) -> dict:
        if kind.readable is not None:
            record = kind.readable(svc, caller.account_id, request[kind.member])
        else:
            record = kind.store(svc).require(caller.account_id, request[kind.member])
        return paging.page("Tags", list(record["Tags"]), request)
    return handle


def table() -> dict[str, Handler]:
    """The 12 operations, under their AWS names."""
    out: dict[str, Handler] = {}
    for kind in KINDS:
        out[f"Tag{kind.noun}"] = tag(kind)
        out[f"Untag{kind.noun}"] = untag(kind)
        out[f"List{kind.noun}Tags"] = list_tags(kind)
    return out
