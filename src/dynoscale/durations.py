"""Durations as people type them: `90`, `90s`, `15m`, `1h30m`, `2d` (seconds as a float), and
back (`3h12m5s`), for `dynoscale advance`, `Server.advance` and the clock's offset display."""

from __future__ import annotations

import re

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_PART = re.compile(r"(\d+(?:\.\d+)?)([smhdw])")


def parse(text) -> float:
    """Seconds in `text`: a number (seconds) or parts like `1h30m`; ValueError otherwise."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        value = float(text)
    else:
        s = str(text).strip().lower().replace(" ", "")
        try:
            value = float(s)
        except ValueError:
            parts = _PART.findall(s)
            if not s or "".join(n + u for n, u in parts) != s:
                raise ValueError(f"not a duration: {text!r} (examples: 90, 90s, 15m, 1h30m, 2d)")
            value = sum(float(n) * _UNITS[u] for n, u in parts)
    if value < 0 or value != value:
        raise ValueError(f"a duration must be a non-negative number of seconds: {text!r}")
    return value


def format(seconds: float) -> str:
    """`3h12m5s`, `45s`, `0s`; a negative duration keeps its sign (`-2m`)."""
    sign = "-" if seconds < 0 else ""
    left = int(round(abs(seconds)))
    out = ""
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if left >= size:
            out += f"{left // size}{unit}"
            left %= size
    if left or not out:
        out += f"{left}s"
    return sign + out
