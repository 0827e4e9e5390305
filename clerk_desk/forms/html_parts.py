"""HTML building blocks in the rich-text subset QTextDocument understands (no Qt imports).

Qt's rich text supports tables (border/cellpadding attributes, ``border-collapse``), ``font-size`` in pt,
``font-weight``, ``color``, ``background-color``, ``text-indent`` and ``margin-*`` on blocks, and
``<img>`` from a document resource. Everything here is escaped; callers pass plain text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from html import escape

from clerk_desk.forms.documents import Header
from clerk_desk.forms.paper import PaperSpec

QR_URL = "clerkdesk://qr/case-number"


@dataclass(frozen=True)
class Style:
    """How a template sizes things on one paper: the spec plus the QR size in layout units."""

    spec: PaperSpec
    qr_px: int
    px_per_pt: float = 96 / 72

    @property
    def wide(self) -> bool:
        return self.spec.wide


@dataclass(frozen=True)
class Row:
    label: str
    value: str  # already HTML (use esc() for text)
    full: bool = False  # spans the whole row on A4


def esc(text: str) -> str:
    return escape(text, quote=False).replace("\n", "<br/>")


def day_text(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def time_text(moment: datetime) -> str:
    return f"{day_text(moment.date())} {moment:%H:%M}"


def blank(width_em: int = 8) -> str:
    """A line to write on by hand, ``width_em`` characters wide."""
    return "_" * (2 * width_em)


def document_html(style: Style, body: str) -> str:
    spec = style.spec
    return f'<html><body style="font-size: {spec.body_pt}pt; color: #000000;">{body}</body></html>'


def title_block(style: Style, header: Header, title: str) -> str:
    """Site name and bold title, centred; 补打 under it on a reprint; the QR to the right on A4."""
    spec = style.spec
    lines = [
        f'<p align="center" style="margin: 0; font-size: {spec.body_pt + 1}pt;">{esc(header.site_name)}</p>',
        f'<p align="center" style="margin-top: 4px; margin-bottom: 2px; font-size: {spec.title_pt}pt;'
        f' font-weight: bold; letter-spacing: 2px;">{esc(title)}</p>',
    ]
    if header.demo:  # a paper from a demo site can never pass for a real one
        lines.append(demo_line())
    if header.is_reprint:
        lines.append(
            f'<p align="center" style="margin: 0; color: #b00000; font-weight: bold;">'
            f"【补打】第{header.reprint_count}次补打</p>"
        )
    centre = "".join(lines)
    if not style.wide:
        return centre
    qr = qr_image(style, caption=True) if header.case_number else ""  # the same place either way
    side = style.qr_px + 8
    return (
        f'<table width="100%" cellspacing="0" cellpadding="0" style="border-collapse: collapse;"><tr>'
        f'<td width="{side}"></td><td valign="middle">{centre}</td>'
        f'<td width="{side}" align="center" valign="top">{qr}</td></tr></table>'
    )


DEMO_MARK = "【演示】演示数据，非正式文书，不作办事凭证"


def demo_line() -> str:
    return f'<p align="center" style="margin: 0; color: #b00000; font-weight: bold;">{DEMO_MARK}</p>'


def qr_image(style: Style, caption: bool = False) -> str:
    img = f'<img src="{QR_URL}" width="{style.qr_px}" height="{style.qr_px}"/>'
    if not caption:
        return img
    return f'{img}<br/><span style="font-size: {style.spec.small_pt - 1}pt;">扫码查询办理进度</span>'


def qr_block(style: Style, header: Header) -> str:
    """The roll's QR, centred at the bottom with its caption (A4 has it beside the title)."""
    if style.wide or not header.case_number:
        return ""
    return (
        f'<p align="center" style="margin-top: 6px; margin-bottom: 0;">{qr_image(style)}</p>'
        f'<p align="center" style="margin: 0; font-size: {style.spec.small_pt}pt;">扫码或凭办件编号查询办理进度</p>'
    )


def salutation(style: Style, name: str) -> str:
    return f'<p style="margin-top: 10px; margin-bottom: 2px;">{esc(name)}：</p>'


def number_line(style: Style, label: str, compact: str, grouped: str = "") -> str:
    read = f'<span style="font-size: {style.spec.small_pt}pt;">（{esc(grouped)}）</span>' if grouped else ""
    sep = "" if style.wide else "<br/>"
    return (
        f'<p style="margin-top: 6px; margin-bottom: 4px;">{esc(label)}：'
        f'<span style="font-weight: bold;">{esc(compact)}</span>{sep}{read}</p>'
    )


def header_rows(header: Header, *, time_label: str = "受理时间", with_case: bool = True) -> list[Row]:
    """The common fields: case number, item(s), department, window, applicant, agent, time, clerk."""
    a = header.applicant
    items = header.items
    item_html = (
        esc(items[0]) if len(items) == 1 else "<br/>".join(f"{i}. {esc(n)}" for i, n in enumerate(items, 1))
    )
    rows: list[Row] = []
    if with_case and header.case_number:
        rows.append(Row("办件编号", f"<b>{esc(header.case_number)}</b>", full=True))
    rows += [
        Row(
            "事项名称",
            item_html if len(items) == 1 else f"一件事（共{len(items)}项）：<br/>{item_html}",
            full=True,
        ),
        Row("承办部门", esc(header.department)),
        Row("受理窗口", esc(header.window_name)),
        Row("单位名称" if a.is_organisation else "申请人", esc(a.name), full=len(a.name) > 10),
        Row(a.id_label, esc(a.printed_id), full=a.is_organisation),
    ]
    if a.is_organisation and a.legal_representative:
        rows.append(Row("法定代表人", esc(a.legal_representative)))
    rows.append(Row("联系电话", esc(a.printed_phone) or "—"))
    if header.agent is not None:
        g = header.agent
        relation = f"（{esc(g.relation)}）" if g.relation else ""
        phone = f"，电话 {esc(g.printed_phone)}" if g.phone else ""
        rows.append(
            Row("代办人", f"{esc(g.name)}{relation}，身份证号码 {esc(g.printed_id)}{phone}", full=True)
        )
    if header.situations:
        told = "；".join(f"{q.rstrip('？?')}：{a}" for q, a in header.situations)
        rows.append(Row("办理情形", esc(told), full=True))
    rows += [Row(time_label, esc(time_text(header.accepted_local))), Row("经办人", esc(header.clerk_name))]
    return rows


def _label_cell(label: str) -> str:
    return f'<td width="22%" style="background-color: #f0f0f0; font-weight: bold;">{esc(label)}</td>'


def _pair_row(rows: Sequence[Row]) -> str:
    if len(rows) == 1:
        return f'<tr>{_label_cell(rows[0].label)}<td colspan="3">{rows[0].value}</td></tr>'
    return "<tr>" + "".join(f'{_label_cell(r.label)}<td width="28%">{r.value}</td>' for r in rows) + "</tr>"


def info_table(style: Style, rows: Sequence[Row]) -> str:
    """A bordered label/value table: two pairs a row on A4, one pair a row on the roll."""
    out: list[str] = []
    if style.wide:
        pending: list[Row] = []
        for row in rows:
            if row.full:
                out += [_pair_row(pending)] if pending else []
                out.append(_pair_row([row]))
                pending = []
                continue
            pending.append(row)
            if len(pending) == 2:
                out.append(_pair_row(pending))
                pending = []
        out += [_pair_row(pending)] if pending else []
        return table("".join(out))
    for row in rows:
        out.append(
            f'<tr><td width="30%" style="font-weight: bold;">{esc(row.label)}</td><td>{row.value}</td></tr>'
        )
    return table("".join(out), border=False)


def table(rows_html: str, *, border: bool = True, padding: int = 4) -> str:
    b = 1 if border else 0
    return (
        f'<table width="100%" border="{b}" cellspacing="0" cellpadding="{padding}"'
        f' style="border-collapse: collapse; border-color: #000000; border-style: solid;'
        f' margin-top: 4px; margin-bottom: 6px;">{rows_html}</table>'
    )


def grid(
    style: Style, heads: Sequence[tuple[str, str]], rows: Sequence[Sequence[str]], centred: Sequence[int] = ()
) -> str:
    """A bordered list table with a shaded header row; ``heads`` are (title, width) pairs and the
    columns numbered in ``centred`` are centred (numbers, short words)."""
    head = "".join(
        f'<th width="{w}" style="background-color: #e6e6e6; font-weight: bold;">{esc(t)}</th>'
        for t, w in heads
    )
    align = [' align="center"' if i in centred else "" for i in range(len(heads))]
    body = "".join(
        "<tr>" + "".join(f'<td{align[i]} valign="middle">{cell}</td>' for i, cell in enumerate(r)) + "</tr>"
        for r in rows
    )
    return table(f"<tr>{head}</tr>{body}", padding=4 if style.wide else 2)


def section(style: Style, title: str) -> str:
    return (
        f'<p style="margin-top: 8px; margin-bottom: 2px; font-weight: bold;'
        f' font-size: {style.spec.body_pt + (1 if style.wide else 0)}pt;">{esc(title)}</p>'
    )


def paragraph(style: Style, text_html: str, *, indent: bool = True, small: bool = False) -> str:
    """A paragraph; ``indent``: the customary two-character first-line indent."""
    pt = style.spec.small_pt if small else style.spec.body_pt
    size = f" font-size: {pt}pt;" if small else ""
    lead = f" text-indent: {2 * pt * style.px_per_pt:.0f}px;" if indent else ""
    return f'<p style="margin-top: 4px; margin-bottom: 4px;{lead}{size}">{text_html}</p>'


def signatures(style: Style, left: str, right: str, *, issuer: str = "") -> str:
    """Two signature lines with a date line each; on the roll they stack."""
    line = blank(7 if style.wide else 9)
    date_line = f"日期：{blank(2)}年{blank(1)}月{blank(1)}日"
    a = f"{esc(left)}：{line}<br/><br/>{date_line}"
    b = f"{esc(right)}：{line}<br/><br/>{date_line}"
    stamp = f'<p align="right" style="margin-top: 10px;">{esc(issuer)}（盖章）</p>' if issuer else ""
    if style.wide:
        return (
            '<table width="100%" cellspacing="0" cellpadding="6" style="margin-top: 18px;">'
            f'<tr><td width="50%">{a}</td><td width="50%">{b}</td></tr></table>{stamp}'
        )
    return f'<p style="margin-top: 12px;">{a}</p><p style="margin-top: 10px;">{b}</p>{stamp}'
