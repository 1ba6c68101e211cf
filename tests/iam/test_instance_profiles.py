"""IAM instance profiles over HTTP: Create/Get/List/Delete, Add/RemoveRoleFromInstanceProfile,
ListInstanceProfilesForRole, and DeleteRole refused while the role is in a profile."""

from __future__ import annotations

import re

from .helpers import ACCOUNT, TRUST_POLICY, aws_error


def _role(iam, unique) -> dict:
    return iam.create_role(RoleName=unique("R"), AssumeRolePolicyDocument=TRUST_POLICY)["Role"]


def test_instance_profile_lifecycle(server, unique):
    iam = server.client("iam")
    name = unique("Prof")
    made = iam.create_instance_profile(InstanceProfileName=name, Path="/web/",
                                       Tags=[{"Key": "team", "Value": "db"}])["InstanceProfile"]
    assert made["Arn"] == f"arn:aws:iam::{ACCOUNT}:instance-profile/web/{name}"
    assert re.fullmatch(r"AIPA[A-Z0-9]{17}", made["InstanceProfileId"])
    assert made["Roles"] == [] and made["Tags"] == [{"Key": "team", "Value": "db"}]
    err = aws_error(iam.create_instance_profile, InstanceProfileName=name.upper())
    assert err == {"code": "EntityAlreadyExists", "status": 409, "type": "Sender",
                   "message": f"Instance Profile {name.upper()} already exists."}

    role = _role(iam, unique)
    iam.add_role_to_instance_profile(InstanceProfileName=name, RoleName=role["RoleName"])
    got = iam.get_instance_profile(InstanceProfileName=name)["InstanceProfile"]
    assert [(r["RoleName"], r["RoleId"], r["Arn"]) for r in got["Roles"]] == [
        (role["RoleName"], role["RoleId"], role["Arn"])]
    assert got["Roles"][0]["AssumeRolePolicyDocument"]["Statement"][0]["Action"] == "sts:AssumeRole"
    listed = iam.list_instance_profiles(PathPrefix="/web/")["InstanceProfiles"]
    assert [p["InstanceProfileName"] for p in listed] == [name] and "Tags" not in listed[0]
    for_role = iam.list_instance_profiles_for_role(RoleName=role["RoleName"])
    assert [p["InstanceProfileName"] for p in for_role["InstanceProfiles"]] == [name]
    assert for_role["IsTruncated"] is False

    # one role per profile, the same one included
    err = aws_error(iam.add_role_to_instance_profile, InstanceProfileName=name,
                    RoleName=role["RoleName"])
    assert err == {"code": "LimitExceeded", "status": 409, "type": "Sender",
                   "message": "Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1"}
    err = aws_error(iam.add_role_to_instance_profile, InstanceProfileName=name,
                    RoleName=_role(iam, unique)["RoleName"])
    assert err["code"] == "LimitExceeded"

    conflict = "Cannot delete entity, must remove roles from instance profile first."
    err = aws_error(iam.delete_role, RoleName=role["RoleName"])
    assert (err["code"], err["message"], err["status"]) == ("DeleteConflict", conflict, 409)
    err = aws_error(iam.delete_instance_profile, InstanceProfileName=name)
    assert (err["code"], err["message"]) == ("DeleteConflict", conflict)

    iam.remove_role_from_instance_profile(InstanceProfileName=name, RoleName=role["RoleName"])
    assert iam.get_instance_profile(InstanceProfileName=name)["InstanceProfile"]["Roles"] == []
    assert iam.list_instance_profiles_for_role(RoleName=role["RoleName"])["InstanceProfiles"] == []
    err = aws_error(iam.remove_role_from_instance_profile, InstanceProfileName=name,
                    RoleName=role["RoleName"])
    assert err["code"] == "NoSuchEntity"
    iam.delete_role(RoleName=role["RoleName"])
    iam.delete_instance_profile(InstanceProfileName=name)
    err = aws_error(iam.get_instance_profile, InstanceProfileName=name)
    assert err == {"code": "NoSuchEntity", "status": 404, "type": "Sender",
                   "message": f"Instance Profile {name} cannot be found."}


def test_instance_profile_errors(server, unique):
    iam = server.client("iam")
    name = unique("Prof")
    iam.create_instance_profile(InstanceProfileName=name)
    err = aws_error(iam.add_role_to_instance_profile, InstanceProfileName="NoProfX", RoleName="x")
    assert err["message"] == "Instance Profile NoProfX cannot be found."
    err = aws_error(iam.add_role_to_instance_profile, InstanceProfileName=name, RoleName="NoRoleX")
    assert err["message"] == "The role with name NoRoleX cannot be found."
    err = aws_error(iam.delete_instance_profile, InstanceProfileName="NoProfX")
    assert (err["code"], err["message"]) == ("NoSuchEntity", "Instance Profile NoProfX cannot be found.")
    err = aws_error(iam.list_instance_profiles_for_role, RoleName="NoRoleX")
    assert err["message"] == "The role with name NoRoleX cannot be found."
    err = aws_error(iam.create_instance_profile, InstanceProfileName=unique("P"),
                    Tags=[{"Key": "a", "Value": "1"}, {"Key": "A", "Value": "2"}])
    assert err["code"] == "InvalidInput"


def test_list_instance_profiles_pages(server, unique):
    iam = server.client("iam")
    path = f"/{unique('p')}/"
    names = sorted(unique("P") for _ in range(3))
    for n in names:
        iam.create_instance_profile(InstanceProfileName=n, Path=path)
    first = iam.list_instance_profiles(PathPrefix=path, MaxItems=2)
    assert [p["InstanceProfileName"] for p in first["InstanceProfiles"]] == names[:2]
    assert first["IsTruncated"] is True
    rest = iam.list_instance_profiles(PathPrefix=path, Marker=first["Marker"])
    assert [p["InstanceProfileName"] for p in rest["InstanceProfiles"]] == names[2:]
