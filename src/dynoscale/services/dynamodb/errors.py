"""Every DynamoDB error Dynoscale sends, with AWS's exact text.

Sources: shared/spec/dynamodb-capacity.md (section numbers in comments), dynalite's messages
recorded against live DynamoDB (architect/dynalite db/index.js, validations/*.js, actions/*.js),
and moto/dynoxide for the post-2020 empty-key wording. Validation errors use the Coral validate
namespace; everything else the DynamoDB namespace (spec 2.2.5).
"""

from __future__ import annotations

import datetime as dt

from dynoscale.errors import AwsError

DDB = "com.amazonaws.dynamodb.v20120810"
VALIDATE = "com.amazon.coral.validate"
INVALID = "One or more parameter values were invalid: "


def validation(message: str) -> AwsError:
    return AwsError("ValidationException", message, namespace=VALIDATE)


def invalid(detail: str) -> AwsError:
    return validation(INVALID + detail)


# -- tables ----------------------------------------------------------------------------------------
def table_not_found(name: str) -> AwsError:
    # DescribeTable/UpdateTable/DeleteTable name the table (dynalite db/index.js getTable).
    return AwsError("ResourceNotFoundException", f"Requested resource not found: Table: {name} not found",
                    namespace=DDB)


def resource_not_found() -> AwsError:
    # Data-plane operations on a missing (or still CREATING) table (dynalite getTable checkStatus).
    return AwsError("ResourceNotFoundException", "Requested resource not found", namespace=DDB)


def index_not_found(table: str, index: str) -> AwsError:
    return AwsError("ResourceNotFoundException",
                    f"Requested resource not found: Index: {index} not found for table: {table}",
                    namespace=DDB)


def table_exists(name: str) -> AwsError:
    # Observed verbatim from AWS in boto2-era client code ("Table already exists: DB1_table").
    return AwsError("ResourceInUseException", f"Table already exists: {name}", namespace=DDB)


def in_use(detail: str) -> AwsError:
    return AwsError("ResourceInUseException",
                    f"Attempt to change a resource which is still in use: {detail}", namespace=DDB)


def table_being_created(name: str) -> AwsError:
    return in_use(f"Table is being created: {name}")  # dynalite actions/deleteTable.js


def table_being_deleted(name: str) -> AwsError:
    return in_use(f"Table is being deleted: {name}")  # spec 3.4.6 (HADOOP s3guard.md)


def table_iops_updating(name: str) -> AwsError:
    return in_use(f"Table IOPS are currently being updated. Table: {name}")  # spec 3.4.6


def table_being_updated(name: str) -> AwsError:
    return in_use(f"Table: {name} is in the process of being updated.")  # spec 3.4.6 (DeleteTable)


def deletion_protected() -> AwsError:
    return validation("Resource cannot be deleted as it is currently protected against deletion. "
                      "Disable deletion protection first.")


def throughput_will_not_change(cur_r: int, req_r: int, cur_w: int, req_w: int) -> AwsError:
    # spec 3.1.4 (dynalite actions/updateTable.js, verified against AWS)
    return validation(
        "The provisioned throughput for the table will not change. The requested value equals the "
        f"current value. Current ReadCapacityUnits provisioned for the table: {cur_r}. Requested "
        f"ReadCapacityUnits: {req_r}. Current WriteCapacityUnits provisioned for the table: {cur_w}. "
        f"Requested WriteCapacityUnits: {req_w}. Refer to the Amazon DynamoDB Developer Guide for "
        "current limits and how to request higher limits.")


def aws_utc_text(ts: float) -> str:
    """Java's FULL date-time style as AWS renders it in 2026 (spec 3.3.3):
    `Friday, October 9, 2026 at 12:21:34 AM Coordinated Universal Time`."""
    d = dt.datetime.fromtimestamp(ts, dt.timezone.utc)
    hour = d.hour % 12 or 12
    return (f"{d:%A}, {d:%B} {d.day}, {d.year} at {hour}:{d:%M:%S} "
            f"{'AM' if d.hour < 12 else 'PM'} Coordinated Universal Time")


def decrease_limit(count: int, last: float, next_allowed: float) -> AwsError:
    # spec 3.3.3
    return AwsError(
        "LimitExceededException",
        "Subscriber limit exceeded: Provisioned throughput decreases are limited within a given UTC "
        "day. After the first 4 decreases, each subsequent decrease in the same UTC day can be "
        f"performed at most once every 3600 seconds. Number of decreases today: {count}. "
        f"Last decrease at {aws_utc_text(last)}. Next decrease can be made at "
        f"{aws_utc_text(next_allowed)}", namespace=DDB)


def nothing_to_update() -> AwsError:
    # spec 3.1.5 (dynalite validations/updateTable.js)
    return validation("At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, "
                      "GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required")


def not_supported(feature: str) -> AwsError:
    """A feature Dynoscale does not emulate yet: a clear 400, never a silent no-op or a 500."""
    return validation(f"{feature} is not supported by Dynoscale yet")


# -- data plane ------------------------------------------------------------------------------------
def key_schema_mismatch() -> AwsError:
    return validation("The provided key element does not match the schema")  # dynalite validateKey


def item_too_large() -> AwsError:
    return validation("Item size has exceeded the maximum allowed size")  # dynalite putItem.js


def item_too_large_after_update() -> AwsError:
    return validation("Item size to update has exceeded the maximum allowed size")  # dynalite updateItem.js


def key_attribute_update(name: str) -> AwsError:
    # AWS's answer quoted by dynoxide, moto and users' code for SET/REMOVE/AttributeUpdates on a key
    return invalid(f"Cannot update attribute {name}. This attribute is part of the key")


def conditional_check_failed(item=None) -> AwsError:
    """`item`: the old item, sent back when ReturnValuesOnConditionCheckFailure=ALL_OLD."""
    return AwsError("ConditionalCheckFailedException", "The conditional request failed",
                    namespace=DDB, extra={"Item": item} if item is not None else None)


def throughput_exceeded() -> AwsError:
    # spec 2.2.2
    return AwsError("ProvisionedThroughputExceededException",
                    "The level of configured provisioned throughput for the table was exceeded. "
                    "Consider increasing your provisioning level with the UpdateTable API.",
                    namespace=DDB)


# -- batches and transactions ----------------------------------------------------------------------
def duplicate_keys() -> AwsError:
    # dynalite validations/batchGetItem.js, actions/batchWriteItem.js (recorded against AWS)
    return validation("Provided list of item keys contains duplicates")


def too_many_batch_items(operation: str) -> AwsError:
    # BatchGetItem: dynalite validations/batchGetItem.js; BatchWriteItem: same text (moto)
    return validation(f"Too many items requested for the {operation} call")


def write_request_empty() -> AwsError:
    # a WriteRequest with neither PutRequest nor DeleteRequest (dynalite test/batchWriteItem.js)
    return validation("Supplied AttributeValue has more than one datatypes set, must contain "
                      "exactly one of the supported datatypes")


def transaction_multiple_operations() -> AwsError:
    # dynamodb-conformance tier3 transactWriteItems (captured from AWS)
    return validation("Transaction request cannot include multiple operations on one item")


def transaction_too_large() -> AwsError:
    # aggregate item size over 4 MB (dynoxide transact_write_items.rs)
    return validation("Collection size of items exceeded, which can also be caused by the "
                      "aggregate size of the items in the transaction exceeding the 4MB limit")


def transaction_canceled(reasons: list[dict]) -> AwsError:
    # Message and CancellationReasons: MODEL TransactionCanceledException doc; dynamodb-conformance
    # tier3 transactWriteItems ("... specific reasons [None, ConditionalCheckFailed]")
    codes = ", ".join(r["Code"] for r in reasons)
    return AwsError("TransactionCanceledException",
                    f"Transaction cancelled, please refer cancellation reasons for specific reasons "
                    f"[{codes}]", namespace=DDB, extra={"CancellationReasons": reasons})


def idempotent_parameter_mismatch() -> AwsError:
    # No capture of AWS's text was found; this is the MODEL's own description of the error.
    return AwsError("IdempotentParameterMismatchException",
                    "DynamoDB rejected the request because you retried a request with a different "
                    "payload but with an idempotent token that was already used.", namespace=DDB)


# -- tags, TTL, backups (live-probed texts: ack-api-quirks `services/dynamodb` DDB-TABLE-108, 143..147,
# 374, 442, 453; see tags.py and ttl.py) ----------------------------------------------------------
def resource_arn_not_found(arn: str) -> AwsError:
    # Tag operations on an unknown table (dynalite's older recording spells it `ResourcArn`)
    return AwsError("ResourceNotFoundException", f"Requested resource not found: ResourceArn: {arn} not found",
                    namespace=DDB)


def invalid_table_arn(arn: str) -> AwsError:
    return validation(f"Invalid TableArn: Invalid ResourceArn provided as input {arn}")


def too_many_tags() -> AwsError:
    # the 50-tag limit is a ValidationException, not LimitExceededException
    return validation("Number of Tags exceed the current limit for the provided ResourceArn")


def ttl_on_different_attribute(current: str) -> AwsError:
    return validation(f"TimeToLive is active on a different AttributeName: current AttributeName is {current}")


def ttl_cooldown() -> AwsError:
    return validation("Time to live has been modified multiple times within a fixed interval")


def ttl_table_state(status: str) -> AwsError:
    return validation(f"Cannot describe time to live while table is in {status} state: "
                      f"Current table state is {status}")


def backups_table_not_found(name: str) -> AwsError:
    # The backup/PITR APIs name a missing table differently from DescribeTable
    return AwsError("TableNotFoundException", f"Table not found: {name}", namespace=DDB)
