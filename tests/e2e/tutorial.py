"""Reads the seed tutorial (tests/e2e/tutorial.md, AWS's "Using the AWS CLI to Manage DynamoDB Auto
Scaling", verbatim) and yields its steps: files to create and commands to run, exactly as printed.

Only the placeholders the tutorial itself says to replace (`arn`, `roleARN`) are substituted.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

TUTORIAL = Path(__file__).with_name("tutorial.md")


@dataclass
class Block:
    step: int
    kind: str            # "file" or "command"
    text: str
    filename: Optional[str] = None


def blocks() -> list[Block]:
    text = TUTORIAL.read_text()
    out: list[Block] = []
    step = 0
    pending_file: Optional[str] = None
    fence = re.compile(r"^(\s*)```\s*$")
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        m = re.match(r"^## Step (\d+)|^## \\\(Optional\\\) Step (\d+)", line)
        if m:
            step = int(m.group(1) or m.group(2))
        f = re.search(r"Create a file named `([^`]+)`", line)
        if f:
            pending_file = f.group(1)
        fm = fence.match(line)
        if fm:
            indent = len(fm.group(1))
            body = []
            i += 1
            while i < len(lines) and not fence.match(lines[i]):
                body.append(lines[i][indent:] if lines[i].strip() else "")
                i += 1
            content = "\n".join(body).strip("\n") + "\n"
            if pending_file:
                out.append(Block(step, "file", content, pending_file))
                pending_file = None
            elif content.strip().startswith("aws "):
                out.append(Block(step, "command", content.strip()))
            elif "aws " in content:
                out.append(Block(step, "command", content.strip()))
        i += 1
    return out


def argv(command: str, replacements: dict[str, str]) -> list[str]:
    """Split a printed command (with backslash continuations) into argv; substitute the
    placeholders the tutorial asks the reader to replace."""
    args = shlex.split(command.replace("\\\n", " "))
    return [replacements.get(a, a) for a in args]
