"""The pinned AWS SDK for JavaScript v3 (tests/sdk/js/package.json + package-lock.json), installed
with `npm ci` into a gitignored cache (.venv/js-sdk, or the temp dir when there is no .venv) once
per lockfile, for the tests that run it (test_js_sdk.py in Node.js, test_browser.py in Chromium).
A failed or slow install (no registry) skips the calling test instead of failing it, except a
lockfile out of sync with package.json, which is a bug in this repo."""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

SOURCE = Path(__file__).with_name("js")
REPO = Path(__file__).resolve().parents[2]
FILES = ("package.json", "package-lock.json")
INSTALL_TIMEOUT = 240
RUN_TIMEOUT = 120


def node_major(node: str) -> int:
    out = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=30).stdout
    try:
        return int(out.strip().lstrip("v").split(".")[0])
    except ValueError:
        return 0


def install_dir() -> Path:
    venv = REPO / ".venv"
    return venv / "js-sdk" if venv.is_dir() else Path(tempfile.gettempdir()) / "dynoscale-js-sdk"


def npm_env() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(npm_config_update_notifier="false", npm_config_audit="false",
               npm_config_fund="false", NO_UPDATE_NOTIFIER="1")
    return env


def installed(npm: str) -> Path:
    """The install dir with node_modules matching the lockfile (installing it if needed)."""
    target = install_dir()
    target.mkdir(parents=True, exist_ok=True)
    stamp = hashlib.sha256(b"".join((SOURCE / f).read_bytes() for f in FILES)).hexdigest()
    with open(target / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # parallel test runs share the install
        if (target / ".stamp").is_file() and (target / ".stamp").read_text() == stamp \
                and (target / "node_modules").is_dir():
            return target
        for f in FILES:
            shutil.copyfile(SOURCE / f, target / f)
        try:
            proc = subprocess.run([npm, "ci", "--prefix", str(target), "--no-audit", "--no-fund",
                                   "--loglevel=error"], capture_output=True, text=True,
                                  timeout=INSTALL_TIMEOUT, env=npm_env())
        except subprocess.TimeoutExpired:
            pytest.skip(f"npm ci took over {INSTALL_TIMEOUT}s (registry unreachable?)")
        if proc.returncode != 0:
            output = proc.stdout + proc.stderr
            if "EUSAGE" in output or "in sync" in output:
                pytest.fail(f"tests/sdk/js/package-lock.json is out of sync:\n{output[-3000:]}")
            pytest.skip(f"npm ci failed (no registry?): {output[-1000:]}")
        (target / ".stamp").write_text(stamp)
    return target
