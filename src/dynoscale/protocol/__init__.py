"""Wire protocols driven by botocore's service models: parse, validate, serialize, render errors."""
