"""Attach/Detach/ListAttached{User,Role,Group}Policies and Put/Get/Delete/List{User,Role,Group}
Policies: one handler per verb, for the kind of principal the operation names
(`svc.principal_policies[kind]`, principals.py holds the rules)."""

from __future__ import annotations

from typing import Callable

from dynoscale.services.iam import paging

Handler = Callable[..., dict]


def attach(kind: str) -> Handler:
    def handle(svc, caller, request: dict) -> dict:
        of = svc.principal_policies[kind]
        of.attach(caller.account_id, request[of.kind.member], request["PolicyArn"])
        return {}
    return handle


def detach(kind: str) -> Handler:
    def handle(svc, caller, request: dict) -> dict:
        of = svc.principal_policies[kind]
        of.detach(caller.account_id, request[of.kind.member], request["PolicyArn"])
        return {}
    return handle


def list_attached(kind: str) -> Handler:
    def handle(svc, caller, request: dict) -> dict:
        of = svc.principal_policies[kind]
        attached = of.list_attached(caller.account_id, request[of.kind.member],
                                    request.get("PathPrefix") or "/")
        return paging.page("AttachedPolicies", attached, request)
    return handle


def put_inline(kind: str) -> Handler:
    def handle(svc, caller, request: dict) -> dict:
        of = svc.principal_policies[kind]
        of.put_inline(caller.account_id, request[of.kind.member], request["PolicyName"],
                      request["PolicyDocument"])
        return {}
    return handle


def get_inline(kind: str) -> Handler:
    def handle(svc, caller, request: dict) -> dict:
        of = svc.principal_policies[kind]
        return of.get_inline(caller.account_id, request[of.kind.member], request["PolicyName"])
    return handle


def delete_inline(kind: str) -> Handler:
    def handle(svc, caller, request: dict) -> dict:
        of = svc.principal_policies[kind]
        of.delete_inline(caller.account_id, request[of.kind.member], request["PolicyName"])
        return {}
    return handle


def list_inline(kind: str) -> Handler:
    def handle(svc, caller, request: dict) -> dict:
        of = svc.principal_policies[kind]
        return paging.page("PolicyNames", of.list_inline(caller.account_id,
                                                         request[of.kind.member]), request)
    return handle


def table() -> dict[str, Handler]:
    """The 21 operations, under their AWS names."""
    out: dict[str, Handler] = {}
    for kind, noun in (("user", "User"), ("role", "Role"), ("group", "Group")):
        out[f"Attach{noun}Policy"] = attach(kind)
        out[f"Detach{noun}Policy"] = detach(kind)
        out[f"ListAttached{noun}Policies"] = list_attached(kind)
        out[f"Put{noun}Policy"] = put_inline(kind)
        out[f"Get{noun}Policy"] = get_inline(kind)
        out[f"Delete{noun}Policy"] = delete_inline(kind)
        out[f"List{noun}Policies"] = list_inline(kind)
    return out
