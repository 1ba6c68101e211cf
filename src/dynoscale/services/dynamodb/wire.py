"""DynamoDB on the wire (protocol/declaration.py). Facts from botocore's model
`botocore/data/dynamodb/2012-08-10/service-2.json` metadata (apiVersion, targetPrefix
DynamoDB_20120810, signingName dynamodb, protocol json 1.0), checked by
tests/unit/test_architecture.py; the rest as recorded against DynamoDB (sources by field)."""

from dynoscale.protocol.declaration import CORAL_AUTH_ERRORS, Cors, ServiceDeclaration
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
    # DynamoDB's own failures: 500 `InternalServerError`, "Internal server error" (botocore's
    # model: the InternalServerError exception, "An error occurred on the server side", of 50 of
    # its operations; the answers of DynamoDB quoted in aws/aws-sdk-js issue 3891 and
    # Sleavely/dynamo-plus issue 16, with DynamoDB's 52-character request ids). InternalFailure
    # stays the front end's answer to a body it cannot decode (server/encoding.py).
    internal_error=("InternalServerError", "Internal server error"),
    # `Server: Server` on every answer (the response headers the aws CLI's --debug prints from
    # DynamoDB; scylladb's Alternator test_http_headers.py asserts a Server header on AWS).
    server_header="Server",
    # Responses of 4 KB or more are compressed when the client accepts gzip or deflate (scylladb
    # Alternator test_compressed_response.py, run against DynamoDB: DDB_RESPONSE_COMPRESSION_
    # THRESHOLD = 4096); x-amz-crc32 is then the CRC32 of the compressed bytes (the AWS SDK for
    # Go v2's DynamoDB customizations: "if the response is gzipped the checksum is of the gzipped
    # response"; botocore reads the body with decode_content=False and checks the same bytes).
    # Inferred: exactly 4096 bytes is compressed (the suite checks bodies well above and below).
    compress_min=4096,
    # `GET /` is DynamoDB's health check (dynalite test/connection.js, recorded against AWS:
    # 200 `healthy: dynamodb.<region>.amazonaws.com `, trailing space included).
    health_check="healthy: dynamodb.{region}.amazonaws.com ",
    # CORS (dynalite index.js and test/connection.js, recorded against AWS: Allow-Origin `*`,
    # preflight Max-Age 172800, requested method and headers echoed; scylladb Alternator
    # test_cors.py: Expose-Headers on every answer to a request with Origin, Max-Age and the
    # echoes on the preflight only; the list is the one Alternator's server.cc copies from
    # DynamoDB). DynamoDB does not expose x-amz-crc32, which is why browser SDKs skip the CRC32
    # check (aws-sdk-js issue 1614).
    cors=Cors(expose_headers=("x-amzn-RequestId", "x-amzn-ErrorType", "x-amzn-ErrorMessage",
                              "Date"), max_age=172800),
)
