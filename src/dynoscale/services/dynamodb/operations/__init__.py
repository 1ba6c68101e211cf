"""AWS operation name -> handler, for the operations Dynoscale's DynamoDB emulates."""

from dynoscale.services.dynamodb.operations import (create_table, delete_item, delete_table,
                                                    describe_table, get_item, list_tables,
                                                    put_item, update_table)
from dynoscale.services.dynamodb.operations import update_item
from dynoscale.services.dynamodb.operations import query, scan
from dynoscale.services.dynamodb.operations import (batch_get_item, batch_write_item,
                                                    transact_get_items, transact_write_items)
from dynoscale.services.dynamodb.operations import (  # tags, TTL, limits, endpoints, read-only extras
    describe_continuous_backups, describe_contributor_insights, describe_endpoints,
    describe_kinesis_streaming_destination, describe_limits, describe_time_to_live, list_backups,
    list_contributor_insights, list_tags_of_resource, tag_resource, untag_resource,
    update_time_to_live)
from dynoscale.services.dynamodb.operations import update_continuous_backups
from dynoscale.services.dynamodb.operations import (create_backup, delete_backup,
                                                    describe_backup, restore_table_from_backup)
from dynoscale.services.dynamodb.operations import (batch_execute_statement, execute_statement,
                                                    execute_transaction)
from dynoscale.services.dynamodb.operations import (delete_resource_policy, get_resource_policy,
                                                    put_resource_policy)

OPERATIONS = {
    "CreateTable": create_table.handle,
    "DescribeTable": describe_table.handle,
    "ListTables": list_tables.handle,
    "UpdateTable": update_table.handle,
    "DeleteTable": delete_table.handle,
    "PutItem": put_item.handle,
    "GetItem": get_item.handle,
    "DeleteItem": delete_item.handle,
    "UpdateItem": update_item.handle,
    "Query": query.handle,
    "Scan": scan.handle,
    "BatchGetItem": batch_get_item.handle,
    "BatchWriteItem": batch_write_item.handle,
    "TransactGetItems": transact_get_items.handle,
    "TransactWriteItems": transact_write_items.handle,
    "TagResource": tag_resource.handle,
    "UntagResource": untag_resource.handle,
    "ListTagsOfResource": list_tags_of_resource.handle,
    "UpdateTimeToLive": update_time_to_live.handle,
    "DescribeTimeToLive": describe_time_to_live.handle,
    "DescribeLimits": describe_limits.handle,
    "DescribeEndpoints": describe_endpoints.handle,
    "DescribeContinuousBackups": describe_continuous_backups.handle,
    "UpdateContinuousBackups": update_continuous_backups.handle,
    "ListBackups": list_backups.handle,
    "CreateBackup": create_backup.handle,
    "DescribeBackup": describe_backup.handle,
    "DeleteBackup": delete_backup.handle,
    "RestoreTableFromBackup": restore_table_from_backup.handle,
    "DescribeContributorInsights": describe_contributor_insights.handle,
    "ListContributorInsights": list_contributor_insights.handle,
    "DescribeKinesisStreamingDestination": describe_kinesis_streaming_destination.handle,
    "ExecuteStatement": execute_statement.handle,
    "BatchExecuteStatement": batch_execute_statement.handle,
    "ExecuteTransaction": execute_transaction.handle,
    "PutResourcePolicy": put_resource_policy.handle,
    "GetResourcePolicy": get_resource_policy.handle,
    "DeleteResourcePolicy": delete_resource_policy.handle,
}

# Data-plane operations: SuccessfulRequestLatency/ThrottledRequests carry their name as the
# `Operation` dimension (spec 4.0.3).
DATA_PLANE = {"PutItem", "GetItem", "DeleteItem", "UpdateItem", "Query", "Scan", "BatchGetItem",
              "BatchWriteItem", "TransactGetItems", "TransactWriteItems", "ExecuteStatement",
              "BatchExecuteStatement", "ExecuteTransaction"}
