"""Protocol-level AWS errors: the ones raised before an operation runs (Coral's service errors)."""

from __future__ import annotations

from typing import Optional

from dynoscale.errors import AwsError

CORAL_SERVICE = "com.amazon.coral.service"
CORAL_VALIDATE = "com.amazon.coral.validate"


def serialization(message: Optional[str] = None) -> AwsError:
    # dynalite (verified against AWS): `{"__type":"com.amazon.coral.service#SerializationException"}`,
    # with a `Message` for type errors.
    return AwsError("SerializationException", message, 400, namespace=CORAL_SERVICE)


def unknown_operation(message: Optional[str] = None) -> AwsError:
    return AwsError("UnknownOperationException", message, 400, namespace=CORAL_SERVICE)


def invalid_action(operation: str, version: str) -> AwsError:
    # Query services answer an unknown Action this way.
    return AwsError("InvalidAction", f"Could not find operation {operation} for version {version}", 400)


def missing_action() -> AwsError:
    return AwsError("MissingAction", "Missing Action", 400)


def malformed_query(message: str) -> AwsError:
    return AwsError("MalformedQueryString", message, 400)
