"""Application Auto Scaling on the wire (protocol/declaration.py). Facts from botocore's model
`botocore/data/application-autoscaling/2016-02-06/service-2.json` metadata: apiVersion
2016-02-06, protocol json 1.1, targetPrefix AnyScaleFrontendService, signingName
application-autoscaling; checked by tests/unit/test_architecture.py. Errors have no namespace
in `__type` and constraint violations are ValidationException (the model's error shape)."""

from dynoscale.protocol.declaration import CORAL_AUTH_ERRORS, ServiceDeclaration

WIRE = ServiceDeclaration(
    name="application-autoscaling",
    api_version="2016-02-06",
    signing_names=("application-autoscaling",),
    json_target="AnyScaleFrontendService",
    auth_errors=CORAL_AUTH_ERRORS,
)
