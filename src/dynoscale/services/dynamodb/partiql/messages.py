"""Every PartiQL error Dynoscale sends, with AWS's text.

Sources, cited per message below:
- [CONF] dynamodb-conformance (nubo-db and paritysuite) tests/tier2/partiql and
  tests/tier3/error-messages/partiql*.test.ts, pinned against real AWS (eu-west-2, 2026);
- [DDBL] the message catalogue of AWS's shared PartiQL translator as shipped in DynamoDB Local
  (`ddb.partiql.shared.exceptions.ValidationExceptionMessages`, `BatchExecuteStatementFunction`,
  `ExecuteTransactionFunction`), used where AWS was not recorded;
- [MODEL] the botocore model (error shapes, BatchStatementErrorCodeEnum).
Syntax errors carry the envelope `Statement wasn't well formed, can't be processed: ` and a
detail ([CONF] partiqlGrammar: "Unexpected term", "Unexpected token after expression", ...);
semantic errors found at a token append ` at line:column:length` ([CONF] partiqlFunctions).
"""

from __future__ import annotations

from typing import Optional

from dynoscale.errors import AwsError
from dynoscale.services.dynamodb import errors

NOT_WELL_FORMED = "Statement wasn't well formed, can't be processed: "


def validation(message: str, at: Optional[str] = None) -> AwsError:
    return errors.validation(message if at is None else f"{message} at {at}")


def malformed(detail: str) -> AwsError:
    return errors.validation(NOT_WELL_FORMED + detail)


# -- syntax details [CONF] partiqlGrammar / partiqlFunctions --------------------------------------
LEFTOVER = "Unexpected token after expression"
UNEXPECTED_TERM = "Unexpected term"
UNEXPECTED_KEYWORD = "Unexpected keyword"
UNEXPECTED_OPERATOR = "Unexpected operator"
MISSING_RIGHT = "Missing right-hand side expression of infix operator"
EXPECTED_SIMPLE_PATH = "Expected identifier for simple path"
EXPECTED_DML = "Expected data manipulation"
EXPECTED_TYPE_NAME = "Expected type name"
INVALID_PATH_DOT = "Invalid path dot component"
# Not recorded from AWS: details for shapes the recordings do not cover, in the same style.
EXPECTED_TOKEN = "Expected token"
EXPECTED_KEYWORD = "Expected keyword"
# The expression language's limit text (expr/resolve.py), applied to PartiQL statements too
TOO_MANY_OPERATORS = "The expression contains too many operators; operator count: {}"

# -- statement shape [CONF] unless noted ------------------------------------------------------------
ALIASING = "Aliasing is not supported"
UNEXPECTED_PATH_COMPONENT = "Unexpected path component"
TOO_MANY_FROM_COMPONENTS = "A path may contain at most 2 components in the FROM clause"
EMPTY_PATH_COMPONENT = "Path component cannot be an empty string"
NO_SUCH_INDEX = "The table does not have the specified index"
CONSISTENT_READ_ON_GSI = "Strongly consistent read is not supported on Global Secondary Indexes"
NOT_ON_INDEX = "This operation is not supported on an index"
DML_SINGLE_TABLE = ("FROM clause may only contain a single table name in data manipulation "
                    "statements")  # [DDBL]; [CONF] asserts this text for INSERT INTO "t"."i"
INCOMPLETE_KEY = "Where clause does not contain a mandatory equality on all key attributes"
MULTIPLE_KEY_CONDITIONS = ("Multiple conditions on same key {}. Only single item "
                           "Update/Insert/Delete are supported")  # [DDBL]
PARAMETER_COUNT = "Number of parameters in request and statement don't match."  # [DDBL], moto
UNSUPPORTED_OPERATION = "Unsupported operation: {}"  # [CONF] "Unsupported operation: IsType"
UNRECOGNIZED_FUNCTION = "Unrecognized function: {}"  # [CONF]
RETURNING_ON_DELETE = ("Invalid returning clause: RETURNING {}. Only RETURNING ALL OLD * is "
                       "allowed in DELETE statements.")  # [CONF]
RETURNING_ON_INSERT = "RETURNING is not supported in INSERT"  # [DDBL]
DUPLICATE_ITEM = "Duplicate primary key exists in table"  # [CONF] DuplicateItemException
UNPROJECTED_FILTER = ("One or more parameter values were invalid: Secondary index {} does not "
                      "project one or more filter attributes: [{}]")  # [CONF]
UNPROJECTED_SELECT = ("One or more parameter values were invalid: Global secondary index {} does "
                      "not project [{}]")  # [CONF]
ORDERING_OPERAND = ("Incorrect operand type for operator or function; operator or function: {}, "
                    "operand type: {}")  # [CONF] comparison.test.ts
# [DDBL] ValidationExceptionMessages, for shapes the recordings do not cover:
MISSING_OUTSIDE_IS = "MISSING must be compared using IS operator"
IS_IN_UPDATE = "IS operator is not supported in update expressions"
IS_OPERAND = "The left hand side argument to IS must be a Variable Reference, Literal, or Path"
IS_TYPE = ("Unsupported data type for IS operator: {}. Supported data types are [MISSING, NULL, "
           "BOOLEAN, BLOB, STRING, NUMERIC, STRUCT, TUPLE, LIST]")
IN_OPERAND = ("IN operator must have a left hand argument of type Variable Reference and right "
              "hand argument of type Seq with at least one member")
NOT_OPERAND = "The argument to NOT must be a Type or Expression"
AND_OR_OPERAND = "The arguments to AND/OR must be Expressions"
WHERE_NOT_BOOLEAN = "WHERE clause must contain an expression that resolves to a boolean"
CONDITION_OPERATOR = "Unsupported operator in Condition Expression. Operator: {}"
UPDATE_OPERATOR = "Unsupported operator in Update Expression. Operator: {}"
UNSUPPORTED_TOKEN = "Unsupported token in expression: {}"
STAR_AND_OTHERS = "Other attributes should not be present in the projection when '*' is used."
DUPLICATE_SELECT = "Duplicate identifiers in select clause: {}"
ITEM_NOT_STRUCT = ("Unsupported format in item expression. Please use struct format {...} to "
                   "express item values for insert statement.")
KEY_ABSENT = "Key attribute should be present in the item: Key {}"
KEY_TYPE_MISMATCH = "Key attribute's data type should match its data type in table's schema: Key {}"
KEY_NOT_SCALAR_TYPE = "Key value must be of type S, N, or B. Key name: {}, Key type: {}"
ORDER_BY_NEEDS_WHERE = "Must have WHERE clause in the statement when using ORDER BY clause."
ORDER_BY_NEEDS_HASH = ("Must have at least one non-optional hash key condition in WHERE clause "
                       "when using ORDER BY clause.")
ORDER_BY_NOT_KEY = "Variable reference {} in ORDER BY clause must be part of the primary key"
ORDER_BY_NOT_NAME = "Argument to ORDER BY must be of type VariableReference. Type: {}"
SET_ARGUMENTS = "SET_{} must have exactly two arguments"  # [CONF] partiqlFunctions
SET_FIRST_ARGUMENT = "The first argument to SET_{} must equal the assignment value"  # [CONF]
SET_SECOND_ARGUMENT = "The second argument to SET_{} must be a value with type SET"  # [CONF]
INVALID_NEXT_TOKEN = "Invalid NextToken"  # [DDBL]
NEXT_TOKEN_MISMATCH = "NextToken does not match request"  # [DDBL]
NEXT_TOKEN_ACCOUNT = "Given NextToken is invalid for this account"  # [DDBL]

# -- literals [CONF] partiqlGrammar (numbers), partiqlFunctions (bags); [DDBL] otherwise --------
EMPTY_BAG = "Empty bags are not supported"
BAG_TYPE = "Unsupported data type in Bag. DynamoDB only supports either numbers or strings in bags"
BAG_MEMBER = "Unexpected data type {} in {} Set under key {}"
TUPLE_KEY_TYPE = "Tuple keys must be of type String. Actual type: {} under {}"
TUPLE_DUPLICATE_KEY = "Duplicate keys in tuple. Key: {} under {}"
UNSUPPORTED_DATA_TYPE = "Unsupported data type: {} under key {}"  # [CONF] set_add in an INSERT

# -- multi-statement operations --------------------------------------------------------------------
BATCH_MIXED = "Read and write requests together in the same batch is not supported."  # [DDBL]
BATCH_SELECT_KEY = ("Select statements within BatchExecuteStatement must specify the primary key "
                    "in the where clause.")  # [CONF]
EXISTS_OUTSIDE_TRANSACTION = "EXISTS can only be used in ExecuteTransaction write requests."  # [DDBL]
TRANSACTION_MIXED = ("ExecuteTransaction API does not support both read and write operations in "
                     "the same request.")  # [DDBL]; DynamoDB Local recordings
TRANSACTION_PREFIX = "Validation failed in TransactStatements[{}]: "  # [CONF]
TRANSACTION_RETURNING = "RETURNING clause is not supported in ExecuteTransaction."  # [CONF]
TRANSACTION_INDEX_READ = "Reads on indices are not supported within transactions."  # [CONF]
TRANSACTION_INDEX_WRITE = "Operations on indices are not supported in transactions"  # [DDBL]
TRANSACTION_SELECT_KEY = ("Select statements within ExecuteTransaction must specify the primary "
                          "key in the where clause.")  # [CONF]
EXISTS_NEEDS_CONDITION = "EXISTS() must contain a single item read with additional condition"  # [CONF]
TRANSACTION_UNSUPPORTED = "Unsupported operation in transaction."  # [DDBL]


def duplicate_item() -> AwsError:
    """INSERT of an existing key ([CONF] executeStatement.test.ts; MODEL DuplicateItemException)."""
    return AwsError("DuplicateItemException", DUPLICATE_ITEM, namespace=errors.DDB)


# BatchStatementError codes for the exceptions a statement can raise [MODEL]
BATCH_CODES = {
    "ConditionalCheckFailedException": "ConditionalCheckFailed",
    "DuplicateItemException": "DuplicateItem",
    "ValidationException": "ValidationError",
    "ResourceNotFoundException": "ResourceNotFound",
    "ProvisionedThroughputExceededException": "ProvisionedThroughputExceeded",
    "ThrottlingException": "ThrottlingError",
    "TransactionConflictException": "TransactionConflict",
    "ItemCollectionSizeLimitExceededException": "ItemCollectionSizeLimitExceeded",
    "RequestLimitExceeded": "RequestLimitExceeded",
}
