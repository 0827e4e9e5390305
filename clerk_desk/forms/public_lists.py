"""The public lists (清单) the county plan asks every hall to post (section 五(一)), on A4.

Built as data (PublicList), then HTML, then a QTextDocument printed or saved as PDF (forms.render).
Grouped by department in the plan's order; unknown facts print as 待确认.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape
from pathlib import Path

from PySide6.QtPrintSupport import QPrinter

from clerk_desk.catalog.format import HANDLING_KIND_ZH, UNKNOWN_ZH
from clerk_desk.catalog.views import CatalogInfo, ItemDetail, ListInfo
from clerk_desk.forms.render import PageSetup, PreviewFactory, print_html, save_html_pdf


@dataclass(frozen=True)
class ListRow:
    number: int
    name: str
    code: str
    is_local_code: bool
    kind: str
    legal_days: str
    promised_days: str
    fee: str


@dataclass(frozen=True)
class DepartmentBlock:
    department: str
    rows: tuple[ListRow, ...]


@dataclass(frozen=True)
class PublicList:
    title: str
    site_name: str
    catalog_version: str
    publisher: str
    printed_on: date
    demo: bool
    note: str | None
    blocks: tuple[DepartmentBlock, ...]
    foreign: int = 0  # items whose entry was taken from another province's service guide

    @property
    def item_count(self) -> int:
        return sum(len(b.rows) for b in self.blocks)


def _days(days: int | None) -> str:
    return UNKNOWN_ZH if days is None else str(days)


def build_public_list(
    info: ListInfo,
    items: Sequence[ItemDetail],
    catalog: CatalogInfo | None,
    *,
    department_order: Sequence[str] = (),
    site_name: str = "",
    printed_on: date | None = None,
) -> PublicList:
    """The data of one list; ``department_order`` (codes) orders the blocks, others follow."""
    order = {code: i for i, code in enumerate(department_order)}
    by_dept: dict[str, list[ItemDetail]] = {}
    for it in items:
        by_dept.setdefault(it.department_code, []).append(it)
    blocks, n = [], 0
    for code in sorted(by_dept, key=lambda c: (order.get(c, len(order)), c)):
        rows = []
        for it in by_dept[code]:
            n += 1
            rows.append(
                ListRow(
                    n,
                    it.name,
                    it.code,
                    it.is_local_code,
                    HANDLING_KIND_ZH.get(it.handling_kind or "", UNKNOWN_ZH),
                    _days(it.legal_days),
                    _days(it.promised_days),
                    it.fee or UNKNOWN_ZH,
                )
            )
        blocks.append(DepartmentBlock(by_dept[code][0].department_name, tuple(rows)))
    return PublicList(
        title=info.name,
        site_name=site_name,
        catalog_version=catalog.version if catalog else "",
        publisher=catalog.publisher if catalog else "",
        printed_on=printed_on or date.today(),
        demo=bool(catalog and catalog.is_demo),
        note=info.note,
        blocks=tuple(blocks),
        foreign=sum(1 for it in items if it.foreign_source),
    )


_CSS = """
h1 { font-size: 17pt; font-weight: bold; text-align: center; margin-bottom: 2pt; }
p.sub { font-size: 9.5pt; color: #333333; text-align: center; margin-top: 0; margin-bottom: 6pt; }
p.demo { font-size: 9.5pt; color: #a00000; text-align: center; margin: 0 0 4pt 0; }
table.list { border-collapse: collapse; }
table.list th { background-color: #e8e8e8; font-weight: bold; font-size: 10pt; }
table.list td { font-size: 10pt; }
td.dept { background-color: #f4f4f4; font-weight: bold; }
td.num, td.c { text-align: center; }
td.code { font-size: 8.5pt; }
span.local { color: #666666; font-size: 8pt; }
p.foot { font-size: 9pt; color: #333333; margin-top: 8pt; }
"""

_HEAD = (
    "序号",
    "事项名称",
    "事项编码",
    "办件类型",
    "法定时限<br/>（工作日）",
    "承诺时限<br/>（工作日）",
    "收费标准",
)
_WIDTHS = ("6%", "33%", "21%", "9%", "10%", "10%", "11%")


def to_html(doc: PublicList) -> str:
    e = escape
    sub = " · ".join(
        x
        for x in (
            doc.site_name,
            f"目录版本 {doc.catalog_version}" if doc.catalog_version else "",
            f"共 {doc.item_count} 项",
            f"打印日期 {doc.printed_on:%Y年%m月%d日}",
        )
        if x
    )
    parts = [
        f"<html><head><style>{_CSS}</style></head><body>",
        f"<h1>{e(doc.title)}</h1>",
        f"<p class='sub'>{e(sub)}</p>",
    ]
    if doc.demo:
        parts.append("<p class='demo'>演示数据，非县级正式发布的清单，请勿张贴</p>")
    head = "".join(f"<th width='{w}'>{h}</th>" for h, w in zip(_HEAD, _WIDTHS, strict=True))
    parts.append(
        f"<table class='list' width='100%' border='1' cellspacing='0' cellpadding='4'>"
        f"<thead><tr>{head}</tr></thead><tbody>"
    )
    for block in doc.blocks:
        parts.append(
            f"<tr><td class='dept' colspan='7'>{e(block.department)}（{len(block.rows)} 项）</td></tr>"
        )
        for r in block.rows:
            code = e(r.code) + ("<br/><span class='local'>（本地编码）</span>" if r.is_local_code else "")
            parts.append(
                f"<tr><td class='num'>{r.number}</td><td>{e(r.name)}</td><td class='code'>{code}</td>"
                f"<td class='c'>{e(r.kind)}</td><td class='c'>{e(r.legal_days)}</td>"
                f"<td class='c'>{e(r.promised_days)}</td><td>{e(r.fee)}</td></tr>"
            )
    if not doc.blocks:
        parts.append("<tr><td colspan='7' class='c'>本清单暂无事项</td></tr>")
    parts.append("</tbody></table>")
    foot = "“待确认”表示目录未载明该项，请以部门确认为准；时限均为工作日。"
    if doc.foreign:
        foot += f"其中 {doc.foreign} 项的时限、收费取自外省办事指南，须经本县承办部门核实。"
    if doc.note:
        foot += f" {doc.note}"
    parts.append(f"<p class='foot'>{e(foot)}</p></body></html>")
    return "".join(parts)


def _setup(doc: PublicList) -> PageSetup:
    return PageSetup(footer_left=f"{doc.title}（目录版本 {doc.catalog_version}）")


def save_pdf(doc: PublicList, path: str | Path) -> Path:
    return save_html_pdf(to_html(doc), path, title=doc.title, setup=_setup(doc))


def print_list(
    doc: PublicList,
    *,
    printer_name: str | None = None,
    preview: bool = True,
    preview_factory: PreviewFactory | None = None,
    printer: QPrinter | None = None,
) -> bool:
    return print_html(
        to_html(doc),
        title=doc.title,
        setup=_setup(doc),
        printer_name=printer_name,
        preview=preview,
        preview_factory=preview_factory,
        printer=printer,
    )
