"""Fixtures for the intake tests: a signed-in clerk at the intake page of a demo desk, papers printed to
PDF and read back with pdftotext, and a catalog update that retires an item and allows one 容缺.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from clerk_desk.forms.documents import Document
from clerk_desk.forms.paper import Paper
from clerk_desk.forms.render import save_pdf
from clerk_desk.services import catalog_service as cs
from clerk_desk.store.database import Database
from clerk_desk.ui.task_runner import SyncTaskRunner
from tests.ui.intake.driver import Clerk

# The demo catalog's items the tests use.
LOW_INCOME = "LOCAL-MZ-07b95afa"  # 农村低保初审及转报: promise, 15 days, 3 required + 1 optional
PENSION_SIGNUP = "LOCAL-RS-6d9b8789"  # 城乡居民养老保险参保登记: immediate, 2 required
DISABILITY_CARD = "LOCAL-CL-f08daa12"  # 残疾人证办理: promise, 7 days, 5 required
CARD_RENEWAL = "LOCAL-CL-92c133f4"  # 残疾人证残损换新: 3 materials, kind and days 待确认
RETIRED_LATER = "LOCAL-RS-87925e20"  # 居民养老保险办理待遇领取手续: retired by the catalog update
ELDERLY_THEME = "DEMO-T03"  # 老年人优待一件事: immediate item + an item whose days are 待确认

APPLICANT_ID = "11010519491231002X"
MASKED_ID = "110105********002X"


@pytest.fixture
def clerk(tmp_path: Path, runner: SyncTaskRunner, notes, qapp) -> Iterator[Clerk]:  # type: ignore[no-untyped-def]
    c = Clerk.start(tmp_path / "data", runner)
    yield c
    c.close()


@dataclass
class Printed:
    title: str
    paper: Paper
    preview: bool
    path: Path
    text: str


@pytest.fixture
def printed(clerk: Clerk, tmp_path: Path) -> list[Printed]:
    """Every paper the page prints lands here as a PDF, with its text read back by pdftotext."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    out: list[Printed] = []

    def sink(doc: Document, paper: Paper, preview: bool) -> bool:
        path = save_pdf(doc, paper, tmp_path / f"paper-{len(out) + 1}.pdf")
        text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                              check=True).stdout
        out.append(Printed(type(doc).__name__, paper, preview, path, text))
        return True

    clerk.page.done.print_sink = sink
    return out


def update_catalog(db: Database, folder: Path) -> None:
    """A newer catalog: 户口簿 of 农村低保 may be owed (容缺), and one item is retired (no longer listed)."""
    doc = json.loads(cs.demo_catalog_path().read_text(encoding="utf-8"))
    doc["catalog_version"] = doc["catalog_version"] + ".1"
    doc["items"] = [i for i in doc["items"] if i["code"] != RETIRED_LATER]
    for item in doc["items"]:
        if item["code"] == LOW_INCOME:
            for m in item["materials"]:
                if m["name"] == "户口簿":
                    m["waivable"] = True
    path = folder / "catalog-update.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    cs.import_file(db, path, actor="test")


@pytest.fixture
def updated_catalog(clerk: Clerk, tmp_path: Path) -> Clerk:
    db = clerk.launch.db
    assert db is not None
    update_catalog(db, tmp_path)
    return clerk
