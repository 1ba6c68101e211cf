"""IAM on the wire (protocol/declaration.py). Facts from botocore's model
`botocore/data/iam/2010-05-08/service-2.json` metadata: apiVersion 2010-05-08, protocol query,
signingName iam; checked by tests/unit/test_architecture.py. Constraint violations are
`ValidationError` (IAM API Reference, Common Errors)."""

from dynoscale.protocol.declaration import ServiceDeclaration

WIRE = ServiceDeclaration(
    name="iam",
    api_version="2010-05-08",
    signing_names=("iam",),
    query_version="2010-05-08",
    validation_code="ValidationError",
)
