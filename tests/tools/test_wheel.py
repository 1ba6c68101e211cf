"""Packaging: the built wheel holds every module and both entry points, and installed on its own
(no checkout on the path, run from another directory) gives a working `dynoscale` command and a
pytest plugin that loads by itself and serves a test. Botocore's service models come from the
botocore dependency; nothing reads files of the repository at run time.

The wheel is built with pip from this checkout (setuptools from the configured package index,
or the local one); the test is skipped, saying why, when no build backend can be had."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("wheel")
    # Built from a copy: setuptools writes build/ and src/*.egg-info where it builds, and an
    # egg-info left in the checkout's src/ would register the plugin for every later session.
    source = tmp / "source"
    shutil.copytree(ROOT / "src", source / "src",
                    ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", str(source), "--no-deps",
                            "-q", "-w", str(tmp / "dist")], capture_output=True, text=True,
                           timeout=240)
    if build.returncode != 0:
        pytest.skip(f"cannot build the wheel here: {build.stderr.strip()[-300:]}")
    [wheel] = (tmp / "dist").glob("dynoscale-*.whl")
    site = tmp / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target",
                    str(site), str(wheel)], check=True, capture_output=True, timeout=120)
    # The dependencies (botocore, boto3, pytest, ...) come from this interpreter's environment;
    # Dynoscale only from the installed wheel: PYTHONPATH puts it ahead of any checkout.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH" and not k.startswith("AWS_")}
    env["PYTHONPATH"] = str(site)
    work = tmp / "elsewhere"
    work.mkdir()
    return wheel, site, env, work


def test_the_wheel_holds_every_module_and_both_entry_points(installed):
    wheel, *_ = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    modules = {str(p.relative_to(ROOT / "src")) for p in (ROOT / "src" / "dynoscale").rglob("*.py")}
    assert modules - names == set()
    [entry_points] = [n for n in names if n.endswith(".dist-info/entry_points.txt")]
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "dynoscale = dynoscale.cli:main" in text
    assert "[pytest11]" in text and "dynoscale = dynoscale.testing.pytest_plugin" in text


def test_the_installed_command_runs_without_a_checkout(installed):
    wheel, site, env, work = installed
    where = subprocess.run([sys.executable, "-c", "import dynoscale; print(dynoscale.__file__)"],
                           env=env, cwd=work, capture_output=True, text=True, check=True)
    assert where.stdout.strip().startswith(str(site))
    version = subprocess.run([str(site / "bin" / "dynoscale"), "--version"], env=env, cwd=work,
                             capture_output=True, text=True, timeout=60)
    assert version.stdout.strip() == "dynoscale 0.1.0", version.stderr


def test_the_installed_plugin_loads_by_itself_and_serves_a_test(installed):
    wheel, site, env, work = installed
    (work / "test_mine.py").write_text(
        "import dynoscale\n\n"
        "def test_mine(dynoscale_dynamodb, dynoscale_clock):\n"
        "    assert dynoscale.__file__.startswith(%r)\n"
        "    dynoscale_dynamodb.create_table(TableName='Mine', BillingMode='PAY_PER_REQUEST',\n"
        "        AttributeDefinitions=[{'AttributeName': 'pk', 'AttributeType': 'S'}],\n"
        "        KeySchema=[{'AttributeName': 'pk', 'KeyType': 'HASH'}])\n"
        "    dynoscale_clock.advance('10s')\n"
        "    assert dynoscale_dynamodb.describe_table(TableName='Mine')['Table']['TableStatus'] == 'ACTIVE'\n"
        % str(site))
    env = {k: v for k, v in env.items() if k != "PYTEST_DISABLE_PLUGIN_AUTOLOAD"}
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                          "test_mine.py"], env=env, cwd=work, capture_output=True, text=True,
                         timeout=180)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    assert "1 passed" in run.stdout
