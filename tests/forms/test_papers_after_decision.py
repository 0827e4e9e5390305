"""The decision letter, the hand-over receipt and the 归档交接清单, read back from their PDFs: masked IDs, case
numbers, the key fields, both papers, the QR code; the decision letter printed on the cups-pdf queue."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from clerk_desk.forms import archive_list, samples
from clerk_desk.forms.documents import HandoverMethod
from clerk_desk.forms.paper import Paper
from clerk_desk.forms.render import job_name, print_document, save_pdf
from tests.forms.conftest import pdf_facts, pdftotext
from tests.forms.test_forms_printing import _unique_case_number, _wait_for_output

MASKED, FULL = "110105********002X", "11010519491231002X"
AGENT_MASKED, AGENT_FULL = "421224********0032", "421224198506120032"
WIDTH = {Paper.A4: 595.3, Paper.ROLL_80MM: 226.8}


@pytest.mark.parametrize("paper", list(Paper), ids=lambda p: p.value)
def test_decision_letter_approved(qapp: QApplication, tmp_path: Path, paper: Paper) -> None:
    facts = pdf_facts(save_pdf(samples.decision(), paper, tmp_path / "d.pdf"))
    flat = facts.flat
    assert "审批决定书" in flat and "通山县人力资源和社会保障局" in flat
    assert "决定准予" in flat and "准予注销城乡居民基本养老保险登记" in flat
    assert "通人社〔2026〕12号" in flat and samples.CASE_NUMBER in flat
    assert MASKED in flat and FULL not in flat and FULL not in facts.flat_pypdf
    assert "2026年12月1日" in flat and "刘强" in flat and "（盖章）" in flat and "申请人（签收）" in flat
    assert "补打" not in flat and facts.image_count == 1  # the QR code
    assert facts.page_sizes[0][0] == pytest.approx(WIDTH[paper], abs=1)


@pytest.mark.parametrize("paper", list(Paper), ids=lambda p: p.value)
def test_decision_letter_denied_gives_reason_and_remedies(qapp: QApplication, tmp_path: Path, paper: Paper) -> None:
    facts = pdf_facts(save_pdf(samples.decision(reprint_count=1, approved=False), paper, tmp_path / "d.pdf"))
    flat = facts.flat_raw
    assert "不予许可决定书" in flat and "审批决定书" not in flat.replace("不予许可决定书", "")
    assert "不予许可（不予办理）" in flat and "未提供死亡证明或户籍注销证明" in flat
    assert "行政复议" in flat and "行政诉讼" in flat
    assert MASKED in flat and FULL not in flat and samples.CASE_NUMBER in flat
    assert "【补打】第1次补打" in flat


@pytest.mark.parametrize("paper", list(Paper), ids=lambda p: p.value)
def test_hand_over_receipt_at_the_window(qapp: QApplication, tmp_path: Path, paper: Paper) -> None:
    facts = pdf_facts(save_pdf(samples.handover(), paper, tmp_path / "h.pdf"))
    flat = facts.flat_raw
    assert "出件回执" in flat and samples.CASE_NUMBER in flat and "窗口领取" in flat
    assert "张丽（代理人）" in flat and AGENT_MASKED in flat and AGENT_FULL not in flat
    assert MASKED in flat and FULL not in flat
    assert "准予：准予注销城乡居民基本养老保险登记" in flat and "通人社〔2026〕12号" in flat
    assert "2026年12月2日09:20" in flat and "领取人（签字）" in flat and "经办人（签字）" in flat
    assert facts.image_count == 1 and facts.page_sizes[0][0] == pytest.approx(WIDTH[paper], abs=1)


@pytest.mark.parametrize("method", [HandoverMethod.POST, HandoverMethod.ELECTRONIC], ids=lambda m: m.name)
def test_hand_over_receipt_posted_or_electronic_is_a_proof_of_service(
    qapp: QApplication, tmp_path: Path, method: HandoverMethod
) -> None:
    flat = pdf_facts(save_pdf(samples.handover(method=method), Paper.ROLL_80MM, tmp_path / "h.pdf")).flat_raw
    assert "送达回证" in flat and "受送达人（签收）" in flat and method.value in flat
    assert ("1151234567890" if method is HandoverMethod.POST else "鄂汇办") in flat
    assert MASKED in flat and FULL not in flat


def test_the_papers_check_their_data() -> None:
    from dataclasses import replace

    with pytest.raises(ValueError, match="reason"):
        replace(samples.decision(approved=False), reason=" ")
    with pytest.raises(ValueError, match="tracking"):
        replace(samples.handover(method=HandoverMethod.POST), tracking_no="")
    with pytest.raises(ValueError, match="recipient"):
        replace(samples.handover(), recipient=None)


def test_archive_hand_over_lists_one_job_each_department_numbered(qapp: QApplication, tmp_path: Path) -> None:
    lists = samples.archive_lists()
    pdf = archive_list.save_pdf(lists, tmp_path / "archive.pdf")
    facts = pdf_facts(pdf)
    pages = pdftotext(pdf).split("\f")
    assert len(facts.page_sizes) == 3 and all(w == pytest.approx(595.3, abs=1) for w, _h in facts.page_sizes)
    first, second, third = ("".join(p.split()) for p in pages[:3])
    assert "归档交接清单" in first and "人社" in first and "第1页共1页" in first and "共4件" in first
    assert "民政" in second and "第1页共2页" in second and "第2页共2页" in third and "共32件" in third
    assert "移交人（窗口经办人）" in first and "接收人（人社档案管理员）" in first and "接收人（民政档案管理员）" in third
    flat = facts.flat_raw
    assert "421224-03-20261126-000100" in flat and "421224-03-20261126-000231" in flat
    assert MASKED in flat and AGENT_MASKED in flat and FULL not in flat and AGENT_FULL not in flat
    assert "办结日期：2026年11月26日" in flat and "已送达" in flat and "不予受理" in flat
    for n in range(200, 232):  # no row lost or split over a page break
        assert f"20261126-000{n}" in flat


@pytest.mark.parametrize("paper", list(Paper), ids=lambda p: p.value)
def test_decision_letter_prints_on_the_cups_pdf_queue(qapp: QApplication, cups_queue, paper: Paper) -> None:
    number = _unique_case_number()
    doc = samples.decision(case_number=number, approved=False)
    assert print_document(doc, paper, printer_name=cups_queue.queue)
    pdf = _wait_for_output(cups_queue.out_dir, number)
    assert pdf.name.startswith(job_name(doc)[:20])
    flat = "".join(pdftotext(pdf).split())
    assert "不予许可决定书" in flat and number in flat and MASKED in flat and FULL not in flat
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, timeout=60).stdout
    width = float(next(line for line in info.splitlines() if line.startswith("Page size:")).split()[2])
    assert width == pytest.approx(WIDTH[paper], abs=1.5)
    pdf.unlink(missing_ok=True)


def test_archive_list_prints_on_the_cups_pdf_queue(qapp: QApplication, cups_queue) -> None:
    lists = samples.archive_lists()[:1]
    assert archive_list.print_lists(lists, printer_name=cups_queue.queue, preview=False)
    pdf = _wait_for_output(cups_queue.out_dir, archive_list.job_name(lists))
    flat = "".join(pdftotext(pdf).split())
    assert "归档交接清单" in flat and "421224-03-20261126-000100" in flat and MASKED in flat and FULL not in flat
    pdf.unlink(missing_ok=True)
