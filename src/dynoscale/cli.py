"""`dynoscale serve ...`: parse settings, build the app, serve it (server/http.py);
`dynoscale streams tail TABLE`: follow a table's stream (streams_tail.py)."""

from __future__ import annotations

import logging
import sys
from typing import Optional, Sequence

from dynoscale.config import parse_args


def main(argv: Optional[Sequence[str]] = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:2] == ["streams", "tail"]:  # a client of a running server, not a server setting
        from dynoscale.streams_tail import tail
        sys.exit(tail(argv[2:]))
    command, config = parse_args(argv)
    logging.basicConfig(level=config.log_level.upper(), format="%(asctime)s %(name)s %(levelname)s %(message)s")
    if command == "serve":
        from dynoscale.app import serve
        from dynoscale.storage.interface import StorageError
        try:
            serve(config)
        except StorageError as e:  # a clear line, not a traceback (docs: README "Durability")
            sys.exit(f"dynoscale: {e}")
    else:  # pragma: no cover - argparse rejects unknown commands
        sys.exit(2)


if __name__ == "__main__":
    main()
