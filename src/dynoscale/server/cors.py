"""Cross-origin requests (CORS), answered as the catch-all service's declaration says
(`ServiceDeclaration.cors`): one endpoint serves every service and a preflight names none.

A request without `Origin` gets no CORS header at all. Every answer to a request with `Origin`
carries `Access-Control-Allow-Origin: *` and `Access-Control-Expose-Headers`; `OPTIONS` with
`Origin` is a preflight, answered 200 with an empty body, `Access-Control-Max-Age`, and the
`Access-Control-Request-Method` / `-Headers` it asked for echoed as `Access-Control-Allow-Methods`
/ `-Headers` (only on the preflight). `OPTIONS` without `Origin` is no preflight and is answered as
any unknown request.
"""

from __future__ import annotations

from typing import Optional

from dynoscale.protocol.declaration import Cors


class CorsPolicy:
    __slots__ = ("expose", "max_age")

    def __init__(self, cors: Cors):
        self.expose = ("Access-Control-Expose-Headers", ",".join(cors.expose_headers))
        self.max_age = ("Access-Control-Max-Age", str(cors.max_age))

    def headers(self, headers: dict[str, str]) -> Optional[list[tuple[str, str]]]:
        """The CORS headers of an answer to a request with these headers (None: not a
        cross-origin request)."""
        if not headers.get("origin"):
            return None
        return [("Access-Control-Allow-Origin", "*"), self.expose]

    def preflight(self, method: str, headers: dict[str, str]) -> Optional[list[tuple[str, str]]]:
        """The headers of the answer to a preflight, or None when the request is not one."""
        if method != "OPTIONS" or not headers.get("origin"):
            return None
        out = [("Access-Control-Allow-Origin", "*"), self.expose]
        requested = headers.get("access-control-request-headers")
        if requested:
            out.append(("Access-Control-Allow-Headers", requested))
        requested = headers.get("access-control-request-method")
        if requested:
            out.append(("Access-Control-Allow-Methods", requested))
        out.append(self.max_age)
        return out
