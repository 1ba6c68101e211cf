"""Rules that keep the code base livable (DESIGN.md §3, §5), checked by reading the source tree:
one clock, dependencies between services pointing one way, and every OPERATIONS key an operation
of the service's botocore model."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from dynoscale.protocol import models

SRC = Path(__file__).resolve().parents[2] / "src" / "dynoscale"
WALL_TIME = re.compile(r"\btime\.(time|monotonic|sleep|perf_counter)\(|\bdatetime\.(now|utcnow)\(|"
                       r"\basyncio\.sleep\(|\bdt\.datetime\.(now|utcnow)\(")


def sources():
    return [p for p in SRC.rglob("*.py")]


def test_only_the_clock_reads_wall_time_or_sleeps():
    offenders = [f"{p.relative_to(SRC)}:{i}" for p in sources() if p.name != "clock.py"
                 for i, line in enumerate(p.read_text().splitlines(), 1) if WALL_TIME.search(line)]
    assert offenders == []


# service -> the neighbours whose api.py it may import (DESIGN.md §5)
ALLOWED = {"dynamodb": {"cloudwatch"}, "autoscaling": {"cloudwatch", "dynamodb", "iam"},
           "cloudwatch": set(), "iam": set(), "sts": {"iam"}}  # sts: AssumeRole reads roles


@pytest.mark.parametrize("service", sorted(ALLOWED))
def test_services_import_only_their_neighbours_ports(service):
    bad = []
    for p in (SRC / "services" / service).rglob("*.py"):
        for m in re.finditer(r"dynoscale\.services\.(\w+)(\.\w+)?", p.read_text()):
            other, sub = m.group(1), (m.group(2) or "")
            if other in (service, "registry", "paging"):  # shared by every service
                continue
            if other not in ALLOWED[service] or sub != ".api":
                bad.append(f"{p.relative_to(SRC)} imports {m.group(0)}")
    assert bad == []


@pytest.mark.parametrize("package,service", [
    ("dynamodb", "dynamodb"), ("cloudwatch", "cloudwatch"), ("autoscaling", "application-autoscaling"),
    ("iam", "iam"), ("sts", "sts")])
def test_operations_tables_name_model_operations(package, service):
    ops = importlib.import_module(f"dynoscale.services.{package}.operations").OPERATIONS
    unknown = set(ops) - set(models.service_model(service).operation_names)
    assert ops and unknown == set()


def test_only_the_app_builds_the_concrete_store():
    """Everything else holds a `Store` (storage/interface.py), so a second store can be written
    from the interface alone."""
    offenders = [str(p.relative_to(SRC)) for p in sources()
                 if p.parts[-2] != "storage" and p.name != "app.py"
                 and "storage.sqlite" in p.read_text()]
    assert offenders == []


def test_the_sqlite_store_implements_the_whole_interface():
    import inspect

    from dynoscale.storage.interface import Store
    from dynoscale.storage.sqlite import SqliteStore

    wanted = {n for n in vars(Store) if not n.startswith("_")} | set(Store.__annotations__)
    store = SqliteStore(":memory:")
    try:
        missing = sorted(n for n in wanted if not hasattr(store, n))
        differ = sorted(n for n in wanted if callable(getattr(Store, n, None))
                        and inspect.signature(getattr(Store, n)).parameters.keys()
                        != inspect.signature(getattr(SqliteStore, n)).parameters.keys())
    finally:
        store.close()
    assert (missing, differ) == ([], [])


# Comments still citing the team's notes outside the repository, fixed with their modules' rewrite.
PENDING_CITATIONS = {"server/http.py"}


def test_facts_are_cited_from_the_repository_not_outside_it():
    """AWS facts are cited by their AWS source or by docs/behaviour/ (in the repository), never
    by a path to notes outside it."""
    tests = SRC.parents[1] / "tests"
    files = [(str(p.relative_to(SRC)), p) for p in sources()] + \
            [(str(p.relative_to(tests.parent)), p) for p in tests.rglob("*.py")]
    offenders = [name for name, p in files if name not in PENDING_CITATIONS
                 and re.search(r"\bshared/(spec|bench|DESIGN)", p.read_text())]
    assert offenders == []
