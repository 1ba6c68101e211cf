"""Smoke test with a second SDK: the AWS SDK for JavaScript v3 drives a server through the
tutorial's flow, CloudWatch in its three protocols and a DynamoDB data-plane pass
(tests/sdk/js/smoke.mjs, which asserts the AWS facts itself and exits non-zero on any failure).

Skipped unless `node` (>= 20, the SDK's floor) and `npm` exist. The pinned packages are
installed once per lockfile (tests/sdk/npm.py). Warm, the whole test takes a few seconds.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.sdk.npm import RUN_TIMEOUT, SOURCE, installed, node_major, npm_env


def test_js_sdk_smoke(make_server):
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        pytest.skip("node and npm are needed for the JavaScript SDK smoke test")
    if node_major(node) < 20:
        pytest.skip("the AWS SDK for JavaScript v3 needs Node.js 20 or later")
    target = installed(npm)
    script = target / "smoke.mjs"  # beside node_modules, where ESM imports resolve
    shutil.copyfile(SOURCE / "smoke.mjs", script)
    server = make_server("--clock", "manual", durable=False)
    env = npm_env()
    env["ENDPOINT"] = server.url
    proc = subprocess.run([node, str(script)], capture_output=True, text=True, timeout=RUN_TIMEOUT,
                          env=env, cwd=target)
    assert proc.returncode == 0, f"{proc.stdout[-6000:]}\n{proc.stderr[-3000:]}"
    assert proc.stdout.rstrip().endswith(" 0 failed"), proc.stdout[-3000:]
