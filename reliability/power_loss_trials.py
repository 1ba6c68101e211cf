#!/usr/bin/env python3
"""Power-loss safety, measured: cut the power (simulated) under concurrent mixed load and check,
after each restart, that the database is intact and, with `--durability full`, that nothing
acknowledged was lost.

    python reliability/power_loss_trials.py --trials 50 --durability full
    python reliability/power_loss_trials.py --trials 50 --durability normal   # counts the losses
    python reliability/power_loss_trials.py --trials 2 --seed 11   # what CI runs (tests/e2e)

The server runs under reliability/powerloss/shim.c (LD_PRELOAD; compiled with the system `cc`),
which logs what every write to a file of the data directory overwrote since that file's last
fsync. A power loss is a SIGKILL followed by `powerloss.replay`, which undoes those writes and
deletes the files created since the directory's last fsync: each file is left as it was last
synced (`--model strict`, the default), or with a random prefix of its unsynced writes kept
(`--model prefix`: the kernel wrote some back, in any order across files).

The load and the checks are reliability/crash_trials.py's (four writers of PutItem, UpdateItem
counters, BatchWriteItem and TransactWriteItems on a table with a GSI and a stream, auto scaling
on an advancing manual clock), plus SQLite's `PRAGMA integrity_check` and the schema (tables and
indexes) after each restart. With `full`, any acknowledged write missing is a failure. With
`normal` the last acknowledged writes (and clock advances) may be lost by design: they are
counted (and dropped from what later trials expect), and everything else must hold:
integrity, no transaction half-applied, GSI and stream matching the table, the control plane
intact. The tables, alarms and
policies are set up (with `normal`, the server is then restarted cleanly: SQLite checkpoints
and syncs at close, so the setup is durable before the first power loss). Exits 1 on the first
violation, 2 when there is no C compiler.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import tempfile
import threading
import time
from pathlib import Path

from botocore.exceptions import BotoCoreError, ClientError

import crash_trials
import powerloss
from crash_trials import Ledger, Server, TABLE


def lose_unlucky_writes(server: Server, ledger: Ledger) -> int:
    """`normal` may lose the last acknowledged writes: count them and drop them from the ledger
    (later trials must not expect them). Transactions stay listed: all-or-nothing still holds."""
    items, start = {}, None
    ddb = server.client("dynamodb")
    while True:
        page = ddb.scan(TableName=TABLE, ConsistentRead=True,
                        **({"ExclusiveStartKey": start} if start else {}))
        items.update({i["pk"]["S"]: i for i in page["Items"]})
        start = page.get("LastEvaluatedKey")
        if not start:
            break
    # scaling activities committed after the last sync may be lost too: expect only the kept
    ledger.activities &= crash_trials.activities(server).keys()
    lost = [k for k in ledger.puts if k not in items]
    for k in lost:
        del ledger.puts[k]
    n = len(lost)
    for batch in ledger.batches:
        gone = [k for k in batch if k not in items]
        n += len(gone)
        batch[:] = [k for k in batch if k in items]
    for i, (a, b, acked) in enumerate(ledger.transactions):
        if acked and a not in items and b not in items:
            ledger.transactions[i] = (a, b, False)
            n += 2
    counter = int(items.get("counter", {}).get("c", {}).get("N", "0"))
    if counter < ledger.counter_acked:
        n += ledger.counter_acked - counter
        ledger.counter_acked = counter
    return n


def database_check(db_path: Path, expected_schema: list) -> list[str]:
    """SQLite's own verdict on the file the restarted server opened (read-only, beside it)."""
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        verdict = [r[0] for r in con.execute("PRAGMA integrity_check")]
        schema = con.execute("SELECT type, name FROM sqlite_master ORDER BY name").fetchall()
    except sqlite3.DatabaseError as e:  # "database disk image is malformed"
        return [f"database unreadable: {e}"]
    finally:
        con.close()
    problems = [] if verdict == ["ok"] else [f"integrity_check: {verdict[:5]}"]
    if schema != expected_schema:
        problems.append(f"schema changed: {schema} != {expected_schema}")
    return problems


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=50)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--durability", choices=["normal", "full"], default="full")
    parser.add_argument("--model", choices=["strict", "prefix"], default="strict",
                        help="strict: every unsynced write is lost; prefix: a random prefix of "
                             "each file's unsynced writes survives")
    parser.add_argument("--work-dir", default=None, help="default: a new temporary directory")
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else random.randrange(10**6)
    rng = random.Random(seed)
    work = Path(args.work_dir or tempfile.mkdtemp(prefix="dynoscale-powerloss-"))
    data_dir, undo_dir = work / "data", work / "undo"
    data_dir.mkdir(parents=True, exist_ok=True)
    undo_dir.mkdir(exist_ok=True)
    shim = powerloss.build_shim(work)
    if shim is None:
        print("power loss trials need a C compiler (cc) for the shim; none found")
        return 2
    server = Server(str(data_dir), args.durability)
    server.env = powerloss.shim_environment(shim, data_dir, undo_dir)
    ledger = Ledger()
    server.start()
    expected = crash_trials.set_up(server)
    if args.durability == "normal":  # a clean close syncs everything: the setup is durable
        server.stop()                # (with `full` it is already: it was acknowledged)
        server.start()
    db_path = data_dir / "dynoscale.sqlite3"
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    expected_schema = con.execute("SELECT type, name FROM sqlite_master ORDER BY name").fetchall()
    con.close()
    clock_seen = [server.clock()]
    print(f"power loss trials: seed {seed}, durability {args.durability}, model {args.model}, "
          f"work {work}", flush=True)
    clients = [server.new_client("dynamodb") for _ in range(4)]
    acknowledged = lost_total = trials_with_loss = undone_total = clock_back = 0
    try:
        for trial in range(1, args.trials + 1):
            checked_before = ledger.checked()
            stop = threading.Event()
            threads = [threading.Thread(target=crash_trials.writer,
                                        args=(clients[i], ledger, f"w{trial}x{i}", stop,
                                              random.Random(rng.random())))
                       for i in range(4)]
            threads.append(threading.Thread(target=crash_trials.advancer,
                                            args=(server, stop, clock_seen)))
            for t in threads:
                t.start()
            time.sleep(rng.uniform(0.3, 1.5))
            server.kill()
            stop.set()
            for t in threads:
                t.join()
            acknowledged += ledger.checked() - checked_before
            replayed = powerloss.replay(data_dir, undo_dir, keep="prefix" if args.model == "prefix"
                                        else "none", rng=random.Random(rng.random()))
            undone_total += replayed.writes_undone
            server.start()
            problems, lost = [], 0
            try:
                clock_before = max(clock_seen)
                if args.durability == "normal":  # the clock is state too: it may go back
                    lost = lose_unlucky_writes(server, ledger)
                    now = server.clock()
                    clock_back += now < clock_before
                    clock_before = min(clock_before, now)
                problems = crash_trials.check(server, ledger, expected, clock_before)
                problems += database_check(db_path, expected_schema)
            except (ClientError, BotoCoreError, OSError, sqlite3.Error) as e:
                problems.append(f"check failed: {e}")
            lost_total += lost
            trials_with_loss += lost > 0
            clock_seen[:] = [server.clock()]
            print(f"trial {trial}: {replayed.writes_undone} unsynced writes undone "
                  f"({replayed.bytes_restored} bytes), {replayed.files_deleted} files deleted; "
                  f"{ledger.checked()} acknowledged writes checked, {lost} lost, "
                  f"{'OK' if not problems else 'FAILED'}", flush=True)
            if problems:
                for p in problems[:20]:
                    print("  " + p)
                return 1
    finally:
        server.stop()
    print(f"power loss trials passed: {args.trials} power losses (durability {args.durability}, "
          f"model {args.model}), {acknowledged} writes acknowledged, {lost_total} lost "
          f"(in {trials_with_loss} trials), {undone_total} unsynced writes undone, clock went "
          f"back in {clock_back} trials, integrity_check ok every time", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
