"""Every DynamoDB error Dynoscale sends, with AWS's exact text.

Sources: the behaviour notes docs/behaviour/dynamodb-capacity.md (entry numbers in comments;
each entry names its AWS source: Developer Guide page, botocore model or recorded output),
dynalite's messages recorded against live DynamoDB (architect/dynalite db/index.js,
validations/*.js, actions/*.js), and moto/dynoxide for the post-2020 empty-key wording.
Validation errors use the Coral validate namespace; everything else the DynamoDB namespace
(spec 2.2.5).
"""

from __future__ import annotations

import datetime as dt
from typing import Optional

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


def on_demand_out_of_range(member: str) -> AwsError:
    # spec 3.6.1 (ack-api-quirks DDB-TABLE-039: 0, -1 at CreateTable and -2 answer this)
    return invalid(f"Requested {member} for OnDemandThroughput for table is outside of valid range")


def on_demand_on_provisioned(member: str, *, create: bool) -> AwsError:
    """spec 3.6.1; CreateTable's text (DDB-TABLE-038) says "table BillingMode" and ends with a
    period, UpdateTable's (DDB-TABLE-059) says "the table BillingMode" and has none."""
    if create:
        return invalid(f"{member} for OnDemandThroughput cannot be specified when table "
                       "BillingMode is PROVISIONED.")
    return invalid(f"{member} for OnDemandThroughput cannot be specified when the table "
                   "BillingMode is PROVISIONED")


def on_demand_above_table_max(member: str, region: str) -> AwsError:
    # spec 3.6.1 (ack-api-quirks DDB-TABLE-171)
    limit = "TableMaxReadCapacityUnits" if "Read" in member else "TableMaxWriteCapacityUnits"
    return AwsError("LimitExceededException",
                    f"Subscriber limit exceeded: Requested {member} for OnDemandThroughput for "
                    f"table exceeds {limit} of the account in region {region}", namespace=DDB)


def index_throughput_will_not_change(index: str, cur_r: int, req_r: int, cur_w: int,
                                     req_w: int) -> AwsError:
    """spec 3.1.4, GSI form as observed on AWS (ack-api-quirks DDB-TABLE-164: "The provisioned
    throughput for the index gsi1 will not change. The requested value equals the current value.
    Current ReadCapacityUnits provisioned for index gsi1: 2. Requested ReadCapacityUnits: 2.
    Current WriteCapacityUnits ..."); the tail after the cut follows the table text."""
    return validation(
        f"The provisioned throughput for the index {index} will not change. The requested value "
        f"equals the current value. Current ReadCapacityUnits provisioned for index {index}: "
        f"{cur_r}. Requested ReadCapacityUnits: {req_r}. Current WriteCapacityUnits provisioned for "
        f"index {index}: {cur_w}. Requested WriteCapacityUnits: {req_w}. Refer to the Amazon "
        "DynamoDB Developer Guide for current limits and how to request higher limits.")


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
    # spec 3.1.5: today's AWS text, recorded live in us-east-1 and us-west-2 (ack-api-quirks
    # DDB-TABLE-442, "val_update_only_name"), which names more members than dynalite's older one
    return validation("At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, "
                      "GlobalSecondaryIndexUpdates, SSESpecification, ReplicaUpdates, "
                      "MultiAccountReplicaReady, ReplicaTransitRoleArn, MultiRegionConsistency, "
                      "DeletionProtectionEnabled, OnDemandThroughput, WarmThroughput or TableClass is "
                      "required")


def not_supported(feature: str) -> AwsError:
    """A feature Dynoscale does not emulate yet: a clear 400, never a silent no-op or a 500."""
    return validation(f"{feature} is not supported by Dynoscale yet")


# -- data plane ------------------------------------------------------------------------------------
def key_schema_mismatch() -> AwsError:
    return validation("The provided key element does not match the schema")  # dynalite validateKey


def item_too_large() -> AwsError:
    return validation("Item size has exceeded the maximum allowed size")  # dynalite putItem.js


def too_deeply_nested() -> AwsError:
    """A value nested beyond 32 levels (31 wraps are the deepest stored; dynamodb-conformance
    nesting tests, captured against AWS). Inferred for an UpdateItem whose SET deepens a stored
    document: AWS documents only "Nesting Levels have exceeded supported limits" for updates."""
    return validation("Nesting Levels have exceeded supported limits: Attributes in the item have "
                      "nested levels beyond supported limit")


def item_too_large_after_update() -> AwsError:
    return validation("Item size to update has exceeded the maximum allowed size")  # dynalite updateItem.js


def key_attribute_update(name: str) -> AwsError:
    # AWS's answer quoted by dynoxide, moto and users' code for SET/REMOVE/AttributeUpdates on a key
    return invalid(f"Cannot update attribute {name}. This attribute is part of the key")


class ChargedError(AwsError):
    """The error of a write that was charged although it failed (a failed condition consumes
    write capacity, spec 1.3.10). `charged` is what it consumed, INDEXES-shaped; the item API's
    error body carries none, but a PartiQL batch adds it to the batch's ConsumedCapacity."""

    def __init__(self, error: AwsError, charged: dict):
        super().__init__(error.code, error.message, error.status, sender=error.sender,
                         namespace=error.namespace, extra=error.extra, headers=error.headers)
        self.charged = charged


def conditional_check_failed(item=None) -> AwsError:
    """`item`: the old item, sent back when ReturnValuesOnConditionCheckFailure=ALL_OLD."""
    return AwsError("ConditionalCheckFailedException", "The conditional request failed",
                    namespace=DDB, extra={"Item": item} if item is not None else None)


TABLE_THROUGHPUT_TEXT = ("The level of configured provisioned throughput for the table was exceeded. "
                         "Consider increasing your provisioning level with the UpdateTable API.")
INDEX_THROUGHPUT_TEXT = ("The level of configured provisioned throughput for one or more global "
                         "secondary indexes of the table was exceeded. Consider increasing your "
                         "provisioning level for the under-provisioned global secondary indexes with "
                         "the UpdateTable API.")


def throughput_exceeded(reasons: Optional[list] = None, *, index: bool = False) -> AwsError:
    """spec 2.2.2: the table text, or the GSI text when a GSI was the bottleneck; `reasons` is the
    ThrottlingReasons list (MODEL ProvisionedThroughputExceededException.ThrottlingReasons)."""
    return AwsError("ProvisionedThroughputExceededException",
                    INDEX_THROUGHPUT_TEXT if index else TABLE_THROUGHPUT_TEXT,
                    namespace=DDB, extra={"ThrottlingReasons": reasons} if reasons else None)


def on_demand_throttled(reasons: list) -> AwsError:
    """Above an OnDemandThroughput maximum (spec 2.1.9, 2.2.3): ThrottlingException in the
    com.amazon.coral.availability namespace with DG-ERR's message; the model names the reasons
    member `throttlingReasons` (lower-case t) on this shape."""
    return AwsError("ThrottlingException", "Rate of requests exceeds the allowed throughput.",
                    namespace="com.amazon.coral.availability",
                    extra={"throttlingReasons": reasons})


# On-demand tables beyond what they can serve now (double the previous peak, or a hot
# partition): the texts of the botocore model's TransactionCanceledException `ThrottlingError`
# reason ("returned when writes get throttled on an On-Demand table as DynamoDB is automatically
# scaling the table" / "... an On-Demand GSI"); the table text is also what real DynamoDB sends
# as a ThrottlingException message (a botocore error recorded in a public runbook: "An error
# occurred (ThrottlingException) when calling the UpdateItem operation (reached max retries: 9):
# Throughput exceeds the current capacity of your table or index. DynamoDB is automatically
# scaling ... bp-partition-key-design.html", without the model's final period).
ON_DEMAND_SCALING_TEXT = ("Throughput exceeds the current capacity of your table or index. DynamoDB "
                          "is automatically scaling your table or index so please try again "
                          "shortly. If exceptions persist, check if you have a hot key: "
                          "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/"
                          "bp-partition-key-design.html")
ON_DEMAND_INDEX_SCALING_TEXT = ("Throughput exceeds the current capacity for one or more global "
                                "secondary indexes. DynamoDB is automatically scaling your index so "
                                "please try again shortly.")


def on_demand_scaling(reasons: list, *, index: bool = False) -> AwsError:
    """An on-demand table or GSI throttled on a hot partition or above double its previous peak
    (KeyRangeThroughputExceeded): ThrottlingException (DG-ERR: "For tables using on-demand
    mode, this exception might be returned for any data plane API operation if your request
    rate is too high", its reasons e.g. `TableReadKeyRangeThroughputExceeded`)."""
    return AwsError("ThrottlingException",
                    ON_DEMAND_INDEX_SCALING_TEXT if index else ON_DEMAND_SCALING_TEXT,
                    namespace="com.amazon.coral.availability",
                    extra={"throttlingReasons": reasons})


def throttled_reason(on_demand: bool, *, index: bool = False) -> dict:
    """The CancellationReason of a transaction action whose table (or GSI, `index`) lacks
    capacity: MODEL TransactionCanceledException doc, `ProvisionedThroughputExceeded` with the
    provisioned texts "when provisioned throughput is exceeded on a provisioned DynamoDB table"
    (or GSI), `ThrottlingError` with the on-demand scaling texts "when writes get throttled on an
    On-Demand table" (or GSI). Inferred: reads of an on-demand table (TransactGetItems) and an
    on-demand table held to its OnDemandThroughput maximum or the per-table quota give the same
    ThrottlingError, the only on-demand reason the model lists."""
    if on_demand:
        return {"Code": "ThrottlingError",
                "Message": ON_DEMAND_INDEX_SCALING_TEXT if index else ON_DEMAND_SCALING_TEXT}
    return {"Code": "ProvisionedThroughputExceeded",
            "Message": INDEX_THROUGHPUT_TEXT if index else TABLE_THROUGHPUT_TEXT}


def request_limit_exceeded(reasons: list) -> AwsError:
    """An on-demand table or GSI above the per-table quota (AccountLimitExceeded): DG-ERR
    (Programming.Errors.html) RequestLimitExceeded, its message, `ThrottlingReasons` such as
    `TableWriteAccountLimitExceeded` (MODEL RequestLimitExceeded.ThrottlingReasons)."""
    return AwsError("RequestLimitExceeded",
                    "Throughput exceeds the current throughput limit for your account. To request "
                    "a limit increase, contact AWS Support at https://aws.amazon.com/support.",
                    namespace=DDB, extra={"ThrottlingReasons": reasons})


def table_max_exceeded(member: str, value: int, region: str, maximum: int,
                       index: Optional[str] = None) -> AwsError:
    """spec 3.2.3; AWS's own auto scaling notice quotes the table text in full: `The requested
    WriteCapacityUnits, 45000, is above the per table maximum for the account in eu-west-1. Per
    table maximum: 40000.` The index variant (ack-api-quirks DDB-TABLE-171) names the index."""
    if index is None:
        return AwsError("LimitExceededException",
                        f"The requested {member}, {value}, is above the per table maximum for the "
                        f"account in {region}. Per table maximum: {maximum}.", namespace=DDB)
    return AwsError("LimitExceededException",
                    f"The requested {member} for index {index}, {value}, is above the per index "
                    f"maximum for the account in {region}. Per index maximum: {maximum}.",
                    namespace=DDB)


def account_max_exceeded(member: str, region: str, reserved: int, maximum: int,
                         requested: int) -> AwsError:
    # spec 3.2.3 (ack-api-quirks DDB-TABLE-171, observed on AWS)
    return AwsError("LimitExceededException",
                    f"This request would have caused the {member} limit to be exceeded for the "
                    f"account in {region}. Current {member} reserved by the account: {reserved}. "
                    f"Limit: {maximum}. Requested: {requested}", namespace=DDB)


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


def backups_being_enabled(name: str) -> AwsError:
    # Live probe (ack-api-quirks `services/dynamodb`): UpdateContinuousBackups/CreateBackup in the
    # first ~3-6 s after a table turns ACTIVE answer this (HTTP 400).
    return AwsError("ContinuousBackupsUnavailableException",
                    f"Backups are being enabled for the table: {name}. Please retry later",
                    namespace=DDB)


def recovery_period_without_pitr() -> AwsError:
    # [inferred] text: the model allows RecoveryPeriodInDays only as a setting of enabled PITR.
    return validation("RecoveryPeriodInDays can only be specified when PointInTimeRecoveryEnabled "
                      "is true")


def update_empty_index_key(kind: str) -> AwsError:
    """An update that sets a secondary index key to an empty S/B value (`kind` "string" or
    "binary"; dynamodb-conformance tier3 transactWriteItems, captured from AWS)."""
    return validation("One or more parameter values are not valid. The update expression "
                      "attempted to update a secondary index key to a value that is not "
                      f"supported. The AttributeValue for a key attribute cannot contain an empty "
                      f"{kind} value.")


# -- on-demand backups (backups.py) ----------------------------------------------------------------
def backup_not_found(arn: str) -> AwsError:
    # Live AWS answer quoted in steampipe-plugin-aws issue #1913 (DescribeBackup, HTTP 400):
    # "BackupNotFoundException: Backup not found: arn:aws:dynamodb:...:table/t/backup/0168...-aa93528e"
    return AwsError("BackupNotFoundException", f"Backup not found: {arn}", namespace=DDB)


def restore_target_exists(name: str) -> AwsError:
    # RestoreTableFromBackup onto an existing table name: moto dynamodb/exceptions.py
    # TableAlreadyExistsException (the model's error; same wording as CreateTable's in-use text)
    return AwsError("TableAlreadyExistsException", f"Table already exists: {name}", namespace=DDB)


# -- resource-based policies (PutResourcePolicy, GetResourcePolicy, DeleteResourcePolicy; texts
# recorded against AWS in moto's aws_verified tests tests/test_dynamodb/test_dynamodb_resource_policy.py
# and ack-api-quirks `services/dynamodb` DDB-TABLE-205, 209, 210, 211, 212, 356; see
# resource_policies.py) -----------------------------------------------------------------------
_NO_POLICY = "Resource-based policy not found for the provided ResourceArn: "


def policy_not_found(arn: str) -> AwsError:
    return AwsError("PolicyNotFoundException", _NO_POLICY + arn, namespace=DDB)


def policy_revision_mismatch(expected: str, table: str, current: str) -> AwsError:
    return AwsError("PolicyNotFoundException",
                    f"{_NO_POLICY}Requested update for policy with revision id {expected}, but the "
                    f"policy associated to target table {table} has revision id {current}.",
                    namespace=DDB)


def policy_revision_without_policy(expected: str, table: str) -> AwsError:
    # DDB-TABLE-205 recorded the text up to "has no associated"; the last word is inferred.
    return AwsError("PolicyNotFoundException",
                    f"{_NO_POLICY}Requested update for policy with revision id {expected}, but "
                    f"table {table} has no associated policy.", namespace=DDB)


def policy_exists(table: str, current: str) -> AwsError:
    # ExpectedRevisionId NO_POLICY while a policy is attached
    return AwsError("PolicyNotFoundException",
                    f"{_NO_POLICY}Requested policy update expecting none to be present for table "
                    f"{table}, but a policy exists with revision id {current}.", namespace=DDB)


def stream_not_found(label: str, table: str) -> AwsError:
    return AwsError("ResourceNotFoundException",
                    f"Requested resource not found: Stream: {label} not found for Table: {table}",
                    namespace=DDB)


def other_account_arn() -> AwsError:
    # DDB-TABLE-212: a ValidationException, not AccessDenied (the apostrophe is U+2019 as recorded)
    return validation("This action is only supported by accounts that match the resource "
                      "owner\u2019s account.")


def invalid_policy(detail: str) -> AwsError:
    return invalid(f"Invalid policy document: {detail}")


def policy_too_large(limit: int) -> AwsError:
    return invalid(f"Maximum policy size of {limit} bytes exceeded")


def policy_unbounded() -> AwsError:
    return validation("Resource-based policy grants unbounded access in one or more elements. "
                      "Please revise the policy to ensure least-privilege form of access")


def policy_pending(kind: str, name: str) -> AwsError:
    # a change with ExpectedRevisionId inside the cooldown (DDB-TABLE-206); kind "Table"/"Stream"
    return in_use(f"{kind} is pending previous resource-based policy update: {name}")


def policy_cooldown(kind: str, name: str, cooldown_ms: int, until_ms: int) -> AwsError:
    """A change within `cooldown_ms` of the last one (DDB-TABLE-206: "Resource-based policy for
    table <name> ..." / "... for stream <label> ...", `until_ms` = that change + 15 s, epoch
    milliseconds). The namespace is not recorded: [inferred] com.amazon.coral.availability, the
    namespace of DynamoDB's other ThrottlingException."""
    when = dt.datetime.fromtimestamp(until_ms // 1000, dt.timezone.utc)
    stamp = when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{until_ms % 1000:03d}Z"
    return AwsError("ThrottlingException",
                    f"Resource-based policy for {kind} {name} modified within the previous "
                    f"{cooldown_ms} milliseconds. Please try again after {stamp}.",
                    namespace="com.amazon.coral.availability")


def policy_update_pending(name: str) -> AwsError:
    # DeleteTable right after a policy change (ack-api-quirks DDB-TABLE-348)
    return in_use(f"Table: {name} has a pending resource-based policy update.")
