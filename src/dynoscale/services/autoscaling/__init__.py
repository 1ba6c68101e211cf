"""Application Auto Scaling (DynamoDB targets)."""
