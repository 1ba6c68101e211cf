"""Named constructors for every IAM error Dynoscale emits, with AWS's exact text.

Codes and HTTP statuses are the `error` traits of botocore's iam/2010-05-08 model
(spec autoscaling-cloudwatch-iam.md §6.2). Messages are as observed from real AWS (public CLI/SDK
output quoted in issue threads) unless marked otherwise:
- "The role with name X cannot be found." / "Role with name X already exists." (spec §6.3, §6.9)
- "Policy <arn> does not exist or is not attachable." / "Policy <arn> was not found." (spec §6.8, §6.11)
- "A managed policy can have up to 5 versions. ..." (99designs/iamy#21, AWS CLI output)
- "This policy has more than one version. ..." (rebuy-de/aws-nuke#1, status 409)
- "Cannot delete the default version of a policy." (redradrat/aws-iam-operator#13, status 409)
- "Cannot perform the operation on the protected role 'X' - this role is only modifiable by AWS"
  (rebuy-de/aws-nuke#441, gruntwork-io/cloud-nuke#880, status 400)
- "Cannot delete entity, must detach all policies first." / "... must delete policies first."
  (spec §6.13; LocalStack's AWS-validated IAM provider uses the same text)
- MalformedPolicyDocument texts: see documents.py.
"""

from __future__ import annotations

from dynoscale.errors import AwsError


def no_such_entity(message: str) -> AwsError:
    return AwsError("NoSuchEntity", message, 404)


def no_such_role(name: str) -> AwsError:
    return no_such_entity(f"The role with name {name} cannot be found.")


def role_not_in_profile(role: str, profile: str) -> AwsError:
    # LocalStack snapshot tests/aws/services/iam/test_iam_instance_profiles.snapshot.json::
    # test_role_instance_profile_operations_errors ("remove-unattached-role-error"), recorded
    # against AWS.
    return no_such_entity(f"Role {role} in Instance Profile {profile} cannot be found.")


def no_such_role_policy(policy_name: str) -> AwsError:
    return no_such_entity(f"The role policy with name {policy_name} cannot be found.")


def no_such_policy(arn: str) -> AwsError:
    return no_such_entity(f"Policy {arn} was not found.")


def not_attachable(arn: str) -> AwsError:
    return no_such_entity(f"Policy {arn} does not exist or is not attachable.")


def service_role_policy() -> AwsError:
    # AWS's answer to attaching a policy under /aws-service-role/ to a role, quoted in
    # aws/aws-cdk#6131 ("Status Code: 400; Error Code: PolicyNotAttachable"); the same text for
    # users and groups [inferred].
    return AwsError("PolicyNotAttachable", "Cannot attach a Service Role Policy to a Customer Role.",
                    400)


def no_such_policy_version(arn: str, version_id: str) -> AwsError:
    # [emulator: LocalStack's AWS-snapshot-validated provider] same text for a missing policy
    return no_such_entity(f"Policy {arn} version {version_id} does not exist or is not attachable.")


def no_such_boundary(arn: str) -> AwsError:
    return no_such_entity(f"Scope ARN: {arn} does not exist or is not attachable.")


def role_exists(name: str) -> AwsError:
    return AwsError("EntityAlreadyExists", f"Role with name {name} already exists.", 409)


def policy_exists(name: str) -> AwsError:
    return AwsError("EntityAlreadyExists",
                    f"A policy called {name} already exists. Duplicate names are not allowed.", 409)


def delete_conflict(message: str) -> AwsError:
    return AwsError("DeleteConflict", message, 409)


def policy_attached() -> AwsError:
    return delete_conflict("Cannot delete a policy attached to entities.")


def policy_has_versions() -> AwsError:
    return delete_conflict("This policy has more than one version. Before you delete a policy, you "
                           "must delete the policy's versions. The default version is deleted with "
                           "the policy.")


def default_version() -> AwsError:
    return delete_conflict("Cannot delete the default version of a policy.")


def role_has_attached_policies() -> AwsError:
    return delete_conflict("Cannot delete entity, must detach all policies first.")


def role_has_inline_policies() -> AwsError:
    return delete_conflict("Cannot delete entity, must delete policies first.")


def limit_exceeded(message: str) -> AwsError:
    return AwsError("LimitExceeded", message, 409)


def too_many_versions(limit: int) -> AwsError:
    return limit_exceeded(f"A managed policy can have up to {limit} versions. Before you create a "
                          "new version, you must delete an existing version.")


def quota(name: str, value: int) -> AwsError:
    # "Cannot exceed quota for PolicySize: 6144" / "... ACLSizePerRole: 2048" (AWS CLI output)
    return limit_exceeded(f"Cannot exceed quota for {name}: {value}")


def inline_size(role_name: str, limit: int) -> AwsError:
    return limit_exceeded(f"Maximum policy size of {limit} bytes exceeded for role {role_name}")


def protected_role(name: str) -> AwsError:
    return AwsError("UnmodifiableEntity", f"Cannot perform the operation on the protected role "
                    f"'{name}' - this role is only modifiable by AWS", 400)


def invalid_arn(arn: str) -> AwsError:
    return AwsError("InvalidInput", f"ARN {arn} is not valid.", 400)


def invalid_attach_arn(arn: str) -> AwsError:
    # Attach/Detach<Kind>Policy answer a PolicyArn that is no policy ARN with ValidationError,
    # not InvalidInput: LocalStack snapshot tests/aws/services/iam/test_iam_roles.snapshot.json::
    # test_role_managed_policy_errors ("non-existent-malformed-policy-arn"), recorded against AWS
    # in 2026. An older recording (test_iam.snapshot.json::test_role_attach_policy and
    # test_user_attach_policy, 2023) had InvalidInput for roles and users alike; AWS has since
    # changed it for roles, and users and groups are inferred to have changed with them.
    return AwsError("ValidationError", f"ARN {arn} is not valid.", 400)


def invalid_input(message: str) -> AwsError:
    return AwsError("InvalidInput", message, 400)


def malformed(message: str) -> AwsError:
    return AwsError("MalformedPolicyDocument", message, 400)


def no_such_user(name: str) -> AwsError:
    return no_such_entity(f"The user with name {name} cannot be found.")


def no_such_user_policy(name: str) -> AwsError:
    return no_such_entity(f"The user policy with name {name} cannot be found.")


def unknown_key_last_used(caller_arn: str, key_id: str) -> AwsError:
    # GetAccessKeyLastUsed of a key that does not exist is AccessDenied, not NoSuchEntity, and the
    # text has no colon after "perform": LocalStack snapshot tests/aws/services/iam/
    # test_iam_users.snapshot.json::test_access_key_errors ("get-last-used-nonexistent-key-error"),
    # recorded against AWS.
    return AwsError("AccessDenied", f"User: {caller_arn} is not authorized to perform "
                    f"iam:GetAccessKeyLastUsed on resource: access key {key_id}", 403)


def user_name_needed() -> AwsError:
    # A key operation without UserName from credentials that are no IAM user's (an assumed role):
    # test_iam_users.snapshot.json::test_access_key_errors ("delete-access-key-without-username-
    # error"), recorded against AWS.
    return AwsError("ValidationError", "Must specify userName when calling with non-User "
                    "credentials", 400)


def no_such_access_key(key_id: str) -> AwsError:
    # "The Access Key with id AKIA... cannot be found." (AWS CLI output quoted in
    # terraform-provider-aws and aws-cli issue threads)
    return no_such_entity(f"The Access Key with id {key_id} cannot be found.")


def user_exists(name: str) -> AwsError:
    return AwsError("EntityAlreadyExists", f"User with name {name} already exists.", 409)


def user_has_keys() -> AwsError:
    return delete_conflict("Cannot delete entity, must delete access keys first.")


def root_key_refused() -> AwsError:
    # AWS creates root access keys when the root calls CreateAccessKey without UserName;
    # Dynoscale's root keys are its configuration (--access-key-id), so it refuses [inferred].
    return AwsError("InvalidInput", "Dynoscale does not create root access keys; pass UserName "
                    "(the root's key is --access-key-id / --secret-access-key).", 400)


# -- groups, instance profiles, deletions -------------------------------------------------------
# Texts as AWS returns them, quoted in public code and issue threads: "The group with name X
# cannot be found." / "The group policy with name X cannot be found." / "Group with name X
# already exists." (LocalStack's AWS-validated IAM provider); "Cannot delete entity, must remove
# users from group first." (DeleteGroup with members and DeleteUser of a member, AWS CLI output
# quoted in boto3 samples and Terraform threads); "Instance Profile X cannot be found."
# (skyplane-project/skyplane#724, DeleteInstanceProfile); "Instance Profile X already exists."
# (AWS Batch samples matching AWS's text); "Cannot delete entity, must remove roles from
# instance profile first." (99designs/iamy#47 and #68, DeleteInstanceProfile and DeleteRole);
# "Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1" (getmoto/moto#6404, checked
# against AWS by a maintainer).
def no_such_group(name: str) -> AwsError:
    return no_such_entity(f"The group with name {name} cannot be found.")


def no_such_group_policy(name: str) -> AwsError:
    return no_such_entity(f"The group policy with name {name} cannot be found.")


def group_exists(name: str) -> AwsError:
    return AwsError("EntityAlreadyExists", f"Group with name {name} already exists.", 409)


def group_has_users() -> AwsError:
    return delete_conflict("Cannot delete entity, must remove users from group first.")


def no_such_instance_profile(name: str) -> AwsError:
    return no_such_entity(f"Instance Profile {name} cannot be found.")


def instance_profile_exists(name: str) -> AwsError:
    return AwsError("EntityAlreadyExists", f"Instance Profile {name} already exists.", 409)


def in_instance_profile() -> AwsError:
    return delete_conflict("Cannot delete entity, must remove roles from instance profile first.")


def profile_has_role() -> AwsError:
    return limit_exceeded("Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1")
