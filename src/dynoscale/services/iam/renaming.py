"""UpdateUser's and UpdateGroup's rename and move, on the kind's record store (users.Users,
groups.Groups): the entity keeps its id and everything it holds; its name, path and ARN change.
A new name another entity has (names compare case-insensitively, "Names are not distinguished by
case", botocore model docs of NewUserName and NewGroupName) is the kind's EntityAlreadyExists; a
change of case alone is a rename (LocalStack snapshot tests/aws/services/iam/
test_iam_groups.snapshot.json::test_update_group_name, test_update_group_duplicate_name,
recorded against AWS)."""

from __future__ import annotations

from typing import Any, Callable

from dynoscale.errors import AwsError


def renamed(records, account: str, request: dict[str, Any], member: str, new_member: str,
            exists: Callable[[str], AwsError],
            arn: Callable[[str, str, str], str]) -> tuple[dict[str, Any], str]:
    """The record `request[member]` names with the request's new name and path applied, not yet
    stored, and its old name. NoSuchEntity from the store's `require`; `exists(new name)` when the
    name is taken."""
    record = records.require(account, request[member])
    old_name = record[member]
    new_name = request.get(new_member) or old_name
    if new_name.lower() != old_name.lower() and records.get(account, new_name) is not None:
        raise exists(new_name)
    record["Path"] = request.get("NewPath") or record["Path"]
    record[member] = new_name
    record["Arn"] = arn(account, record["Path"], new_name)
    return record, old_name


def store(records, account: str, record: dict[str, Any], member: str, old_name: str) -> None:
    """Store the renamed record under its new name (the old one removed)."""
    if record[member] != old_name:
        records.delete(account, old_name)
    records.put(account, record)
