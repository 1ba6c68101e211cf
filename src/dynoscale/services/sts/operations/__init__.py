"""STS operations: AWS operation name -> handler module."""

from __future__ import annotations

from dynoscale.services.sts.operations import assume_role, get_caller_identity, get_session_token

OPERATIONS = {
    "AssumeRole": assume_role.handle,
    "GetCallerIdentity": get_caller_identity.handle,
    "GetSessionToken": get_session_token.handle,
}
