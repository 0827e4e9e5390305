"""The repository explains itself: what the code and the docs cite is in the repository.

Every ``docs/<name>.md`` named in a tracked file exists, every ``docs/architecture.md §N`` names a section that
the page has, and nothing points at a design document kept outside the repository.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DOC_REF = re.compile(r"\bdocs/([a-z0-9_-]+\.md)")
SECTION_REF = re.compile(r"architecture\.md §(\d+)((?:, §\d+)*)")
# Converters may read gathered source files beside a checkout; the design is explained here, not elsewhere.
OUTSIDE = re.compile(r"DESIGN\.md")


def tracked_texts() -> dict[str, str]:
    names = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True).stdout.split()
    texts = {}
    for name in names:
        if name.endswith((".py", ".md", ".sh", ".wxs", ".toml", ".spec", ".ini", ".mako")) or name == ".ci/run":
            path = REPO / name
            if path.is_file():
                texts[name] = path.read_text("utf-8", errors="replace")
    return texts


def test_cited_docs_exist() -> None:
    texts = tracked_texts()
    assert len(texts) > 100
    missing = sorted({f"{name}: docs/{doc}" for name, text in texts.items() for doc in DOC_REF.findall(text)
                      if not (REPO / "docs" / doc).is_file()})
    assert not missing, "cited but not in docs/:\n" + "\n".join(missing)


def test_architecture_sections_cited_exist() -> None:
    page = (REPO / "docs" / "architecture.md").read_text("utf-8")
    sections = set(re.findall(r"^## (\d+)\. ", page, re.MULTILINE))
    assert {"1", "2", "3", "4", "5", "6", "7", "8", "9"} <= sections
    cited = 0
    for name, text in tracked_texts().items():
        for first, more in SECTION_REF.findall(text):
            for number in [first, *re.findall(r"\d+", more)]:
                cited += 1
                assert number in sections, f"{name} cites architecture.md §{number}, which does not exist"
    assert cited >= 20


def test_nothing_points_outside_the_repository() -> None:
    found = [f"{name}:{i}" for name, text in tracked_texts().items() if name != "tests/test_docs_cited.py"
             for i, line in enumerate(text.splitlines(), 1) if OUTSIDE.search(line)]
    assert not found, "references to documents outside the repository:\n" + "\n".join(found)
