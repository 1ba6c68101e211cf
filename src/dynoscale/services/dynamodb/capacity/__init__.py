"""Capacity: units from sizes (units.py), token buckets (bucket.py), per-minute meter (meter.py)."""
