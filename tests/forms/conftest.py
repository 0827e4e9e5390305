"""Helpers for the printed-document tests: PDF text (pdftotext -layout and pypdf), page sizes, images."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader


@dataclass(frozen=True)
class PdfFacts:
    layout_text: str  # pdftotext -layout
    raw_text: str  # pdftotext -raw: content-stream order, so a wrapped table cell stays in one piece
    pypdf_text: str
    page_sizes: list[tuple[float, float]]  # points
    image_count: int

    @property
    def flat(self) -> str:
        """The pdftotext text without any whitespace (wrapped lines joined)."""
        return "".join(self.layout_text.split())

    @property
    def flat_raw(self) -> str:
        return "".join(self.raw_text.split())

    @property
    def flat_pypdf(self) -> str:
        return "".join(self.pypdf_text.split())


def pdftotext(path: Path, mode: str = "-layout") -> str:
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is missing (apt-get install poppler-utils)")
    done = subprocess.run(["pdftotext", mode, str(path), "-"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def pdf_facts(path: Path) -> PdfFacts:
    reader = PdfReader(str(path))
    sizes = [(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages]
    images = 0
    for page in reader.pages:
        xobjects = page.get("/Resources", {}).get("/XObject", {})
        images += sum(1 for ref in xobjects.values() if ref.get_object().get("/Subtype") == "/Image")
    text = "\n".join(p.extract_text() or "" for p in reader.pages)
    return PdfFacts(pdftotext(path), pdftotext(path, "-raw"), text, sizes, images)


@pytest.fixture
def cups_queue(request: pytest.FixtureRequest):  # -> tests.conftest.CupsPdfPrinter
    """The cups-pdf queue; without one the test skips, but under CI (CI set) it fails."""
    try:
        return request.getfixturevalue("cups_pdf_printer")
    except pytest.skip.Exception as exc:
        if os.environ.get("CI"):
            pytest.fail(f"CI must print to the cups-pdf queue, but: {exc}", pytrace=False)
        raise
