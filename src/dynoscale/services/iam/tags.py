"""Tags of IAM users, roles and instance profiles: Tag<Entity> adds tags or overwrites the values
of existing keys, keys compared case-insensitively with the new spelling kept; at most 50 per
entity (IAM quotas page, "Tags per IAM resource": 50); Untag<Entity> ignores unknown keys."""

from __future__ import annotations

from dynoscale.services.iam import errors

MAX_TAGS = 50


def check_unique(tags: list) -> None:
    """A Create* or Tag* call's Tags: keys differ case-insensitively (TagRole too: LocalStack
    snapshot tests/aws/services/iam/test_iam_roles.snapshot.json::test_role_tag_errors,
    "tag-role-duplicate-tags", recorded against AWS)."""
    keys = [t["Key"].lower() for t in tags]
    if len(keys) != len(set(keys)):
        # Tag keys are case-insensitive in IAM [inferred from the IAM tagging guide].
        raise errors.invalid_input("Duplicate tag keys found. Please note that Tag keys are "
                                   "case insensitive.")


def check_unique_policy_tags(tags: list) -> None:
    """A managed policy's tag keys are case-sensitive ("a" and "A" may both be set) and a repeated
    one is refused in other words: LocalStack snapshot tests/aws/services/iam/
    test_iam_policies.snapshot.json::test_policy_tag_lifecycle ("create-with-case-sensitive-
    tags"), test_policy_tag_create_errors ("err-duplicate-keys"), recorded against AWS."""
    keys = [t["Key"] for t in tags]
    if len(keys) != len(set(keys)):
        raise errors.invalid_input("Duplicate tag keys found.")


def merged(existing: list, new: list, quota_name: str) -> list:
    """`existing` with `new` added or overwriting; LimitExceeded past 50 ("Cannot exceed quota
    for TagsPerRole: 50", the form of AWS's quota texts)."""
    check_unique(new)
    tags = {t["Key"].lower(): t for t in existing}
    for tag in new:
        tags[tag["Key"].lower()] = {"Key": tag["Key"], "Value": tag["Value"]}
    if len(tags) > MAX_TAGS:
        raise errors.quota(quota_name, MAX_TAGS)
    return list(tags.values())


def merged_policy_tags(existing: list, new: list) -> list:
    """`merged` for a managed policy, whose keys are case-sensitive (check_unique_policy_tags);
    the 50-tag quota named TagsPerPolicy [inferred from TagsPerRole/TagsPerUser]."""
    check_unique_policy_tags(new)
    tags = {t["Key"]: t for t in existing}
    for tag in new:
        tags[tag["Key"]] = {"Key": tag["Key"], "Value": tag["Value"]}
    if len(tags) > MAX_TAGS:
        raise errors.quota("TagsPerPolicy", MAX_TAGS)
    return list(tags.values())


def without_policy_tags(existing: list, keys: list) -> list:
    gone = set(keys)  # case-sensitive: untagging "a" leaves "A" (test_policy_tag_operations)
    return [t for t in existing if t["Key"] not in gone]


def without(existing: list, keys: list) -> list:
    gone = {k.lower() for k in keys}
    return [t for t in existing if t["Key"].lower() not in gone]
