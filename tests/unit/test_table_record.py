"""The table record's storage encoding: documents written by earlier versions load and are written
back unchanged (table_record.py, Rule 1); the shared lookups answer for tables, GSIs, LSIs."""

import copy

from dynoscale.services.dynamodb.table_record import TableRecord

KEYS = [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}]
ATTRS = [{"AttributeName": n, "AttributeType": "S"} for n in ("pk", "sk", "g", "l")]


def gsi_doc(**extra) -> dict:
    """A GSI as the previous version's tables.new_gsi_record wrote it."""
    return {"IndexName": "byG", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
            "Projection": {"ProjectionType": "ALL"}, "read": 5, "write": 7, "status": "ACTIVE",
            "status_until": None, "backfilling": None, "last_increase": None,
            "last_decrease": None, "decreases": 0, "decrease_day": 20000, "pending": None,
            "item_count": 0, "size_bytes": 0, **extra}


def table_doc(**extra) -> dict:
    """A table as the previous version's Tables.create wrote it (after _enter)."""
    return {"name": "t", "id": "0b7c", "created": 1.7e9, "arn": "arn:aws:dynamodb:r:1:table/t",
            "KeySchema": KEYS, "AttributeDefinitions": ATTRS, "billing_mode": "PROVISIONED",
            "ppr_since": None, "read": 10, "write": 20, "last_increase": None,
            "last_decrease": None, "decreases": 0, "decrease_day": 20000, "pending": None,
            "warm_read": 10, "warm_write": 20, "deletion_protection": False, "item_count": 0,
            "size_bytes": 0, "buckets": None,
            "lsis": [{"IndexName": "byL", "KeySchema": [KEYS[0], {"AttributeName": "l",
                                                                  "KeyType": "RANGE"}],
                      "Projection": {"ProjectionType": "KEYS_ONLY"}}],
            "gsis": [gsi_doc()], "stream": None, "pitr": None, "status": "CREATING",
            "status_until": 1.7e9 + 5, **extra}


def round_trip(doc: dict) -> dict:
    return TableRecord.from_doc(copy.deepcopy(doc)).to_doc()


def test_a_fresh_table_document_round_trips():
    assert round_trip(table_doc()) == table_doc()


def test_documents_with_every_optional_member_round_trip():
    bucket = {"rate": 5.0, "burst": 300.0, "balance": 1.0, "at": 1.7e9}
    doc = table_doc(
        status="UPDATING", billing_mode="PAY_PER_REQUEST", ppr_since=1.7e9,
        pending={"billing": "PROVISIONED", "read": 1, "write": 1, "decrease": False, "gsis": {}},
        buckets={"read": bucket}, on_demand={"MaxReadRequestUnits": 10},
        stream={"enabled": True, "view_type": "KEYS_ONLY", "label": "2026-01-01T00:00:00.000"},
        pitr={"enabled_at": 1.7e9, "days": 35},
        restore={"backup_arn": "arn:b", "table_arn": "arn:t", "at": 1.7e9},
        gsis=[gsi_doc(status="CREATING", status_until=1.7e9 + 5, backfilling=True,
                      buckets={"write": bucket})])
    doc["lsis"][0].update(item_count=3, size_bytes=300)  # after a stats refresh
    assert round_trip(doc) == doc


def test_lookups_and_throughput():
    table = TableRecord.from_doc(table_doc())
    assert table.index("byG").is_global and not table.index("byL").is_global
    assert table.index("nope") is None
    assert table.throughput_of(None).units("write") == 20
    assert table.throughput_of("byG").described_units(False) == (5, 7)
    assert table.throughput_of("byG").described_units(True) == (0, 0)
    assert table.throughput_of("byL") is None  # LSIs draw on the table's throughput
    assert [i.name for i in table.indexes()] == ["byL", "byG"]
