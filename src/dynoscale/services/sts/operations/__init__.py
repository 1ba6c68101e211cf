"""STS operations: AWS operation name -> handler module."""

from __future__ import annotations

from dynoscale.services.sts.operations import assume_role, get_caller_identity

OPERATIONS = {
    "AssumeRole": assume_role.handle,
    "GetCallerIdentity": get_caller_identity.handle,
}
