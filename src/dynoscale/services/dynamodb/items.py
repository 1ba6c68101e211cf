"""Item storage: an item's value bytes are the compact JSON of its DynamoDB-JSON form (binary as
base64), stored under the order-preserving key bytes of keys.storage_key."""

from __future__ import annotations

from typing import Optional

import orjson

from dynoscale.services.dynamodb import values
from dynoscale.storage.interface import Store


def load(store: Store, table: dict, key: tuple[bytes, bytes]) -> Optional[dict]:
    raw = store.get_item(table["id"], *key)
    return None if raw is None else values.item_from_json(orjson.loads(raw))


def save(store: Store, table: dict, key: tuple[bytes, bytes], item: dict) -> None:
    store.put_item(table["id"], key[0], key[1], orjson.dumps(values.item_to_json(item)))


def remove(store: Store, table: dict, key: tuple[bytes, bytes]) -> None:
    store.delete_item(table["id"], *key)


def table_stats(store: Store, table: dict) -> tuple[int, int]:
    """(ItemCount, TableSizeBytes): item sizes plus 100 bytes of per-item indexing overhead,
    which counts toward storage (spec 1.1.8)."""
    count = size = 0
    for _, _, raw in store.scan_items(table["id"]):
        count += 1
        size += values.item_size(values.item_from_json(orjson.loads(raw))) + 100
    return count, size
