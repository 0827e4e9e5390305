"""Python's own ``import`` comes back after Qt loads (clerk_desk/ui/qt_import.py): the desk uses none of
PySide6's ``__feature__`` switches, and in a fresh process modules imported afterwards are no longer read by
PySide6's hook while Qt keeps working (its classes still load on first use)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import clerk_desk

ROOT = Path(clerk_desk.__file__).resolve().parent.parent
SWITCH = re.compile(r"^\s*(from\s+__feature__\s+import|import\s+__feature__)", re.MULTILINE)

CHILD = r"""
import builtins, sys
import PySide6.QtCore
feature = sys.modules["PySide6.support.feature"]
hook = builtins.__feature_import__
assert builtins.__import__ is hook, "PySide6 no longer installs its import hook: qt_import.py is not needed"
from clerk_desk.domain.errors import ClerkDeskError  # the hook reads errors.py for "PySide6" and records it
assert "clerk_desk.domain.errors" in feature.pyside_feature_dict
from clerk_desk.ui import qt_import
assert qt_import.load_qt() is True
assert builtins.__import__ is not hook and builtins.__import__ is builtins.__orig_import__
from clerk_desk.domain.case_numbers import CaseNumber  # not read any more
assert "clerk_desk.domain.case_numbers" not in feature.pyside_feature_dict
assert qt_import.load_qt() is False  # a second call changes nothing
from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QApplication, QHeaderView, QLabel, QTableView
app = QApplication([])
label = QLabel("办件")
label.setTextFormat(Qt.TextFormat.PlainText)
label.show()
table = QTableView()
table.setModel(QStandardItemModel(2, 3))
table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
assert table.horizontalHeader().sectionResizeMode(1) == QHeaderView.ResizeMode.Stretch
print("ok", label.text())
"""


def test_no_module_of_the_desk_selects_a_pyside6_feature() -> None:
    users = [str(p.relative_to(ROOT)) for folder in ("clerk_desk", "tests", "benchmarks")
             for p in (ROOT / folder).rglob("*.py") if SWITCH.search(p.read_text(encoding="utf-8"))]  # fmt: skip
    assert users == []


def test_python_import_comes_back_and_qt_still_works() -> None:
    r = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, timeout=60,
                       env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}, cwd=ROOT)  # fmt: skip
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.strip() == "ok 办件"
