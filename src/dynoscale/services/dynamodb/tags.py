"""Table tags: the store behind TagResource, UntagResource, ListTagsOfResource and CreateTable's
`Tags` member, with DynamoDB's checks and messages.

AWS facts (live-probed texts in ack-api-quirks `services/dynamodb` service.md, 2026:
DDB-TABLE-105..108, 372, 374, 455 and the error catalogue DDB-TABLE-442; dynalite
test/tagResource.js, listTagsOfResource.js for the older ARN checks):
- ResourceArn: not `arn:...` -> `ARNs must start with 'arn:'`; not a DynamoDB table ARN (backup
  ARNs included) -> `Provided Arn is not a DynamoDB resource arn`; an index ARN -> `only table or
  stream is accepted`; another Region or a malformed table name -> `Invalid TableArn: Invalid
  ResourceArn provided as input <arn>`; no such table -> ResourceNotFoundException
  `Requested resource not found: ResourceArn: <arn> not found` (older recordings spell it
  `ResourcArn`; the 2026 probes show the corrected word).
- Tags=[] / TagKeys=[] are rejected ("Atleast one Tag ..."), but CreateTable accepts Tags=[].
- Keys 1-128 and values 0-256 characters of Unicode letters, digits, white space and `_ . : / = + - @`
  (the AWS tag pattern); anything else -> `The Tag Key provided is invalid, Key: <k>` /
  `The Tag Value provided is invalid, Value: <v>`. An `aws:` prefix in any case is reserved, also
  in UntagResource. Duplicate keys in one request are rejected. Validation is all-or-nothing and
  precedes the table lookup. These texts replace the model's length/required checks on Tag,
  TagKeyString and TagValueString (protocol/validate.py skips them for DynamoDB): a 129-character
  key, `Tags=[{}]` or `TagKeys=['']` reach these checks (DDB-TABLE-107, 457, client validation off).
- TagResource upserts; at most 50 tags counted after the merge; UntagResource of an absent key is a
  no-op; UntagResource with more than 50 keys is rejected with the same count message. All of
  these are ValidationException. ListTagsOfResource returns all (<= 50) tags without NextToken.
- On a DELETING table a change is ResourceInUseException `Table is being deleted`, a read or a
  no-op is ResourceNotFoundException.

- A stream ARN (`<table ARN>/stream/<label>`) names the stream's own tags, apart from its table's
  (Developer Guide, "Streams ABAC" examples 1, 2 and 4: tag-resource on `LatestStreamArn`, stream
  tags given in CloudFormation's StreamSpecification). A label the table's latest stream does not
  carry -> the same ResourceNotFoundException as a missing table [inferred: AWS's text for an
  unknown stream is not recorded; a table's older, replaced streams are not tagged here].

Storage: one document per table (kind `dynamodb.tags`, id = table name) carrying the table id, so a
table re-created under the same name starts untagged (DDB-TABLE-455: nothing leaks); a stream's
document (id `<table name>/stream/<label>`) carries the table id too, and the label in its id
keeps a new stream from inheriting an old one's tags.
Not emulated: the ~2 s read-after-write lag and the per-table tag write lock
(LimitExceededException `Table tags are being updated`, DDB-TABLE-102/103): tags are visible at
once and back-to-back tag writes succeed.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Optional

from dynoscale.context import Caller
from dynoscale.services.dynamodb import errors
from dynoscale.services.dynamodb.table_record import TableRecord
from dynoscale.services.dynamodb.tables import Tables
from dynoscale.storage.interface import Store

KIND = "dynamodb.tags"
MAX_TAGS = 50
MAX_KEY_CHARS = 128
MAX_VALUE_CHARS = 256
TAG_PUNCTUATION = set("_.:/=+-@")
TABLE_NAME = re.compile(r"[a-zA-Z0-9_.-]{3,255}")


# -- checks ----------------------------------------------------------------------------------------
def _allowed(text: str) -> bool:
    """The AWS tag pattern ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$."""
    return all(unicodedata.category(c)[0] in "LZN" or c in TAG_PUNCTUATION for c in text)


def check_key(key: Optional[str]) -> None:
    if key is None or not 1 <= len(key) <= MAX_KEY_CHARS or not _allowed(key):
        raise errors.validation(f"The Tag Key provided is invalid, Key: {'null' if key is None else key}")
    if key[:4].lower() == "aws:":
        raise errors.validation(f"Tag Key cannot be prefixed with aws:, Key: {key}")


def check_tags(tags: list, *, allow_empty: bool = False) -> list[tuple[str, str]]:
    """Validate a TagList (TagResource, CreateTable) and return its (key, value) pairs."""
    if not tags and not allow_empty:
        raise errors.validation("Atleast one Tag needs to be provided as Input.")
    pairs: list[tuple[str, str]] = []
    seen: set[str] = set()
    for tag in tags:
        key, value = tag.get("Key"), tag.get("Value")
        check_key(key)
        if value is None or len(value) > MAX_VALUE_CHARS or not _allowed(value):
            raise errors.validation(
                f"The Tag Value provided is invalid, Value: {'null' if value is None else value}")
        pairs.append((key, value))
    for key, _ in pairs:
        if key in seen:
            raise errors.validation(f"Duplicate Tag Keys provided as input: Duplicate Tag Key found {key}")
        seen.add(key)
    if len(pairs) > MAX_TAGS:
        raise errors.too_many_tags()
    return pairs


def resource_from_arn(caller: Caller, arn: str) -> tuple[str, Optional[str]]:
    """(table name, stream label or None) a ResourceArn names, or the ValidationException AWS
    gives for its shape."""
    if not arn.startswith("arn:"):
        raise errors.invalid(f"ARNs must start with 'arn:': {arn}")
    parts = arn.split(":", 5)
    if len(parts) < 6 or parts[2] != "dynamodb" or not parts[5].startswith("table/"):
        raise errors.invalid(f"Provided Arn is not a DynamoDB resource arn: {arn}")
    path = parts[5][len("table/"):].split("/")
    if len(path) > 1:
        if path[1] in ("backup", "export", "import"):
            raise errors.invalid(f"Provided Arn is not a DynamoDB resource arn: {arn}")
        if path[1] != "stream" or len(path) != 3:
            raise errors.invalid("Invalid resource arn provided, only table or stream is accepted. "
                                 f"Provided resource arn: {arn}")
    if parts[1] != "aws" or parts[3] != caller.region or not TABLE_NAME.fullmatch(path[0]):
        raise errors.invalid_table_arn(arn)
    if parts[4] != caller.account_id:
        raise errors.resource_arn_not_found(arn)  # other accounts' tables are not visible
    return path[0], (path[2] if len(path) > 1 else None)


# -- the store and the operations ----------------------------------------------------------------
class TableTags:
    """The tags of every table, kept in `store` and found through `tables`."""

    def __init__(self, store: Store, tables: Tables):
        self.store = store
        self.tables = tables

    def get(self, scope: str, table: TableRecord, label: Optional[str] = None) -> list[tuple[str, str]]:
        """The tags of the table, or of its stream `label`."""
        doc = self.store.get_doc(KIND, scope, _doc_id(table.name, label))
        if doc is None or doc["table_id"] != table.id:
            return []
        return [(k, v) for k, v in doc["tags"]]

    def add(self, scope: str, table: TableRecord, tags: list) -> None:
        """Merge a TagList (CreateTable's `Tags`, already checked with check_tags) into the
        table's tags."""
        merged = dict(self.get(scope, table))
        merged.update((t["Key"], t["Value"]) for t in tags)
        self._save(scope, table, merged)

    def tag_resource(self, caller: Caller, arn: str, tags: list) -> None:
        name, _ = resource_from_arn(caller, arn)
        pairs = check_tags(tags)
        table, label = self._resource(caller, arn)
        current = dict(self.get(caller.scope, table, label))
        merged = dict(current)
        merged.update(pairs)
        if table.status == "DELETING":
            if merged != current:
                raise errors.table_being_deleted(name)
            raise errors.resource_arn_not_found(arn)
        if len(merged) > MAX_TAGS:
            raise errors.too_many_tags()
        if merged != current:
            self._save(caller.scope, table, merged, label)

    def untag_resource(self, caller: Caller, arn: str, keys: list) -> None:
        name, _ = resource_from_arn(caller, arn)
        if not keys:
            raise errors.validation("Atleast one Tag Key needs to be provided as Input.")
        for key in keys:
            check_key(key)
        if len(keys) > MAX_TAGS:
            raise errors.too_many_tags()
        table, label = self._resource(caller, arn)
        current = dict(self.get(caller.scope, table, label))
        kept = {k: v for k, v in current.items() if k not in set(keys)}
        if table.status == "DELETING":
            if kept != current:
                raise errors.table_being_deleted(name)
            raise errors.resource_arn_not_found(arn)
        if kept != current:
            self._save(caller.scope, table, kept, label)

    def list_tags(self, caller: Caller, arn: str) -> list[dict]:
        table, label = self._resource(caller, arn)
        if table.status == "DELETING":
            raise errors.resource_arn_not_found(arn)
        return [{"Key": k, "Value": v} for k, v in self.get(caller.scope, table, label)]

    def _save(self, scope: str, table: TableRecord, tags: dict[str, str],
              label: Optional[str] = None) -> None:
        self.store.put_doc(KIND, scope, _doc_id(table.name, label),
                           {"table_id": table.id, "tags": [[k, v] for k, v in tags.items()]})

    def _resource(self, caller: Caller, arn: str) -> tuple[TableRecord, Optional[str]]:
        """The table the ARN names and, for a stream ARN, the stream's label (its latest)."""
        name, label = resource_from_arn(caller, arn)
        table = self.tables.get(caller.scope, name)
        if table is None or (label is not None and
                             (table.stream is None or table.stream.label != label)):
            raise errors.resource_arn_not_found(arn)
        return table, label


def _doc_id(table_name: str, label: Optional[str]) -> str:
    return table_name if label is None else f"{table_name}/stream/{label}"
