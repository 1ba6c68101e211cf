"""Behaviours recorded against AWS in LocalStack's IAM snapshot tests
(tests/aws/services/iam/test_iam_roles.snapshot.json and siblings), reproduced over HTTP."""

from __future__ import annotations

from .helpers import ACCOUNT, TRUST_POLICY, aws_error, policy_doc


def test_attach_and_detach_with_a_malformed_policy_arn_is_validation_error(server, unique):
    # test_iam_roles.snapshot.json::test_role_managed_policy_errors
    iam = server.client("iam")
    role = unique("Role")
    iam.create_role(RoleName=role, AssumeRolePolicyDocument=TRUST_POLICY)
    user = unique("User")
    iam.create_user(UserName=user)
    bad = "longpolicynamebutnoarn"
    for call, kw in ((iam.attach_role_policy, {"RoleName": role}),
                     (iam.detach_role_policy, {"RoleName": role}),
                     (iam.attach_user_policy, {"UserName": user})):
        assert aws_error(call, PolicyArn=bad, **kw) == {
            "code": "ValidationError", "status": 400, "type": "Sender",
            "message": f"ARN {bad} is not valid."}
    # A well-formed ARN of no policy is still NoSuchEntity.
    missing = f"arn:aws:iam::{ACCOUNT}:policy/nonexistent-policy"
    assert aws_error(iam.attach_role_policy, RoleName=role, PolicyArn=missing)["message"] == (
        f"Policy {missing} does not exist or is not attachable.")
    arn = iam.create_policy(PolicyName=unique("P"), PolicyDocument=policy_doc())["Policy"]["Arn"]
    assert aws_error(iam.detach_role_policy, RoleName=role, PolicyArn=arn) == {
        "code": "NoSuchEntity", "status": 404, "type": "Sender", "message": f"Policy {arn} was not found."}


DUPLICATE = ("InvalidInput", "Duplicate tag keys found. Please note that Tag keys are case insensitive.")


def test_tag_role_and_tag_user_refuse_duplicate_keys(server, unique):
    # test_iam_roles.snapshot.json::test_role_tag_errors ("tag-role-duplicate-tags[-different-case]")
    iam = server.client("iam")
    role, user = unique("Role"), unique("User")
    iam.create_role(RoleName=role, AssumeRolePolicyDocument=TRUST_POLICY)
    iam.create_user(UserName=user)
    for keys in (("a", "a"), ("a", "A")):
        tags = [{"Key": keys[0], "Value": "1"}, {"Key": keys[1], "Value": "2"}]
        for call, kw in ((iam.tag_role, {"RoleName": role}), (iam.tag_user, {"UserName": user})):
            err = aws_error(call, Tags=tags, **kw)
            assert (err["code"], err["message"], err["status"]) == (*DUPLICATE, 400)
    assert iam.list_role_tags(RoleName=role)["Tags"] == []
    assert iam.list_user_tags(UserName=user)["Tags"] == []


def test_tag_constraint_violations_do_not_echo_the_value(server, unique):
    # test_iam_roles.snapshot.json::test_role_tag_errors: "Value at 'tags...'", no value shown.
    iam = server.client("iam")
    role = unique("Role")
    iam.create_role(RoleName=role, AssumeRolePolicyDocument=TRUST_POLICY)
    head = "1 validation error detected: Value at "
    pattern = r"[\p{L}\p{Z}\p{N}_.:/=+\-@]+"
    cases = (
        ([{"Key": f"k{i}", "Value": "v"} for i in range(51)],
         "'tags' failed to satisfy constraint: Member must have length less than or equal to 50"),
        ([{"Key": "a" * 129, "Value": "1"}],
         "'tags.1.member.key' failed to satisfy constraint: Member must have length less than or equal to 128"),
        ([{"Key": "a", "Value": "1" * 257}],
         "'tags.1.member.value' failed to satisfy constraint: Member must have length less than or equal to 256"),
        ([{"Key": "a#", "Value": "1"}],
         f"'tags.1.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern: {pattern}"),
    )
    for tags, rest in cases:
        for call, kw in ((iam.tag_role, {"RoleName": role}),
                         (iam.create_role, {"RoleName": unique("R"), "AssumeRolePolicyDocument": TRUST_POLICY})):
            err = aws_error(call, Tags=tags, **kw)
            assert (err["code"], err["status"], err["message"]) == ("ValidationError", 400, head + rest)
    # Letters, digits, spaces and the listed symbols are allowed, non-ASCII letters included.
    fine = [{"Key": "Küche 1_.:/=+-@", "Value": ""}]
    iam.tag_role(RoleName=role, Tags=fine)
    assert iam.list_role_tags(RoleName=role)["Tags"] == fine


def test_update_role_and_update_role_description(server, unique):
    # test_iam_roles.snapshot.json::test_update_role, test_role_errors ("update-role-error")
    iam = server.client("iam")
    name = unique("Role")
    iam.create_role(RoleName=name, AssumeRolePolicyDocument=TRUST_POLICY, Description="initial description")
    iam.update_role(RoleName=name, Description="updated description", MaxSessionDuration=7200)
    role = iam.get_role(RoleName=name)["Role"]
    assert (role["Description"], role["MaxSessionDuration"]) == ("updated description", 7200)
    answer = iam.update_role_description(RoleName=name, Description="via update_role_description")
    assert answer["Role"]["Description"] == "via update_role_description"
    assert answer["Role"]["RoleName"] == name and answer["Role"]["Path"] == "/"
    assert "MaxSessionDuration" not in answer["Role"] and "RoleLastUsed" not in answer["Role"]
    # Naming only the role changes nothing.
    assert set(iam.update_role(RoleName=name)) == {"ResponseMetadata"}
    role = iam.get_role(RoleName=name)["Role"]
    assert (role["Description"], role["MaxSessionDuration"]) == ("via update_role_description", 7200)
    missing = {"code": "NoSuchEntity", "status": 404, "type": "Sender",
               "message": "The role with name test-nonexistent-role cannot be found."}
    assert aws_error(iam.update_role, RoleName="test-nonexistent-role", Description="x") == missing
    assert aws_error(iam.update_role_description, RoleName="test-nonexistent-role",
                     Description="x") == missing
    err = aws_error(iam.update_role, RoleName=name, MaxSessionDuration=43201)
    assert (err["code"], err["status"]) == ("ValidationError", 400)


def test_create_role_answer_shows_boundary_not_description(server, unique):
    # test_iam_roles.snapshot.json::test_role_permissions_boundary_lifecycle: CreateRole's Role
    # carries PermissionsBoundary but no Description; GetRole both; ListRoles no boundary.
    iam = server.client("iam")
    arn = iam.create_policy(PolicyName=unique("B"), PolicyDocument=policy_doc())["Policy"]["Arn"]
    name = unique("Role")
    role = iam.create_role(RoleName=name, AssumeRolePolicyDocument=TRUST_POLICY,
                           Description="Role with permissions boundary",
                           PermissionsBoundary=arn)["Role"]
    boundary = {"PermissionsBoundaryArn": arn, "PermissionsBoundaryType": "Policy"}
    assert role["PermissionsBoundary"] == boundary and "Description" not in role
    got = iam.get_role(RoleName=name)["Role"]
    assert got["PermissionsBoundary"] == boundary
    assert got["Description"] == "Role with permissions boundary"
    listed = next(r for r in iam.list_roles()["Roles"] if r["RoleName"] == name)
    assert "PermissionsBoundary" not in listed and listed["Description"] == got["Description"]


def test_update_group_renames_and_moves(server, unique):
    # test_iam_groups.snapshot.json::test_update_group_name/_path/_not_found/_duplicate_name
    iam = server.client("iam")
    old, new, other, user = unique("G"), unique("G"), unique("G"), unique("U")
    created = iam.create_group(GroupName=old)["Group"]
    iam.create_group(GroupName=other)
    iam.create_user(UserName=user)
    iam.add_user_to_group(GroupName=old, UserName=user)
    iam.put_group_policy(GroupName=old, PolicyName="p", PolicyDocument=policy_doc())
    assert set(iam.update_group(GroupName=old, NewGroupName=new)) == {"ResponseMetadata"}
    assert aws_error(iam.get_group, GroupName=old) == {
        "code": "NoSuchEntity", "status": 404, "type": "Sender",
        "message": f"The group with name {old} cannot be found."}
    got = iam.get_group(GroupName=new)
    assert got["Group"]["GroupId"] == created["GroupId"]
    assert got["Group"]["Arn"] == f"arn:aws:iam::{ACCOUNT}:group/{new}"
    assert [u["UserName"] for u in got["Users"]] == [user]
    assert [g["GroupName"] for g in iam.list_groups_for_user(UserName=user)["Groups"]] == [new]
    assert iam.list_group_policies(GroupName=new)["PolicyNames"] == ["p"]
    iam.update_group(GroupName=new, NewPath="/new-path/")
    moved = iam.get_group(GroupName=new)["Group"]
    assert (moved["Path"], moved["Arn"]) == ("/new-path/", f"arn:aws:iam::{ACCOUNT}:group/new-path/{new}")
    assert aws_error(iam.update_group, GroupName="nonexisting", NewGroupName="x") == {
        "code": "NoSuchEntity", "status": 404, "type": "Sender",
        "message": "The group with name nonexisting cannot be found."}
    assert aws_error(iam.update_group, GroupName=new, NewGroupName=other) == {
        "code": "EntityAlreadyExists", "status": 409, "type": "Sender",
        "message": f"Group with name {other} already exists."}
    iam.remove_user_from_group(GroupName=new, UserName=user)
    assert iam.list_groups_for_user(UserName=user)["Groups"] == []


def test_bad_policy_version_id_is_not_echoed(server, unique):
    # test_iam_managed_policies.snapshot.json::test_get_aws_managed_policy_version
    iam = server.client("iam")
    arn = iam.create_policy(PolicyName=unique("P"), PolicyDocument=policy_doc())["Policy"]["Arn"]
    err = aws_error(iam.get_policy_version, PolicyArn=arn, VersionId="v0")
    assert (err["code"], err["status"], err["message"]) == (
        "ValidationError", 400, "1 validation error detected: Value at 'versionId' failed to "
        r"satisfy constraint: Member must satisfy regular expression pattern: v[1-9][0-9]*(\.[A-Za-z0-9-]*)?")
    # A role name's violation still shows the value.
    err = aws_error(iam.create_role, RoleName="bad name!", AssumeRolePolicyDocument=TRUST_POLICY)
    assert err["message"].startswith("1 validation error detected: Value 'bad name!' at 'roleName'")


def test_set_default_policy_version(server, unique):
    # test_iam_policies.snapshot.json::test_policy_version_set_default, test_policy_version_errors
    iam = server.client("iam")
    arn = iam.create_policy(PolicyName=unique("P"), PolicyDocument=policy_doc())["Policy"]["Arn"]
    iam.create_policy_version(PolicyArn=arn, PolicyDocument=policy_doc("s3:PutObject"), SetAsDefault=True)
    iam.create_policy_version(PolicyArn=arn, PolicyDocument=policy_doc("s3:ListBucket"), SetAsDefault=True)
    assert set(iam.set_default_policy_version(PolicyArn=arn, VersionId="v1")) == {"ResponseMetadata"}
    versions = iam.list_policy_versions(PolicyArn=arn)["Versions"]
    assert [(v["VersionId"], v["IsDefaultVersion"]) for v in versions] == [
        ("v3", False), ("v2", False), ("v1", True)]
    assert iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"] == "v1"
    err = aws_error(iam.delete_policy_version, PolicyArn=arn, VersionId="v1")
    assert (err["code"], err["message"]) == ("DeleteConflict", "Cannot delete the default version of a policy.")
    missing = f"arn:aws:iam::{ACCOUNT}:policy/TestNonExistingPolicy"
    for policy_arn, version in ((missing, "v1"), (arn, "v4")):
        assert aws_error(iam.set_default_policy_version, PolicyArn=policy_arn, VersionId=version) == {
            "code": "NoSuchEntity", "status": 404, "type": "Sender",
            "message": f"Policy {policy_arn} version {version} does not exist or is not attachable."}
    err = aws_error(iam.set_default_policy_version, PolicyArn=arn, VersionId="wrong")
    assert err["message"].startswith("1 validation error detected: Value at 'versionId' failed")


def test_policy_tags_shape_and_case_sensitivity(server, unique):
    # test_iam_policies.snapshot.json::test_policy_lifecycle, test_policy_tag_lifecycle,
    # test_policy_tag_create_errors
    iam = server.client("iam")
    plain = iam.create_policy(PolicyName=unique("P"), PolicyDocument=policy_doc())["Policy"]
    assert "Tags" not in plain
    assert iam.get_policy(PolicyArn=plain["Arn"])["Policy"]["Tags"] == []
    assert all("Tags" not in p for p in iam.list_policies(Scope="Local")["Policies"])
    both = [{"Key": "a", "Value": "lowercase"}, {"Key": "A", "Value": "uppercase"}]
    created = iam.create_policy(PolicyName=unique("P"), PolicyDocument=policy_doc(), Tags=both,
                                Description="testing")["Policy"]
    assert created["Tags"] == both and "Description" not in created
    got = iam.get_policy(PolicyArn=created["Arn"])["Policy"]
    assert got["Tags"] == both and got["Description"] == "testing"
    err = aws_error(iam.create_policy, PolicyName=unique("P"), PolicyDocument=policy_doc(),
                    Tags=[{"Key": "k", "Value": "1"}, {"Key": "k", "Value": "2"}])
    assert (err["code"], err["status"], err["message"]) == ("InvalidInput", 400, "Duplicate tag keys found.")


def test_get_instance_profile_always_shows_tags(server, unique):
    # test_iam_instance_profiles.snapshot.json::test_instance_profile_lifecycle
    iam = server.client("iam")
    name = unique("IP")
    created = iam.create_instance_profile(InstanceProfileName=name, Path="/pp/")["InstanceProfile"]
    assert "Tags" not in created and created["Roles"] == []
    got = iam.get_instance_profile(InstanceProfileName=name)["InstanceProfile"]
    assert got["Tags"] == [] and got["Roles"] == []
    listed = iam.list_instance_profiles(PathPrefix="/pp/")["InstanceProfiles"]
    assert [p["InstanceProfileName"] for p in listed] == [name] and "Tags" not in listed[0]
    tagged = unique("IP")
    tags = [{"Key": "k", "Value": "v"}]
    assert iam.create_instance_profile(InstanceProfileName=tagged, Tags=tags)["InstanceProfile"]["Tags"] == tags
    assert iam.get_instance_profile(InstanceProfileName=tagged)["InstanceProfile"]["Tags"] == tags


def test_untag_key_violations_are_reported_at_the_list(server, unique):
    # test_iam_roles.snapshot.json::test_role_tag_errors ("untag-role-too-many-keys",
    # "untag-role-key-too-long", "untag-role-invalid-char")
    iam = server.client("iam")
    role, user = unique("Role"), unique("User")
    iam.create_role(RoleName=role, AssumeRolePolicyDocument=TRUST_POLICY)
    iam.create_user(UserName=user)
    head = "1 validation error detected: Value at 'tagKeys' failed to satisfy constraint: "
    every_rule = ("Member must satisfy constraint: [Member must have length less than or equal to "
                  "128, Member must have length greater than or equal to 1, Member must satisfy "
                  r"regular expression pattern: [\p{L}\p{Z}\p{N}_.:/=+\-@]+, Member must not be null]")
    cases = (([f"k{i}" for i in range(51)], "Member must have length less than or equal to 50"),
             (["a" * 129], every_rule), (["a#"], every_rule), (["ok", "a#", "b" * 129], every_rule))
    for keys, rest in cases:
        for call, kw in ((iam.untag_role, {"RoleName": role}), (iam.untag_user, {"UserName": user})):
            err = aws_error(call, TagKeys=keys, **kw)
            assert (err["code"], err["status"], err["message"]) == ("ValidationError", 400, head + rest)
    iam.untag_role(RoleName=role, TagKeys=["fine key"])


def test_remove_role_from_instance_profile_errors(server, unique):
    # test_iam_instance_profiles.snapshot.json::test_role_instance_profile_operations_errors
    iam = server.client("iam")
    profile, role = unique("IP"), unique("Role")
    iam.create_instance_profile(InstanceProfileName=profile)
    iam.create_role(RoleName=role, AssumeRolePolicyDocument=TRUST_POLICY)
    cases = (("nonexistent-profile", role, "Instance Profile nonexistent-profile cannot be found."),
             (profile, "nonexistent-role", "The role with name nonexistent-role cannot be found."),
             (profile, role, f"Role {role} in Instance Profile {profile} cannot be found."))
    for ip, r, message in cases:
        assert aws_error(iam.remove_role_from_instance_profile, InstanceProfileName=ip, RoleName=r) == {
            "code": "NoSuchEntity", "status": 404, "type": "Sender", "message": message}


def test_instance_profile_tags(server, unique):
    # test_iam_instance_profiles.snapshot.json::test_instance_profile_tag_lifecycle,
    # test_instance_profile_tag_errors
    iam = server.client("iam")
    name = unique("IP")
    iam.create_instance_profile(InstanceProfileName=name)
    assert iam.list_instance_profile_tags(InstanceProfileName=name)["Tags"] == []
    iam.tag_instance_profile(InstanceProfileName=name, Tags=[{"Key": "MyKey", "Value": "myValue"}])
    got = iam.get_instance_profile(InstanceProfileName=name)["InstanceProfile"]
    assert got["Tags"] == [{"Key": "MyKey", "Value": "myValue"}]
    iam.tag_instance_profile(InstanceProfileName=name, Tags=[{"Key": "MyKey2", "Value": "myValue2"}])
    listed = iam.list_instance_profile_tags(InstanceProfileName=name)
    assert listed["Tags"] == [{"Key": "MyKey", "Value": "myValue"}, {"Key": "MyKey2", "Value": "myValue2"}]
    assert listed["IsTruncated"] is False
    iam.untag_instance_profile(InstanceProfileName=name, TagKeys=["MyKey"])
    assert iam.list_instance_profile_tags(InstanceProfileName=name)["Tags"] == [
        {"Key": "MyKey2", "Value": "myValue2"}]
    missing = {"code": "NoSuchEntity", "status": 404, "type": "Sender",
               "message": "Instance Profile nonexistent-profile cannot be found."}
    assert aws_error(iam.tag_instance_profile, InstanceProfileName="nonexistent-profile",
                     Tags=[{"Key": "a", "Value": "b"}]) == missing
    assert aws_error(iam.untag_instance_profile, InstanceProfileName="nonexistent-profile",
                     TagKeys=["a"]) == missing
    assert aws_error(iam.list_instance_profile_tags, InstanceProfileName="nonexistent-profile") == missing


def test_policy_tag_operations(server, unique):
    # test_iam_policies.snapshot.json::test_policy_tag_operations, test_policy_tag_update_errors
    iam = server.client("iam")
    arn = iam.create_policy(PolicyName=unique("P"), PolicyDocument=policy_doc())["Policy"]["Arn"]
    two = [{"Key": "somekey", "Value": "somevalue"}, {"Key": "someotherkey", "Value": "someothervalue"}]
    iam.tag_policy(PolicyArn=arn, Tags=two)
    assert iam.get_policy(PolicyArn=arn)["Policy"]["Tags"] == two
    page = iam.list_policy_tags(PolicyArn=arn, MaxItems=1)
    assert page["Tags"] == two[:1] and page["IsTruncated"] is True
    rest = iam.list_policy_tags(PolicyArn=arn, Marker=page["Marker"])
    assert rest["Tags"] == two[1:] and rest["IsTruncated"] is False
    iam.tag_policy(PolicyArn=arn, Tags=[{"Key": "somekey", "Value": ""}])
    assert iam.list_policy_tags(PolicyArn=arn)["Tags"][0] == {"Key": "somekey", "Value": ""}
    iam.untag_policy(PolicyArn=arn, TagKeys=["somekey", "someotherkey"])
    assert iam.list_policy_tags(PolicyArn=arn)["Tags"] == []
    # Keys are case-sensitive.
    iam.tag_policy(PolicyArn=arn, Tags=[{"Key": "A", "Value": "uppercase"}, {"Key": "a", "Value": "lowercase"}])
    iam.untag_policy(PolicyArn=arn, TagKeys=["a"])
    assert iam.list_policy_tags(PolicyArn=arn)["Tags"] == [{"Key": "A", "Value": "uppercase"}]
    err = aws_error(iam.tag_policy, PolicyArn=arn, Tags=[{"Key": "k", "Value": "1"}, {"Key": "k", "Value": "2"}])
    assert (err["code"], err["message"]) == ("InvalidInput", "Duplicate tag keys found.")
    missing = f"arn:aws:iam::{ACCOUNT}:policy/NotAPolicy"
    for call, kw in ((iam.tag_policy, {"Tags": [{"Key": "a", "Value": "b"}]}),
                     (iam.untag_policy, {"TagKeys": ["a"]}), (iam.list_policy_tags, {})):
        assert aws_error(call, PolicyArn=missing, **kw) == {
            "code": "NoSuchEntity", "status": 404, "type": "Sender",
            "message": f"Policy {missing} was not found."}
