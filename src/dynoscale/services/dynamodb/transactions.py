"""ClientRequestToken idempotency for TransactWriteItems, kept in the store so a restart keeps it.

Facts (MODEL TransactWriteItemsInput.ClientRequestToken doc; DG-TX "Idempotency"): a token is
valid for 10 minutes after the request that first used it completes; within that window the same
token with the same request succeeds again without applying anything, and the same token with a
different request fails with IdempotentParameterMismatchException; after it, the token is new
again. Only a successful transaction is remembered: a cancelled one may be retried with its token.
"Same request" ignores ReturnConsumedCapacity and ReturnItemCollectionMetrics, which only shape
the response (the doc says responses to identical calls may differ in consumed capacity).
botocore fills in a random token when the caller gives none (model `idempotencyToken`), so most
SDK calls carry one; expired records are pruned whenever a new one is stored.
"""

from __future__ import annotations

import hashlib
from typing import Optional

import orjson

from dynoscale.services.dynamodb import values

KIND = "dynamodb.transaction-token"
VALID_SECONDS = 600.0
PRUNE_SECONDS = 60.0
RESPONSE_ONLY = ("ClientRequestToken", "ReturnConsumedCapacity", "ReturnItemCollectionMetrics")


def _canonical(value):
    """JSON-safe form of a request (blobs as base64 via the storage JSON of AttributeValues)."""
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_canonical(v) for v in value]
    if isinstance(value, (bytes, bytearray)):
        return values.to_json({"B": bytes(value)})["B"]
    return value


def fingerprint(request: dict) -> str:
    body = {k: v for k, v in request.items() if k not in RESPONSE_ONLY}
    return hashlib.sha256(orjson.dumps(_canonical(body), option=orjson.OPT_SORT_KEYS)).hexdigest()


class TokenStore:
    def __init__(self, store, clock):
        self.store = store
        self.clock = clock
        self.pruned_at = float("-inf")  # in memory only: pruning is housekeeping, not state

    def find(self, scope: str, token: str) -> Optional[dict]:
        """The live record for `token`, or None when unknown or expired."""
        record = self.store.get_doc(KIND, scope, token)
        if record is None:
            return None
        if record["expires"] <= self.clock.now():
            self.store.delete_doc(KIND, scope, token)
            return None
        return record

    def remember(self, scope: str, token: str, request_fingerprint: str,
                 replay_units: dict[str, float]) -> None:
        """Record a completed transaction; `replay_units` is what a replay reports (per table)."""
        now = self.clock.now()
        if now - self.pruned_at >= PRUNE_SECONDS:
            self.pruned_at = now
            for doc_scope, doc_id, doc in self.store.list_docs(KIND):
                if doc["expires"] <= now:
                    self.store.delete_doc(KIND, doc_scope, doc_id)
        self.store.put_doc(KIND, scope, token, {
            "fingerprint": request_fingerprint, "expires": now + VALID_SECONDS,
            "replay_units": replay_units})
