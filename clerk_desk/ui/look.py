"""Application look and language: CJK font, style sheet, Qt's and our zh_CN translations."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QColor, QFont, QFontDatabase, QPalette
from PySide6.QtWidgets import QApplication

from clerk_desk import paths

log = logging.getLogger(__name__)

CJK_FAMILIES = ("WenQuanYi Micro Hei", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "SimHei")
BASE_POINT_SIZE = 11  # the minimum for a busy hall
INK = "#1f2d3a"  # the text of every widget, enabled or not, unless style.qss says otherwise
DEFAULT_LANGUAGE = "zh_CN"


def translations_dir() -> Path:
    return paths.resources_dir() / "translations"


def language() -> str:
    """zh_CN unless CLERK_DESK_LANG says otherwise (``en`` shows the English source strings)."""
    return os.environ.get("CLERK_DESK_LANG", "").strip() or DEFAULT_LANGUAGE


def cjk_family() -> str | None:
    families = set(QFontDatabase.families())
    return next((f for f in CJK_FAMILIES if f in families), None)


def apply_font(app: QApplication) -> None:
    font = QFont(app.font())
    family = cjk_family()
    if family:
        font.setFamilies([family])
    else:
        log.warning("no CJK font found; Chinese text may not render")
    font.setPointSize(max(BASE_POINT_SIZE, font.pointSize()))
    app.setFont(font)


def apply_palette(app: QApplication) -> None:
    """The text colour of every widget, in every state: what a style sheet rule ``QWidget { color }`` did.

    A rule every widget is matched against cost ~20 ms of the start (docs/performance.md); the palette says
    the same once. Disabled text keeps the same ink, as it had under that rule (style.qss greys only the
    inputs and buttons), and the placeholder is the ink at half its opacity, as Qt derives it from a rule."""
    # Built from the text, not copied: the first QColor(color) or QPalette(palette) costs ~15 ms of CPU in
    # PySide6 (resolving those constructors' overloads), as much as the rule this replaces.
    palette = app.palette()
    ink, placeholder = QColor(INK), QColor(INK)
    placeholder.setAlpha(128)
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive, QPalette.ColorGroup.Disabled):
        for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
            palette.setColor(group, role, ink)
        palette.setColor(group, QPalette.ColorRole.PlaceholderText, placeholder)
    app.setPalette(palette)


def apply_style(app: QApplication) -> None:
    qss = paths.resources_dir() / "style.qss"
    if qss.exists():
        app.setStyleSheet(qss.read_text(encoding="utf-8"))


def install_translators(app: QCoreApplication, lang: str | None = None) -> list[QTranslator]:
    """Install Qt's own (qtbase) and Clerk Desk's translators; returns them (keep them alive)."""
    lang = lang or language()
    if lang.lower().startswith("en"):
        QLocale.setDefault(QLocale("en_US"))
        return []
    QLocale.setDefault(QLocale(lang))
    installed = []
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name, folder in ((f"qtbase_{lang}", qt_dir), (f"clerk_desk_{lang}", str(translations_dir()))):
        tr = QTranslator(app)
        if tr.load(name, folder):
            app.installTranslator(tr)
            installed.append(tr)
        else:
            log.warning("translation %s not found in %s", name, folder)
    return installed


def setup(app: QApplication) -> list[QTranslator]:
    app.setApplicationName("Clerk Desk")
    app.setOrganizationName("Tongshan County")
    apply_font(app)  # the size (11 pt) and the colour of all text are the app's font and palette, not a style
    apply_palette(app)  # sheet rule: every widget would be matched against it (docs/performance.md)
    apply_style(app)
    return install_translators(app)
