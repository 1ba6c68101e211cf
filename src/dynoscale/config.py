"""Settings for `dynoscale serve`: flags, with DYNOSCALE_* environment variables as defaults.

No other module reads the environment (docs/architecture.md, Rules).
"""

from __future__ import annotations

import argparse
import os
import socket
from dataclasses import dataclass
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
    auth: str = "none"             # only `none` for now: any credentials are accepted
    log_level: str = "warning"
    workers: int = 1               # processes serving the port (server/workers.py)
    timing: str = "fast"           # fast | aws: durations of asynchronous steps (timing.py)

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
MAX_WORKERS = 64


def build_parser(env: Mapping[str, str]) -> argparse.ArgumentParser:
    def e(name: str, default):
        return env.get(f"DYNOSCALE_{name}", default)

    p = argparse.ArgumentParser(prog="dynoscale", description="Local DynamoDB capacity system")
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("serve", help="run the server")
    s.add_argument("--host", default=e("HOST", "127.0.0.1"), help="listen address (DYNOSCALE_HOST)")
    s.add_argument("--port", type=int, default=e("PORT", "8000"), help="listen port (DYNOSCALE_PORT)")
    store = s.add_mutually_exclusive_group()
    store.add_argument("--data-dir", default=e("DATA_DIR", "./data"),
                       help="directory of the durable SQLite database (DYNOSCALE_DATA_DIR)")
    store.add_argument("--in-memory", action="store_true",
                       default=e("IN_MEMORY", "").lower() in _TRUE,
                       help="keep everything in memory, lost on exit (DYNOSCALE_IN_MEMORY=1)")
    s.add_argument("--durability", choices=["normal", "full"], default=e("DURABILITY", "normal"),
                   help="`normal` (default): acknowledged writes survive a killed or crashed "
                        "process, not a machine crash or power loss; `full`: fsync each group "
                        "commit, they survive a power loss too (DYNOSCALE_DURABILITY)")
    clock = s.add_mutually_exclusive_group()
    clock.add_argument("--time-scale", type=float, default=None,
                       help="run simulated time K times faster than wall time (DYNOSCALE_TIME_SCALE)")
    clock.add_argument("--clock", choices=["real", "manual"], default=None,
                       help="`manual`: time moves only via POST /_dynoscale/clock (DYNOSCALE_CLOCK)")
    s.add_argument("--region", default=e("REGION", "us-east-1"),
                   help="region reported when a request names none (DYNOSCALE_REGION)")
    s.add_argument("--account-id", default=e("ACCOUNT_ID", "123456789012"),
                   help="the account all requests act in (DYNOSCALE_ACCOUNT_ID)")
    s.add_argument("--auth", choices=["none"], default=e("AUTH", "none"),
                   help="`none`: any SigV4 credentials are accepted (DYNOSCALE_AUTH)")
    s.add_argument("--workers", type=int, default=e("WORKERS", "1"),
                   help="processes serving the port: one owns all state, N-1 decode, validate and "
                        "render requests for it (DYNOSCALE_WORKERS)")
    s.add_argument("--timing", choices=["fast", "aws"], default=e("TIMING", "fast"),
                   help="`fast` (default): tables, indexes and billing switches are usable at "
                        "once; `aws`: AWS's observed durations for them, metric lag, alarm delay "
                        "and scaling activities (DYNOSCALE_TIMING)")
    s.add_argument("--log-level", default=e("LOG_LEVEL", "warning"),
                   choices=["debug", "info", "warning", "error"], help="(DYNOSCALE_LOG_LEVEL)")
    return p


def parse_args(argv: Optional[Sequence[str]] = None, env: Optional[Mapping[str, str]] = None):
    env = os.environ if env is None else env
    args = build_parser(env).parse_args(argv)
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
    if args.time_scale is not None and args.time_scale <= 0:
        raise SystemExit("dynoscale: --time-scale must be positive")
    return args.command, Config(host=args.host, port=args.port, data_dir=args.data_dir,
                                in_memory=args.in_memory, durability=args.durability,
                                clock=clock, time_scale=scale,
                                region=args.region, account_id=args.account_id, auth=args.auth,
                                log_level=args.log_level, workers=args.workers,
                                timing=args.timing)
