"""The IAM permissions each Application Auto Scaling call needs under `--auth enforce`:
`application-autoscaling:<Operation>` on `*` [inferred: the Service Authorization Reference also
lists scalable-target ARNs, but a target's ARN exists only once registered, and policies written
for DynamoDB's tutorial grant `Resource: "*"`]. The service's own calls to DynamoDB and
CloudWatch are made with its service-linked role and are not checked here."""

from __future__ import annotations

from typing import Any

from dynoscale.services.registry import Access


def requests(caller, operation: str, request: dict[str, Any]) -> list[Access]:
    return [Access(f"application-autoscaling:{operation}", "*")]
