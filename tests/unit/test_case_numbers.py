from __future__ import annotations

from datetime import date

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from clerk_desk.domain.case_numbers import (
    CaseNumber,
    InvalidCaseNumber,
    format_case_number,
    group_for_reading,
    parse_case_number,
)

DAY = date(2026, 11, 26)
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

sites = st.one_of(st.integers(110000, 829999).map(str), st.text(ALNUM, min_size=3, max_size=12))
devices = st.text(ALNUM, min_size=2, max_size=4)
seqs = st.one_of(st.integers(1, 999_999), st.integers(1, 10**12))
dates = st.dates(date(2000, 1, 1), date(2099, 12, 31))


def test_canonical_form() -> None:
    assert format_case_number("421224", "03", DAY, 123) == "421224-03-20261126-000123"
    assert format_case_number("TSXH", "A1B2", DAY, 999_999) == "TSXH-A1B2-20261126-999999"
    assert format_case_number("421224", "03", DAY, 1_000_000) == "421224-03-20261126-1000000"


def test_reading_form() -> None:
    assert group_for_reading("421224-03-20261126-000123") == "421224 03 2026 1126 000 123"
    assert group_for_reading("421224-03-20261126-1234567") == "421224 03 2026 1126 1 234 567"
    assert group_for_reading("421224-03-20261126-12345678") == "421224 03 2026 1126 12 345 678"


@pytest.mark.parametrize(
    "text",
    [
        "421224-03-20261126-000123",
        "421224 03 2026 1126 000 123",
        "  421224 - 03 - 20261126 - 000123 ",
        "421224—03—2026 1126—000 123",
        "４２１２２４－０３－２０２６１１２６－０００１２３",
        "421224\u300003\u300020261126\u3000000123",
    ],
)
def test_parse_tolerates_separators_and_fullwidth(text: str) -> None:
    cn = parse_case_number(text)
    assert cn == CaseNumber("421224", "03", DAY, 123)
    assert str(cn) == cn.compact == "421224-03-20261126-000123"
    assert cn.grouped == "421224 03 2026 1126 000 123"


def test_lower_case_codes_are_normalised() -> None:
    assert parse_case_number("tsxh-a1-20261126-000001").site_code == "TSXH"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "empty"),
        (" - ", "empty"),
        ("421224-03-20261126", "format"),
        ("4212240320261126000123", "format"),
        ("421224-03-2026112-000123", "date"),
        ("421224-03-20261131-000123", "date"),  # 31 November
        ("421224-03-2026AB26-000123", "date"),
        ("421224-03-20261126-00012A", "sequence"),
        ("421224-03-20261126-00123", "sequence"),  # a digit missing
        ("421224-03-20261126-0000123", "sequence"),  # a stray leading zero
        ("421224-03-20261126-000000", "sequence"),
        ("42-03-20261126-000123", "site_code"),
        ("4212240000000-03-20261126-000123", "site_code"),
        ("421224-3-20261126-000123", "device_code"),
        ("421224-03A45-20261126-000123", "device_code"),
        ("421224-0#-20261126-000123", "device_code"),
    ],
)
def test_parse_rejections(text: str, code: str) -> None:
    with pytest.raises(InvalidCaseNumber) as exc:
        parse_case_number(text)
    assert exc.value.code == code
    assert exc.value.message_zh
    assert isinstance(exc.value, ValueError)


@pytest.mark.parametrize(
    ("site", "device", "seq", "code"),
    [
        ("42", "03", 1, "site_code"),
        ("421224", "03-", 1, "device_code"),
        ("421224", "03", 0, "sequence"),
        ("421224", "03", -5, "sequence"),
        ("421224", "03", True, "sequence"),
        ("421224", "ab", 1, "device_code"),  # the canonical form is upper case
    ],
)
def test_format_rejects_bad_parts(site: str, device: str, seq: int, code: str) -> None:
    with pytest.raises(InvalidCaseNumber) as exc:
        format_case_number(site, device, DAY, seq)
    assert exc.value.code == code


@given(sites, devices, dates, seqs)
def test_round_trip(site: str, device: str, day: date, seq: int) -> None:
    compact = format_case_number(site, device, day, seq)
    parsed = parse_case_number(compact)
    assert parsed == CaseNumber(site, device, day, seq)
    grouped = group_for_reading(compact)
    assert parse_case_number(grouped) == parsed
    assert parse_case_number(compact.lower()) == parsed
    # every reading group is short enough to say in one breath
    assert all(len(g) <= 4 for g in grouped.split(" ")[2:])


@given(sites, dates, devices, seqs, devices, seqs)
def test_different_device_or_sequence_never_collide(
    site: str, day: date, dev_a: str, seq_a: int, dev_b: str, seq_b: int
) -> None:
    assume((dev_a, seq_a) != (dev_b, seq_b))
    assert format_case_number(site, dev_a, day, seq_a) != format_case_number(site, dev_b, day, seq_b)
    assert group_for_reading(format_case_number(site, dev_a, day, seq_a)) != group_for_reading(
        format_case_number(site, dev_b, day, seq_b)
    )


@given(sites, devices, st.lists(dates, min_size=2, max_size=20), st.integers(1, 10**7))
def test_a_clock_stepping_back_never_repeats(site: str, device: str, clock: list[date], first: int) -> None:
    # The store hands out seq, seq+1, ... whatever dates the PC clock reports.
    numbers = [format_case_number(site, device, d, first + i) for i, d in enumerate(clock)]
    assert len(set(numbers)) == len(numbers)


def test_error_is_an_input_error_for_the_clerk() -> None:
    from clerk_desk.domain.errors import InputError

    with pytest.raises(InputError) as exc:
        parse_case_number("421224-03-20261131-000123")
    assert str(exc.value) == exc.value.message_zh
    assert "20261131" in exc.value.message_zh
