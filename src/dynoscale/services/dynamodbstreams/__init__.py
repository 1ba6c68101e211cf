"""DynamoDB Streams (botocore `dynamodbstreams`, awsJson1_0): the change log of tables with a
stream, read by shard and sequence number."""
