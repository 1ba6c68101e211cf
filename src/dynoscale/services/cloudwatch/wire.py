"""CloudWatch on the wire (protocol/declaration.py). Facts from botocore's model
`botocore/data/cloudwatch/2010-08-01/service-2.json` metadata: apiVersion 2010-08-01,
protocols [smithy-rpc-v2-cbor, json, query], targetPrefix GraniteServiceVersion20100801 (also the
rpc-v2-cbor service shape), signingName monitoring, awsQueryCompatible (errors carry the query
codes); checked by tests/unit/test_architecture.py."""

from dynoscale.protocol.declaration import ServiceDeclaration
from dynoscale.protocol.overlay import EnumHashOrder, Overlay

WIRE = ServiceDeclaration(
    name="cloudwatch",
    api_version="2010-08-01",
    signing_names=("monitoring",),
    json_target="GraniteServiceVersion20100801",
    cbor_service="GraniteServiceVersion20100801",
    query_version="2010-08-01",
    # awsJson / CBOR `__type` is `com.amazonaws.cloudwatch#<Shape>` (Smithy shape id of the
    # service's namespace, as the SDKs' awsQueryCompatible protocol tests show).
    error_namespace="com.amazonaws.cloudwatch",
    # The model's InvalidParameterValueException family is query-coded; constraint violations
    # are `ValidationError` (CloudWatch API Reference, Common Errors).
    validation_code="ValidationError",
    # "Each PutMetricData request is limited to 1 MB in size for HTTP POST requests. You can send
    # a payload compressed by gzip." (CloudWatch API Reference, PutMetricData; 40 KB before):
    # a larger one is 413 RequestEntityTooLarge "Request size 45305 exceeded 40960 bytes"
    # (quoted in micrometer-metrics/micrometer#2302 and aws/aws-sdk-go#4441); the compressed
    # size counting is inferred from "You can send a payload compressed by gzip".
    body_limits={"PutMetricData": 1024 * 1024},
    validation=Overlay(enum_hash_order=EnumHashOrder(
        source="LocalStack snapshot tests/aws/services/cloudwatch/test_cloudwatch.snapshot.json::"
               "test_set_alarm_invalid_input, recorded against AWS: \"Member must satisfy enum "
               "value set: [INSUFFICIENT_DATA, ALARM, OK]\" for the model's [OK, ALARM, "
               "INSUFFICIENT_DATA]")),
)
