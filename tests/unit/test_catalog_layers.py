"""The county hub imports catalog validation: the pure catalog modules must not pull in Qt or the store."""

from __future__ import annotations

import subprocess
import sys

PURE = ("format", "validate", "pinyin_index", "search_engine", "checklist", "views")


def test_pure_catalog_modules_import_neither_qt_nor_store() -> None:
    code = (
        "import sys\n"
        + "".join(f"import clerk_desk.catalog.{m}\n" for m in PURE)
        + "bad = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'sqlalchemy', "
        "'clerk_desk.store', 'clerk_desk.services', 'alembic')))\n"
        "print(','.join(bad))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""
