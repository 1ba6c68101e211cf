"""Storage behind a narrow interface, `interface.Store` (DESIGN.md §4): domain code never sees
SQL."""
