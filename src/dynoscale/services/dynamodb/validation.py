"""DynamoDB's server-side validation beyond its botocore model, as recorded against AWS: the
overlay the generic model validator (protocol/validate.py) applies to DynamoDB requests.

"conformance" is nubo-db/dynamodb-conformance (captures and exact-match tests run against
us-east-1, 2026); "dynalite" is mhart/dynalite's test suite (recorded against DynamoDB);
"ack-api-quirks" probed AWS with client-side validation off.
"""

from __future__ import annotations

from dynoscale.protocol.overlay import (CoralRendering, LengthLimit, MissingInput, NameUnlessArn,
                                        Overlay, RequiredMember, Unchecked, UncheckedMapPart,
                                        UnechoedMaximum)

OVERLAY = Overlay(
    coral=CoralRendering(
        source="Members in Java HashMap order, enum values in hash order, Lombok toString() "
               "echoes (evidence in protocol/coral.py); a map reports its keys' and its values' "
               "own constraints once, at the map, echoing the whole map: `Map value must satisfy "
               "constraint: [Member must have length less than or equal to 25, Member must have "
               "length greater than or equal to 1]` (dynalite test/batchWriteItem.js, "
               "test/batchGetItem.js; conformance capture c_bw_over25); members of structure "
               "values are still checked at `name.<key>.member.<member>`.",
        # Members of the server's classes that botocore's model leaves out (conformance capture
        # c_bw_over25: `PutRequest(item={...}, workloadProfileName=null)`, `AttributeValue(s=...,
        # b=null, iNT=null, dECIMAL=null, dOUBLE=null, ...)`).
        hidden_members={
            "AttributeValue": {"B": ("INT", "DECIMAL", "DOUBLE"),
                               "BS": ("INTSET", "DECIMALSET", "DOUBLESET")},
            "PutRequest": {"Item": ("WorkloadProfileName",)},
        }),
    missing_inputs=(
        MissingInput("BatchGetItemInput", "RequestItems",
                     "The requestItems parameter is required for BatchGetItem", empty_counts=True,
                     source="conformance captures/2026-08-12-batch-empty-and-nesting.json and "
                            "tests/tier3/error-messages/batch*.test.ts (RequestItems absent or {}); "
                            "dynalite test/batchGetItem.js (beats an invalid ReturnConsumedCapacity)"),
        MissingInput("BatchWriteItemInput", "RequestItems",
                     "The requestItems parameter is required for BatchWriteItem", empty_counts=True,
                     source="conformance captures/2026-08-12-batch-empty-and-nesting.json"),
        *(MissingInput(shape, "ResourceArn", "Invalid TableArn",
                       source="dynalite test/tagResource.js, untagResource.js, "
                              "listTagsOfResource.js: a missing ResourceArn is reported before "
                              "anything else")
          for shape in ("TagResourceInput", "UntagResourceInput", "ListTagsOfResourceInput")),
    ),
    unchecked=tuple(
        Unchecked(shape, source="ack-api-quirks services/dynamodb DDB-TABLE-107, 110, 457: tags "
                                "are checked by the service (tags.py), a 129-character key answers "
                                "`The Tag Key provided is invalid, Key: ...`, `Tags=[{}]` `... Key: "
                                "null`")
        for shape in ("Tag", "TagKeyString", "TagValueString")) + (
        Unchecked("TableClass", source="scylladb test/alternator/test_tableclass.py (run against "
                                       "AWS): an unknown TableClass answers `Invalid table-class "
                                       "parameter provided. ...` (table_class.py), not the model's "
                                       "enum text"),),
    unchecked_map_parts=tuple(
        UncheckedMapPart(shape, part,
                         source="ExtendDB/extenddb#365 (measured against the service, 2026-09-16): "
                                "a 65,536-byte attribute name in a PutItem item, at the top or as "
                                "a nested map key, or in ExpressionAttributeNames answers `1 "
                                "validation error detected: Attribute name is too large, must be "
                                "less than 65536 bytes`, not the model's `Map keys must satisfy "
                                "constraint` echoing the item; checked in values.check_name")
        for shape, part in (("PutItemInputAttributeMap", "key"), ("MapAttributeValue", "key"),
                            ("ExpressionAttributeNameMap", "value"))),
    length_limits=(
        LengthLimit("KeySchema", max=2, within=("CreateTableInput", "LocalSecondaryIndex"),
                    source="conformance capture c_ct_3keys: `Value '[KeySchemaElement(...), ...]' "
                           "at 'keySchema' failed to satisfy constraint: Member must have length "
                           "less than or equal to 2` (botocore's model dropped the bound when GSIs "
                           "gained multi-attribute keys, DG 'Using Global Secondary Indexes': "
                           "tables and LSIs keep one HASH and one RANGE attribute; the LSI bound "
                           "is inferred from that); GSI key schemas are checked by CreateTable / "
                           "UpdateTable (up to four HASH and four RANGE attributes)"),
    ),
    required_members=tuple(
        RequiredMember("CreateTableInput", member,
                       source="ack-api-quirks services/dynamodb DDB-TABLE-042 (verified "
                              "2026-10-08): CreateTable without KeySchema or AttributeDefinitions "
                              "answers `1 validation error detected: Value null at 'keySchema' "
                              "(or 'attributeDefinitions') failed to satisfy constraint: Member "
                              "must not be null`; botocore's model made both optional for "
                              "GlobalTableSourceArn")
        for member in ("AttributeDefinitions", "KeySchema")),
    unechoed_maximums=(
        UnechoedMaximum("KeysAndAttributes", "Keys",
                        source="conformance tests/tier3/error-messages/batchGetItem.test.ts: more "
                               "than 100 Keys answers `Value at 'RequestItems.<table>.member.Keys' "
                               "failed to satisfy constraint: Member must have length less than or "
                               "equal to 100`"),
    ),
    names_unless_arn=(
        NameUnlessArn("TableName", "TableArn", pattern=r"[a-zA-Z0-9_.-]+", min=3, max=255,
                      source="conformance captures s_put_table_empty / _long / _badchars, "
                             "s_ct_table_short: '' answers only the ARN shape's `greater than or "
                             "equal to 1`, 'ab' `... to 3`, 256 characters `less than or equal to "
                             "255`, 'bad table!@#' the pattern (the TableName shape of the "
                             "2012-08-10 model before ARNs were accepted)"),
    ),
)
