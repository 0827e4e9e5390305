"""归档交接清单: the daily hand-over of paper originals to one department's archivist — from the window (the
paper it kept: 即办件, 不予受理, withdrawn before any hand-over) or from the department's approver (the paper it
signed for; ``by_department``), see domain/paper_custody.py.

Built as data (:class:`ArchiveList`, one department and one day), then HTML, then printed or saved as an
A4 PDF through :mod:`clerk_desk.forms.render` (numbered pages; the table is broken
every ROWS_PER_PAGE rows, with its head again, so no row splits over a page).
Several departments go into one job, each list numbered on its own. The applicant's resident ID is
masked (first 6, last 4); an organisation's credit code is printed whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from clerk_desk.forms.documents import Applicant, shanghai_time
from clerk_desk.forms.html_parts import blank, day_text, demo_line, esc
from clerk_desk.forms.render import PreviewFactory, print_html, save_html_pdf

TITLE = "归档交接清单"


@dataclass(frozen=True)
class ArchiveLine:
    case_number: str
    item: str
    applicant: Applicant
    outcome: str  # 当场办结 / 不予受理 / 已撤回 at the window; 已签收 / 流转后撤回 in the department
    closed_at: datetime  # when it closed (the window) or when its paper came to the department
    materials: str = "—"  # e.g. 3项4份, when known


@dataclass(frozen=True)
class ArchiveList:
    site_name: str
    department: str
    day: date
    window_name: str
    clerk_name: str
    lines: tuple[ArchiveLine, ...]
    printed_at: datetime
    title: str = TITLE
    reprint: bool = False  # printed again after the archive was recorded: says 补打
    demo: bool = False  # from a demo site: says 演示
    by_department: bool = False  # the approver hands over the paper its department signed for
    def __post_init__(self) -> None:
        if not self.lines:
            raise ValueError("a hand-over list names at least one case")


_CSS = """
h1 { font-size: 17pt; font-weight: bold; text-align: center; margin-bottom: 2pt; letter-spacing: 2px; }
p.sub { font-size: 10pt; text-align: center; margin-top: 0; margin-bottom: 6pt; }
table.list { border-collapse: collapse; }
table.list th { background-color: #e8e8e8; font-weight: bold; font-size: 9.5pt; }
table.list td { font-size: 9.5pt; }
td.c { text-align: center; }
span.id { font-size: 8.5pt; }
p.note { font-size: 9pt; margin-top: 6pt; }
"""

_HEAD = (("序", "5%"), ("办件编号", "30%"), ("事项名称", "18%"), ("申请人", "22%"), ("办结情况", "10%"),
         ("材料", "9%"), ("核对", "6%"))  # fmt: skip
ROWS_PER_PAGE = 18  # Qt splits a table row over a page break: the list breaks its table itself


def _head(doc: ArchiveList) -> tuple[tuple[str, str], ...]:
    return tuple(("收件情况" if doc.by_department and t == "办结情况" else t, w) for t, w in _HEAD)


def _row(i: int, line: ArchiveLine) -> str:
    a = line.applicant
    closed = shanghai_time(line.closed_at)
    return (
        f"<tr><td class='c'>{i}</td><td><span class='id'>{esc(line.case_number)}</span></td><td>{esc(line.item)}</td>"
        f"<td>{esc(a.name)}<br/><span class='id'>{esc(a.printed_id)}</span></td>"
        f"<td class='c'>{esc(line.outcome)}<br/>{closed:%H:%M}</td><td class='c'>{esc(line.materials)}</td>"
        f"<td class='c'>□</td></tr>"
    )


def to_html(doc: ArchiveList) -> str:
    day_kind = "签收日期" if doc.by_department else "办结日期"
    sub = f"{doc.site_name} · 移交部门（档案）：{doc.department} · {day_kind}：{day_text(doc.day)}"
    head = "<tr>" + "".join(f"<th width='{w}'>{t}</th>" for t, w in _head(doc)) + "</tr>"
    giver = "审批经办人" if doc.by_department else "窗口经办人"
    where = "部门" if doc.by_department else "窗口"
    tables = []
    for start in range(0, len(doc.lines), ROWS_PER_PAGE):
        rows = "".join(_row(i, line) for i, line in enumerate(doc.lines[start:start + ROWS_PER_PAGE], start + 1))
        brk = " style='page-break-before: always;'" if start else ""
        tables.append(f"<table class='list' width='100%' border='1' cellspacing='0' cellpadding='4'{brk}>"
                      f"{head}{rows}</table>")
    printed = shanghai_time(doc.printed_at)
    signature = (
        "<table width='100%' cellspacing='0' cellpadding='6' style='margin-top: 16px;'><tr>"
        f"<td width='50%'>移交人（{giver}）：{blank(7)}<br/><br/>日期：{blank(2)}年{blank(1)}月{blank(1)}日</td>"
        f"<td width='50%'>接收人（{esc(doc.department)}档案管理员）：{blank(7)}<br/><br/>"
        f"日期：{blank(2)}年{blank(1)}月{blank(1)}日</td></tr></table>"
    )
    return "".join([
        f"<html><head><style>{_CSS}</style></head><body>",
        f"<h1>{esc(doc.title)}</h1>",
        demo_line() if doc.demo else "",
        "<p align='center' style='margin: 0; color: #b00000; font-weight: bold;'>【补打】</p>" if doc.reprint else "",
        f"<p class='sub'>{esc(sub)}</p>",
        *tables,
        f"<p class='note'>共 {len(doc.lines)} 件。以上办件的纸质原件已放入{esc(doc.department)}档案袋，"
        f"请接收人逐件核对后签字。{where}：{esc(doc.window_name) or '—'}，经办人：{esc(doc.clerk_name)}，"
        f"打印时间：{printed:%Y-%m-%d %H:%M}。</p>",
        signature,
        "</body></html>",
    ])  # fmt: skip


def _footer(doc: ArchiveList) -> str:
    return f"{doc.title} · {doc.department} · {doc.day:%Y-%m-%d}"


def job_name(docs: Sequence[ArchiveList]) -> str:
    """ASCII job title, e.g. clerkdesk-archive-20260929-2 (the day and how many lists)."""
    return f"clerkdesk-archive-{docs[0].day:%Y%m%d}-{len(docs)}"


def save_pdf(docs: Sequence[ArchiveList], path: str | Path) -> Path:
    """All the lists in one A4 PDF, each department numbered on its own."""
    if not docs:
        raise ValueError("nothing to print")
    return save_html_pdf([to_html(d) for d in docs], path, title=TITLE, footers=[_footer(d) for d in docs])


def print_lists(
    docs: Sequence[ArchiveList], *, printer_name: str | None = None, preview: bool = True,
    preview_factory: PreviewFactory | None = None,
) -> bool:
    if not docs:
        raise ValueError("nothing to print")
    return print_html([to_html(d) for d in docs], title=TITLE, job=job_name(docs), footers=[_footer(d) for d in docs],
                      printer_name=printer_name, preview=preview, preview_factory=preview_factory)
