"""Chinese for the catalog pages until their strings are merged into clerk_desk_zh_CN.ts.

resources/translations/catalog_zh_CN.txt holds "English<TAB>Chinese" lines (``%n`` and ``%1`` kept).
A QTranslator reading it is installed once, after the app's own translators, so a string that the
main .ts translates later keeps that translation (Qt asks the most recently installed one first and
this one answers only for its own strings).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QTranslator

from clerk_desk import paths
from clerk_desk.ui import look

_CONTEXTS = frozenset({"CatalogBrowser", "ItemPage"})


def catalog_strings() -> dict[str, str]:
    path = paths.resources_dir() / "translations" / "catalog_zh_CN.txt"
    if not path.exists():
        return {}
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if "\t" in line and not line.startswith("#"):
            en, zh = line.split("\t", 1)
            out[en] = zh
    return out


class CatalogTranslator(QTranslator):
    def __init__(self, strings: dict[str, str]) -> None:
        super().__init__()
        self.strings = strings

    def translate(  # type: ignore[override]
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        # None becomes a null QString: "not mine", so Qt asks the next translator. An empty string
        # would be taken as the translation and blank out every other string (page size names...).
        if context not in _CONTEXTS:
            return None
        return self.strings.get(source)

    def isEmpty(self) -> bool:  # noqa: N802 (Qt API)
        return not self.strings


_installed: CatalogTranslator | None = None


def install_catalog_translator() -> None:
    global _installed
    app = QCoreApplication.instance()
    if app is None or _installed is not None or look.language().lower().startswith("en"):
        return
    _installed = CatalogTranslator(catalog_strings())
    app.installTranslator(_installed)
