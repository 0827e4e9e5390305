"""The tables of a period's figures, as the screen, the .xlsx export and the A4 monthly report all show them:
one list of :class:`Table` (Chinese headers; numbers stay numbers: counts as int, rates in per cent and hours
as float rounded to one decimal), so the three cannot disagree (docs/supervision.md)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clerk_desk.domain import figures as fg
from clerk_desk.services.figures import KIND_ZH, Report

Cell = str | int | float | None


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


def pct(x: float | None) -> float | None:
    return None if x is None else round(100 * x, 1)


def hours(x: float | None) -> float | None:
    return None if x is None else round(x, 1)


def summary(f: fg.Figures) -> Table:
    rows: list[tuple[Cell, ...]] = [
        ("接件总量", f.intakes, "件"),
        *((f"其中{KIND_ZH[k]}", f.kinds.get(k, 0), "件") for k in fg.INTAKE_KINDS),
        ("即办件占比", pct(f.immediate_share), "%"),
        ("一次性告知率", pct(f.notified_rate), "%"),
        ("不予受理率", pct(f.refused_rate), "%"),
        ("流转后台件数", f.transfers, "件"),
        ("按时流转（5/15 分钟内）", f.transfers_on_time, "件"),
        ("按时流转率", pct(f.transfer_on_time_rate), "%"),
        ("审批办结件数", f.decisions, "件"),
        ("承诺时限内办结", f.decisions_on_time, "件"),
        ("承诺时限内办结率", pct(f.decision_on_time_rate), "%"),
        ("受理至审批平均用时", hours(f.to_decision.mean), "小时"),
        ("受理至审批用时（90%）", hours(f.to_decision.p90), "小时"),
        ("出件件数", f.to_handover.n, "件"),
        ("受理至出件平均用时", hours(f.to_handover.mean), "小时"),
        ("受理至出件用时（90%）", hours(f.to_handover.p90), "小时"),
        ("期末待领取结果", f.results_waiting, "件"),
    ]
    return Table("summary", "主要指标", ("指标", "数值", "单位"), tuple(rows))


def tables(report: Report) -> list[Table]:
    f = report.figures
    share = {w: ratio for w, _n, ratio in f.balance()}
    total = f.intakes or 1
    return [
        summary(f),
        Table("day", "按日接件量", ("日期", "接件量"), tuple((d.isoformat(), n) for d, n in f.by_day)),
        Table("window", "按窗口（办件均衡）", ("窗口", "接件量", "占比（%）", "与平均值之比"),
              tuple((report.name("window", w), n, round(100 * n / total, 1), round(share[w], 2))
                    for w, n in f.by_window)),
        Table("clerk", "按人员接件量", ("人员", "接件量"), tuple((report.name("clerk", k), n) for k, n in f.by_clerk)),
        Table("department", "按部门接件量", ("部门", "接件量"),
              tuple((report.name("department", k), n) for k, n in f.by_department)),
        Table("item", "按事项接件量", ("事项编码", "事项名称", "接件量"),
              tuple((k, report.name("item", k), n) for k, n in f.by_item)),
        Table("channel", "按渠道接件量", ("渠道", "接件量"),
              tuple((report.name("channel", k), n) for k, n in f.by_channel)),
    ]  # fmt: skip


def period_text(report: Report) -> str:
    from datetime import timedelta

    from clerk_desk.domain.workdays import SHANGHAI

    f = report.figures
    last = (f.end - timedelta(seconds=1)).astimezone(SHANGHAI).date()
    return f"{f.start.astimezone(SHANGHAI).date():%Y-%m-%d} 至 {last:%Y-%m-%d}"


def save_xlsx(report: Report, path: str | Path) -> Path:
    """Every table on a sheet of its own, Chinese headers, numbers as numbers (openpyxl)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from clerk_desk.services.xlsx_text import append_row

    book = Workbook()
    first = True
    for table in tables(report):
        sheet: Any = book.active if first else book.create_sheet()
        first = False
        sheet.title = table.title[:31]
        append_row(sheet, [f"{report.site_name or '本中心'} {table.title}（{period_text(report)}）"])
        append_row(sheet, table.headers)
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in table.rows:
            append_row(sheet, row)  # names as text, never formulas (services/xlsx_text.py)
        for i, header in enumerate(table.headers):
            width = max([len(str(header)) * 2] + [len(str(r[i])) * 2 for r in table.rows if r[i] is not None])
            sheet.column_dimensions[chr(ord("A") + i)].width = min(60, max(10, width))
    path = Path(path)
    book.save(path)
    return path
