"""DynamoDB on the wire (protocol/declaration.py). Facts from botocore's model
`botocore/data/dynamodb/2012-08-10/service-2.json` metadata (apiVersion, targetPrefix
DynamoDB_20120810, signingName dynamodb, protocol json 1.0), checked by
tests/unit/test_architecture.py; the rest as recorded against DynamoDB (sources by field)."""

from dynoscale.protocol.declaration import CORAL_AUTH_ERRORS, ServiceDeclaration
from dynoscale.services.dynamodb import errors
from dynoscale.services.dynamodb.validation import OVERLAY

WIRE = ServiceDeclaration(
    name="dynamodb",
    api_version="2012-08-10",
    signing_names=("dynamodb",),
    json_target="DynamoDB_20120810",
    error_namespace=errors.DDB,
    # Constraint violations: `com.amazon.coral.validate#ValidationException` (dynalite
    # test/helpers.js assertValidation, recorded against DynamoDB).
    validation_namespace=errors.VALIDATE,
    # A request without a signature: 400 `com.amazon.coral.service#MissingAuthentication
    # TokenException` (dynalite test/connection.js, recorded against DynamoDB).
    auth_status=400,
    auth_namespace="com.amazon.coral.service",
    # 52 upper-case alphanumerics (x-amzn-RequestId as dynalite records it from AWS).
    request_ids="coral",
    # Every response carries x-amz-crc32, which botocore verifies (botocore/retries/special.py
    # RetryDDBChecksumError retries on a mismatch; dynalite sets it on every answer).
    body_crc32=True,
    # An empty body is `com.amazon.coral.service#SerializationException` (dynalite
    # test/connection.js).
    empty_body_rejected=True,
    # Requests no service recognises (unknown target, GET /) are answered as DynamoDB answers
    # them (dynalite test/connection.js: 404 `<UnknownOperationException/>`, 400
    # UnknownOperationException for JSON without a known target).
    answers_unrouted=True,
    validation=OVERLAY,
    auth_errors=CORAL_AUTH_ERRORS,
)
