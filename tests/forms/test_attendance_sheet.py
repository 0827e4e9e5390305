"""The monthly attendance sheet printed (A4 PDF read back with pdftotext) and exported as .xlsx (read back
with openpyxl): the same figures as services/attendance.monthly_sheet, names as plain text."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from openpyxl import load_workbook
from PySide6.QtWidgets import QApplication

from clerk_desk.forms.attendance_sheet import AttendancePaper, SheetRow, save_pdf
from clerk_desk.services import attendance
from clerk_desk.services.attendance_xlsx import write_xlsx
from tests.forms.conftest import pdftotext
from tests.services.test_attendance import Hall, hall, local  # noqa: F401 (the fixture)


def _worked_month(hall: Hall) -> attendance.MonthSheet:  # noqa: F811
    for d, (user, window) in enumerate([("clerk1", 0), ("clerk2", 1), ("clerk1", 0), ("manager", 2)], start=2):
        c = hall.clerk(user, window)
        day = date(2026, 11, d)
        attendance.sign_on(hall.db, c, now=local(day, 8, 30))
        attendance.start_break(hall.db, c, now=local(day, 10))
        attendance.end_break(hall.db, c, now=local(day, 10, 15))
        hall.case(c, local(day, 9))
        attendance.sign_off(hall.db, c, now=local(day, 12))
    return attendance.monthly_sheet(hall.db, hall.site, 2026, 11, now=datetime(2026, 12, 1, tzinfo=UTC))


def _rows(lines: list[attendance.SheetLine]) -> tuple[SheetRow, ...]:
    return tuple(SheetRow(x.name, x.days, x.hours, x.cases, x.breaks, x.open_stints) for x in lines)


def test_the_sheet_prints_and_reads_back(qapp: QApplication, hall: Hall, tmp_path: Path) -> None:  # noqa: F811
    sheet = _worked_month(hall)
    paper = AttendancePaper("通羊镇<b>便民</b>服务中心", 2026, 11, _rows(sheet.by_clerk), _rows(sheet.by_window),
                            datetime(2026, 12, 1, 2, tzinfo=UTC), "大厅管理员")
    text = pdftotext(save_pdf(paper, tmp_path / "sheet.pdf"))
    assert "窗口在岗统计表" in text and "2026年11月" in text and "通羊镇<b>便民</b>服务中心" in text
    for line in sheet.by_clerk:
        assert line.name in text
    clerk1 = next(x for x in sheet.by_clerk if x.key == "clerk1")
    assert (clerk1.days, clerk1.minutes, clerk1.cases, clerk1.breaks) == (2, 2 * (210 - 15), 2, 2)
    assert f"{clerk1.hours:.1f}" in text  # 6.5 hours
    assert "大厅负责人" in text


def test_the_sheet_exports_as_xlsx_and_reads_back(hall: Hall, tmp_path: Path) -> None:  # noqa: F811
    sheet = _worked_month(hall)
    path = write_xlsx(sheet, "通羊镇便民服务中心", tmp_path / "在岗.xlsx")
    book = load_workbook(path)
    assert book.sheetnames == ["按工作人员", "按窗口"]
    for ws, lines in ((book["按工作人员"], sheet.by_clerk), (book["按窗口"], sheet.by_window)):
        values = [tuple(r) for r in ws.iter_rows(values_only=True)]
        assert values[0][0] == "通羊镇便民服务中心 2026年11月窗口在岗统计"
        body = values[2:-1]
        assert body == [(x.name, x.days, x.hours, x.cases, x.breaks, x.open_stints) for x in lines]
        assert values[-1][0] == "合计" and values[-1][3] == sum(x.cases for x in lines)
    assert not list(tmp_path.glob("*.part"))


def test_a_name_holding_a_control_character_exports(hall: Hall, tmp_path: Path) -> None:  # noqa: F811
    """A name an earlier version kept from a paste (an ESC, a NUL) is a character a workbook cannot hold:
    openpyxl refused the whole export (IllegalCharacterError) and the month's sheet could not be saved."""
    from clerk_desk.services import accounts

    accounts.add_user(hall.db, username="clerk9", display_name="王\x1b五\x00六", password="Clerk-9-password!",
                      roles=["clerk"])
    hall = Hall(hall.db)
    c = hall.clerk("clerk9", 0)
    day = date(2026, 11, 3)
    attendance.sign_on(hall.db, c, now=local(day, 8, 30))
    hall.case(c, local(day, 9))
    attendance.sign_off(hall.db, c, now=local(day, 12))
    sheet = attendance.monthly_sheet(hall.db, hall.site, 2026, 11, now=datetime(2026, 12, 1, tzinfo=UTC))
    path = write_xlsx(sheet, "=通羊镇\x07便民服务中心", tmp_path / "在岗.xlsx")
    ws = load_workbook(path)["按工作人员"]
    assert ws["A1"].value == "=通羊镇便民服务中心 2026年11月窗口在岗统计" and ws["A1"].data_type == "s"
    names = [r[0] for r in ws.iter_rows(min_row=3, values_only=True)]
    assert "王五六" in names
