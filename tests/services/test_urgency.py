"""Urgency per case: the catalog's by default, the clerk's call with a reason; 5 or 15 minutes to hand over;
shown by the case view and printed on the receipt (read back from the PDF)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from clerk_desk.domain.errors import InputError
from clerk_desk.forms.case_documents import build_document
from clerk_desk.forms.paper import Paper
from clerk_desk.forms.render import save_pdf
from clerk_desk.services import accounts, demo, site_setup
from clerk_desk.services.case_read import read_case
from clerk_desk.services.intake import Clerk, IntakeService
from clerk_desk.services.intake_forms import Delivery, IntakeForm, ItemRef, MaterialCheck, Party, Urgency
from clerk_desk.store.database import Database
from clerk_desk.store.models import CaseEvent
from tests.forms.conftest import pdf_facts

AT = datetime(2026, 9, 30, 2, 30, tzinfo=UTC)
PENSION = ItemRef("002014006009", "城乡居民养老保险注销登记", "rs", "promise", promised_days=3)
URGENT_ITEM = replace(PENSION, urgent=True)


@pytest.fixture
def world(tmp_path: Path) -> tuple[IntakeService, Clerk]:
    db = Database(tmp_path / "data")
    demo.ensure_demo_site(db)
    u = next(u for u in accounts.list_users(db) if u.username == "clerk1")
    w = site_setup.list_windows(db)[0]
    return IntakeService(db), Clerk(u.id, u.username, u.display_name, w.id, w.name)


def form(item: ItemRef = PENSION) -> IntakeForm:
    return IntakeForm(
        (item,),
        Party("person", "张三", "11010519491231002X", phone="13812345678"),
        (MaterialCheck("居民身份证", provided=True, form="original", copies=1),),
    )


def test_the_catalog_urgency_is_the_default(world) -> None:
    svc, clerk = world
    normal = svc.accept(form(), clerk, delivery=Delivery("window"), now=AT).cases[0]
    urgent = svc.accept(form(URGENT_ITEM), clerk, delivery=Delivery("window"), now=AT).cases[0]
    assert normal.transfer_due_at == AT + timedelta(minutes=15)
    assert urgent.transfer_due_at == AT + timedelta(minutes=5)
    view = read_case(svc.db, urgent.case_uuid)
    assert view.item.urgent and view.item.urgent_reason is None
    # the same answer as the catalog's needs no reason
    same = svc.accept(form(), clerk, delivery=Delivery("window"), urgency=Urgency(False), now=AT).cases[0]
    assert read_case(svc.db, same.case_uuid).item.urgent_reason is None


def test_the_clerk_marks_a_case_urgent_with_a_reason(world, tmp_path: Path, qapp) -> None:  # type: ignore[no-untyped-def]
    svc, clerk = world
    c = svc.accept(
        form(), clerk, delivery=Delivery("window"), urgency=Urgency(True, " 申请人明日住院手术 "), now=AT
    ).cases[0]
    assert c.transfer_due_at == AT + timedelta(minutes=5)
    view = read_case(svc.db, c.case_uuid)
    assert view.item.urgent and view.item.urgent_reason == "申请人明日住院手术"
    assert view.transfer is not None and view.transfer.due_at == AT + timedelta(minutes=5)
    with svc.db.reading() as s:
        ev = s.scalars(select(CaseEvent).where(CaseEvent.case_uuid == c.case_uuid)).one()
    assert (ev.payload["urgent"], ev.payload["urgent_reason"]) == (True, "申请人明日住院手术")  # to the hub
    doc = build_document(
        "receipt",
        [view],
        site_name="通山县通羊镇便民服务中心",
        window_name=clerk.window_name,
        clerk_name=clerk.display_name,
    )
    text = pdf_facts(save_pdf(doc, Paper.A4, tmp_path / "receipt.pdf")).flat
    assert "紧急程度" in text and "紧急（5分钟内流转后台）" in text and "申请人明日住院手术" in text


def test_lowering_a_catalog_urgent_case_also_needs_a_reason(world) -> None:
    svc, clerk = world
    with pytest.raises(InputError, match="需要填写理由"):
        svc.accept(
            form(URGENT_ITEM), clerk, delivery=Delivery("window"), urgency=Urgency(False, "  "), now=AT
        )
    with pytest.raises(InputError, match="需要填写理由"):
        svc.accept(form(), clerk, delivery=Delivery("window"), urgency=Urgency(True), now=AT)
    with pytest.raises(InputError, match="不能超过 200 个字"):
        svc.accept(form(), clerk, delivery=Delivery("window"), urgency=Urgency(True, "急" * 201), now=AT)
    c = svc.accept(
        form(URGENT_ITEM),
        clerk,
        delivery=Delivery("window"),
        urgency=Urgency(False, "材料需后台先行核对"),
        now=AT,
    ).cases[0]
    assert c.transfer_due_at == AT + timedelta(minutes=15)
    view = read_case(svc.db, c.case_uuid)
    assert not view.item.urgent and view.item.urgent_reason == "材料需后台先行核对"


def test_a_normal_receipt_says_fifteen_minutes(world, tmp_path: Path, qapp) -> None:  # type: ignore[no-untyped-def]
    svc, clerk = world
    c = svc.accept(form(), clerk, delivery=Delivery("window"), now=AT).cases[0]
    doc = build_document(
        "receipt",
        [read_case(svc.db, c.case_uuid)],
        site_name="通山县通羊镇便民服务中心",
        window_name=clerk.window_name,
        clerk_name=clerk.display_name,
    )
    assert "一般（15分钟内流转后台）" in pdf_facts(save_pdf(doc, Paper.A4, tmp_path / "r.pdf")).flat


def test_each_case_of_a_bundle_has_its_own_urgency_and_reason(world) -> None:  # type: ignore[no-untyped-def]
    svc, clerk = world
    other = replace(PENSION, code="002014006010", name="城乡居民养老保险待遇领取")
    third = replace(URGENT_ITEM, code="002014006011", name="城乡居民养老保险关系转移")
    bundle = replace(form(), items=(PENSION, other, third))
    with pytest.raises(InputError) as err:  # a reason per case whose urgency the clerk changed
        svc.accept(bundle, clerk, delivery=Delivery("window"), now=AT,
                   urgency={PENSION.code: Urgency(True, "申请人明日住院"), third.code: Urgency(False)})
    assert "“城乡居民养老保险关系转移”标为紧急（或取消目录的紧急）需要填写理由" in err.value.message_zh
    assert "城乡居民养老保险注销登记" not in err.value.message_zh
    result = svc.accept(bundle, clerk, delivery=Delivery("window"), now=AT, urgency={
        PENSION.code: Urgency(True, "申请人明日住院"), other.code: Urgency(False),  # as the catalog: no reason
        third.code: Urgency(False, "部门确认本件可按承诺件流转")})  # fmt: skip
    by_code = {c.item_code: c for c in result.cases}
    assert by_code[PENSION.code].transfer_due_at == AT + timedelta(minutes=5)
    assert by_code[other.code].transfer_due_at == AT + timedelta(minutes=15)
    assert by_code[third.code].transfer_due_at == AT + timedelta(minutes=15)
    views = {code: read_case(svc.db, c.case_uuid).item for code, c in by_code.items()}
    assert (views[PENSION.code].urgent, views[PENSION.code].urgent_reason) == (True, "申请人明日住院")
    assert (views[other.code].urgent, views[other.code].urgent_reason) == (False, None)
    assert (views[third.code].urgent, views[third.code].urgent_reason) == (False, "部门确认本件可按承诺件流转")
    with svc.db.reading() as s:  # each case's accept carries its own call to the hub
        sent = {e.payload["item_code"]: (e.payload["urgent"], e.payload["urgent_reason"]) for e in s.scalars(
            select(CaseEvent).where(CaseEvent.type == "accepted"))}  # fmt: skip
    assert sent[PENSION.code] == (True, "申请人明日住院") and sent[other.code] == (False, None)
