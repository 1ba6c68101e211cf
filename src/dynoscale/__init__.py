"""Dynoscale: a local DynamoDB with real provisioned throughput, CloudWatch alarms and
Application Auto Scaling."""

__version__ = "0.1.0"
