"""Every document on A4 and on the 80 mm roll, saved as PDF and read back (pdftotext and pypdf)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from clerk_desk.forms import samples
from clerk_desk.forms.documents import Document, MaterialLine
from clerk_desk.forms.paper import Paper
from clerk_desk.forms.render import render_document, save_pdf
from tests.forms.conftest import pdf_facts

FULL_ID = "11010519491231002X"
MASKED_ID = "110105********002X"
A4_PT = (595.276, 841.89)
ROLL_WIDTH_PT = 80 / 25.4 * 72  # 226.77

MAKERS = {
    "receipt": (samples.receipt, "受理回执", samples.CASE_NUMBER),
    "pledge": (samples.pledge, "容缺受理承诺书", samples.CASE_NUMBER),
    "supplement": (samples.supplement, "一次性告知书", "GZ-421224-03-20261126-0007"),
    "refusal": (samples.refusal, "不予受理告知书", "BY-421224-03-20261126-0002"),
    "result": (samples.result_slip, "即办件办结单", samples.CASE_NUMBER),
}


def _check_page_size(sizes: list[tuple[float, float]], paper: Paper) -> None:
    assert sizes
    for width, height in sizes:
        if paper is Paper.A4:
            assert width == pytest.approx(A4_PT[0], abs=1) and height == pytest.approx(A4_PT[1], abs=1)
        else:
            assert width == pytest.approx(ROLL_WIDTH_PT, abs=1)
            assert height > width  # a strip as tall as the content


@pytest.mark.parametrize("paper", list(Paper), ids=lambda p: p.value)
@pytest.mark.parametrize("kind", list(MAKERS))
def test_document_pdf_has_real_text(qapp: QApplication, tmp_path: Path, kind: str, paper: Paper) -> None:
    make, title, number = MAKERS[kind]
    doc: Document = make()
    facts = pdf_facts(save_pdf(doc, paper, tmp_path / f"{kind}.pdf"))

    for text in (facts.flat, facts.flat_pypdf):
        assert title in text
        assert doc.header.site_name in text
        for item in doc.header.items:
            assert item in text
        assert number in text
        if doc.header.applicant.is_organisation:
            assert doc.header.applicant.id_number in text  # a credit code is public
        else:
            assert MASKED_ID in text
        assert FULL_ID not in text
        assert "13812345678" not in text
        assert "补打" not in text  # an original
    _check_page_size(facts.page_sizes, paper)
    # the QR code of the case number is an image; a notice without a case number has none
    assert (facts.image_count >= 1) == bool(doc.header.case_number)


@pytest.mark.parametrize("paper", list(Paper), ids=lambda p: p.value)
@pytest.mark.parametrize("kind", list(MAKERS))
def test_reprint_says_so(qapp: QApplication, tmp_path: Path, kind: str, paper: Paper) -> None:
    make = MAKERS[kind][0]
    doc: Document = make(reprint_count=2)
    facts = pdf_facts(save_pdf(doc, paper, tmp_path / f"{kind}-reprint.pdf"))
    assert "【补打】第2次补打" in facts.flat
    assert "补打" in facts.flat_pypdf


def test_receipt_content_on_a4(qapp: QApplication, tmp_path: Path) -> None:
    doc = samples.receipt()
    facts = pdf_facts(save_pdf(doc, Paper.A4, tmp_path / "r.pdf"))
    text = facts.flat_raw
    assert "421224-03-20261126-000123" in text
    assert "（421224 03 2026 1126 000 123）" in facts.layout_text  # grouped for reading aloud
    for material in doc.materials:
        assert material.name in text
    assert "复印件" in text and "电子" in text
    assert "3个工作日（时限经承办部门确认）" in text
    assert "承诺办结日期2026年12月1日前" in text
    assert "邮寄" in text and "新城大道88号" in text
    assert "421224********0032" in text and "421224198506120032" not in text  # the agent, masked
    assert "138****5678" in text
    assert "2026年11月26日10:32" in text  # 02:32 UTC shown in Asia/Shanghai
    assert "申请人（签字）" in text and "受理人（签字）" in text
    assert "咨询电话" in text


def test_organisation_pledge_shows_credit_code_and_representative(qapp: QApplication, tmp_path: Path) -> None:
    text = pdf_facts(save_pdf(samples.pledge(), Paper.A4, tmp_path / "p.pdf")).flat_raw
    assert "统一社会信用代码" in text and "91350100M000100Y43" in text
    assert "法定代表人陈建国" in text
    assert "一件事（共2项）" in text
    assert "补齐期限：2026年12月3日前" in text
    assert "卫生管理制度文本" in text and "从业人员健康证明" in text


def test_supplement_lists_every_problem_once(qapp: QApplication, tmp_path: Path) -> None:
    doc = samples.supplement()
    text = pdf_facts(save_pdf(doc, Paper.A4, tmp_path / "s.pdf")).flat_raw
    for problem in doc.problems:
        assert problem.name in text and problem.reason in text
    assert "一次性告知" in text
    assert "办件编号" not in text  # nothing was accepted


def test_refusal_names_the_remedies(qapp: QApplication, tmp_path: Path) -> None:
    text = pdf_facts(save_pdf(samples.refusal(), Paper.ROLL_80MM, tmp_path / "r.pdf")).flat_raw
    assert "申请行政复议" in text and "提起行政诉讼" in text
    assert "一户一宅" in text


def test_long_receipt_paginates_on_a4_and_stays_one_strip_on_the_roll(
    qapp: QApplication, tmp_path: Path
) -> None:
    from dataclasses import replace

    long = replace(samples.receipt(), materials=tuple(MaterialLine(f"材料{i:02d}号") for i in range(1, 61)))
    a4 = pdf_facts(save_pdf(long, Paper.A4, tmp_path / "a4.pdf"))
    assert len(a4.page_sizes) >= 2
    _check_page_size(a4.page_sizes, Paper.A4)
    assert "材料01号" in a4.flat and "材料60号" in a4.flat
    roll = pdf_facts(save_pdf(long, Paper.ROLL_80MM, tmp_path / "roll.pdf"))
    assert len(roll.page_sizes) == 1
    _check_page_size(roll.page_sizes, Paper.ROLL_80MM)
    assert "材料60号" in roll.flat


def test_render_document_sets_the_page(qapp: QApplication) -> None:
    doc = render_document(samples.receipt(), Paper.A4)
    assert doc.pageCount() == 1
    assert doc.toPlainText().count("受理回执") == 1


def test_unwritable_path_is_a_clear_error(qapp: QApplication, tmp_path: Path) -> None:
    from clerk_desk.forms.render import PrintError

    with pytest.raises(PrintError) as err:
        save_pdf(samples.receipt(), Paper.A4, tmp_path / "no-such-folder" / "r.pdf")
    assert "PDF" in err.value.message_zh or "打印" in err.value.message_zh


def _header_lines(text: object) -> list[tuple[str, int]]:
    """(text, lines it is laid out on) of every column title (the shaded first row of a list table)."""
    from PySide6.QtGui import QTextDocument, QTextFrame, QTextTable

    assert isinstance(text, QTextDocument)
    text.documentLayout().documentSize()  # lay every block out
    out: list[tuple[str, int]] = []

    def walk(frame: QTextFrame) -> None:
        for child in frame.childFrames():
            if isinstance(child, QTextTable):
                for col in range(child.columns()):
                    cell = child.cellAt(0, col)
                    if cell.format().background().color().name() != "#e6e6e6":
                        continue  # not a list's shaded title row (an info table's first line)
                    block = cell.firstCursorPosition().block()
                    lines, words = 0, ""
                    while block.isValid() and block.position() <= cell.lastCursorPosition().position():
                        lines += block.layout().lineCount()
                        words += block.text()
                        block = block.next()
                    out.append((words, lines))
            walk(child)

    walk(text.rootFrame())
    return out


@pytest.mark.parametrize("paper", list(Paper), ids=lambda p: p.value)
@pytest.mark.parametrize("name", ["receipt", "pledge", "supplement"])
def test_no_table_header_is_cut_or_wrapped(qapp: QApplication, tmp_path: Path, name: str, paper: Paper) -> None:
    """A column title is whole on one line: on the 80 mm roll 份数 stays 份数 (not 「份」 or 份/数)."""
    doc = getattr(samples, name)()
    heads = _header_lines(render_document(doc, paper))
    assert heads, "the paper has a list table"
    wrapped = [(t, n) for t, n in heads if n != 1 and t.strip()]
    assert not wrapped, wrapped
    if name in ("receipt", "pledge"):
        assert ("份数", 1) in heads and ("序号", 1) in heads
        facts = pdf_facts(save_pdf(doc, paper, tmp_path / f"{name}.pdf"))
        assert "份数" in facts.layout_text
