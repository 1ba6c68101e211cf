"""Every DynamoDB Streams error Dynoscale sends, with AWS's text.

Sources: the Errors sections of the DynamoDB Streams API Reference
(https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_GetRecords.html,
API_streams_GetShardIterator.html, API_streams_DescribeStream.html): ExpiredIteratorException `The
provided iterator exceeds the maximum age allowed.`, TrimmedDataAccessException `The data you are
trying to access has been trimmed.`, LimitExceededException `Too many operations for a given
subscriber.`; the ResourceNotFoundException text for a stream as AWS answers it (quoted in
public clients' tests against AWS: `Requested resource not found: Stream: <arn> not found`).
"""

from __future__ import annotations

from dynoscale.errors import AwsError

NAMESPACE = "com.amazonaws.dynamodb.v20120810"
VALIDATE = "com.amazon.coral.validate"


def validation(message: str) -> AwsError:
    return AwsError("ValidationException", message, namespace=VALIDATE)


def stream_not_found(arn: str) -> AwsError:
    return AwsError("ResourceNotFoundException", f"Requested resource not found: Stream: {arn} not found")


def shard_not_found(shard_id: str, arn: str) -> AwsError:
    return AwsError("ResourceNotFoundException",
                    f"Requested resource not found: Shard: {shard_id} in Stream: {arn} not found")


def table_not_found(name: str) -> AwsError:
    return AwsError("ResourceNotFoundException", f"Requested resource not found: Table: {name} not found")


def expired_iterator() -> AwsError:
    return AwsError("ExpiredIteratorException", "The provided iterator exceeds the maximum age allowed.")


def trimmed() -> AwsError:
    return AwsError("TrimmedDataAccessException", "The data you are trying to access has been trimmed.")


def limit_exceeded() -> AwsError:
    return AwsError("LimitExceededException", "Too many operations for a given subscriber.")


def invalid_stream_arn(arn: str) -> AwsError:
    return validation(f"Invalid StreamArn: {arn}")


def sequence_number_required(kind: str) -> AwsError:
    return validation(f"Sequence number must be specified for shard iterator type {kind}")


def invalid_sequence_number(number: str, shard_id: str) -> AwsError:
    return validation(f"Invalid SequenceNumber {number} for shard {shard_id}")


def iterator_type_unsupported(kind: str) -> AwsError:
    return validation(f"Unsupported shard iterator type: {kind}")


def invalid_iterator() -> AwsError:
    return validation("Invalid ShardIterator")


def limit_too_large(limit: int) -> AwsError:
    # Coral's constraint text for the server model's Limit maximum (1000, API_streams_GetRecords).
    return validation(f"1 validation error detected: Value '{limit}' at 'limit' failed to satisfy "
                      "constraint: Member must have value less than or equal to 1000")
