"""The pytest plugin (entry point `pytest11: dynoscale`): a real Dynoscale server for a test
session and fixtures for it.

Inert unless used: loading the plugin adds options and fixtures only; the server starts when a
test first asks for one of the `dynoscale*` fixtures, once per session (per xdist worker), on a
free port with a temporary data directory, and stops at the end of the session.

Fixtures (all but `dynoscale_server` reset the server before the test, unless the test is marked
`@pytest.mark.dynoscale_no_reset` or the ini option `dynoscale_reset = false`):
  dynoscale_server      the session's `dynoscale.Server` (no reset)
  dynoscale             the same server, reset for this test
  dynoscale_endpoint    its URL
  dynoscale_env         the AWS_* variables pointing SDKs at it (a dict)
  dynoscale_environ     those variables set in os.environ for the test (monkeypatch), so code
                        that builds its own `boto3.client("dynamodb")` reaches the server
  dynoscale_clock       advance("15m") / advance(90) / advance_to_minute() / now() / mode
  dynoscale_client      factory: dynoscale_client("dynamodb", **botocore_config)
  dynoscale_dynamodb, dynoscale_dynamodbstreams, dynoscale_cloudwatch, dynoscale_autoscaling
  (application-autoscaling), dynoscale_iam, dynoscale_sts: boto3 clients;
  dynoscale_dynamodb_resource: a boto3 DynamoDB resource.
Clients use us-east-1, dummy credentials, and `dynoscale_max_attempts` attempts per call.

Settings, each an ini option (pytest.ini / pyproject [tool.pytest.ini_options]) and a command-line
flag, the flag winning: dynoscale_clock / --dynoscale-clock (manual | real; default manual),
dynoscale_time_scale / --dynoscale-time-scale (K: real clock K times faster),
dynoscale_auth / --dynoscale-auth (none), dynoscale_log_level / --dynoscale-log-level,
dynoscale_max_attempts / --dynoscale-max-attempts (default 1: each throttle reaches the test),
dynoscale_reset / --dynoscale-no-reset.
"""

from __future__ import annotations

from typing import Any, Optional

import pytest

SETTINGS = {
    # name: (help, ini default)
    "clock": ("Dynoscale clock of the session's server: manual (time moves only through "
              "dynoscale_clock.advance) or real", "manual"),
    "time_scale": ("run the session's server on a real clock K times faster than wall time", ""),
    "auth": ("Dynoscale --auth mode of the session's server", ""),
    "timing": ("Dynoscale --timing profile of the session's server (fast or aws)", ""),
    "log_level": ("Dynoscale --log-level of the session's server (info: one line per request "
                  "in its log)", ""),
    "max_attempts": ("botocore total_max_attempts of the dynoscale_* clients", "1"),
}


def pytest_addoption(parser) -> None:
    group = parser.getgroup("dynoscale", "Dynoscale (local DynamoDB capacity system)")
    for name, (help, default) in SETTINGS.items():
        group.addoption("--dynoscale-" + name.replace("_", "-"), dest="dynoscale_" + name,
                        default=None, help=help)
        parser.addini("dynoscale_" + name, help, default=default)
    group.addoption("--dynoscale-no-reset", dest="dynoscale_no_reset", action="store_true",
                    default=False, help="do not reset the server between tests")
    parser.addini("dynoscale_reset", "reset the Dynoscale server before each test (true/false)",
                  default="true")


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "dynoscale_no_reset: keep what earlier tests left on the "
                                       "session's Dynoscale server")


def setting(config, name: str) -> Optional[str]:
    value = config.getoption("dynoscale_" + name)
    if value is None:
        value = config.getini("dynoscale_" + name)
    return str(value).strip() or None


def _resets(request) -> bool:
    config = request.config
    if (config.getoption("dynoscale_no_reset")
            or request.node.get_closest_marker("dynoscale_no_reset")):
        return False
    return str(config.getini("dynoscale_reset")).strip().lower() not in ("false", "0", "no", "off")


class _Session:
    """The session's server and clients, made on first use."""

    def __init__(self, config):
        from dynoscale.testing.server import Server
        scale = setting(config, "time_scale")
        clock = setting(config, "clock") or "manual"
        if scale is not None:
            clock = "real"
        self.max_attempts = int(setting(config, "max_attempts") or 1)
        self.server = Server(clock=clock, time_scale=float(scale) if scale else None,
                             auth=setting(config, "auth"), log_level=setting(config, "log_level"),
                             timing=setting(config, "timing") or None)
        self.clients: dict[Any, Any] = {}

    def client(self, service: str, **config):
        if config:
            return self.server.client(service, max_attempts=self.max_attempts, **config)
        if service not in self.clients:
            self.clients[service] = self.server.client(service, max_attempts=self.max_attempts)
        return self.clients[service]

    def resource(self):
        if "resource" not in self.clients:
            self.clients["resource"] = self.server.resource("dynamodb",
                                                            max_attempts=self.max_attempts)
        return self.clients["resource"]


class Clock:
    """The server's clock, for a test."""

    def __init__(self, server):
        self._server = server

    @property
    def mode(self) -> str:
        return self._server.clock()["mode"]

    def now(self) -> float:
        """Simulated time, epoch seconds."""
        return self._server.now()

    def advance(self, duration) -> float:
        """Manual clock: move forward (`90`, `"90s"`, `"15m"`, `"1h30m"`), running everything
        that falls due on the way (metrics, alarms, scaling, table status); the new time."""
        return self._server.advance(duration)

    def advance_to_minute(self) -> float:
        """Manual clock: move to the next minute boundary unless on one; the new time."""
        return self._server.advance_to_minute()


@pytest.fixture(scope="session")
def _dynoscale_session(request):
    session = _Session(request.config)
    session.server.start()
    yield session
    session.server.stop()


@pytest.fixture(scope="session")
def dynoscale_server(_dynoscale_session):
    """The session's server (`dynoscale.Server`), not reset."""
    return _dynoscale_session.server


@pytest.fixture
def dynoscale(_dynoscale_session, request):
    """The session's server, reset before this test (unless opted out)."""
    if _resets(request):
        _dynoscale_session.server.reset()
    return _dynoscale_session.server


@pytest.fixture
def dynoscale_endpoint(dynoscale) -> str:
    return dynoscale.endpoint


@pytest.fixture
def dynoscale_env(dynoscale) -> dict:
    return dict(dynoscale.env)


@pytest.fixture
def dynoscale_environ(dynoscale, monkeypatch) -> dict:
    for name, value in dynoscale.env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    return dict(dynoscale.env)


@pytest.fixture
def dynoscale_clock(dynoscale) -> Clock:
    return Clock(dynoscale)


@pytest.fixture
def dynoscale_client(dynoscale, _dynoscale_session):
    """dynoscale_client("dynamodb") or with botocore Config arguments."""
    return _dynoscale_session.client


def _client_fixture(name: str, service: str, doc: str):
    @pytest.fixture(name=name)
    def fixture(dynoscale, _dynoscale_session):
        return _dynoscale_session.client(service)
    fixture.__doc__ = doc
    return fixture


dynoscale_dynamodb = _client_fixture(
    "dynoscale_dynamodb", "dynamodb", "A boto3 DynamoDB client of the server.")
dynoscale_dynamodbstreams = _client_fixture(
    "dynoscale_dynamodbstreams", "dynamodbstreams", "A boto3 DynamoDB Streams client.")
dynoscale_cloudwatch = _client_fixture(
    "dynoscale_cloudwatch", "cloudwatch", "A boto3 CloudWatch client.")
dynoscale_autoscaling = _client_fixture(
    "dynoscale_autoscaling", "application-autoscaling", "A boto3 Application Auto Scaling client.")
dynoscale_iam = _client_fixture("dynoscale_iam", "iam", "A boto3 IAM client.")
dynoscale_sts = _client_fixture("dynoscale_sts", "sts", "A boto3 STS client.")


@pytest.fixture
def dynoscale_dynamodb_resource(dynoscale, _dynoscale_session):
    """A boto3 DynamoDB resource (`.Table(name)`)."""
    return _dynoscale_session.resource()
