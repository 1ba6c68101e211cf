"""Settings for `dynoscale serve`: flags, with DYNOSCALE_* environment variables as defaults;
and the flags of the client commands (`dynoscale clock`, `advance`, `reset`, `tables`, `top`,
`demo`), whose `--endpoint` defaults to AWS_ENDPOINT_URL.

No other module reads the environment (docs/architecture.md, Rules).
"""

from __future__ import annotations

import argparse
import os
import socket
import ipaddress
from dataclasses import dataclass, field
from typing import Mapping, Optional, Sequence


@dataclass(frozen=True)
class Config:
    host: str = "127.0.0.1"
    port: int = 8000
    data_dir: str = "./data"
    in_memory: bool = False
    durability: str = "normal"     # normal | full (storage/sqlite.py: what each risks)
    clock: str = "real"            # real | scaled | manual
    time_scale: float = 1.0
    region: str = "us-east-1"
    account_id: str = "123456789012"
    auth: str = "none"             # none | verify | enforce (README, "Authentication")
    # The account's root credentials under verify/enforce. Kept out of repr so that a logged
    # Config never shows the secret.
    access_key_id: str = "test"
    secret_access_key: str = field(default="test", repr=False)
    allow_insecure_bind: bool = False
    log_level: str = "warning"
    workers: int = 1               # processes serving the port (server/workers.py)
    from_wall_time: bool = False   # start at wall time, forgetting data stamped in the future
    timing: str = "fast"           # fast | aws: durations of asynchronous steps (timing.py)
    # Slow and hostile clients (server/http.py Limits; README "Slow and hostile clients"), in
    # wall-time seconds. Idle between requests on a keep-alive connection: an Application Load
    # Balancer's default connection idle timeout (60 s, ELB user guide "Connection idle
    # timeout"); SDKs reconnect transparently when a pooled connection was closed.
    idle_timeout: float = 60.0
    # A request's line and headers, from its first byte (a new connection's: from its accept).
    # Inferred: nginx's client_header_timeout is 60 s; an SDK sends its headers in one write, so
    # 20 s only ever cuts off a client that stalls on purpose.
    header_timeout: float = 20.0
    # A request's body, in total from the end of its headers (not per byte, so that a client
    # trickling one byte a second is cut off too). Inferred: 60 s lets a 16 MB body (DynamoDB's
    # request limit) through at 280 KB/s.
    body_timeout: float = 60.0
    # Open connections per serving process. Inferred: under the common soft limit of 1024
    # descriptors, leaving room for the store, the listener and the --workers links.
    max_connections: int = 1000
    # On SIGTERM/SIGINT, for requests in progress to finish: under the 10 s a supervisor such as
    # `dynoscale.Server.stop` (or Docker's `docker stop`) waits before SIGKILL.
    drain_timeout: float = 5.0

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def data_location(self) -> str:
        return ":memory:" if self.in_memory else os.path.abspath(self.data_dir)

    @property
    def clock_label(self) -> str:
        if self.clock == "scaled":
            return f"scaled x{self.time_scale:g}"
        return self.clock


_TRUE = {"1", "true", "yes", "on"}
AUTH_MODES = ("none", "verify", "enforce")


def is_loopback(host: str) -> bool:
    """True when `host` (an address or a name) can only be reached from this machine."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:  # a host name: loopback only if every address it resolves to is
        try:
            infos = socket.getaddrinfo(host, None)
        except OSError:
            return False
        return bool(infos) and all(ipaddress.ip_address(i[4][0]).is_loopback for i in infos)
MAX_WORKERS = 64


class _Parser(argparse.ArgumentParser):
    """A bad flag is one line on stderr and exit status 2, not the usage block (`--help` has it)."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


class _Help(argparse.ArgumentDefaultsHelpFormatter):
    """Every flag's default in --help, except where there is none to show."""

    def _get_help_string(self, action):
        if action.default in (None, False) or "%(default)" in (action.help or ""):
            return action.help
        return super()._get_help_string(action)


DEFAULT_ENDPOINT = "http://127.0.0.1:8000"
CLIENT_COMMANDS = ("clock", "advance", "reset", "tables", "top", "demo")


def build_parser(env: Mapping[str, str]) -> argparse.ArgumentParser:
    from dynoscale import __version__

    def e(name: str, default):
        return env.get(f"DYNOSCALE_{name}", default)

    p = _Parser(prog="dynoscale", formatter_class=_Help,
                description="Local DynamoDB with its capacity system: provisioned throughput, "
                            "CloudWatch alarms, Application Auto Scaling")
    p.add_argument("--version", action="version", version=f"dynoscale {__version__}")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    s = sub.add_parser("serve", help="run the server", formatter_class=_Help)
    s.add_argument("--host", default=e("HOST", "127.0.0.1"), help="listen address (DYNOSCALE_HOST)")
    s.add_argument("--port", type=int, default=e("PORT", "8000"),
                   help="listen port; 0 lets the OS choose a free one (DYNOSCALE_PORT)")
    store = s.add_mutually_exclusive_group()
    store.add_argument("--data-dir", default=e("DATA_DIR", "./data"),
                       help="directory of the durable SQLite database (DYNOSCALE_DATA_DIR)")
    store.add_argument("--in-memory", action="store_true",
                       default=e("IN_MEMORY", "").lower() in _TRUE,
                       help="keep everything in memory, lost on exit (DYNOSCALE_IN_MEMORY=1)")
    s.add_argument("--durability", choices=["normal", "full"], default=e("DURABILITY", "normal"),
                   help="`normal`: acknowledged writes survive a killed or crashed "
                        "process, not a machine crash or power loss; `full`: fsync each group "
                        "commit, they survive a power loss too (DYNOSCALE_DURABILITY)")
    clock = s.add_mutually_exclusive_group()
    clock.add_argument("--time-scale", type=float, default=None,
                       help="run simulated time K times faster than wall time (default 1; "
                            "DYNOSCALE_TIME_SCALE)")
    clock.add_argument("--clock", choices=["real", "manual"], default=None,
                       help="`manual`: time moves only via POST /_dynoscale/clock or `dynoscale "
                            "advance` (default real; DYNOSCALE_CLOCK)")
    s.add_argument("--from-wall-time", action="store_true",
                   default=e("FROM_WALL_TIME", "").lower() in _TRUE,
                   help="start simulated time at wall time even if a previous accelerated or "
                        "manual session left it ahead; the data directory's contents, stamped "
                        "in that future, are then forgotten (DYNOSCALE_FROM_WALL_TIME=1)")
    s.add_argument("--region", default=e("REGION", "us-east-1"),
                   help="region reported when a request names none (DYNOSCALE_REGION)")
    s.add_argument("--account-id", default=e("ACCOUNT_ID", "123456789012"),
                   help="the account all requests act in (DYNOSCALE_ACCOUNT_ID)")
    s.add_argument("--auth", choices=list(AUTH_MODES), default=e("AUTH", "none"),
                   help="`none` (default, loopback only): any SigV4 credentials are accepted; "
                        "`verify`: every request must be signed with a known, active key; "
                        "`enforce`: verify, then evaluate the caller's IAM policies (DYNOSCALE_AUTH)")
    s.add_argument("--access-key-id", default=e("ACCESS_KEY_ID", "test"),
                   help="the account root's access key id under verify/enforce "
                        "(DYNOSCALE_ACCESS_KEY_ID)")
    s.add_argument("--secret-access-key", default=e("SECRET_ACCESS_KEY", "test"),
                   help="the account root's secret access key (DYNOSCALE_SECRET_ACCESS_KEY)")
    s.add_argument("--allow-insecure-bind", action="store_true",
                   default=e("ALLOW_INSECURE_BIND", "").lower() in _TRUE,
                   help="serve `--auth none` on a non-loopback address anyway "
                        "(DYNOSCALE_ALLOW_INSECURE_BIND=1)")
    s.add_argument("--workers", type=int, default=e("WORKERS", "1"),
                   help="processes serving the port: one owns all state, N-1 decode, validate and "
                        "render requests for it (DYNOSCALE_WORKERS)")
    s.add_argument("--timing", choices=["fast", "aws"], default=e("TIMING", "fast"),
                   help="`fast` (default): tables, indexes and billing switches are usable at "
                        "once; `aws`: AWS's observed durations for them, metric lag, alarm delay "
                        "and scaling activities (DYNOSCALE_TIMING)")
    limits = Config()
    s.add_argument("--idle-timeout", metavar="SECONDS", type=float, default=e("IDLE_TIMEOUT", limits.idle_timeout),
                   help="wall seconds a keep-alive connection may stay idle between requests "
                        "before it is closed (DYNOSCALE_IDLE_TIMEOUT)")
    s.add_argument("--header-timeout", metavar="SECONDS", type=float,
                   default=e("HEADER_TIMEOUT", limits.header_timeout),
                   help="wall seconds a request's line and headers may take to arrive (on a new "
                        "connection, from its accept) before it is answered 408 and closed "
                        "(DYNOSCALE_HEADER_TIMEOUT)")
    s.add_argument("--body-timeout", metavar="SECONDS", type=float, default=e("BODY_TIMEOUT", limits.body_timeout),
                   help="wall seconds a request's body may take to arrive, in total, before it "
                        "is answered 408 and closed (DYNOSCALE_BODY_TIMEOUT)")
    s.add_argument("--max-connections", metavar="N", type=int,
                   default=e("MAX_CONNECTIONS", limits.max_connections),
                   help="open connections per serving process; more are answered 503 and "
                        "closed (DYNOSCALE_MAX_CONNECTIONS)")
    s.add_argument("--drain-timeout", metavar="SECONDS", type=float, default=e("DRAIN_TIMEOUT", limits.drain_timeout),
                   help="on SIGTERM/SIGINT, wall seconds requests in progress may take to finish "
                        "before their connections are closed (DYNOSCALE_DRAIN_TIMEOUT)")
    s.add_argument("--log-level", default=e("LOG_LEVEL", "warning"),
                   choices=["debug", "info", "warning", "error"],
                   help="`info` logs one line per request (DYNOSCALE_LOG_LEVEL)")

    endpoint = env.get("AWS_ENDPOINT_URL") or DEFAULT_ENDPOINT

    def client(name: str, help: str) -> argparse.ArgumentParser:
        c = sub.add_parser(name, help=help, description=help, formatter_class=_Help)
        c.add_argument("--endpoint", default=endpoint,
                       help="the running server (AWS_ENDPOINT_URL, else " + DEFAULT_ENDPOINT + ")")
        return c

    client("clock", "show the server's clock: mode, simulated now, offset from wall time, and "
                    "--start-time/--end-time values for CloudWatch queries of the last hour")
    a = client("advance", "manual clock: move simulated time forward, running what falls due")
    a.add_argument("duration", help="seconds or e.g. 90s, 15m, 1h30m, 2d")
    client("reset", "forget every resource of every service (simulated time goes on)")
    t = client("tables", "each table's capacity, consumed units, throttles and alarms")
    t.add_argument("--region", default=env.get("AWS_DEFAULT_REGION") or env.get("AWS_REGION")
                   or "us-east-1", help="region of the tables (AWS_DEFAULT_REGION)")
    t.add_argument("--minutes", type=int, default=5,
                   help="consumed and throttled units over this many simulated minutes")
    t.add_argument("--json", action="store_true", help="print JSON instead of a table")
    top = client("top", "live view of every table's capacity, throttles, alarms and scaling")
    top.add_argument("--region", default=env.get("AWS_DEFAULT_REGION") or env.get("AWS_REGION")
                     or "us-east-1", help="region of the tables (AWS_DEFAULT_REGION)")
    top.add_argument("--interval", type=float, default=1.0, help="wall seconds between refreshes")
    top.add_argument("--iterations", type=int, default=None,
                     help="stop after this many refreshes (default: until Ctrl-C)")
    d = sub.add_parser("demo", help="run the AWS auto scaling tutorial end to end against a "
                                    "fresh server in accelerated time", formatter_class=_Help)
    d.add_argument("--time-scale", type=float, default=120.0,
                   help="how much faster than wall time the demo's server runs")
    sub.add_parser("streams", help="`dynoscale streams tail TABLE`: follow a table's stream "
                                   "(see `dynoscale streams tail --help`)", add_help=False)
    return p


def credentials(env: Optional[Mapping[str, str]] = None) -> tuple[str, str]:
    """The access key pair client commands sign with: the environment's, else dummy ones (any are
    accepted under --auth none)."""
    env = os.environ if env is None else env
    return (env.get("AWS_ACCESS_KEY_ID") or "AKIAIOSFODNN7EXAMPLE",
            env.get("AWS_SECRET_ACCESS_KEY") or "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")


def parse_args(argv: Optional[Sequence[str]] = None, env: Optional[Mapping[str, str]] = None):
    env = os.environ if env is None else env
    args = build_parser(env).parse_args(argv)
    if args.command != "serve":
        return args.command, args
    if args.time_scale is None and args.clock is None:
        env_clock = env.get("DYNOSCALE_CLOCK", "").strip()
        env_scale = env.get("DYNOSCALE_TIME_SCALE", "").strip()
        if env_clock:
            args.clock = env_clock
        elif env_scale:
            args.time_scale = float(env_scale)
    if args.time_scale is not None and args.time_scale != 1:
        clock, scale = "scaled", args.time_scale
    else:
        clock, scale = (args.clock or "real"), 1.0
    if clock not in ("real", "manual", "scaled"):
        raise SystemExit(f"dynoscale: unknown clock mode {clock!r}")
    if args.durability not in ("full", "normal"):
        raise SystemExit(f"dynoscale: unknown durability {args.durability!r} (full or normal)")
    if args.timing not in ("fast", "aws"):
        raise SystemExit(f"dynoscale: unknown timing {args.timing!r} (fast or aws)")
    if not 1 <= args.workers <= MAX_WORKERS:
        raise SystemExit(f"dynoscale: --workers must be between 1 and {MAX_WORKERS}")
    if args.workers > 1 and not (hasattr(os, "fork") and hasattr(socket, "SO_REUSEPORT")):
        raise SystemExit("dynoscale: --workers needs fork() and SO_REUSEPORT (Linux, BSD, macOS)")
    for flag in ("idle_timeout", "header_timeout", "body_timeout", "drain_timeout"):
        value = float(getattr(args, flag))
        if not 0 < value < float("inf"):
            raise SystemExit(f"dynoscale: --{flag.replace('_', '-')} must be a positive number "
                             "of seconds")
        setattr(args, flag, value)
    args.max_connections = int(args.max_connections)
    if args.max_connections < 1:
        raise SystemExit("dynoscale: --max-connections must be at least 1")
    if args.time_scale is not None and args.time_scale <= 0:
        raise SystemExit("dynoscale: --time-scale must be positive")
    if args.auth not in AUTH_MODES:
        raise SystemExit(f"dynoscale: unknown auth mode {args.auth!r} (none, verify or enforce)")
    if args.auth == "none" and not args.allow_insecure_bind and not is_loopback(args.host):
        raise SystemExit(f"dynoscale: refusing to listen on {args.host} with --auth none (anyone "
                         "who reaches it acts as the account root); use --auth verify or "
                         "--auth enforce, or --allow-insecure-bind to accept the risk")
    return args.command, Config(host=args.host, port=args.port, data_dir=args.data_dir,
                                in_memory=args.in_memory, durability=args.durability,
                                clock=clock, time_scale=scale,
                                region=args.region, account_id=args.account_id, auth=args.auth,
                                access_key_id=args.access_key_id,
                                secret_access_key=args.secret_access_key,
                                allow_insecure_bind=args.allow_insecure_bind,
                                log_level=args.log_level, workers=args.workers,
                                from_wall_time=args.from_wall_time, timing=args.timing,
                                idle_timeout=args.idle_timeout,
                                header_timeout=args.header_timeout,
                                body_timeout=args.body_timeout,
                                max_connections=args.max_connections,
                                drain_timeout=args.drain_timeout)
