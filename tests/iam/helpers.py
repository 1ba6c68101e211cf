"""Shared documents and assertions for the IAM tests."""

from __future__ import annotations

import json

from tests.kit import raised

# The tutorial's trust policy and service-role policy, verbatim (seed Step 1).
TRUST_POLICY = """{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {
        "Service": "application-autoscaling.amazonaws.com"
      },
      "Action": "sts:AssumeRole"
    }
  ]
}
"""

SERVICE_ROLE_POLICY = """{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": [
                "dynamodb:DescribeTable",
                "dynamodb:UpdateTable",
                "cloudwatch:PutMetricAlarm",
                "cloudwatch:DescribeAlarms",
                "cloudwatch:DeleteAlarms"
            ],
            "Resource": "*"
        }
    ]
}
"""

ACCOUNT = "123456789012"


def policy_doc(action: str = "s3:GetObject", resource: str = "*") -> str:
    return json.dumps({"Version": "2012-10-17",
                       "Statement": [{"Effect": "Allow", "Action": action, "Resource": resource}]})


def aws_error(call, *args, **kwargs) -> dict:
    """Run a boto3 call that must fail; return {code, message, status, type} (IAM's query errors
    also carry a Type, Sender or Receiver)."""
    resp = raised(call, *args, **kwargs)
    return {"code": resp["Error"]["Code"], "message": resp["Error"].get("Message"),
            "status": resp["ResponseMetadata"]["HTTPStatusCode"], "type": resp["Error"].get("Type")}


def raw_body(client, operation: str, **kwargs) -> str:
    """The undecoded XML body of a successful call (botocore decodes policy documents)."""
    seen = {}

    def grab(http_response, **_):
        seen["body"] = http_response.content.decode()

    event = f"after-call.iam.{operation}"
    client.meta.events.register(event, grab)
    try:
        getattr(client, _snake(operation))(**kwargs)
    finally:
        client.meta.events.unregister(event, grab)
    return seen["body"]


def _snake(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")
