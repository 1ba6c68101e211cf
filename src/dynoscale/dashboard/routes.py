"""The dashboard's URLs, under the admin prefix (so `--workers` front processes pass them to the
owner, which holds the state):

GET /_dynoscale/ui                          the page (static/index.html)
GET /_dynoscale/ui/static/<file>            its script and style sheet
GET /_dynoscale/ui/static/plotly.min.js     the chart library, from the installed `plotly` package
GET /_dynoscale/ui/api/overview?account=&region=
GET /_dynoscale/ui/api/capacity?table=T[&index=I][&minutes=60][&account=&region=]
GET /_dynoscale/ui/api/capacity?table=T&resolution=second[&seconds=300][&index=I][...]

The item browser and editor call DynamoDB's own API (Query, Scan, PutItem) from the page, and the
clock panel calls /_dynoscale/clock: the same requests a user's code or curl would make. The page
signs all of them, and its API calls, with SigV4 (dashboard.js): under --auth verify/enforce
server/admin.py lets the page and static files through unsigned (public code) and checks the
API calls' signatures like any admin request's, before they reach `handle`.
"""

from __future__ import annotations

import importlib.resources
from functools import lru_cache
from typing import Optional
from urllib.parse import parse_qsl

import orjson

from dynoscale.dashboard.views import MAX_MINUTES, MAX_SECONDS, NotFound, Views
from dynoscale.errors import AwsError
from dynoscale.protocol.wire import WireResponse

PREFIX = "/_dynoscale/ui"
STATIC = {"index.html": "text/html; charset=utf-8", "dashboard.js": "text/javascript; charset=utf-8",
          "dashboard.css": "text/css; charset=utf-8"}


def _json(status: int, doc) -> WireResponse:
    return WireResponse(status, orjson.dumps(doc, option=orjson.OPT_NON_STR_KEYS),
                        [("content-type", "application/json"), ("cache-control", "no-store")])


@lru_cache(maxsize=None)
def _static(name: str) -> Optional[bytes]:
    if name == "plotly.min.js":
        try:
            return (importlib.resources.files("plotly") / "package_data" / "plotly.min.js").read_bytes()
        except (ModuleNotFoundError, FileNotFoundError):
            return None
    if name not in STATIC:
        return None
    return (importlib.resources.files("dynoscale.dashboard") / "static" / name).read_bytes()


def handle(app, method: str, path: str, query: str) -> WireResponse:
    rest = path[len(PREFIX):].strip("/")
    if method not in ("GET", "HEAD"):
        return _json(405, {"error": "the dashboard answers GET only"})
    if rest in ("", "index.html"):
        return _file("index.html")
    if rest.startswith("static/"):
        return _file(rest[len("static/"):])
    args = dict(parse_qsl(query, keep_blank_values=True))
    views = Views(app)
    caller = views.caller(args.get("account"), args.get("region"))
    if rest == "api/overview":
        return _json(200, views.overview(caller))
    if rest == "api/capacity":
        table = args.get("table")
        if not table:
            return _json(400, {"error": "capacity needs ?table=NAME"})
        resolution = args.get("resolution", "minute")
        if resolution not in ("minute", "second"):
            return _json(400, {"error": "resolution must be minute or second"})
        unit, most = ("minutes", MAX_MINUTES) if resolution == "minute" else ("seconds", MAX_SECONDS)
        try:
            count = int(args.get(unit, str(most if unit == "seconds" else 60)))
        except ValueError:
            count = 0
        if not 1 <= count <= most:
            return _json(400, {"error": f"{unit} must be a whole number from 1 to {most}"})
        index = args.get("index") or None
        try:
            if resolution == "second":
                return _json(200, views.capacity_seconds(caller, table, index, count))
            return _json(200, views.capacity(caller, table, index, count))
        except NotFound as e:
            return _json(404, {"error": str(e)})
        except AwsError as e:  # a service refused what the view asked (should not happen)
            return _json(e.status, {"error": e.message, "code": e.code})
    return _json(404, {"error": f"unknown dashboard path {path}"})


def _file(name: str) -> WireResponse:
    body = _static(name)
    if body is None:
        return _json(404, {"error": f"no such file {name}"})
    ctype = STATIC.get(name, "text/javascript; charset=utf-8")
    return WireResponse(200, body, [("content-type", ctype), ("cache-control", "no-cache")])
