"""Storage behind a narrow interface (DESIGN.md §4). Domain code never sees SQL."""

from dynoscale.storage.interface import Store  # noqa: F401
