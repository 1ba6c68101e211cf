#!/usr/bin/env python3
"""Bulk loader for the large-table check (`make bench-scale`): writes items pk="p%06d" % (i//10),
sk="s%d" % (i%10), ~100 bytes each (the same items as loadgen.py's put), over C keep-alive
connections, bounded by item count and by time.

Uses BatchWriteItem (25 items a request) when the server answers one with 200, else PutItem.
Requests are signed as they are sent (pre-signing a million requests would take gigabytes),
with loadgen.py's Signer, connection and response parser.

Prints one human line and one JSON line prefixed "LOADED ".
"""
import argparse
import asyncio
import json
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
import loadgen  # noqa: E402  (our own tool, next to this file)

BATCH = 25  # BatchWriteItem's maximum (DynamoDB API reference)


def item(i: int) -> dict:
    return {"pk": {"S": "p%06d" % (i // 10)}, "sk": {"S": "s%d" % (i % 10)}, "data": {"S": "x" * 80}}


def put_body(table: str, i: int) -> bytes:
    return json.dumps({"TableName": table, "Item": item(i)}, separators=(",", ":")).encode()


def batch_body(table: str, lo: int, hi: int) -> bytes:
    reqs = [{"PutRequest": {"Item": item(i)}} for i in range(lo, hi)]
    return json.dumps({"RequestItems": {table: reqs}}, separators=(",", ":")).encode()


async def load(args) -> dict:
    u = urlsplit(args.endpoint)
    loadgen.check_loopback(u.hostname)
    signer = loadgen.Signer(args.endpoint)
    conns = [loadgen.Conn(u.hostname, u.port or 80) for _ in range(args.concurrency)]
    for c in conns:
        await c.open()

    # Probe: one batch of the first items. 200 with no UnprocessedItems -> batches from here on.
    probe_hi = min(BATCH, args.items)
    conns[0].w.write(signer.sign("BatchWriteItem", batch_body(args.table, 0, probe_hi)))
    status, body, _ = await loadgen.read_response(conns[0].r)
    use_batch = status == 200 and not json.loads(body).get("UnprocessedItems")
    method = "BatchWriteItem" if use_batch else "PutItem"
    step = BATCH if use_batch else 1
    next_i = [probe_hi if use_batch else 0]
    done = [probe_hi if use_batch else 0]
    errors: dict = {}
    t0 = time.monotonic()
    deadline = t0 + args.timeout

    async def worker(c):
        while next_i[0] < args.items and time.monotonic() < deadline:
            lo = next_i[0]
            hi = min(lo + step, args.items)
            next_i[0] = hi
            if use_batch:
                req = signer.sign("BatchWriteItem", batch_body(args.table, lo, hi))
            else:
                req = signer.sign("PutItem", put_body(args.table, lo))
            c.w.write(req)
            status, body, must_close = await loadgen.read_response(c.r)
            if status == 200:
                unprocessed = json.loads(body).get("UnprocessedItems") if use_batch else None
                if unprocessed:  # rare; count them as errors rather than retry without bound
                    n = sum(len(v) for v in unprocessed.values())
                    errors["UnprocessedItems"] = errors.get("UnprocessedItems", 0) + n
                    done[0] += hi - lo - n
                else:
                    done[0] += hi - lo
            else:
                k = loadgen.err_type(status, body)
                errors[k] = errors.get(k, 0) + 1
            if must_close:
                c.close()
                await c.open()

    last_report = [t0]

    async def progress():
        while next_i[0] < args.items and time.monotonic() < deadline:
            await asyncio.sleep(1.0)
            now = time.monotonic()
            if now - last_report[0] >= args.progress:
                last_report[0] = now
                print(f"  loaded {done[0]:,} / {args.items:,} items in {now - t0:.0f} s", flush=True)

    watcher = asyncio.ensure_future(progress())
    await asyncio.gather(*(worker(c) for c in conns))
    watcher.cancel()
    elapsed = time.monotonic() - t0
    for c in conns:
        c.close()
    return {"endpoint": args.endpoint, "table": args.table, "method": method,
            "requested": args.items, "loaded": done[0], "elapsed_s": round(elapsed, 1),
            "items_s": round(done[0] / elapsed, 1) if elapsed > 0 else None,
            "errors": sum(errors.values()), "error_types": errors,
            "stopped_by_time": next_i[0] < args.items}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--endpoint", required=True)
    ap.add_argument("--table", required=True)
    ap.add_argument("--items", type=int, required=True)
    ap.add_argument("-c", "--concurrency", type=int, default=16)
    ap.add_argument("--timeout", type=float, default=900.0, help="stop loading after this many seconds")
    ap.add_argument("--progress", type=float, default=30.0, help="seconds between progress lines")
    args = ap.parse_args()
    res = asyncio.run(load(args))
    print(f"{args.table}: {res['loaded']:,}/{res['requested']:,} items by {res['method']} in "
          f"{res['elapsed_s']} s ({res['items_s']} items/s) errors={res['errors']} "
          f"{res['error_types'] or ''}", flush=True)
    print("LOADED " + json.dumps(res), flush=True)


if __name__ == "__main__":
    main()
