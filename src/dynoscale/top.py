"""`dynoscale top`: a live terminal view (rich) of every table's consumed vs provisioned capacity
over the last simulated minute, throttles, alarm states and the latest scaling activities,
refreshed every --interval wall seconds (so it follows the clock, accelerated or stepped)."""

from __future__ import annotations

from typing import Optional

from dynoscale.admin_client import AdminClient
from dynoscale.clock import Clock
from dynoscale.tools import Clients, iso, table_rows

ACTIVITIES = 5  # the latest scaling activities shown


def render(clients: Clients, admin: AdminClient):
    from rich.console import Group
    from rich.table import Table

    state = admin.clock()
    now = state["now"]
    tables = Table(title=f"Dynoscale {admin.endpoint}  {state['mode']}  simulated "
                         f"{iso(now)}  (consumed and throttled: last simulated minute)")
    for column in ("table", "status", "read used/prov", "write used/prov", "throttled r/w",
                   "alarms"):
        tables.add_column(column)
    for r in table_rows(clients, now, 1):
        tables.add_row(r["table"], r["status"], _used(r["read"], r["rcu"]),
                       _used(r["write"], r["wcu"]),
                       f"{r['read_throttles']:g}/{r['write_throttles']:g}",
                       " ".join(_alarm(a) for a in r["alarms"]) or "-")
    acts = Table(title="latest scaling activities")
    for column in ("start", "resource", "status", "description"):
        acts.add_column(column)
    page = clients.autoscaling.describe_scaling_activities(ServiceNamespace="dynamodb",
                                                           MaxResults=ACTIVITIES)
    for a in page["ScalingActivities"][:ACTIVITIES]:
        acts.add_row(a["StartTime"].strftime("%H:%M:%S"), a["ResourceId"], a["StatusCode"],
                     a["Description"])
    return Group(tables, acts)


def _used(consumed_in_minute: float, provisioned: Optional[float]) -> str:
    per_second = consumed_in_minute / 60
    if provisioned is None:
        return f"{per_second:.1f}/on-demand"
    style = "red" if per_second > provisioned else "green"
    return f"[{style}]{per_second:.1f}[/{style}]/{provisioned:g}"


def _alarm(alarm: dict) -> str:
    style = {"ALARM": "red", "OK": "green"}.get(alarm["state"], "yellow")
    return f"{alarm['name']}:[{style}]{alarm['state']}[/{style}]"


def top(clients: Clients, admin: AdminClient, interval: float, iterations: Optional[int]) -> int:
    from rich.console import Console
    from rich.live import Live

    console = Console()
    if not console.is_terminal:  # piped or captured: no terminal width to fit, so cut nothing
        console = Console(width=200)
    count = 0
    with Live(render(clients, admin), console=console, auto_refresh=False) as live:
        count += 1
        while iterations is None or count < iterations:
            Clock.wall_sleep(max(0.1, interval))
            live.update(render(clients, admin), refresh=True)
            count += 1
    return 0
