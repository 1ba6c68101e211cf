"""Every DynamoDB Streams error Dynoscale sends, with AWS's text.

Texts recorded from AWS (client errors quoted in public issue threads, all answered by
`AmazonDynamoDBStreams` with Coral's 52-character request ids):
- `Invalid StreamArn` (ValidationException): amazon-archives/logstash-input-dynamodb issue #18
  (`Invalid StreamArn (Service: AmazonDynamoDBStreams; Status Code: 400; Error Code:
  ValidationException`), and aws-sdk-js's integration test `AWS.DynamoDBStreams handles errors`
  (DescribeStream of `fake-stream` matches `Invalid StreamArn`).
- `Requested resource not found: Shard does not exist` (ResourceNotFoundException, GetShardIterator
  of an unknown shard): ironSource/node-dynamodb-stream issue #16 (AWS SDK v3 against AWS); the
  same text is matched by ExKcl's shard reader and Flink's fake DynamoDB Streams client.
- `Shard iterator has expired` (ExpiredIteratorException): spring-integration-aws PR #59's stack
  trace (`... (Service: AmazonDynamoDBStreams; Status Code: 400; Error Code:
  ExpiredIteratorException; Request ID: 65MHG5HK...)`).
- `Requested resource not found: Stream: <arn> not found`: localstack issue #2543 and public
  clients' tests quoting AWS.
- TrimmedDataAccessException `The data you are trying to access has been trimmed.` and
  LimitExceededException `Too many operations for a given subscriber.`: the `message` members
  of those errors in the DynamoDB Streams API Reference (API_streams_GetRecords.html).
- Limits above the documented maxima (ListStreams and DescribeStream 100, GetRecords 1000,
  "The upper limit is ..." in botocore's model, which drops the bounds) are Coral constraint
  violations, `1 validation error detected: Value '<n>' at 'limit' failed to satisfy constraint:
  Member must have value less than or equal to <max>` (the wording every Coral service uses;
  scylladb's test_list_streams_too_high_limit and test_get_records_too_high_limit record that AWS
  refuses 101 and 1001 with a ValidationException naming the limit).
Texts marked "inferred" below have no public recording; they name the member and the problem in
the style of the recorded ones.
"""

from __future__ import annotations

from dynoscale.errors import AwsError

NAMESPACE = "com.amazonaws.dynamodb.v20120810"
VALIDATE = "com.amazon.coral.validate"


def validation(message: str) -> AwsError:
    return AwsError("ValidationException", message, namespace=VALIDATE)


def stream_not_found(arn: str) -> AwsError:
    return AwsError("ResourceNotFoundException", f"Requested resource not found: Stream: {arn} not found")


def shard_not_found() -> AwsError:
    return AwsError("ResourceNotFoundException", "Requested resource not found: Shard does not exist")


def table_not_found(name: str) -> AwsError:
    return AwsError("ResourceNotFoundException", f"Requested resource not found: Table: {name} not found")


def expired_iterator() -> AwsError:
    return AwsError("ExpiredIteratorException", "Shard iterator has expired")


def trimmed() -> AwsError:
    return AwsError("TrimmedDataAccessException", "The data you are trying to access has been trimmed.")


def limit_exceeded() -> AwsError:
    return AwsError("LimitExceededException", "Too many operations for a given subscriber.")


def invalid_stream_arn() -> AwsError:
    return validation("Invalid StreamArn")


def sequence_number_required(kind: str) -> AwsError:
    # inferred: scylladb's test_get_shard_iterator records that AWS refuses AT/AFTER_SEQUENCE_NUMBER
    # without a SequenceNumber with a ValidationException; the text is not recorded.
    return validation(f"Sequence number must be specified for shard iterator type {kind}")


def sequence_number_not_allowed(kind: str) -> AwsError:
    # inferred: scylladb's test_get_shard_iterator records that AWS refuses a SequenceNumber with
    # TRIM_HORIZON or LATEST with a ValidationException; the text is not recorded.
    return validation(f"Sequence number must not be specified for shard iterator type {kind}")


def timestamp_required() -> AwsError:
    # inferred, as sequence_number_required (botocore model: Timestamp is used with AT_TIMESTAMP).
    return validation("Timestamp must be specified for shard iterator type AT_TIMESTAMP")


def timestamp_in_future() -> AwsError:
    # botocore model, GetShardIteratorInput.Timestamp: "If the timestamp is in the future, the
    # request returns a ValidationException"; the text is inferred.
    return validation("Timestamp must not be in the future")


def invalid_sequence_number(number: str, shard_id: str) -> AwsError:
    # inferred: a sequence number outside the shard's range (or not one of ours).
    return validation(f"Invalid SequenceNumber {number} for shard {shard_id}")


def invalid_iterator() -> AwsError:
    # inferred: a ShardIterator that is not one this service issued (scylladb's
    # test_get_records_nonexistent_iterator: AWS answers a garbage iterator with a
    # ValidationException).
    return validation("Invalid ShardIterator")


def limit_too_large(limit: int, maximum: int) -> AwsError:
    return validation(f"1 validation error detected: Value '{limit}' at 'limit' failed to satisfy "
                      f"constraint: Member must have value less than or equal to {maximum}")
