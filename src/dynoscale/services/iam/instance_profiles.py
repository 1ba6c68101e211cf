"""IAM instance profiles as documents in the store, and their AWS output views.

Record: Path, InstanceProfileName, InstanceProfileId (`AIPA` prefix, IAM identifiers page), Arn
(`arn:aws:iam::<account>:instance-profile<path><name>`), CreateDate, Tags, and `roles` (role
names). An instance profile holds at most one role ("An instance profile can contain only one
role, and this quota cannot be increased", IAM API reference, AddRoleToInstanceProfile). A role
does not list its profiles: DeleteRole and ListInstanceProfilesForRole scan the account's
profiles, which are few and those calls rare.

Views: Roles as the IAM API reference's GetInstanceProfile example shows them (Path, RoleName,
RoleId, Arn, CreateDate, AssumeRolePolicyDocument); ListInstanceProfiles and
ListInstanceProfilesForRole omit Tags [inferred: as ListRoles omits them, botocore model docs of
the listing operations: "returns a subset of the available attributes"].
"""

from __future__ import annotations

from typing import Any, Optional

from dynoscale.services.iam import documents, errors, ids

PROFILE_KIND = "iam.instanceprofile"


class InstanceProfiles:
    def __init__(self, store):
        self.store = store

    def get(self, account_id: str, name: str) -> Optional[dict[str, Any]]:
        return self.store.get_doc(PROFILE_KIND, account_id, name.lower())

    def require(self, account_id: str, name: str) -> dict[str, Any]:
        profile = self.get(account_id, name)
        if profile is None:
            raise errors.no_such_instance_profile(name)
        return profile

    def put(self, account_id: str, profile: dict[str, Any]) -> None:
        self.store.put_doc(PROFILE_KIND, account_id, profile["InstanceProfileName"].lower(),
                           profile)

    def delete(self, account_id: str, name: str) -> None:
        self.store.delete_doc(PROFILE_KIND, account_id, name.lower())

    def all(self, account_id: str) -> list[dict[str, Any]]:
        return [doc for _, _, doc in self.store.list_docs(PROFILE_KIND, account_id)]

    def of_role(self, account_id: str, role_name: str) -> list[dict[str, Any]]:
        lower = role_name.lower()
        return [p for p in self.all(account_id) if any(r.lower() == lower for r in p["roles"])]


def new_profile(account_id: str, name: str, path: str, now: float, tags: list) -> dict[str, Any]:
    return {"Path": path, "InstanceProfileName": name,
            "InstanceProfileId": ids.unique_id(ids.INSTANCE_PROFILE_ID_PREFIX),
            "Arn": ids.instance_profile_arn(account_id, path, name), "CreateDate": now,
            "Tags": list(tags), "roles": []}


def _role_view(role: dict[str, Any]) -> dict[str, Any]:
    out = {k: role[k] for k in ("Path", "RoleName", "RoleId", "Arn", "CreateDate")}
    out["AssumeRolePolicyDocument"] = documents.encode(role["AssumeRolePolicyDocument"])
    return out


def profile_view(profile: dict[str, Any], roles, account_id: str,
                 kind: str = "create") -> dict[str, Any]:
    """roles: the account's role store (entities.Roles), to show each role as it is now. kind:
    `create`, `get` or `list`; GetInstanceProfile always shows Tags, `[]` for none, Create only
    when there are some, the List calls never (LocalStack snapshot tests/aws/services/iam/
    test_iam_instance_profiles.snapshot.json::test_instance_profile_lifecycle, recorded against
    AWS)."""
    out = {k: profile[k] for k in ("Path", "InstanceProfileName", "InstanceProfileId", "Arn",
                                   "CreateDate")}
    found = [roles.get(account_id, name) for name in profile["roles"]]
    out["Roles"] = [_role_view(r) for r in found if r]
    if kind == "get" or (kind == "create" and profile["Tags"]):
        out["Tags"] = profile["Tags"]
    return out
