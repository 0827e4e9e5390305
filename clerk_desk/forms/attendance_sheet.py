"""窗口在岗统计表: the monthly attendance sheet (在位率) per clerk and per window, printed on A4 for the hall
manager to sign (services/attendance.monthly_sheet gives the figures; docs/hall-services.md).

Built as data (:class:`AttendancePaper`), then HTML, then printed or saved as a PDF through
:mod:`clerk_desk.forms.render`. Names come from people and the set-up: escaped, never markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from clerk_desk.forms.documents import shanghai_time
from clerk_desk.forms.html_parts import blank, esc
from clerk_desk.forms.render import PreviewFactory, print_html, save_html_pdf

TITLE = "窗口在岗统计表"


@dataclass(frozen=True)
class SheetRow:
    name: str
    days: int
    hours: float
    cases: int
    breaks: int
    open_stints: int = 0


@dataclass(frozen=True)
class AttendancePaper:
    site_name: str
    year: int
    month: int
    by_clerk: tuple[SheetRow, ...]
    by_window: tuple[SheetRow, ...]
    printed_at: datetime
    printed_by: str


_CSS = """
h1 { font-size: 17pt; font-weight: bold; text-align: center; margin-bottom: 2pt; letter-spacing: 2px; }
h2 { font-size: 12pt; font-weight: bold; margin-top: 10pt; margin-bottom: 4pt; }
p.sub { font-size: 10pt; text-align: center; margin-top: 0; margin-bottom: 6pt; }
table.list { border-collapse: collapse; }
table.list th { background-color: #e8e8e8; font-weight: bold; font-size: 10pt; }
table.list td { font-size: 10pt; }
td.n { text-align: right; }
p.note { font-size: 9pt; margin-top: 6pt; }
"""


def _table(first: str, rows: Sequence[SheetRow]) -> str:
    head = (f"<tr><th width='34%'>{first}</th><th width='13%'>在岗天数</th><th width='15%'>在岗小时</th>"
            "<th width='13%'>受理件数</th><th width='12%'>暂离次数</th><th width='13%'>未签退</th></tr>")
    body = "".join(
        f"<tr><td>{esc(r.name)}</td><td class='n'>{r.days}</td><td class='n'>{r.hours:.1f}</td>"
        f"<td class='n'>{r.cases}</td><td class='n'>{r.breaks}</td><td class='n'>{r.open_stints}</td></tr>"
        for r in rows
    ) or "<tr><td colspan='6'>本月无记录</td></tr>"
    # Every count is written, 0 too (a blank read as not filled in). The total leaves 在岗天数 blank on purpose:
    # days of different people (or windows) added up are no number of days (docs/hall-services.md).
    sums = (f"{sum(r.hours for r in rows):.1f}", sum(r.cases for r in rows), sum(r.breaks for r in rows),
            sum(r.open_stints for r in rows))
    total = "<tr><td><b>合计</b></td><td></td>" + "".join(f"<td class='n'><b>{v}</b></td>" for v in sums) + "</tr>"
    return (f"<table class='list' width='100%' border='1' cellspacing='0' cellpadding='4'>{head}{body}{total}</table>")


def to_html(doc: AttendancePaper) -> str:
    printed = shanghai_time(doc.printed_at)
    return "".join([
        f"<html><head><style>{_CSS}</style></head><body>",
        f"<h1>{TITLE}</h1>",
        f"<p class='sub'>{esc(doc.site_name)} · {doc.year}年{doc.month}月</p>",
        "<h2>一、按工作人员</h2>", _table("工作人员", doc.by_clerk),
        "<h2>二、按窗口</h2>", _table("窗口", doc.by_window),
        "<p class='note'>在岗小时不含暂离时间；受理件数为在窗口受理、当场办结、一次性告知和不予受理的办件。"
        f"打印：{esc(doc.printed_by)}，{printed:%Y-%m-%d %H:%M}。</p>",
        "<table width='100%' cellspacing='0' cellpadding='6' style='margin-top: 16px;'><tr>"
        f"<td width='50%'>大厅负责人：{blank(7)}</td><td width='50%'>日期：{blank(2)}年{blank(1)}月{blank(1)}日</td>"
        "</tr></table>",
        "</body></html>",
    ])  # fmt: skip


def _footer(doc: AttendancePaper) -> str:
    return f"{TITLE} · {doc.year}-{doc.month:02d}"


def save_pdf(doc: AttendancePaper, path: str | Path) -> Path:
    return save_html_pdf([to_html(doc)], path, title=TITLE, footers=[_footer(doc)])


def print_sheet(doc: AttendancePaper, *, printer_name: str | None = None, preview: bool = True,
                preview_factory: PreviewFactory | None = None) -> bool:
    return print_html([to_html(doc)], title=TITLE, job=f"clerkdesk-attendance-{doc.year}{doc.month:02d}",
                      footers=[_footer(doc)], printer_name=printer_name, preview=preview,
                      preview_factory=preview_factory)
