"""The period's figures on paper and in a spreadsheet: the A4 monthly report is a real PDF whose text
(pdftotext, WenQuanYi) holds every table's title, headers and values; the .xlsx opens with openpyxl and
holds the same tables as the screen, Chinese headers, numbers as numbers."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtWidgets import QApplication

from clerk_desk.forms import monthly_report
from clerk_desk.forms.monthly_report import cell_text
from clerk_desk.services import figure_tables, figures
from tests.forms.conftest import pdf_facts
from tests.services import supervision_world as gen
from tests.services.test_approvals import SITE, World


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> figures.Report:
    w = World(Path(tmp_path_factory.mktemp("report")) / "desk")
    gen.build(w, 48, seed=3)
    return figures.read(w.db, *figures.month_span(2026, 10), site_code=SITE)


def test_the_printed_report_holds_every_table(qapp: QApplication, tmp_path: Path, report: figures.Report) -> None:
    tables = figure_tables.tables(report)
    doc = monthly_report.from_tables(report.site_name, figure_tables.period_text(report), tables,
                                     datetime(2026, 11, 1, 2, 0, tzinfo=UTC))  # fmt: skip
    pdf = pdf_facts(monthly_report.save_pdf(doc, tmp_path / "report.pdf"))
    assert all(abs(w - 595.3) < 1 and abs(h - 841.9) < 1 for w, h in pdf.page_sizes)  # A4
    flat = pdf.flat_raw
    assert "政务服务统计月报" in flat and "2026-10-01至2026-10-31" in flat and "打印时间：2026-11-0110:00" in flat
    for t in tables:
        assert "".join(t.title.split()) in flat
        for h in t.headers:
            assert "".join(h.split()) in flat
    summary = tables[0]
    for name, value, _unit in summary.rows:
        assert "".join(str(name).split()) + cell_text(value) in flat, name
    for day, n in tables[1].rows:
        assert f"{day}{n}" in flat


def test_the_spreadsheet_matches_the_screen(tmp_path: Path, report: figures.Report) -> None:
    path = figure_tables.save_xlsx(report, tmp_path / "统计.xlsx")
    book = load_workbook(path)
    tables = figure_tables.tables(report)
    assert book.sheetnames == [t.title[:31] for t in tables]
    for t in tables:
        sheet = book[t.title[:31]]
        rows = [tuple(c.value for c in r) for r in sheet.iter_rows()]
        assert str(rows[0][0]).endswith(f"（{figure_tables.period_text(report)}）")
        assert rows[1] == t.headers
        assert rows[2:] == [tuple(r) for r in t.rows]
    counts = [r[1] for r in tables[0].rows if r[2] == "件"]
    assert counts and all(isinstance(n, int) for n in counts)  # numbers, not text
    rates = [r[1] for r in tables[0].rows if r[2] == "%" and r[1] is not None]
    assert rates and all(isinstance(x, float) for x in rates)
