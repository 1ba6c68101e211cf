"""Tags of IAM users, roles, instance profiles and managed policies: Tag<Entity> adds tags or
overwrites the values of existing keys, the new spelling kept; at most 50 per resource (IAM
quotas page, "Tags per IAM resource": 50); Untag<Entity> ignores unknown keys. The kinds differ
in how keys compare, and so in their duplicate rule, and in the quota's name (TagRules).

- Users, roles and instance profiles: keys compare case-insensitively, within a request too:
  "Duplicate tag keys found. Please note that Tag keys are case insensitive." (TagRole: LocalStack
  snapshot tests/aws/services/iam/test_iam_roles.snapshot.json::test_role_tag_errors,
  "tag-role-duplicate-tags", recorded against AWS; tag keys are case-insensitive in IAM
  [inferred from the IAM tagging guide]). "Cannot exceed quota for TagsPerRole: 50" /
  TagsPerUser, the form of AWS's quota texts; TagsPerInstanceProfile [inferred: the same family].
- Managed policies: keys are case-sensitive ("a" and "A" may both be set, untagging "a" leaves
  "A") and a repeated key is refused in other words, "Duplicate tag keys found." (LocalStack
  snapshot tests/aws/services/iam/test_iam_policies.snapshot.json::test_policy_tag_lifecycle
  ("create-with-case-sensitive-tags"), test_policy_tag_create_errors ("err-duplicate-keys"),
  test_policy_tag_operations, recorded against AWS); the quota TagsPerPolicy [inferred from
  TagsPerRole/TagsPerUser].
"""

from __future__ import annotations

from dataclasses import dataclass

from dynoscale.services.iam import errors

MAX_TAGS = 50

_INSENSITIVE_DUPLICATE = "Duplicate tag keys found. Please note that Tag keys are case insensitive."


@dataclass(frozen=True)
class TagRules:
    """case_sensitive: whether "a" and "A" are two keys; duplicate: the InvalidInput text of a
    request that names a key twice; quota: the quota's name in "Cannot exceed quota for ...: 50"."""
    case_sensitive: bool
    duplicate: str
    quota: str

    def _key(self, key: str) -> str:
        return key if self.case_sensitive else key.lower()

    def check_unique(self, tags: list) -> None:
        """A Create* or Tag* call's Tags: no key twice."""
        keys = [self._key(t["Key"]) for t in tags]
        if len(keys) != len(set(keys)):
            raise errors.invalid_input(self.duplicate)

    def merged(self, existing: list, new: list) -> list:
        """`existing` with `new` added or overwriting; LimitExceeded past 50."""
        self.check_unique(new)
        tags = {self._key(t["Key"]): t for t in existing}
        for tag in new:
            tags[self._key(tag["Key"])] = {"Key": tag["Key"], "Value": tag["Value"]}
        if len(tags) > MAX_TAGS:
            raise errors.quota(self.quota, MAX_TAGS)
        return list(tags.values())

    def without(self, existing: list, keys: list) -> list:
        gone = {self._key(k) for k in keys}
        return [t for t in existing if self._key(t["Key"]) not in gone]


USER = TagRules(False, _INSENSITIVE_DUPLICATE, "TagsPerUser")
ROLE = TagRules(False, _INSENSITIVE_DUPLICATE, "TagsPerRole")
INSTANCE_PROFILE = TagRules(False, _INSENSITIVE_DUPLICATE, "TagsPerInstanceProfile")
POLICY = TagRules(True, "Duplicate tag keys found.", "TagsPerPolicy")
