"""From a real accepted case in a real database to each printed paper, read back from the PDF."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from clerk_desk.forms.case_documents import build_document
from clerk_desk.forms.paper import Paper
from clerk_desk.forms.render import save_pdf
from clerk_desk.services import accounts, demo, print_log, site_setup
from clerk_desk.services.case_read import read_case
from clerk_desk.services.intake import Clerk, IntakeService
from clerk_desk.services.intake_forms import (
    Delivery,
    IntakeForm,
    ItemRef,
    MaterialCheck,
    Party,
    Pledge,
    SituationAnswer,
)
from clerk_desk.store.database import Database

from .conftest import pdf_facts

ID = "11010519491231002X"
AT = datetime(2026, 9, 30, 2, 30, tzinfo=UTC)
ITEM = ItemRef("002014006009", "城乡居民养老保险注销登记", "rs", "promise", promised_days=3)


@pytest.fixture
def world(tmp_path: Path, qapp: object) -> tuple[IntakeService, Clerk]:
    db = Database(tmp_path / "data")
    demo.ensure_demo_site(db)
    u = next(u for u in accounts.list_users(db) if u.username == "clerk1")
    w = site_setup.list_windows(db)[0]
    return IntakeService(db), Clerk(u.id, u.username, u.display_name, w.id, w.name)


def _form(provided: bool) -> IntakeForm:
    return IntakeForm(
        items=(ITEM,),
        applicant=Party("person", "张三", ID, phone="13812345678"),
        checklist=(
            MaterialCheck("居民身份证", provided=True, form="original", copies=1),
            MaterialCheck("户口簿", provided=provided, form="copy" if provided else None, copies=1),
            MaterialCheck("死亡证明", waivable=True, provided=False),
        ),
    )


def _pdf(svc: IntakeService, clerk: Clerk, uid: str, kind: str, tmp_path: Path) -> str:
    case = read_case(svc.db, uid)
    reprint = print_log.record_print(svc.db, uid, kind, actor=clerk.username)
    doc = build_document(
        kind,
        [case],
        site_name="通山县通羊镇便民服务中心",
        window_name=clerk.window_name,
        clerk_name=clerk.display_name,
        reprint=reprint,
    )
    out = save_pdf(doc, Paper.A4, tmp_path / f"{kind}-{reprint}.pdf")
    return pdf_facts(out).flat


def test_receipt_and_pledge_from_an_accepted_case(world: tuple[IntakeService, Clerk], tmp_path: Path) -> None:
    svc, clerk = world
    res = svc.accept(
        _form(True),
        clerk,
        delivery=Delivery("window"),
        now=AT,
        pledge=Pledge(("死亡证明",), date(2026, 10, 20)),
    )
    c = res.cases[0]
    text = _pdf(svc, clerk, c.case_uuid, "receipt", tmp_path)
    assert "受理回执" in text and "城乡居民养老保险注销登记" in text
    assert "110105********002X" in text and ID not in text
    assert c.case_number.split("-")[-1] in text and "补打" not in text
    assert "2026年10月10日" in text or "2026-10-10" in text
    again = _pdf(svc, clerk, c.case_uuid, "receipt", tmp_path)
    assert "补打" in again
    pledge = _pdf(svc, clerk, c.case_uuid, "pledge", tmp_path)
    assert "容缺受理承诺书" in pledge and "死亡证明" in pledge


def test_notice_refusal_and_result_slip(world: tuple[IntakeService, Clerk], tmp_path: Path) -> None:
    svc, clerk = world
    notice = svc.notify_supplement(_form(False), clerk, now=AT).cases[0]
    text = _pdf(svc, clerk, notice.case_uuid, "supplement_notice", tmp_path)
    assert "一次性告知书" in text and "户口簿" in text and "未提供" in text
    refused = svc.refuse(_form(True), clerk, reason="不属于本中心受理范围", now=AT).cases[0]
    text = _pdf(svc, clerk, refused.case_uuid, "refusal_notice", tmp_path)
    assert "不予受理告知书" in text and "不属于本中心受理范围" in text
    item = ItemRef("LOCAL-MZ-1", "老年优待证换发", "mz", "immediate", promised_days=0)
    form = IntakeForm(
        items=(item,),
        applicant=Party("person", "张三", ID),
        checklist=(MaterialCheck("居民身份证", provided=True, form="original", copies=1),),
    )
    done = svc.complete_on_spot(form, clerk, result="已当场换发老年优待证", now=AT).cases[0]
    text = _pdf(svc, clerk, done.case_uuid, "result_slip", tmp_path)
    assert "已当场换发老年优待证" in text and "老年优待证换发" in text


def test_papers_say_copies_of_each_or_in_all_and_the_situation(
    world: tuple[IntakeService, Clerk], tmp_path: Path
) -> None:
    svc, clerk = world
    form = IntakeForm(
        items=(ITEM,),
        applicant=Party("person", "张三", ID),
        checklist=(
            MaterialCheck("居民身份证", provided=True, form="original_and_copy", copies=1, each=True),
            MaterialCheck("户口簿", provided=True, form="original_and_copy", copies=2),
            MaterialCheck("近期照片", provided=True, form="original", copies=3),
            MaterialCheck("遗属待遇领取人银行账户", provided=True, form="copy", copies=1),
        ),
        situations=(
            SituationAnswer("cancel_reason", "注销原因", "death", "参保人员死亡"),
            SituationAnswer("pay_by_card", "能否通过死者社会保障卡领取？", "no", "不能"),
        ),
    )
    c = svc.accept(form, clerk, delivery=Delivery("window"), now=AT).cases[0]
    stored = read_case(svc.db, c.case_uuid)
    assert [m.each for m in stored.checklist] == [True, False, False, False]
    assert [a.label for a in stored.situations] == ["参保人员死亡", "不能"]
    for kind in ("receipt", "receipt"):  # the reprint says the same
        text = _pdf(svc, clerk, c.case_uuid, kind, tmp_path)
        assert (
            "居民身份证原件及复印件各1" in text
            and "户口簿原件及复印件共2" in text
            and "近期照片原件3" in text
        )
        assert "办理情形" in text and "注销原因：参保人员死亡" in text and "社会保障卡领取：不能" in text
