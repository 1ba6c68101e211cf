"""Rules that keep the code base livable (docs/architecture.md, Rules), checked by
reading the source tree: one clock, dependencies between services pointing one way, every
OPERATIONS key an operation of the service's botocore model, and a service defined by its package
alone (its declaration, its build function) plus one entry of app.SERVICES: `server/` and
`protocol/` name no service."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest

from dynoscale import app
from dynoscale.protocol import models

SRC = Path(__file__).resolve().parents[2] / "src" / "dynoscale"
WALL_TIME = re.compile(r"\btime\.(time|monotonic|sleep|perf_counter)\(|\bdatetime\.(now|utcnow)\(|"
                       r"\basyncio\.(sleep|wait_for|timeout)\(|\bdt\.datetime\.(now|utcnow)\(|"
                       r"\.call_later\(|\bloop\.time\(")


def sources():
    return [p for p in SRC.rglob("*.py")]


def test_only_the_clock_reads_wall_time_or_sleeps():
    offenders = [f"{p.relative_to(SRC)}:{i}" for p in sources() if p.name != "clock.py"
                 for i, line in enumerate(p.read_text().splitlines(), 1) if WALL_TIME.search(line)]
    assert offenders == []


# service -> the neighbours whose api.py it may import (docs/architecture.md, Rules)
ALLOWED = {"dynamodb": {"cloudwatch", "dynamodbstreams"}, "dynamodbstreams": set(),
           "autoscaling": {"cloudwatch", "dynamodb", "iam"},
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


def wire(package):
    return importlib.import_module(f"dynoscale.services.{package}.wire").WIRE


@pytest.mark.parametrize("package", app.SERVICES)
def test_operations_tables_name_model_operations(package):
    ops = importlib.import_module(f"dynoscale.services.{package}.operations").OPERATIONS
    unknown = set(ops) - set(models.service_model(wire(package).name).operation_names)
    assert ops and unknown == set()


def test_the_composition_root_lists_every_service_package_once():
    packages = sorted(p.parent.name for p in (SRC / "services").glob("*/service.py"))
    assert sorted(app.SERVICES) == packages
    assert all((SRC / "services" / p / "wire.py").is_file() for p in packages)
    names = [d.name for d in app.declarations()]
    assert len(set(names)) == len(names)


@pytest.mark.parametrize("package", app.SERVICES)
def test_each_declaration_matches_its_botocore_model(package):
    """The declared wire identity is the model's (botocore/data/<name>/<version>/service-2.json
    metadata), so a declaration cannot drift from what the SDKs send."""
    d = wire(package)
    meta = models.service_model(d.name).metadata
    assert d.api_version == meta["apiVersion"]
    assert meta.get("signingName", meta["endpointPrefix"]) in d.signing_names
    spoken = set(meta.get("protocols") or [meta["protocol"]])
    declared = {"json": "json", "cbor": "smithy-rpc-v2-cbor", "query": "query"}
    assert {declared[p] for p in d.protocols} <= spoken and d.protocols
    if d.json_target:
        assert d.json_target == meta["targetPrefix"]
    if d.cbor_service:  # botocore's RpcV2CBORSerializer puts targetPrefix in the path
        assert d.cbor_service == meta["targetPrefix"]
    if d.query_version:
        assert d.query_version == meta["apiVersion"]
    for rule in d.validation.rules:
        assert rule.source.strip(), rule


def _service_words() -> set[str]:
    words = set(app.SERVICES)
    for d in app.declarations():
        words |= {d.name, *d.signing_names, *(p for p in (d.json_target, d.cbor_service) if p)}
    return {w.lower() for w in words}


def _code_names(path: Path):
    """Identifiers and string constants of a module, docstrings left out (prose may cite the
    service that recorded a behaviour; code may not branch on it)."""
    tree = ast.parse(path.read_text())
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr)
                  and isinstance(node.body[0].value, ast.Constant)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node.lineno, node.value
        elif isinstance(node, ast.Name):
            yield node.lineno, node.id
        elif isinstance(node, ast.Attribute):
            yield node.lineno, node.attr
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            yield node.lineno, node.name
        elif isinstance(node, ast.arg):
            yield node.lineno, node.arg
        elif isinstance(node, ast.alias):
            yield node.lineno, node.name


@pytest.mark.parametrize("layer", ["server", "protocol"])
def test_server_and_protocol_name_no_service(layer):
    words = _service_words()
    offenders = []
    for p in (SRC / layer).rglob("*.py"):
        for line, text in _code_names(p):
            parts = {w for w in re.split(r"[^a-z0-9]+", text.lower()) if w}
            if text.lower() in words or parts & words:
                offenders.append(f"{p.relative_to(SRC)}:{line} {text!r}")
    assert offenders == []


def test_the_architecture_test_sees_a_service_name():
    # The check above must be able to fail: a module branching on a service is caught.
    sample = SRC.parent.parent / "tests" / "unit" / "_sample_branch.py"
    sample.write_text('def codec(service):\n    return service == "dynamodb"\n')
    try:
        found = [text for _, text in _code_names(sample) if text.lower() in _service_words()]
    finally:
        sample.unlink()
    assert found == ["dynamodb"]


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


def test_facts_are_cited_from_the_repository_not_outside_it():
    """AWS facts are cited by their AWS source or by docs/behaviour/ (in the repository), never
    by a path to notes outside it."""
    tests = SRC.parents[1] / "tests"
    files = [(str(p.relative_to(SRC)), p) for p in sources()] + \
            [(str(p.relative_to(tests.parent)), p) for p in tests.rglob("*.py")]
    offenders = [name for name, p in files
                 if re.search(r"\bshared/(spec|bench|DESIGN)", p.read_text())]
    assert offenders == []


def test_expression_trees_are_walked_by_the_one_walker():
    """Passes that only look at an expression tree use expr/tree.py's walker (children, walk,
    terms, document_paths), so a new node kind (PartiQL's translation reuses the tree) is taught
    to one function: no module reflects over the nodes' dataclass fields itself."""
    ddb = SRC / "services" / "dynamodb"
    offenders = [str(p.relative_to(SRC)) for p in ddb.rglob("*.py")
                 if p != ddb / "expr" / "tree.py"
                 and re.search(r"__dataclass_fields__|dataclasses\.fields\(", p.read_text())]
    assert offenders == []


def _takes_the_service_object(path: Path) -> list[int]:
    tree = ast.parse(path.read_text())
    return sorted({node.lineno for node in ast.walk(tree)
                   if isinstance(node, ast.arg) and node.arg == "svc"
                   or isinstance(node, ast.Attribute) and node.attr == "svc"})


# PartiQL statements run through the item operations' own handlers (handle(svc, caller,
# request)), so capacity, conditions, indexes and streams are the item API's: the modules that
# hand a statement to a handler hold the service object, as the operations do.
STATEMENT_RUNNERS = {"dynamodb/partiql/statement.py", "dynamodb/partiql/writes.py",
                     "dynamodb/partiql/batch.py", "dynamodb/partiql/transaction.py"}


def test_domain_modules_receive_what_they_use_not_the_service_object():
    """Operations (handle(svc, caller, request)), the service object, its port and registry.bind
    hold the whole service; every other module receives the store, clock, tables, limiter... it
    uses, so its dependencies can be read from its signature (docs/architecture.md, Rules)."""
    services = SRC / "services"
    offenders = [f"{p.relative_to(SRC)}:{line}" for p in services.rglob("*.py")
                 if "operations" not in p.relative_to(services).parts
                 and p.name not in ("service.py", "port.py", "registry.py")
                 and p.relative_to(services).as_posix() not in STATEMENT_RUNNERS
                 for line in _takes_the_service_object(p)]
    assert offenders == []


def test_no_module_probes_the_service_object():
    """What a service object offers is its constructor's business: no getattr(svc, ...)."""
    offenders = [str(p.relative_to(SRC)) for p in (SRC / "services").rglob("*.py")
                 if re.search(r"\b(getattr|hasattr)\(\s*svc\b", p.read_text())]
    assert offenders == []


def _decides_on_message_text(path: Path) -> list[int]:
    """Lines comparing an error's `.message` (==, in, startswith...) or `str(error)`."""
    def is_text(node) -> bool:
        return (isinstance(node, ast.Attribute) and node.attr == "message"
                or isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id == "str" and len(node.args) == 1
                and isinstance(node.args[0], ast.Name) and node.args[0].id in ("e", "error", "exc"))
    lines = set()
    for node in ast.walk(ast.parse(path.read_text())):
        presence = isinstance(node, ast.Compare) and all(
            isinstance(op, (ast.Is, ast.IsNot)) for op in node.ops)  # `message is None`: no text
        if isinstance(node, ast.Compare) and not presence \
                and any(is_text(x) for x in [node.left, *node.comparators]):
            lines.add(node.lineno)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in ("startswith", "endswith", "find", "index") \
                and is_text(node.func.value):
            lines.add(node.lineno)
    return sorted(lines)


def test_no_decision_rests_on_an_error_message_text():
    """A check that needs to know which problem it found gets a typed answer (e.g.
    keys.KeyProblem.in_value), never a parse of the message AWS's text is rendered into."""
    offenders = [f"{p.relative_to(SRC)}:{line}" for p in (SRC / "services").rglob("*.py")
                 for line in _decides_on_message_text(p)]
    assert offenders == []
