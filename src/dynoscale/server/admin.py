"""Admin endpoints under /_dynoscale/ (Dynoscale-only, not AWS):

GET  /_dynoscale/health  -> {"status": "ok", ...}
GET  /_dynoscale/clock   -> {"mode", "now" (epoch seconds), "iso", "time_scale", "wall_now",
                         "offset_seconds" (now - wall_now: how far simulated time is ahead)}
POST /_dynoscale/clock   {"advance_seconds": N} -> manual mode only: moves time forward, running
                         every job that falls due on the way, and answers when done.
POST /_dynoscale/reset   -> forgets every resource of every service (tables, items, alarms,
                         metrics, roles, targets, ...); simulated time goes on.
GET  /_dynoscale/ui/...  -> the dashboard (dashboard/routes.py)

Under `--auth verify`/`enforce` every admin request but the health check, reading the clock and
the dashboard's page and static files must be SigV4-signed with the account root's credentials
(the POSTs change state for everyone; the dashboard's API reads every account's resources); a
refusal is 403 {"error": ...}.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import orjson

from dynoscale import __version__
from dynoscale.dashboard import routes as dashboard
from dynoscale.protocol.wire import WireRequest, WireResponse


MAX_ADVANCE = 31 * 86400


def _json(status: int, doc: Any) -> WireResponse:
    return WireResponse(status, orjson.dumps(doc), [("content-type", "application/json")])


def failure() -> WireResponse:
    """An admin request whose answer cannot be given (its group commit failed)."""
    return _json(500, {"error": "internal failure; the server log says why"})


def _open(req: WireRequest) -> bool:
    """Admin requests anyone may make under --auth verify/enforce: they read nothing private."""
    if req.method not in ("GET", "HEAD"):
        return False
    name = req.path[len("/_dynoscale/"):].strip("/")
    if name in ("health", "clock"):
        return True
    ui = dashboard.PREFIX[len("/_dynoscale/"):].strip("/")
    return name in (ui, f"{ui}/index.html") or name.startswith(f"{ui}/static/")


def _clock_state(app) -> dict[str, Any]:
    now = app.clock.now()
    wall = app.clock.wall_now()
    return {"mode": app.clock.mode, "now": now, "time_scale": app.clock.time_scale,
            "iso": dt.datetime.fromtimestamp(now, dt.timezone.utc).isoformat(),
            "wall_now": round(wall, 3), "offset_seconds": round(now - wall, 3)}


def handle(app, req: WireRequest, query: str = "") -> WireResponse:
    if app.auth is not None and not _open(req):
        refusal = app.auth.admin_refusal(req)
        if refusal is not None:
            return _json(403, {"error": refusal})
    if req.path == dashboard.PREFIX or req.path.startswith(dashboard.PREFIX + "/"):
        return dashboard.handle(app, req.method, req.path, query)
    name = req.path[len("/_dynoscale/"):].strip("/")
    if name == "health" and req.method in ("GET", "HEAD"):
        return _json(200, {"status": "ok", "version": __version__, "services": sorted(app.services),
                           "clock": app.clock.mode, "data": app.config.data_location,
                           "workers": app.config.workers})
    if name == "clock":
        if req.method == "GET":
            return _json(200, _clock_state(app))
        if req.method == "POST":
            try:
                body = orjson.loads(req.body or b"{}")
                seconds = float(body["advance_seconds"])
            except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
                return _json(400, {"error": "expected a JSON body {\"advance_seconds\": N}"})
            if seconds < 0 or seconds != seconds:
                return _json(400, {"error": "advance_seconds must be a non-negative number"})
            if seconds > MAX_ADVANCE:
                # Every minute job runs on the way, so a huge step would hold the server for hours.
                return _json(400, {"error": f"advance_seconds may be at most {MAX_ADVANCE} "
                                            "(31 days) per call"})
            if app.clock.mode != "manual":
                return _json(409, {"error": f"the clock is {app.clock.mode}; start the server with "
                                            "--clock manual to advance time by hand"})
            ran = app.scheduler.advance(seconds)
            app.save_clock()  # manual time is state: a restart resumes from here
            return _json(200, {**_clock_state(app), "jobs_run": ran})
    if name == "reset" and req.method == "POST":
        app.reset()
        return _json(200, {"status": "reset", **_clock_state(app)})
    return _json(404, {"error": f"unknown admin endpoint {req.path}"})
