"""CreateGroup: name unique case-insensitively in the account; Path default `/`."""

from __future__ import annotations

from dynoscale.services.iam import errors, groups


def handle(svc, caller, request: dict) -> dict:
    name = request["GroupName"]
    with svc.store.transaction():
        if svc.groups.get(caller.account_id, name) is not None:
            raise errors.group_exists(name)
        group = groups.new_group(caller.account_id, name, request.get("Path") or "/", svc.now())
        svc.groups.put(caller.account_id, group)
    return {"Group": groups.group_view(group)}
