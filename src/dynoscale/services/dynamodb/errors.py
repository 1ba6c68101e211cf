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


def throughput_exceeded() -> AwsError:
    # spec 2.2.2
    return AwsError("ProvisionedThroughputExceededException",
                    "The level of configured provisioned throughput for the table was exceeded. "
                    "Consider increasing your provisioning level with the UpdateTable API.",
                    namespace=DDB)
