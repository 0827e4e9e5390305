"""Look for personal data in the raw bytes of files, in every form SQLite (and JSON inside it) may keep
a text: UTF-8, UTF-16 in either byte order, and JSON's \\uXXXX escapes (lower- and upper-case hex)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path


def forms(value: str) -> set[bytes]:
    out = {value.encode("utf-8"), value.encode("utf-16-le"), value.encode("utf-16-be")}
    escaped = json.dumps(value)[1:-1]  # ensure_ascii: 张 -> \u5f20 (SQLAlchemy's and json_to_db's form)
    out |= {escaped.encode("ascii"), escaped.replace("\\u", "\\U").encode("ascii")}
    upper = "".join(f"\\u{ord(ch):04X}" if ord(ch) > 127 else ch for ch in value)
    out.add(upper.encode("ascii"))
    return out


def database_files(folder: Path) -> list[Path]:
    """The database, its -wal/-shm/-journal and every backup under ``folder``."""
    return sorted(p for p in Path(folder).rglob("*") if p.is_file() and ".sqlite3" in p.name)


def found(values: Iterable[str], files: Iterable[Path]) -> list[tuple[str, str]]:
    """(file name, value) for every value found in any of its forms."""
    hits = []
    for file in files:
        raw = file.read_bytes()
        for value in values:
            if any(form in raw for form in forms(value)):
                hits.append((file.name, value))
    return hits
