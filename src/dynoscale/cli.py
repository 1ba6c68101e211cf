"""`dynoscale serve ...`: parse settings, build the app, serve it (server/http.py);
`dynoscale clock|advance|reset|tables|top`: clients of a running server (tools.py);
`dynoscale demo`: the tutorial end to end (demo.py);
`dynoscale streams tail TABLE`: follow a table's stream (streams_tail.py)."""

from __future__ import annotations

import logging
import sys
from typing import Optional, Sequence

from dynoscale.config import parse_args


def main(argv: Optional[Sequence[str]] = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["streams"]:  # a client of a running server, not a server setting
        if argv[1:2] != ["tail"]:
            sys.exit("dynoscale streams: the only command is `dynoscale streams tail TABLE`")
        from dynoscale.streams_tail import tail
        sys.exit(tail(argv[2:]))
    command, config = parse_args(argv)
    if command == "serve":
        logging.basicConfig(level=config.log_level.upper(),
                            format="%(asctime)s %(name)s %(levelname)s %(message)s")
        from dynoscale.app import serve
        from dynoscale.storage.interface import StorageError
        try:
            serve(config)
        except StorageError as e:  # a clear line, not a traceback (docs: README "Durability")
            sys.exit(f"dynoscale: {e}")
    elif command == "demo":
        from dynoscale.demo import run
        sys.exit(run(config))
    else:
        from dynoscale.tools import run
        sys.exit(run(command, config))


if __name__ == "__main__":
    main()
