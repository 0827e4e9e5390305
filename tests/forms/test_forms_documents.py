"""The documents as data: what is masked, what is refused, and what the templates say."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from clerk_desk.domain.case_numbers import InvalidCaseNumber
from clerk_desk.forms import samples
from clerk_desk.forms.documents import (
    AcceptanceReceipt,
    Applicant,
    Delivery,
    MaterialProblem,
    PromisedCompletion,
    SupplementNotice,
    mask_phone,
    shanghai_time,
)
from clerk_desk.forms.html_parts import Style
from clerk_desk.forms.paper import Paper
from clerk_desk.forms.templates import to_html

A4 = Style(Paper.A4.spec, qr_px=98)
ROLL = Style(Paper.ROLL_80MM.spec, qr_px=106)


def test_person_id_is_masked_and_credit_code_is_not() -> None:
    assert samples.PERSON.printed_id == "110105********002X"
    assert samples.COMPANY.printed_id == "91350100M000100Y43"
    assert samples.AGENT.printed_id == "421224********0032"
    assert Applicant("x", "11010519491231002x").printed_id == "110105********002X"


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("13812345678", "138****5678"),
        ("138 1234 5678", "138****5678"),
        ("+8613812345678", "138****5678"),
        ("", ""),
    ],
)
def test_phone_masking(raw: str, masked: str) -> None:
    assert mask_phone(raw) == masked


def test_header_numbers_and_time() -> None:
    h = samples.header()
    assert h.case_number_grouped == "421224 03 2026 1126 000 123"
    assert h.accepted_local.hour == 10 and h.accepted_local.utcoffset().total_seconds() == 8 * 3600
    assert shanghai_time(datetime(2026, 1, 1, 16, 0)).date() == date(2026, 1, 2)  # naive = UTC
    assert not h.is_reprint and replace(h, reprint_count=1).is_reprint


def test_bad_documents_are_refused() -> None:
    with pytest.raises(InvalidCaseNumber):
        samples.header(case_number="not-a-number")
    with pytest.raises(ValueError):
        samples.header(items=())
    with pytest.raises(ValueError):
        samples.header(reprint_count=-1)
    with pytest.raises(ValueError, match="case number"):
        AcceptanceReceipt(samples.header(""), (), PromisedCompletion(1, date(2026, 12, 1)))
    with pytest.raises(ValueError, match="address"):
        AcceptanceReceipt(samples.header(), (), PromisedCompletion(1, date(2026, 12, 1)), Delivery.POST)
    with pytest.raises(ValueError, match="notice number"):
        SupplementNotice(samples.header(""), "", (MaterialProblem("户口簿", "未提供"),))


def test_receipt_wording_for_confirmed_and_provisional_dates() -> None:
    confirmed = to_html(samples.receipt(), A4)
    assert "时限经承办部门确认" in confirmed and "承诺办结日期" in confirmed and "预计" not in confirmed
    provisional = replace(
        samples.receipt(), promise=PromisedCompletion(5, date(2027, 1, 8), provisional=True)
    )
    html = to_html(provisional, ROLL)
    assert "预计办结日期" in html and "2027年1月8日前" in html and "时限经承办部门确认" not in html
    assert "按双休日推算，待节假日安排公布后复核" in html


def test_delivery_methods() -> None:
    assert "新城大道88号" in to_html(samples.receipt(), A4)
    for method in (Delivery.WINDOW, Delivery.ELECTRONIC):
        html = to_html(replace(samples.receipt(), delivery=method, delivery_address=""), A4)
        assert method.value in html and "邮寄地址" not in html


def test_text_is_escaped() -> None:
    doc = replace(samples.refusal(), reason="<b>不</b> & 其他")
    html = to_html(doc, A4)
    assert "&lt;b&gt;不&lt;/b&gt; &amp; 其他" in html


def test_no_internal_transfer_deadline_on_paper() -> None:
    html = to_html(samples.receipt(), A4)
    for word in ("转办", "流转时限", "15分钟", "5分钟"):
        assert word not in html


def test_supplement_without_case_number_has_no_qr_and_with_one_does() -> None:
    assert "<img" not in to_html(samples.supplement(), A4)
    with_case = replace(samples.supplement(), header=samples.header())
    assert "<img" in to_html(with_case, A4) and "办件编号" in to_html(with_case, A4)


def test_agent_and_bundle_appear() -> None:
    html = to_html(samples.pledge(), ROLL)
    assert "一件事（共2项）" in html and "公共场所卫生许可" in html and "法定代表人" in html
    assert "代办人" in to_html(samples.receipt(), ROLL)


def test_times_are_in_shanghai() -> None:
    slip = replace(samples.result_slip(), completed_at=datetime(2026, 11, 26, 16, 5, tzinfo=UTC))
    assert "2026年11月27日 00:05" in to_html(slip, A4)


@pytest.mark.parametrize("style", [A4, ROLL], ids=["a4", "roll"])
def test_a_paper_says_you_to_a_person_and_your_organisation_to_an_organisation(style: Style) -> None:
    papers = {
        "receipt": samples.receipt(), "supplement": samples.supplement(), "refusal": samples.refusal(),
        "result": samples.result_slip(), "decision": samples.decision(approved=False),
    }
    for name, doc in papers.items():
        person = to_html(doc, style)
        assert "（单位）" not in person and "您" in person and "贵单位" not in person, name
        company = replace(doc, header=replace(doc.header, applicant=samples.COMPANY))
        html = to_html(company, style)
        assert "贵单位" in html and "您" not in html and "（单位）" not in html, name
