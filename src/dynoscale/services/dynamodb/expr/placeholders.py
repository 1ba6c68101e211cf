"""ExpressionAttributeNames and ExpressionAttributeValues: the two placeholder maps of a request.

Checked once per request, before any expression is resolved (dynalite validations/index.js
`validateExpressions`, messages recorded against AWS): an empty map, a key that is not `#name` /
`:value`, a name that is empty, a value that is no valid AttributeValue. Each expression then looks placeholders up
here, which marks them used; after the last expression `check_unused` rejects what none used,
names before values.
"""

from __future__ import annotations

import re
from typing import Optional

from dynoscale.errors import AwsError
from dynoscale.services.dynamodb import errors, values

_NAME_KEY = re.compile(r"#[0-9A-Za-z_]+")
_VALUE_KEY = re.compile(r":[0-9A-Za-z_]+")


class Placeholders:
    """The checked maps of one request, and which of their keys are still unused."""

    def __init__(self, names: Optional[dict], values_: Optional[dict]):
        self.names = check_names(names)
        self.values = check_values(values_)
        self.unused_names = dict.fromkeys(self.names)
        self.unused_values = dict.fromkeys(self.values)

    def name(self, ref: str) -> Optional[str]:
        """The attribute name `#ref` stands for (now used), or None when the map lacks it."""
        name = self.names.get(ref)
        if name is not None:
            self.unused_names.pop(ref, None)
        return name

    def value(self, ref: str) -> Optional[dict]:
        """The value `:ref` stands for (now used), or None when the map lacks it."""
        value = self.values.get(ref)
        if value is not None:
            self.unused_values.pop(ref, None)
        return value

    def check_unused(self) -> None:
        """After all expressions of the request: placeholders nobody used."""
        if self.unused_names:
            raise errors.validation("Value provided in ExpressionAttributeNames unused in "
                                    f"expressions: keys: {{{', '.join(self.unused_names)}}}")
        if self.unused_values:
            raise errors.validation("Value provided in ExpressionAttributeValues unused in "
                                    f"expressions: keys: {{{', '.join(self.unused_values)}}}")


def check_names(names: Optional[dict]) -> dict:
    if names is None:
        return {}
    if not names:
        raise errors.validation("ExpressionAttributeNames must not be empty")
    for key, name in names.items():
        if not _NAME_KEY.fullmatch(key):
            raise errors.validation(f'ExpressionAttributeNames contains invalid key: Syntax error; '
                                    f'key: "{key}"')
        if name == "":
            # AWS's text as an application quotes it (an API Gateway integration answering
            # "ExpressionAttributeNames contains invalid value: Empty attribute name for key
            # #DE"); key checked before value per entry (inferred)
            raise errors.validation("ExpressionAttributeNames contains invalid value: Empty "
                                    f"attribute name for key {key}")
        # a name of more than 65,535 bytes: the item's own message (ExtendDB/extenddb#365,
        # measured: UpdateItem `SET #n = :v` with #n that long answers "1 validation error
        # detected: Attribute name is too large, must ..."; the rest inferred to be the same)
        values.check_name(name)
    return dict(names)


def check_values(given: Optional[dict]) -> dict:
    if given is None:
        return {}
    if not given:
        raise errors.validation("ExpressionAttributeValues must not be empty")
    for key in given:
        if not _VALUE_KEY.fullmatch(key):
            raise errors.validation(f'ExpressionAttributeValues contains invalid key: Syntax error; '
                                    f'key: "{key}"')
    checked = {}
    for key, value in given.items():
        try:
            checked[key] = values.check_value(value)
        except values.NameTooLarge:
            raise  # unwrapped, as for an item (ExtendDB/extenddb#365: `SET doc = :v`)
        except AwsError as error:
            raise errors.validation("ExpressionAttributeValues contains invalid value: "
                                    f"{error.message} for key {key}")
    return checked
