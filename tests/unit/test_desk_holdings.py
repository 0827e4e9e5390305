"""The X-Desk-Holds header (clerk_desk.domain.desk_holdings): what a desk writes the hub reads back, a value
the hub would refuse is left out by the desk, and the hub's reader refuses what is not the format."""

from __future__ import annotations

import pytest

from clerk_desk.domain.desk_holdings import MAX_HEADER, Holdings, decode, encode


def test_what_a_desk_writes_reads_back_with_a_chinese_calendar_version() -> None:
    held = Holdings("0.1.0", "2026.10", "hub", {2027: "2027年第1版（修订）", 2026: "2026-1"})
    text = encode(held)
    assert text.isascii() and len(text) <= MAX_HEADER
    assert decode(text) == held


def test_a_value_the_hub_would_refuse_is_left_out_and_the_rest_still_said() -> None:
    held = Holdings("0.1.0", "2026.1\n", "hub", {2026: "2026-1", 2027: "a:b", 1999: "old", 2028: "x" * 101})
    assert decode(encode(held)) == Holdings("0.1.0", None, None, {2026: "2026-1", 2027: "a:b", 2028: "x" * 100})
    assert decode(encode(Holdings("<b>1</b>"))) == Holdings("unknown")


@pytest.mark.parametrize(
    "header",
    [
        "app=1; catalog=2026.1\x1b[2J",
        "app=1; catalog=%1b%5b2J",
        "app=1; calendar=2026:%E2%80%8F1",  # a right-to-left mark
        "app=1; calendar=2026",
        "app=1; catalog=%C3",  # a cut UTF-8 sequence
        "app=1; catalog=%G1",
        "app=1 ; APP=2",
        "app=",
        "app=1=2",
        "app=1(2)",  # a value the desk percent-encodes, sent raw
        "app=1,2",
    ],
)
def test_the_reader_refuses_what_is_not_the_format(header: str) -> None:
    with pytest.raises(ValueError):
        decode(header)


@pytest.mark.parametrize(
    "version",
    ["2027/1", "2027-1（国办发明电〔2026〕7号）", "2027年第1版，修订", "2027·1", "2027-1 第2次：更正"],
)
def test_a_calendar_version_with_ordinary_punctuation_is_still_said(version: str) -> None:
    """A calendar file's version is any text holding a number (docs/calendar-format.md), and the hub serves it as
    it is: a desk that left such a year out of its report was listed as lacking the very year it had taken."""
    held = Holdings("0.1.0", None, None, {2027: version})
    assert decode(encode(held)) == held


def test_a_calendar_version_the_header_cannot_carry_still_says_the_year() -> None:
    """Over 100 characters (the hub keeps a publication's label in 100) or a character the hub refuses: the year
    is said with the version as near as the header allows, never dropped."""
    said = decode(encode(Holdings("0.1.0", None, None, {2027: "2027-" + "1" * 120, 2028: "2028<b>-1\u200f"})))
    assert said.calendar == {2027: ("2027-" + "1" * 120)[:100], 2028: "2028?b?-1?"}


def test_a_report_too_long_for_the_header_leaves_out_the_oldest_years_not_everything() -> None:
    """Calendar versions of Chinese text take nine characters a character once percent-encoded: three of 100
    were over the header's 2,048, and the desk then said its program only, so the hub listed it as lacking the
    catalog and every year. The oldest years go first; the catalog and the newest years are still said."""
    long = "〔" + "国" * 98 + "〕"
    held = Holdings("0.1.0", "2026.1", "hub", {2026: "2026" + long[4:], 2027: "2027" + long[4:], 2028: "2028" + long[4:]})
    said = decode(encode(held))
    assert (said.app, said.catalog, said.catalog_source) == ("0.1.0", "2026.1", "hub")
    assert sorted(said.calendar) == [2027, 2028] and said.calendar[2028] == held.calendar[2028]
