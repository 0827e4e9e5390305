"""Text in an exported .xlsx stays text.

openpyxl stores a string that starts with "=" as a formula, and Excel or WPS runs it when the file is opened
(``=HYPERLINK(…)``, ``=WEBSERVICE(…)`` sends what the sheet holds to an address, a DDE formula starts a
program): a window, an item or a person named so is data, never a formula (docs/security.md §5)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def append_row(sheet: Any, values: Iterable[object]) -> None:
    """``sheet.append(values)``, every text in it a text cell (numbers stay numbers). A control character a
    workbook cannot hold (a name an earlier version kept from a paste: an ESC, a NUL) is left out: openpyxl
    refused the whole workbook for it."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in values])
    for cell in sheet[sheet.max_row]:
        if cell.data_type == "f":
            cell.data_type = "s"
