"""HTTP front: ASGI entry, routing, SigV4 parsing, admin endpoints."""
