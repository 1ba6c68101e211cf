"""STS: GetCallerIdentity (query protocol, global)."""
