"""Resource-based policies of tables and streams: the store behind PutResourcePolicy,
GetResourcePolicy, DeleteResourcePolicy and CreateTable's `ResourcePolicy`, with DynamoDB's checks
and messages, and the lookup `--auth enforce` uses (access.py).

AWS facts (Developer Guide, "Using resource-based policies for DynamoDB" and "Resource-based
policy considerations"; the API reference of the three operations; texts recorded against AWS in
moto's aws_verified tests `tests/test_dynamodb/test_dynamodb_resource_policy.py` and in
ack-api-quirks `services/dynamodb` table-policy-kinesis-autoscaling.md, DDB-TABLE-205..214, 236,
356):
- ResourceArn names a table or one of its streams; each has its own policy ("slot", DDB-TABLE-213).
  An index is governed by its table's policy (its ARN is refused: "only table or stream is
  accepted"). Not `arn:` -> `ARNs must start with 'arn:'`; not a table ARN, or a backup, export
  or import ARN -> `Provided Arn is not a DynamoDB resource arn`; another Region or partition ->
  `Invalid resource Arn: <arn>`; another account -> "This action is only supported by accounts
  that match the resource owner's account." (all ValidationException); no such table ->
  ResourceNotFoundException `Table: <name> not found`; a stream label the table does not have ->
  `Stream: <label> not found for Table: <name>` (DDB-TABLE-212).
- The document: at most 20480 bytes, whitespace counted (`Maximum policy size of 20480 bytes
  exceeded`); not JSON -> `This policy contains invalid Json`; no statements -> `Could not parse
  the policy: Statement is empty!`; a statement without Resource -> `Missing required field
  Resource`; repeated Sids -> `The Statement Ids in the policy are not unique`; an Allow to every
  principal ("*" or {"AWS": "*"}) -> "Resource-based policy grants unbounded access ..."
  (DDB-TABLE-211, 356). [inferred: an Allow to "*" restricted by a Condition is accepted, as
  DynamoDB's block-public-access check looks at conditions that narrow the principals; Dynoscale
  does not judge which conditions narrow enough.]
- Get returns the document canonicalised: minified, keys in the order Version, Statement / Sid,
  Effect, Principal, Action, Resource, Condition, a one-element list as its string, an account id
  principal as its root ARN, duplicate principals collapsed, `allow` as `Allow`, a lone
  statement object as a one-element list, and a missing Version as "2008-10-17" (DDB-TABLE-208,
  351..355).
- RevisionId is the change's epoch time in milliseconds, a 13-digit string increasing with every
  change; a Put of an equivalent document (same canonical form, Version as sent) changes nothing
  and answers the current RevisionId (DDB-TABLE-207). [inferred: two changes within one
  millisecond take the next millisecond, so ids stay strictly increasing.]
- ExpectedRevisionId: must equal the current revision, else PolicyNotFoundException naming both
  ids; with no policy attached, "... but table <name> has no associated policy"; `NO_POLICY`
  (Put only) requires that no policy be attached (moto's recorded texts, DDB-TABLE-205/209).
- Delete of a table that never had a policy answers 200 without RevisionId; a Delete answers the
  removed policy's RevisionId, and a later idempotent Delete the deletion's own revision
  (DDB-TABLE-205).
- While the table is DELETING, Get still answers and an equivalent Put is a no-op, but a change or
  a Delete is ResourceInUseException `Table is being deleted`; once the table is gone every call
  is ResourceNotFoundException, and a table re-created under the name has no policy
  (DDB-TABLE-236, 214, 271). DescribeTable does not show the policy.
- Changes of one slot are 15 s apart: a change (not an equivalent Put, not an idempotent Delete)
  sooner is ThrottlingException "Resource-based policy for table <name> modified within the
  previous 15000 milliseconds. Please try again after <last change + 15 s>." (`stream <label>`
  for a stream), or, with an ExpectedRevisionId that matches, ResourceInUseException "Table is
  pending previous resource-based policy update: <name>"; the revision check comes first
  (DDB-TABLE-206, 347). DeleteTable 1 s after a Put and 2 s after a Delete is
  ResourceInUseException "Table: <name> has a pending resource-based policy update." (DDB-TABLE-348).

Not emulated: the eventual consistency of Get (AWS may answer the previous document for ~2 s)
and of enforcement, the check that action
names fit the resource (stream actions in a table policy and the reverse), the validation of
principals (a bare account-id string, principals that do not exist). The self-lockout check
(a policy that would deny its author PutResourcePolicy needs ConfirmRemoveSelfResourceAccess,
DDB-TABLE-210) is an authorisation check, made under `--auth enforce` only (access.py).

Storage: one document per slot (kind `dynamodb.resource_policy`, id = the table name, or
`<name>/stream/<label>`) carrying the table id, so a policy never outlives its table; the
service drops the table's documents when its deletion completes.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Optional

from dynoscale.clock import Clock
from dynoscale.context import Caller
from dynoscale.services.dynamodb import errors
from dynoscale.services.dynamodb.table_record import TableRecord
from dynoscale.services.dynamodb.tables import Tables
from dynoscale.services.dynamodbstreams.api import StreamsApi
from dynoscale.storage.interface import Store

KIND = "dynamodb.resource_policy"
MAX_BYTES = 20480
NO_POLICY = "NO_POLICY"
COOLDOWN_MS = 15000  # between two changes of one slot (DDB-TABLE-206)
# how long a change keeps DeleteTable waiting (DDB-TABLE-348: accepted 1.04 s after a Put, 2.04 s
# after a Delete; Dynoscale takes the whole seconds)
PENDING_AFTER_PUT_MS = 1000
PENDING_AFTER_DELETE_MS = 2000
DEFAULT_VERSION = "2008-10-17"  # what Get shows for a document sent without Version
_STATEMENT_KEYS = ("Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction",
                   "Resource", "NotResource", "Condition")
_ACCOUNT = re.compile(r"\d{12}")


# -- the document ------------------------------------------------------------------------------
def check_document(text: str) -> dict:
    """A Policy as sent -> its canonical form (Version as sent, None when absent), or the
    ValidationException AWS gives."""
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise errors.policy_too_large(MAX_BYTES)
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError):  # RecursionError: nesting deeper than the parser goes
        doc = None
    if not isinstance(doc, dict):
        raise errors.invalid_policy("This policy contains invalid Json")
    statements = doc.get("Statement")
    if isinstance(statements, dict):
        statements = [statements]
    if not statements or not isinstance(statements, list):
        raise errors.invalid_policy("Could not parse the policy: Statement is empty!")
    sids = set()
    for st in statements:
        if not isinstance(st, dict):
            raise errors.invalid_policy("This policy contains invalid Json")  # inferred
        if "Resource" not in st and "NotResource" not in st:
            raise errors.invalid_policy("Missing required field Resource")
        sid = st.get("Sid")
        if sid is not None:
            sid = json.dumps(sid, sort_keys=True)  # any JSON value, compared as written
            if sid in sids:
                raise errors.invalid_policy("The Statement Ids in the policy are not unique")
            sids.add(sid)
    canonical = _canonical(doc, statements)
    for st in canonical["Statement"]:
        if st.get("Effect") == "Allow" and _everyone(st.get("Principal")) \
                and not st.get("Condition"):
            raise errors.policy_unbounded()
    return canonical


def _canonical(doc: dict, statements: list) -> dict:
    out: dict[str, Any] = {"Version": doc.get("Version")}
    for key, value in doc.items():
        if key not in ("Version", "Statement"):
            out[key] = value
    out["Statement"] = [_statement(st) for st in statements]
    return out


def _statement(st: dict) -> dict:
    out: dict[str, Any] = {}
    for key in _STATEMENT_KEYS + tuple(k for k in st if k not in _STATEMENT_KEYS):
        if key not in st:
            continue
        value = st[key]
        if key == "Effect" and isinstance(value, str) and value.lower() in ("allow", "deny"):
            value = value.capitalize()
        elif key in ("Principal", "NotPrincipal"):
            value = _principal(value)
        elif key in ("Action", "NotAction", "Resource", "NotResource"):
            value = _single(value)
        out[key] = value
    return out


def _single(value: Any) -> Any:
    return value[0] if isinstance(value, list) and len(value) == 1 else value


def _principal(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    out = {}
    for kind, names in value.items():
        listed = names if isinstance(names, list) else [names]
        if kind == "AWS":
            listed = [f"arn:aws:iam::{n}:root" if isinstance(n, str) and _ACCOUNT.fullmatch(n)
                      else n for n in listed]
        unique = []
        for n in listed:
            if n not in unique:
                unique.append(n)
        out[kind] = unique[0] if len(unique) == 1 else unique
    return out


def _everyone(principal: Any) -> bool:
    if principal == "*":
        return True
    if isinstance(principal, dict):
        aws = principal.get("AWS")
        return aws == "*" or (isinstance(aws, list) and "*" in aws)
    return False


def render(canonical: dict) -> str:
    """The document as Get returns it."""
    shown = dict(canonical)
    if shown.get("Version") is None:
        shown["Version"] = DEFAULT_VERSION
    return json.dumps(shown, separators=(",", ":"), ensure_ascii=False)


# -- which slot an ARN names -------------------------------------------------------------------
@dataclass(frozen=True)
class Slot:
    """The policy slot a ResourceArn names: the table's own or one of its streams'."""
    table: TableRecord
    id: str  # the store document's id
    stream_arn: Optional[str] = None  # a stream's slot


def _parse_arn(caller: Caller, arn: str) -> tuple[str, Optional[str]]:
    """-> (table name, stream label or None), or the ValidationException for its form."""
    if not arn.startswith("arn:"):
        raise errors.invalid(f"ARNs must start with 'arn:': {arn}")
    parts = arn.split(":", 5)
    if len(parts) < 6 or parts[2] != "dynamodb" or not parts[5].startswith("table/"):
        raise errors.invalid(f"Provided Arn is not a DynamoDB resource arn: {arn}")
    path = parts[5][len("table/"):].split("/")
    label = None
    if len(path) > 1:
        if path[1] in ("backup", "export", "import"):
            raise errors.invalid(f"Provided Arn is not a DynamoDB resource arn: {arn}")
        if path[1] != "stream" or len(path) != 3:
            raise errors.invalid("Invalid resource arn provided, only table or stream is "
                                 f"accepted. Provided resource arn: {arn}")
        label = path[2]
    if parts[1] != "aws" or parts[3] != caller.region or not path[0]:
        raise errors.invalid(f"Invalid resource Arn: {arn}")
    if parts[4] != caller.account_id:
        raise errors.other_account_arn()
    return path[0], label


def _slot_id(name: str, label: Optional[str]) -> str:
    return name if label is None else f"{name}/stream/{label}"


class ResourcePolicies:
    """The policies of every table and stream, kept in `store`; tables found through `tables`;
    revision ids from `clock`; a stream's policy is handed to DynamoDB Streams (`streams`), which
    judges its own calls by it."""

    def __init__(self, store: Store, clock: Clock, tables: Tables, streams: StreamsApi):
        self.store = store
        self.clock = clock
        self.tables = tables
        self.streams = streams

    # -- the operations ------------------------------------------------------------------------
    def slot(self, caller: Caller, arn: str) -> Slot:
        name, label = _parse_arn(caller, arn)
        table = self.tables.get(caller.scope, name)
        if table is None:
            raise errors.table_not_found(name)
        if label is not None and (table.stream is None or table.stream.label != label):
            raise errors.stream_not_found(label, name)
        return Slot(table, _slot_id(name, label),
                    None if label is None else f"{table.arn}/stream/{label}")

    def get(self, caller: Caller, arn: str) -> dict:
        doc = self._current(caller.scope, self.slot(caller, arn))
        if doc is None or doc.get("policy") is None:
            raise errors.policy_not_found(arn)
        return {"Policy": render(doc["policy"]), "RevisionId": doc["revision"]}

    def put(self, caller: Caller, arn: str, text: str, expected: Optional[str]) -> str:
        _parse_arn(caller, arn)
        canonical = check_document(text)
        slot = self.slot(caller, arn)
        doc = self._current(caller.scope, slot)
        policy = doc.get("policy") if doc else None
        self._check_expected(slot, doc, expected, allow_no_policy=True)
        if policy == canonical:
            return doc["revision"]  # an equivalent document: nothing changes (DDB-TABLE-207)
        if slot.table.status == "DELETING":
            raise errors.table_being_deleted(slot.table.name)
        self._check_cooldown(slot, doc, expected)
        return self._save(caller.scope, slot, canonical, doc, PENDING_AFTER_PUT_MS)

    def delete(self, caller: Caller, arn: str, expected: Optional[str]) -> dict:
        slot = self.slot(caller, arn)
        doc = self._current(caller.scope, slot)
        policy = doc.get("policy") if doc else None
        self._check_expected(slot, doc, expected, allow_no_policy=False)
        if slot.table.status == "DELETING":
            raise errors.table_being_deleted(slot.table.name)
        if doc is None:
            return {}
        if policy is None:  # already deleted: the deletion's own revision (DDB-TABLE-205)
            return {"RevisionId": doc["revision"]}
        removed = doc["revision"]
        self._check_cooldown(slot, doc, expected)
        self._save(caller.scope, slot, None, doc, PENDING_AFTER_DELETE_MS)
        return {"RevisionId": removed}

    def attach(self, scope: str, table: TableRecord, canonical: dict) -> str:
        """CreateTable's ResourcePolicy (checked with check_document) on the new table."""
        slot = Slot(table, table.name)
        return self._save(scope, slot, canonical, None, 0)  # applied with the table itself

    def check_deletable(self, scope: str, table: TableRecord) -> None:
        """DeleteTable of an ACTIVE table is refused while the table's last policy change is
        being applied (DDB-TABLE-348). [inferred: a stream's policy change does not hold the
        table; a policy attached by CreateTable is applied with it.]"""
        doc = self.store.get_doc(KIND, scope, table.name)
        if doc is None or doc["table_id"] != table.id:
            return
        if self.clock.now() * 1000 < doc.get("pending_until_ms", 0):
            raise errors.policy_update_pending(table.name)

    def forget(self, scope: str, table: TableRecord) -> None:
        """The table is gone: so are its policies and its streams'."""
        for _, doc_id, doc in self.store.list_docs(KIND, scope):
            if doc.get("table_id") == table.id:
                self.store.delete_doc(KIND, scope, doc_id)
                if doc.get("stream_arn"):
                    self.streams.set_policy(scope, doc["stream_arn"], None)

    # -- enforcement ---------------------------------------------------------------------------
    def document_for(self, resource_arn: str) -> Optional[str]:
        """The policy (JSON text) governing `resource_arn` under `--auth enforce`: a table's and
        its indexes' is the table's, a stream's its own; None for anything else or no policy."""
        parts = resource_arn.split(":", 5)
        if len(parts) < 6 or parts[2] != "dynamodb" or not parts[5].startswith("table/"):
            return None
        path = parts[5][len("table/"):].split("/")
        if len(path) == 1 or (len(path) == 3 and path[1] == "index"):
            slot_id = path[0]
        elif len(path) == 3 and path[1] == "stream":
            slot_id = _slot_id(path[0], path[2])
        else:
            return None
        scope = f"{parts[4]}/{parts[3]}"
        doc = self.store.get_doc(KIND, scope, slot_id)
        if doc is None or doc.get("policy") is None:
            return None  # the common case: one read
        table = self.tables.as_stored(scope, path[0])
        if table is None or table.id != doc["table_id"]:
            return None
        return render(doc["policy"])

    # -- helpers -------------------------------------------------------------------------------
    def _current(self, scope: str, slot: Slot) -> Optional[dict]:
        doc = self.store.get_doc(KIND, scope, slot.id)
        return doc if doc is not None and doc["table_id"] == slot.table.id else None

    @staticmethod
    def _check_expected(slot: Slot, doc: Optional[dict], expected: Optional[str], *,
                        allow_no_policy: bool) -> None:
        """After a deletion the slot keeps the deletion's revision, which a mismatch names
        (DDB-TABLE-205: "... but the policy associated to target table ..."); only a slot that
        never had a policy is "has no associated policy"."""
        if expected is None:
            return
        current = doc["revision"] if doc is not None else None
        if allow_no_policy and expected == NO_POLICY:
            if doc is not None and doc.get("policy") is not None:
                raise errors.policy_exists(slot.table.name, current)
            return
        if current is None:
            raise errors.policy_revision_without_policy(expected, slot.table.name)
        if expected != current:
            raise errors.policy_revision_mismatch(expected, slot.table.name, current)

    def _check_cooldown(self, slot: Slot, doc: Optional[dict], expected: Optional[str]) -> None:
        """A change within 15 s of the slot's last one (its revision) is refused: with an
        ExpectedRevisionId as ResourceInUseException, else as ThrottlingException naming when it
        may be retried (DDB-TABLE-206). [inferred: AWS answers ResourceInUseException also
        without ExpectedRevisionId in the first ~0.1-2 s while the last change is applied; that
        phase's length varies, so Dynoscale answers ThrottlingException throughout.]"""
        if doc is None:
            return
        until_ms = int(doc["revision"]) + COOLDOWN_MS
        if self.clock.now() * 1000 >= until_ms:
            return
        kind, name = ("stream", slot.id.rsplit("/", 1)[1]) if slot.stream_arn else \
            ("table", slot.table.name)
        if expected is not None:
            raise errors.policy_pending(kind.capitalize(), name)
        raise errors.policy_cooldown(kind, name, COOLDOWN_MS, until_ms)

    def _save(self, scope: str, slot: Slot, canonical: Optional[dict],
              previous: Optional[dict], pending_ms: int) -> str:
        revision = int(self.clock.now() * 1000)
        if previous is not None:
            revision = max(revision, int(previous["revision"]) + 1)
        text = str(revision)
        doc = {"table_id": slot.table.id, "policy": canonical, "revision": text,
               "pending_until_ms": revision + pending_ms}
        with self.store.transaction():
            if slot.stream_arn is not None:
                doc["stream_arn"] = slot.stream_arn
                self.streams.set_policy(scope, slot.stream_arn,
                                        None if canonical is None else render(canonical))
            self.store.put_doc(KIND, scope, slot.id, doc)
        return text
