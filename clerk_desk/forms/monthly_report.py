"""统计月报: the period's figures on A4 (the tables of services/figure_tables.py, as the screen shows them),
printed or saved as a PDF through :mod:`clerk_desk.forms.render` (numbered pages, CJK font)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from clerk_desk.forms.documents import shanghai_time
from clerk_desk.forms.html_parts import esc
from clerk_desk.forms.render import PreviewFactory, print_html, save_html_pdf

TITLE = "政务服务统计月报"
Cell = str | int | float | None


@dataclass(frozen=True)
class ReportTable:
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


@dataclass(frozen=True)
class MonthlyReport:
    site_name: str
    period: str  # 2026-10-01 至 2026-10-31
    tables: tuple[ReportTable, ...]
    printed_at: datetime
    title: str = TITLE


_CSS = """
h1 { font-size: 17pt; font-weight: bold; text-align: center; margin-bottom: 2pt; letter-spacing: 2px; }
h2 { font-size: 12pt; font-weight: bold; margin-top: 10pt; margin-bottom: 4pt; }
p.sub { font-size: 10pt; text-align: center; margin-top: 0; margin-bottom: 6pt; }
table.t { border-collapse: collapse; }
table.t th { background-color: #e8e8e8; font-weight: bold; font-size: 9.5pt; }
table.t td { font-size: 9.5pt; }
td.n { text-align: right; }
"""


def cell_text(value: Cell) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value)}"
    return str(value)


def _table(t: ReportTable) -> str:
    head = "".join(f"<th>{esc(h)}</th>" for h in t.headers)
    body = "".join(
        "<tr>" + "".join(f"<td class='n'>{esc(cell_text(v))}</td>" if isinstance(v, int | float) and not isinstance(v, bool)
                         else f"<td>{esc(cell_text(v))}</td>" for v in row) + "</tr>"
        for row in t.rows) or f"<tr><td colspan='{len(t.headers)}'>（无）</td></tr>"  # fmt: skip
    return (f"<h2>{esc(t.title)}</h2><table class='t' border='1' cellspacing='0' cellpadding='4' width='100%'>"
            f"<tr>{head}</tr>{body}</table>")  # fmt: skip


def to_html(doc: MonthlyReport) -> str:
    printed = shanghai_time(doc.printed_at)
    parts = [f"<html><head><style>{_CSS}</style></head><body>", f"<h1>{esc(doc.title)}</h1>",
             f"<p class='sub'>{esc(doc.site_name)}　统计期间：{esc(doc.period)}</p>",
             *(_table(t) for t in doc.tables),
             f"<p class='sub'>打印时间：{printed:%Y-%m-%d %H:%M}</p>", "</body></html>"]  # fmt: skip
    return "".join(parts)


def _footer(doc: MonthlyReport) -> str:
    return f"{doc.title} · {doc.site_name} · {doc.period}"


def save_pdf(doc: MonthlyReport, path: str | Path) -> Path:
    return save_html_pdf([to_html(doc)], path, title=doc.title, footers=[_footer(doc)])


def print_report(doc: MonthlyReport, *, printer_name: str | None = None, preview: bool = True,
                 preview_factory: PreviewFactory | None = None) -> bool:  # fmt: skip
    return print_html([to_html(doc)], title=doc.title, job="clerkdesk-monthly-report", footers=[_footer(doc)],
                      printer_name=printer_name, preview=preview, preview_factory=preview_factory)


def from_tables(site_name: str, period: str, tables: Sequence[object], printed_at: datetime) -> MonthlyReport:
    """The report from services/figure_tables.Table values (title, headers, rows)."""
    return MonthlyReport(site_name, period, tuple(ReportTable(t.title, t.headers, t.rows) for t in tables),  # type: ignore[attr-defined]
                         printed_at)  # fmt: skip
