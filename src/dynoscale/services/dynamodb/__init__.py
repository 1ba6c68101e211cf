"""DynamoDB (botocore `dynamodb`, awsJson1_0): tables, items, provisioned capacity, metrics."""
