"""PartiQL for DynamoDB: ExecuteStatement, BatchExecuteStatement, ExecuteTransaction on the item
API's engine.

    lexer.py, parser.py  statement text -> ast.py tree (AWS's syntax errors; cached by text)
    values.py            literals and `?` parameters -> AttributeValues
    translate.py         WHERE / SET / REMOVE / SELECT list -> the item API's expression trees
    plan.py              what a statement asks, checked before any table is read
    keyed.py             which key a WHERE pins (Query or Scan; the key of a write)
    reads.py             SELECT as a Query or Scan through reading.py
    writes.py, render.py INSERT/UPDATE/DELETE as PutItem/UpdateItem/DeleteItem requests
    tokens.py            NextToken
    statement.py, batch.py, transaction.py   the three operations
    messages.py          AWS's texts and where they were recorded
"""
