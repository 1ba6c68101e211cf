"""botocore service models, loaded once. The single source of truth for operations and shapes."""

from __future__ import annotations

from functools import lru_cache
from typing import Optional

import botocore.session
from botocore.model import OperationModel, ServiceModel


@lru_cache(maxsize=None)
def _session() -> botocore.session.Session:
    return botocore.session.get_session()


@lru_cache(maxsize=None)
def service_model(name: str) -> ServiceModel:
    return _session().get_service_model(name)


@lru_cache(maxsize=None)
def operation(service: str, name: str) -> Optional[OperationModel]:
    model = service_model(service)
    if name not in model.operation_names:
        return None
    return model.operation_model(name)


@lru_cache(maxsize=None)
def error_shape_name(service: str, code: str) -> str:
    """The model's shape name for an error code (CloudWatch: code `LimitExceeded` is shape
    `LimitExceededFault`); the code itself when the model has no such shape."""
    model = service_model(service)
    matches = [name for name in model.shape_names
               if model.shape_for(name).metadata.get("exception")
               and model.shape_for(name).metadata.get("error", {}).get("code") == code]
    if code in matches or not matches:
        return code
    # Several shapes may share a code (CloudWatch: ResourceNotFound and DashboardNotFoundError).
    for suffix in ("Exception", "Fault"):
        if code + suffix in matches:
            return code + suffix
    return matches[0]


@lru_cache(maxsize=None)
def error_message_key(service: str, code: str, namespace: Optional[str] = None) -> str:
    """The body member an awsJson / CBOR error carries its text in. AWS serializes the error
    structure with the model's member names, so the key is spelled as the error shape spells it:
    DynamoDB's TransactionCanceledException sends `Message` and ConditionalCheckFailedException
    `message` (live bodies quoted in aws/aws-sdk-net#1292 and pynamodb/PynamoDB#1144; botocore
    model members `Message` / `message`); Application Auto Scaling's shapes all say `Message`.
    Coral's own errors: `SerializationException` says `Message`, validation and authentication
    errors `message` (dynalite test/helpers.js assertSerialization / assertValidation, recorded
    against DynamoDB)."""
    if namespace == "com.amazon.coral.service":
        return "Message" if code == "SerializationException" else "message"
    if namespace == "com.amazon.coral.validate":
        return "message"
    model = service_model(service)
    name = error_shape_name(service, code)
    if name not in model.shape_names:
        return "message"
    members = model.shape_for(name).members
    return "Message" if "Message" in members and "message" not in members else "message"
