"""Search as the clerk types: the acceptance queries, ranking, filters, and a catalog from elsewhere."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from clerk_desk.services import catalog_service as cs
from clerk_desk.store.database import Database


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    d = Database(tmp_path_factory.mktemp("catalog") / "data")
    cs.ensure_demo_catalog(d)
    yield d
    d.close()


def top(db: Database, text: str, n: int = 1, **kw: object) -> list[str]:
    return [h.name for h in cs.search(db, text, **kw)[:n]]  # type: ignore[arg-type]


def test_yanglao_finds_a_rural_urban_pension_item(db: Database) -> None:
    assert "城乡居民" in top(db, "养老")[0] and "养老保险" in top(db, "养老")[0]


def test_cxjm_initials_find_chengxiang_jumin_items(db: Database) -> None:
    hits = top(db, "cxjm", 4)
    assert len(hits) == 4 and all(h.startswith("城乡居民") for h in hits)


def test_disability_certificate(db: Database) -> None:
    hits = top(db, "残疾人证", 3)
    assert all(h.startswith("残疾人证") for h in hits)
    assert top(db, "残疾证")[0].startswith("残疾人证")  # the colloquial name


def test_dibao_names_containing_it_first_then_the_keyword(db: Database) -> None:
    # an official name containing 低保 outranks 低保 as a keyword of another item (issue #12)
    for query in ("低保", "dibao"):
        hits = top(db, query, 3)
        assert all("低保" in h for h in hits[:2]) and "最低生活保障" in hits[2]


def test_shebaoka_finds_the_social_security_card_item(db: Database) -> None:
    assert top(db, "社保卡") == ["社会保障卡制作发放及管理"]
    assert top(db, "sbk") == ["社会保障卡制作发放及管理"]


def test_lsjz_finds_temporary_assistance_items(db: Database) -> None:
    hits = top(db, "lsjz", 2)
    assert len(hits) == 2 and all("临时" in h and "救助" in h for h in hits)


def test_item_code_finds_that_item(db: Database) -> None:
    for code in ("000524021000", "002014006009", "000131128000"):
        hits = cs.search(db, code)
        assert hits[0].code == code and hits[0].match == "code"
    local = next(i.code for i in cs.list_items(db) if i.code.startswith("LOCAL-"))
    assert cs.search(db, local.lower())[0].code == local


def test_colloquial_names(db: Database) -> None:
    assert "特困人员认定" in top(db, "五保")[0]
    assert "医保" in top(db, "医保")[0]
    assert "生育服务证" in top(db, "准生证")[0]


def test_full_pinyin_prefix_and_substring(db: Database) -> None:
    assert top(db, "canjiren")[0].startswith("残疾人证")
    assert "个体工商户" in top(db, "gongshang")[0]


def test_ranking_exact_before_prefix_before_substring(db: Database) -> None:
    hits = cs.search(db, "临时救助")
    names = [h.name for h in hits]
    # exact keyword hits first, then "临时救助…" as a name prefix before names merely containing it
    assert names.index("临时救助申请") < names.index("临时生活救助的给付")


def test_filters(db: Database) -> None:
    assert {h.department_code for h in cs.search(db, "证", department="cl")} == {"cl"}
    in_list = cs.search(db, "", list_code="hb-gp-1", limit=1000)
    assert in_list and len(in_list) < len(cs.list_items(db))
    assert cs.search(db, "cxjm", department="ly") == []


def test_empty_query_lists_everything_active(db: Database) -> None:
    assert len(cs.search(db, "  ", limit=1000)) == len(cs.list_items(db))


def other_county_catalog() -> dict:
    """A catalog this repository does not contain: written from scratch, other departments and items."""
    return {
        "format": "clerk-desk-catalog",
        "format_version": 1,
        "catalog_version": "2027.3.1",
        "publisher": "咸宁市某县政务服务和大数据管理局",
        "published_at": "2027-03-01",
        "departments": [{"code": "ly", "name": "林业"}, {"code": "sl", "name": "水利"}],
        "lists": [{"code": "xz-bmfw", "name": "某县乡镇便民服务事项清单"}],
        "items": [
            {
                "code": "000140101000",
                "name": "林草种子生产经营许可证核发",
                "keywords": ["种苗证"],
                "department": "ly",
                "lists": ["xz-bmfw"],
                "type": "行政许可",
                "handling_kind": "promise",
                "urgency": "normal",
                "legal_days": 20,
                "promised_days": 10,
                "fee": "不收费",
                "delivery": ["window", "mail"],
                "materials": [
                    {
                        "name": "林草种子生产经营许可证申请表",
                        "form": "original",
                        "copies": 1,
                        "required": True,
                    },
                    {"name": "营业执照", "form": "copy", "copies": 1, "required": True, "waivable": True},
                ],
                "sources": [{"url": "https://example.gov.cn/zwfw/ly/1", "region": "某县"}],
            },
            {
                "code": "000152003000",
                "name": "农村集体经济组织修建水库审批",
                "keywords": ["曾家畈水库"],
                "department": "sl",
                "lists": ["xz-bmfw"],
                "handling_kind": "promise",
                "legal_days": 20,
                "promised_days": 15,
                "materials": [{"name": "申请书", "required": True}],
            },
            {
                "code": None,
                "name": "取水许可（单位自备水源）",
                "department": "sl",
                "lists": ["xz-bmfw"],
                "handling_kind": None,
                "materials": [],
            },
        ],
    }


def test_another_catalog_in_the_documented_format_imports_and_is_searchable(tmp_path: Path) -> None:
    path = tmp_path / "other.json"
    path.write_text(json.dumps(other_county_catalog(), ensure_ascii=False), encoding="utf-8")
    problems = cs.validate(path)
    assert not [p for p in problems if p.is_error]
    assert {"code", "handling_kind"} <= {p.field for p in problems if not p.is_error}
    db = Database(tmp_path / "data")
    try:
        result = cs.import_file(db, path)
        assert result.added == 3
        assert top(db, "林草种子")[0] == "林草种子生产经营许可证核发"
        assert top(db, "zmz")[0] == "林草种子生产经营许可证核发"  # keyword initials
        assert top(db, "zengjiafan")[0] == "农村集体经济组织修建水库审批"  # 曾 read zeng
        assert top(db, "cengjiafan")[0] == "农村集体经济组织修建水库审批"  # and ceng
        assert top(db, "qsxkdw")[0] == "取水许可（单位自备水源）"
        assert top(db, "qushuixukeshanwei")[0] == "取水许可（单位自备水源）"  # every reading of 单
        assert cs.search(db, "000152003000")[0].name == "农村集体经济组织修建水库审批"
        local = cs.search(db, "取水")[0]
        assert local.code.startswith("LOCAL-SL-") and cs.get_item(db, local.code).is_local_code
        item = cs.get_item(db, "000140101000")
        assert item.delivery_text == "窗口领取、邮寄送达" and item.materials[1].waivable
        assert {c for c, _, n in cs.departments(db) if n} == {"ly", "sl"}
    finally:
        db.close()


def test_ties_go_to_the_items_this_site_accepted_most(tmp_path: Path) -> None:
    """The counts come from the cases table when the index loads (and grow as this desk accepts)."""
    from datetime import UTC, datetime

    from clerk_desk.services import site_setup
    from clerk_desk.store.models import Case

    db = Database(tmp_path / "data")
    try:
        cs.ensure_demo_catalog(db)
        first = [h.code for h in cs.search(db, "残联", limit=3)]
        site_setup.set_site(db, site_code="421224100", site_name="通羊镇便民服务中心", device_code="01")
        last = cs.get_item(db, first[-1])
        with db.transaction() as s:
            for status in ("accepted", "transferred", "completed", "notified", "refused"):
                s.add(
                    Case(
                        site_code="421224100",
                        department_code=last.department_code,
                        item_code=last.code,
                        item_name=last.name,
                        status=status,
                        device_code="01",
                        accepted_at=datetime(2026, 12, 1, tzinfo=UTC) if status == "transferred" else None,
                    )
                )
        assert cs.search_index(db) is not None
        cs.invalidate_index(db)
        assert cs.search_index(db).counts == {last.code: 3}  # notices and refusals are not acceptances
        assert [h.code for h in cs.search(db, "残联", limit=3)] == [last.code, *first[:-1]]
        cs.count_accepted(db, [first[1]] * 4)  # this desk accepts more of another one
        assert [h.code for h in cs.search(db, "残联", limit=3)][0] == first[1]
    finally:
        db.close()
