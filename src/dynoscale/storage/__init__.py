"""Storage behind a narrow interface, `interface.Store` (docs/architecture.md, Rules): domain
code never sees SQL."""
