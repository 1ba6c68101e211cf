"""botocore service models, loaded once. The single source of truth for operations and shapes."""

from __future__ import annotations

from functools import lru_cache
from typing import Optional

import botocore.session
from botocore.model import OperationModel, ServiceModel

SERVICES = ("dynamodb", "cloudwatch", "application-autoscaling", "iam", "sts")


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
