"""Dynoscale for test suites: `Server` (a real `dynoscale serve` subprocess, server.py) and the
pytest plugin (pytest_plugin.py, registered through the `pytest11` entry point)."""

from dynoscale.testing.server import Server

__all__ = ["Server"]
