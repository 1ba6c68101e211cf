"""What a newcomer reads first: the tutorial's files ship in examples/tutorial/ exactly as the
tutorial prints them, and every link in the README resolves inside the repository (files and
section anchors)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "e2e"))

from tutorial import blocks  # noqa: E402


def test_the_tutorials_files_ship_as_printed():
    files = {b.filename: b.text for b in blocks() if b.kind == "file"}
    assert set(files) == {"trust-relationship.json", "service-role-policy.json",
                          "scaling-policy.json", "bulk-load-test-table.py"}
    for name, text in files.items():
        assert (ROOT / "examples" / "tutorial" / name).read_text() == text, name


def slug(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def test_readme_links_resolve_inside_the_repository():
    readme = (ROOT / "README.md").read_text()
    prose = re.sub(r"```.*?```", "", readme, flags=re.S)
    anchors = {slug(h) for h in re.findall(r"^#+ (.+)$", prose, flags=re.M)}
    broken = []
    for target in re.findall(r"\]\(([^)\s]+)\)", prose):
        if target.startswith(("http://", "https://")):
            continue
        path, _, anchor = target.partition("#")
        if path and not (ROOT / path).exists():
            broken.append(target)
        elif not path and anchor not in anchors:
            broken.append(target)
    assert broken == []
