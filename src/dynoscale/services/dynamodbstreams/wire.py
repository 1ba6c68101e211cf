"""DynamoDB Streams on the wire (protocol/declaration.py). Facts from botocore's model
`botocore/data/dynamodbstreams/2012-08-10/service-2.json` metadata: apiVersion 2012-08-10,
protocol json 1.0, targetPrefix DynamoDBStreams_20120810, signingName dynamodb (endpointPrefix
streams.dynamodb); checked by tests/unit/test_architecture.py. It answers as DynamoDB's front end
does: `com.amazonaws.dynamodb.v20120810#ResourceNotFoundException` with a 52-character request id
(a recorded answer quoted in the conformance tests of public clients, e.g. `Requested resource not
found: Stream: arn:aws:dynamodb:eu-west-1:...:table/no-existant-table/stream/2017-10-05T14:36:01.514
not found`) and the x-amz-crc32 header (API_streams_GetRecords sample response, AWS DynamoDB
API Reference)."""

from dynoscale.protocol.declaration import CORAL_AUTH_ERRORS, ServiceDeclaration
from dynoscale.services.dynamodbstreams import errors

WIRE = ServiceDeclaration(
    name="dynamodbstreams",
    api_version="2012-08-10",
    signing_names=("dynamodb",),
    json_target="DynamoDBStreams_20120810",
    error_namespace=errors.NAMESPACE,
    validation_namespace="com.amazon.coral.validate",
    auth_status=400,
    auth_namespace="com.amazon.coral.service",
    request_ids="coral",
    body_crc32=True,
    empty_body_rejected=True,
    auth_errors=CORAL_AUTH_ERRORS,
    # Its own failures: 500 InternalServerError (botocore's dynamodbstreams model: "An error
    # occurred on the server side."); inferred: worded as DynamoDB's ("Internal server error").
    internal_error=("InternalServerError", "Internal server error"),
    # Inferred: DynamoDB's front end answers Streams too (the request ids and x-amz-crc32 above),
    # so its Server header and response compression are DynamoDB's (dynamodb/wire.py).
    server_header="Server",
    compress_min=4096,
)
