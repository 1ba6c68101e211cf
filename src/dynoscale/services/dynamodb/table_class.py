"""TableClass (CreateTable, UpdateTable): checked here, in DynamoDB's own words, not by the
model's enum rule (validation.py leaves the shape to the service).

AWS's answer to any other value, case-sensitive: ValidationException "Invalid table-class
parameter provided. Please try again with a valid table-class value: [STANDARD,
STANDARD_INFREQUENT_ACCESS]." (scylladb test/alternator/test_tableclass.py::
test_tableclass_create_table_bad_tableclass and ::test_tableclass_update_table, run against AWS,
which quote it).
"""

from __future__ import annotations

from typing import Optional

from dynoscale.services.dynamodb import errors

CLASSES = ("STANDARD", "STANDARD_INFREQUENT_ACCESS")


def check(value: Optional[str]) -> None:
    if value is not None and value not in CLASSES:
        raise errors.validation("Invalid table-class parameter provided. Please try again with a "
                                f"valid table-class value: [{', '.join(CLASSES)}].")
