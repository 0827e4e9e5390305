"""Printing through QPrinter: the preview is injectable, a missing queue is a clear error, and a
receipt printed on the real cups-pdf queue comes out as a PDF with the receipt's text."""

from __future__ import annotations

import subprocess
import time
import uuid
from pathlib import Path

import pytest
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from clerk_desk.forms import samples
from clerk_desk.forms.paper import Paper
from clerk_desk.forms.render import PrintError, find_printer, job_name, paint, print_document, render_document
from tests.forms.conftest import pdftotext


def _unique_case_number() -> str:
    return f"421224-03-20261126-{uuid.uuid4().int % 900000 + 100000:06d}"


def test_missing_printer_is_a_clear_error(qapp: QApplication) -> None:
    with pytest.raises(PrintError) as err:
        find_printer("no-such-queue-7f3a")
    assert "no-such-queue-7f3a" in err.value.message_zh and "找不到" in err.value.message_zh


def test_preview_factory_paints_instead_of_printing(qapp: QApplication, tmp_path: Path, cups_queue) -> None:
    seen: list[QPrinter] = []

    def preview(printer: QPrinter, paint_on) -> bool:  # what a test does instead of dialog.exec()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(tmp_path / "preview.pdf"))
        paint_on(printer)
        seen.append(printer)
        return True

    assert print_document(
        samples.receipt(), Paper.A4, cups_queue.queue, preview=True, preview_factory=preview
    )
    assert len(seen) == 1 and seen[0].docName().startswith("clerkdesk-acceptancereceipt-")
    assert "受理回执" in pdftotext(tmp_path / "preview.pdf")


def test_cancelled_preview_prints_nothing(qapp: QApplication, cups_queue) -> None:
    assert not print_document(
        samples.receipt(), Paper.A4, cups_queue.queue, preview=True, preview_factory=lambda p, f: False
    )


def test_real_preview_dialog_renders_pages(qapp: QApplication, qtbot: QtBot, tmp_path: Path) -> None:
    """The QPrintPreviewDialog itself, shown (never exec'd): it asks for the pages and gets them."""
    text = render_document(samples.receipt(), Paper.ROLL_80MM)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "unused.pdf"))
    dialog = QPrintPreviewDialog(printer)
    qtbot.addWidget(dialog)
    painted: list[int] = []
    dialog.paintRequested.connect(lambda p: (paint(text, p), painted.append(1)))
    dialog.show()
    qtbot.waitUntil(lambda: bool(painted), timeout=5000)
    dialog.close()


def _wait_for_output(out_dir: Path, marker: str, timeout_s: float = 30.0) -> Path:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = [p for p in out_dir.glob("*.pdf") if marker in p.name and p.stat().st_size > 0]
        if found:
            pdf = found[0]
            size = -1
            while pdf.stat().st_size != size:  # cups-pdf may still be writing it
                size = pdf.stat().st_size
                time.sleep(0.2)
            return pdf
        time.sleep(0.2)
    pytest.fail(
        f"no PDF named *{marker}* appeared in {out_dir} within {timeout_s:.0f} s (see /var/log/cups/error_log)"
    )


@pytest.mark.parametrize("paper", list(Paper), ids=lambda p: p.value)
def test_receipt_prints_on_the_cups_pdf_queue(qapp: QApplication, cups_queue, paper: Paper) -> None:
    number = _unique_case_number()
    doc = samples.receipt(case_number=number, reprint_count=1)
    assert print_document(doc, paper, printer_name=cups_queue.queue)
    pdf = _wait_for_output(cups_queue.out_dir, number)
    assert pdf.name.startswith(job_name(doc)[:20])  # the job title names the file
    text = pdftotext(pdf)
    flat = "".join(text.split())
    assert "受理回执" in flat
    assert "个体工商户设立登记" in flat
    assert "110105********002X" in flat and "11010519491231002X" not in flat
    assert number in flat
    assert "补打" in flat
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, timeout=60).stdout
    size_line = next(line for line in info.splitlines() if line.startswith("Page size:"))
    width = float(size_line.split()[2])
    assert width == pytest.approx(595.3 if paper is Paper.A4 else 226.8, abs=1.5)
    pdf.unlink(missing_ok=True)
