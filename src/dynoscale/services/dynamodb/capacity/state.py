"""Where partition maps are kept between restarts: one store document per table and GSI (kind
`dynamodb.partitions`, scope = the table's id, id = the GSI's name or ""), saved with the table
record each minute (metrics.py) and read once, when the limiter first meets the table.

Not inside the table record itself: every data-plane request reads the record, and a map of a
large table (dozens of partitions, each with two bucket snapshots) would be parsed each time.
"""

from __future__ import annotations

from typing import Optional

from dynoscale.storage.interface import Store

KIND = "dynamodb.partitions"


class PartitionStore:
    def __init__(self, store: Store):
        self.store = store

    def get(self, table_id: str, index: Optional[str]) -> Optional[dict]:
        return self.store.get_doc(KIND, table_id, index or "")

    def put(self, table_id: str, index: Optional[str], snapshot: dict) -> None:
        self.store.put_doc(KIND, table_id, index or "", snapshot)

    def delete(self, table_id: str, index: Optional[str] = None) -> None:
        if index is not None:
            self.store.delete_doc(KIND, table_id, index)
            return
        for _, doc_id, _ in self.store.list_docs(KIND, table_id):
            self.store.delete_doc(KIND, table_id, doc_id)
