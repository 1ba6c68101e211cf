"""STS on the wire (protocol/declaration.py). Facts from botocore's model
`botocore/data/sts/2011-06-15/service-2.json` metadata: apiVersion 2011-06-15, protocol query,
signingName sts; checked by tests/unit/test_architecture.py. Constraint violations are
`ValidationError` (STS API Reference, Common Errors)."""

from dynoscale.protocol.declaration import ServiceDeclaration

WIRE = ServiceDeclaration(
    name="sts",
    api_version="2011-06-15",
    signing_names=("sts",),
    query_version="2011-06-15",
    validation_code="ValidationError",
)
