"""AWS operation name -> handler, for the operations Dynoscale's DynamoDB emulates."""

from dynoscale.services.dynamodb.operations import (create_table, delete_item, delete_table,
                                                    describe_table, get_item, list_tables,
                                                    put_item, update_table)

OPERATIONS = {
    "CreateTable": create_table.handle,
    "DescribeTable": describe_table.handle,
    "ListTables": list_tables.handle,
    "UpdateTable": update_table.handle,
    "DeleteTable": delete_table.handle,
    "PutItem": put_item.handle,
    "GetItem": get_item.handle,
    "DeleteItem": delete_item.handle,
}

# Data-plane operations: SuccessfulRequestLatency/ThrottledRequests carry their name as the
# `Operation` dimension (spec 4.0.3).
DATA_PLANE = {"PutItem", "GetItem", "DeleteItem", "UpdateItem", "Query", "Scan", "BatchGetItem",
              "BatchWriteItem", "TransactGetItems", "TransactWriteItems"}
