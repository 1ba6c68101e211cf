"""IAM on the wire (protocol/declaration.py). Facts from botocore's model
`botocore/data/iam/2010-05-08/service-2.json` metadata: apiVersion 2010-05-08, protocol query,
signingName iam; checked by tests/unit/test_architecture.py. Constraint violations are
`ValidationError` (IAM API Reference, Common Errors)."""

from dynoscale.protocol.declaration import ServiceDeclaration
from dynoscale.protocol.overlay import ElementsAtList, Overlay, Unechoed

# IAM's tag and policy-version-id constraint violations leave the value out ("1 validation error
# detected: Value at 'tags.1.member.key' failed to satisfy constraint: ..."), while others, such
# as a role name's, echo it ("Value '...' at 'roleName'", AWS CLI/CloudFormation output).
_TAGS_SOURCE = ("LocalStack snapshot tests/aws/services/iam/test_iam_roles.snapshot.json::"
                "test_role_tag_errors, recorded against AWS")
_VERSION_SOURCE = ("LocalStack snapshot tests/aws/services/iam/test_iam_managed_policies."
                   "snapshot.json::test_get_aws_managed_policy_version, recorded against AWS")
# Untag*'s TagKeys: too many, or a broken key, is reported at 'tagKeys' without the value, a
# broken key with all of a key's rules (same recording, "untag-role-key-too-long").
VALIDATION = Overlay(
    unechoed=(
        *(Unechoed(shape, _TAGS_SOURCE)
          for shape in ("tagListType", "tagKeyType", "tagValueType", "tagKeyListType")),
        Unechoed("policyVersionIdType", _VERSION_SOURCE),
    ),
    elements_at_list=(ElementsAtList("tagKeyListType", _TAGS_SOURCE),),
)

WIRE = ServiceDeclaration(
    name="iam",
    api_version="2010-05-08",
    signing_names=("iam",),
    query_version="2010-05-08",
    validation_code="ValidationError",
    validation=VALIDATION,
)
