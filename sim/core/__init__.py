"""Numeric core: pure functions over numpy arrays (no pydantic, no I/O, no printing)."""
