"""Every paper printed at a demo site says 演示 (so it can never pass for a real one), and a hand-over list
printed again says 补打: each kind rendered to PDF on A4 and the 80 mm roll and read back; and the case papers
built from a demo desk's case carry the mark from the database's demo flag."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from clerk_desk.forms import archive_list, samples
from clerk_desk.forms.documents import MaterialLine, PledgeReminder
from clerk_desk.forms.html_parts import DEMO_MARK
from clerk_desk.forms.paper import Paper
from clerk_desk.forms.render import save_pdf
from clerk_desk.services import accounts, demo, site_setup
from clerk_desk.services.intake import Clerk, IntakeService
from clerk_desk.services.intake_forms import Delivery
from clerk_desk.store.database import Database
from clerk_desk.ui.intake.lookups import prepare_print
from tests.services.test_intake import form

from .conftest import pdf_facts

MARK = DEMO_MARK.replace(" ", "")


def _all_demo() -> dict[str, object]:
    docs = {kind: replace(doc, header=replace(doc.header, demo=True)) for kind, doc in samples.all_samples().items()}
    docs["pledge_reminder"] = PledgeReminder(samples.header(demo=True), (MaterialLine("死亡证明"),), date(2026, 12, 1),
                                             date(2026, 12, 3))
    return docs


@pytest.mark.parametrize("paper", [Paper.A4, Paper.ROLL_80MM])
def test_every_case_paper_from_a_demo_site_says_demo(paper: Paper, tmp_path: Path, qapp: object) -> None:
    for kind, doc in _all_demo().items():
        text = pdf_facts(save_pdf(doc, paper, tmp_path / f"{kind}.pdf")).flat  # type: ignore[arg-type]
        assert MARK in text, kind
    real = samples.receipt()
    assert MARK not in pdf_facts(save_pdf(real, paper, tmp_path / "real.pdf")).flat


def test_the_hand_over_list_says_demo_and_reprint(tmp_path: Path, qapp: object) -> None:
    lists = [replace(d, demo=True, reprint=True) for d in samples.archive_lists()]
    text = pdf_facts(archive_list.save_pdf(lists, tmp_path / "lists.pdf")).flat
    assert MARK in text and "【补打】" in text
    plain = pdf_facts(archive_list.save_pdf(samples.archive_lists(), tmp_path / "plain.pdf")).flat
    assert MARK not in plain and "【补打】" not in plain


def test_a_demo_desk_prints_its_receipt_with_the_mark(tmp_path: Path, qapp: object) -> None:
    db = Database(tmp_path / "data")
    demo.ensure_demo_site(db)
    u = next(u for u in accounts.list_users(db) if u.username == "clerk1")
    w = site_setup.list_windows(db)[0]
    clerk = Clerk(u.id, u.username, u.display_name, w.id, w.name)
    uid = IntakeService(db).accept(form(), clerk, delivery=Delivery("window"),
                                   now=datetime(2026, 9, 30, 2, 30, tzinfo=UTC)).cases[0].case_uuid
    printable = prepare_print(db, (uid,), "receipt", site_name=demo.DEMO_SITE[1], window_name=w.name,
                         clerk_name=u.display_name)
    assert printable.document.header.demo
    assert MARK in pdf_facts(save_pdf(printable.document, Paper.A4, tmp_path / "r.pdf")).flat
    db.close()
