"""zh_CN is the default UI: every English source string has a finished Chinese translation, the .ts
covers every tr() in the code, and the committed .qm is what lrelease makes of the committed .ts."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale

from clerk_desk.ui import look, pages

REPO = Path(__file__).resolve().parents[2]
TS = REPO / "resources" / "translations" / "clerk_desk_zh_CN.ts"
QM = TS.with_suffix(".qm")
BIN = Path(sys.executable).parent
PLACEHOLDER = re.compile(r"\{(\d+)")


def _messages(ts: Path) -> list[tuple[str, str, ET.Element]]:
    root = ET.parse(ts).getroot()
    return [
        (ctx.findtext("name") or "", m.findtext("source") or "", m.find("translation"))  # type: ignore[misc]
        for ctx in root.iter("context")
        for m in ctx.iter("message")
    ]


def _tool(name: str) -> str:
    path = BIN / name
    found = str(path) if path.exists() else shutil.which(name)
    if not found:
        pytest.fail(f"{name} not found (it comes with PySide6)")
    return found


def test_every_string_has_a_finished_translation() -> None:
    problems = []
    for ctx, source, tr in _messages(TS):
        if (
            tr is None
            or not ((tr.text or "") + "".join(f.text or "" for f in tr.iter("numerusform"))).strip()  # %n plurals
            or tr.get("type") in ("unfinished", "obsolete", "vanished")
        ):
            problems.append(f"{ctx}: {source!r}")
        elif any(sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(text or ""))
                 for text in [f.text for f in tr.iter("numerusform")] or [tr.text]):  # (each plural form)
            problems.append(f"{ctx}: placeholders differ in {tr.text!r}")
    assert problems == []


def test_ts_covers_every_source_string(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.ts"
    ui = REPO / "clerk_desk" / "ui"
    sources = sorted(str(p) for p in ui.rglob("*.py"))
    sources.append(str(REPO / "clerk_desk" / "app.py"))
    subprocess.run(
        [_tool("pyside6-lupdate"), "-locations", "none", *sources, "-ts", str(fresh)],
        check=True,
        capture_output=True,
    )
    in_code = {(c, s) for c, s, _ in _messages(fresh)}
    in_ts = {(c, s) for c, s, _ in _messages(TS)}
    assert sorted(in_code - in_ts) == [], "run scripts/update-translations.sh and translate the new strings"


def test_committed_qm_is_compiled_from_the_committed_ts(tmp_path: Path) -> None:
    out = tmp_path / "check.qm"
    subprocess.run(
        [_tool("pyside6-lrelease"), "-nounfinished", str(TS), "-qm", str(out)],
        check=True,
        capture_output=True,
    )
    assert out.read_bytes() == QM.read_bytes(), "run scripts/update-translations.sh and commit the .qm"


def test_translators_are_installed_by_default(qapp) -> None:
    assert QCoreApplication.translate("pages", "Home") == "首页"
    assert [p.translated_title() for p in pages.PAGES[:1]] == ["首页"]
    assert QCoreApplication.translate("QPlatformTheme", "&Yes") == "是(&Y)"  # Qt's own (qtbase) strings too


def test_english_can_be_chosen(monkeypatch, qapp) -> None:
    monkeypatch.setenv("CLERK_DESK_LANG", "en")
    assert look.language() == "en"
    assert look.install_translators(qapp) == []
    monkeypatch.delenv("CLERK_DESK_LANG")
    assert look.language() == "zh_CN"
    QLocale.setDefault(QLocale("zh_CN"))


def test_translations_survive_building_every_page(start) -> None:
    """A page's own QTranslator must answer None (a null QString) for strings it does not know: an
    empty string stops Qt's lookup there, and every other text in the app goes blank."""
    s = start()
    s.sign_in("admin", window=None)
    assert s.controller.main_window is not None
    assert QCoreApplication.translate("pages", "Home") == "首页"
    assert QCoreApplication.translate("QPlatformTheme", "&Yes") == "是(&Y)"
    assert QCoreApplication.translate("NoSuchContext", "Untranslated") == "Untranslated"
