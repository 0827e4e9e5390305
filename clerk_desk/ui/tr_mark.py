"""QT_TRANSLATE_NOOP with its types: marks an English source string for lupdate and gives it back unchanged.

PySide6's own is declared ``(object, object) -> object``, so every marked title or message would lose that it is
a ``str``. lupdate finds the marks by the name alone, so importing this one instead keeps the .ts extraction.
"""

from __future__ import annotations


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # the name lupdate looks for
    del context  # read by lupdate in the source, not at run time
    return text
