"""STS operations: AWS operation name -> handler module."""

from __future__ import annotations

from dynoscale.services.sts.operations import get_caller_identity

OPERATIONS = {
    "GetCallerIdentity": get_caller_identity.handle,
}
