"""Simulated power loss: what a disk holds when the power goes, for a process run under shim.c.

    so = build_shim(tmp)                       # cc -shared shim.c (None: no C compiler)
    env = shim_environment(so, data_dir, undo_dir)
    ... run the process with env, SIGKILL it ...
    stats = replay(data_dir, undo_dir)         # every write since each file's last fsync undone

A SIGKILL alone is no power loss: the OS page cache keeps every write the process made. The shim
logs what each write to a file of `data_dir` overwrote since that file's last fsync/fdatasync
(and which files were created since the directory's last fsync); `replay` undoes those writes
newest first and deletes those files, leaving each file exactly as it was last synced. That is
the strictest model of a power loss (the kernel wrote back nothing it was not made to); a real
kernel writes back earlier, in any order, and any such state is covered by `keep="prefix"`,
which keeps a random prefix of each file's unsynced writes (each file's own order kept, files
independent of one another: the disk may persist one file's writes before another's).
"""

from __future__ import annotations

import os
import random
import shutil
import struct
import subprocess
from dataclasses import dataclass
from pathlib import Path

SHIM = Path(__file__).with_name("shim.c")
RECORD = struct.Struct("=QQQ")  # offset, size before, n old bytes (shim.c's record header)


def build_shim(out_dir: str | os.PathLike) -> Path | None:
    """Compile shim.c into out_dir with the system C compiler; None when there is none."""
    cc = shutil.which("cc") or shutil.which("gcc")
    if cc is None:
        return None
    out = Path(out_dir) / "powerloss_shim.so"
    subprocess.run([cc, "-shared", "-fPIC", "-O2", "-Wall", "-o", str(out), str(SHIM), "-ldl"],
                   check=True, capture_output=True)
    return out


def shim_environment(shim: Path, data_dir, undo_dir, base: dict | None = None) -> dict:
    env = dict(os.environ if base is None else base)
    env.update(LD_PRELOAD=str(shim), POWERLOSS_DATA_DIR=str(data_dir),
               POWERLOSS_UNDO_DIR=str(undo_dir))
    return env


@dataclass
class Replayed:
    writes_undone: int = 0     # records undone (writes and truncations since the last fsync)
    bytes_restored: int = 0
    files_deleted: int = 0     # created since the directory's last fsync


def undo_records(path: Path) -> list[tuple[int, int, bytes]]:
    data, records, at = path.read_bytes(), [], 0
    while at + RECORD.size <= len(data):
        offset, size, n = RECORD.unpack_from(data, at)
        at += RECORD.size
        if at + n > len(data):
            break  # cannot happen (each record is one append), but never read past the end
        records.append((offset, size, data[at:at + n]))
        at += n
    return records


def replay(data_dir, undo_dir, keep: str = "none", rng: random.Random | None = None) -> Replayed:
    """Turn the files of data_dir into what survives a power loss (the process must be dead).
    keep="none": every unsynced write is lost; "prefix": a random prefix of each file's
    unsynced writes (and of the unsynced file creations) survives."""
    data_dir, undo_dir = Path(data_dir), Path(undo_dir)
    rng = rng or random.Random()
    out = Replayed()
    for log in sorted(undo_dir.glob("*.undo")):
        target = data_dir / log.name[:-len(".undo")]
        records = undo_records(log)
        kept = rng.randint(0, len(records)) if keep == "prefix" else 0
        if target.exists() and records[kept:]:
            with open(target, "r+b") as f:
                for offset, size, old in reversed(records[kept:]):
                    f.seek(offset)
                    f.write(old)
                    f.truncate(size)
                    out.writes_undone += 1
                    out.bytes_restored += len(old)
        log.unlink()
    created_list = undo_dir / "created"
    created = created_list.read_text().split() if created_list.exists() else []
    kept = rng.randint(0, len(created)) if keep == "prefix" else 0
    for name in created[kept:]:
        if (data_dir / name).exists():
            (data_dir / name).unlink()
            out.files_deleted += 1
    created_list.unlink(missing_ok=True)
    # SQLite's wal-index is mmap'd (not watched): its contents after a power loss are anything;
    # SQLite rebuilds it from the WAL when the first connection opens the database.
    for shm in data_dir.glob("*-shm"):
        shm.unlink()
    return out
