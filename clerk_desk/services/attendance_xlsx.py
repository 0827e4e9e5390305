"""The monthly attendance sheet as .xlsx (openpyxl): two sheets, 按工作人员 and 按窗口, the same figures as
the printed sheet (services/attendance.monthly_sheet). Written to a temporary file beside the target and
renamed, so a half-written file never takes the target's name."""

from __future__ import annotations

import os
from pathlib import Path

from clerk_desk.services.attendance import MonthSheet, SheetLine
from clerk_desk.services.xlsx_text import append_row

HEAD = ("姓名/窗口", "在岗天数", "在岗小时", "受理件数", "暂离次数", "未签退")


def _rows(lines: list[SheetLine]) -> list[tuple[str, int, float, int, int, int]]:
    return [(x.name, x.days, x.hours, x.cases, x.breaks, x.open_stints) for x in lines]


def write_xlsx(sheet: MonthSheet, site_name: str, path: str | Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    target = Path(path)
    book = Workbook()
    first = book.active
    assert first is not None
    for ws, title, lines in ((first, "按工作人员", sheet.by_clerk), (book.create_sheet(), "按窗口", sheet.by_window)):
        ws.title = title
        append_row(ws, [f"{site_name} {sheet.title}"])
        ws["A1"].font = Font(bold=True, size=13)
        ws.append([("工作人员" if title == "按工作人员" else "窗口"), *HEAD[1:]])
        for cell in ws[2]:
            cell.font = Font(bold=True)
        for row in _rows(lines):
            append_row(ws, row)  # names as text, never formulas (services/xlsx_text.py)
        ws.append(["合计", None, round(sum(x.minutes for x in lines) / 60, 1), sum(x.cases for x in lines),
                   sum(x.breaks for x in lines), sum(x.open_stints for x in lines)])
        ws.column_dimensions["A"].width = 28
        for col in "BCDEF":
            ws.column_dimensions[col].width = 12
    tmp = target.with_name(target.name + ".part")
    book.save(tmp)
    os.replace(tmp, target)
    return target
