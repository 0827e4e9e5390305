"""Search quality over a catalog written here from scratch (not the demo catalog): what clerks type, typos
and all, and the rule that an item's exact official name always comes first (a property test)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clerk_desk.catalog.format import normalize_text
from clerk_desk.catalog.search_engine import SearchIndex
from clerk_desk.catalog.search_terms import IndexedItem
from clerk_desk.services import catalog_service as cs
from clerk_desk.store.database import Database

DEPARTMENTS = {
    "mz": "民政",
    "cl": "残联",
    "rs": "人社",
    "yb": "医保",
    "wj": "卫健",
    "zj": "住建",
    "tyjr": "退役军人",
    "ly": "林业",
    "scjg": "市场监管",
    "yj": "应急",
    "nync": "农业农村",
    "ga": "公安",
}

# (code, name, department, keywords, materials)
ITEMS: list[tuple[str, str, str, list[str], list[str]]] = [
    ("MZ-01", "最低生活保障对象认定", "mz", ["低保", "吃低保"], ["家庭收入情况说明", "居民身份证"]),
    ("MZ-02", "特困人员救助供养认定", "mz", ["五保", "五保户", "特困供养"], ["居民身份证", "户口簿"]),
    ("MZ-03", "农村五保对象集中供养入院申请", "mz", [], ["入院申请书"]),
    ("MZ-04", "临时救助对象认定", "mz", ["救急难", "临时救助"], ["困难情况说明"]),
    ("MZ-05", "高龄津贴申领", "mz", ["高龄补贴", "老人补贴"], ["居民身份证", "银行卡"]),
    ("MZ-06", "老年优待证换发", "mz", ["老年证"], ["近期一寸照片"]),
    ("MZ-07", "结婚登记预约", "mz", ["领结婚证"], ["户口簿", "居民身份证"]),
    ("MZ-08", "困难群众丧葬补助申领", "mz", ["丧葬费"], ["火化证明"]),
    ("CL-01", "残疾人证新办", "cl", ["残疾证", "办残疾证"], ["二寸白底照片", "户口簿"]),
    ("CL-02", "残疾人证挂失补办", "cl", [], ["挂失声明"]),
    ("CL-03", "困难残疾人生活补贴和重度残疾人护理补贴申请", "cl", ["两项补贴", "残疾补贴"], ["残疾人证"]),
    ("RS-01", "社会保障卡申领", "rs", ["社保卡", "办社保卡", "挂失"], ["居民身份证"]),
    ("RS-02", "社会保障卡挂失与解挂", "rs", [], ["居民身份证"]),
    ("RS-03", "就业创业证申领", "rs", ["失业证", "就业证"], ["居民身份证", "近期一寸照片"]),
    ("RS-04", "就业困难人员认定", "rs", ["就业援助"], ["就业困难情况说明"]),
    ("RS-05", "城乡居民基本养老保险参保登记", "rs", ["养老保险", "新农保", "居民养老"], ["户口簿"]),
    ("RS-06", "城乡居民基本养老保险待遇申领", "rs", ["领养老金", "养老金"], ["银行卡"]),
    ("YB-01", "城乡居民基本医疗保险参保登记", "yb", ["医保", "新农合", "居民医保"], ["户口簿"]),
    ("YB-02", "医疗费用手工报销", "yb", ["医药费报销", "报销"], ["医疗费用票据"]),
    ("WJ-01", "生育登记", "wj", ["准生证", "生育服务证"], ["结婚证", "居民身份证"]),
    ("WJ-02", "农村部分计划生育家庭奖励扶助对象确认", "wj", ["计生奖扶", "奖扶"], ["户口簿"]),
    ("ZJ-01", "农村低收入群体等重点对象危房改造", "zj", ["危房改造"], ["房屋安全鉴定报告"]),
    ("ZJ-02", "农村住房安全性鉴定", "zj", ["房屋鉴定"], ["房屋照片"]),
    ("TYJR-01", "退役军人和其他优抚对象优待证办理", "tyjr", ["优待证"], ["退役证"]),
    ("TYJR-02", "义务兵家庭优待金发放", "tyjr", ["优待金", "当兵补贴"], ["入伍通知书"]),
    ("LY-01", "林木采伐许可证核发", "ly", ["砍树", "采伐证"], ["林权证"]),
    ("SCJG-01", "个体工商户设立登记", "scjg", ["营业执照", "个体户", "开店"], ["经营场所证明"]),
    ("YJ-01", "烟花爆竹零售经营许可", "yj", ["鞭炮", "卖烟花"], ["经营场所证明"]),
    ("NYNC-01", "耕地地力保护补贴申报", "nync", ["种粮补贴"], ["土地承包经营权证"]),
    ("NYNC-02", "曾家畈灌区用水申请", "nync", [], ["用水申请表"]),
    ("GA-01", "居民身份证挂失申报", "ga", [], ["户口簿"]),
]


def catalog() -> dict[str, Any]:
    return {
        "format": "clerk-desk-catalog",
        "format_version": 1,
        "catalog_version": "2027.1",
        "publisher": "通山县政务服务和大数据管理局（测试）",
        "departments": [{"code": c, "name": n} for c, n in DEPARTMENTS.items()],
        "lists": [{"code": "xz-bmfw", "name": "乡镇便民服务事项清单"}],
        "items": [
            {
                "code": code,
                "name": name,
                "department": dept,
                "keywords": kws,
                "lists": ["xz-bmfw"],
                "materials": [{"name": m} for m in mats],
            }
            for code, name, dept, kws, mats in ITEMS
        ],
    }


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    folder = tmp_path_factory.mktemp("quality")
    path = folder / "catalog.json"
    path.write_text(json.dumps(catalog(), ensure_ascii=False), encoding="utf-8")
    d = Database(folder / "data")
    cs.import_file(d, path)
    yield d
    d.close()


# query, expected codes in order of the first results (a trailing "…" would mean "and more"), and what is tested
TABLE: list[tuple[str, tuple[str, ...], str]] = [
    # where the match is: a name containing the query comes before a keyword that equals it
    ("五保", ("MZ-03", "MZ-02"), "name contains it > exact keyword"),
    ("挂失", ("CL-02", "RS-02", "GA-01"), "names containing 挂失, then the keyword"),
    ("特困", ("MZ-02",), "start of the name"),
    ("低保", ("MZ-01",), "keyword"),
    # longer than the key: overlap
    ("老年人优待证", ("MZ-06",), "longer than the name"),
    ("城乡居民基本医疗保险", ("YB-01",), "contained in the name"),
    ("退役军人优待证", ("TYJR-01",), "longer than any key: department + keyword"),
    ("办理残疾人证", ("CL-01",), "a verb before the keyword"),
    (
        "社保卡怎么挂失",
        ("RS-01", "RS-02"),
        "a question: the item with both keywords, then the name with 挂失",
    ),
    # typos and homophones
    ("高令津贴", ("MZ-05",), "homophone"),
    ("残急人证", ("CL-01",), "homophone"),
    ("就业创业正", ("RS-03",), "homophone at the end"),
    ("特因人员", ("MZ-02",), "a wrong character that does not sound alike"),
    ("gaolinjintie", ("MZ-05",), "pinyin, ling typed lin"),
    ("gaolingjingtie", ("MZ-05",), "pinyin, one letter too many"),
    ("jiuyechaungyezheng", ("RS-03",), "pinyin, two letters swapped"),
    ("高林津贴", ("MZ-05",), "a character one letter away in pinyin"),
    # pinyin, initials, mixed input, tone marks, polyphones
    ("cxjm", ("RS-05", "RS-06", "YB-01"), "initials"),
    ("shebaoka", ("RS-01",), "full pinyin of a keyword"),
    ("sbk", ("RS-01",), "initials of a keyword"),
    ("残疾rz", ("CL-01",), "Chinese then initials"),
    ("gl津贴", ("MZ-05",), "initials then Chinese"),
    ("gāolíng", ("MZ-05",), "tone marks"),
    ("zengjiafan", ("NYNC-02",), "曾 read zeng"),
    ("cengjiafan", ("NYNC-02",), "曾 read ceng"),
    # departments
    ("住建", ("ZJ-01", "ZJ-02"), "department name"),
    ("卫健", ("WJ-01", "WJ-02"), "department name"),
    ("残联", ("CL-01", "CL-02", "CL-03"), "department name"),
    # codes
    ("TYJR-02", ("TYJR-02",), "code"),
]


@pytest.mark.parametrize(("query", "expected", "why"), TABLE, ids=[t[0] for t in TABLE])
def test_search_quality(db: Database, query: str, expected: tuple[str, ...], why: str) -> None:
    found = [h.code for h in cs.search(db, query, limit=10)]
    assert found[: len(expected)] == list(expected), why


def test_department_names_find_their_items_and_filter_by_name(db: Database) -> None:
    found = cs.search(db, "民政", limit=50)
    assert {h.department_code for h in found[:8]} == {"mz"}
    assert found[0].match == "department" and "部门“民政”" in found[0].match_zh
    assert {h.code for h in cs.search(db, "证", department="残联")} <= {"CL-01", "CL-02", "CL-03"}
    assert [h.code for h in cs.search(db, "", department="住建", limit=10)] == ["ZJ-01", "ZJ-02"]


def test_the_matched_key_is_told(db: Database) -> None:
    hit = cs.search(db, "sbk")[0]
    assert (hit.match, hit.match_key) == ("keyword", "社保卡")
    assert hit.match_zh == "关键词“社保卡”（拼音，完全相同）"
    assert "同音字" in cs.search(db, "高令津贴")[0].match_zh
    assert "部分相同" in cs.search(db, "老年人优待证")[0].match_zh


def test_ties_go_to_what_this_site_accepts_most(db: Database) -> None:
    index = cs.search_index(db)
    before = [h.code for h in cs.search(db, "残联", limit=3)]
    assert before == ["CL-01", "CL-02", "CL-03"]  # catalog order when nothing was accepted yet
    index.set_counts({"CL-03": 7, "CL-02": 2})
    try:
        assert [h.code for h in cs.search(db, "残联", limit=3)] == ["CL-03", "CL-02", "CL-01"]
        # the counts only break ties: a better match still comes first
        assert cs.search(db, "残疾人证新办")[0].code == "CL-01"
    finally:
        index.set_counts({})


# ---- property: an item's exact official name ranks it first ----------------------------------------

_HAN = "城乡居民基本养老医疗保险参登记残疾人证新办补挂失社会保障卡就业创业困难员特高龄津贴老年优待换发五临时救助申请"
names = st.text(alphabet=_HAN + "（）·0123456789", min_size=1, max_size=14)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(names, st.lists(names, max_size=3), st.sampled_from(sorted(DEPARTMENTS.values()))),
        min_size=1,
        max_size=25,
    ),
    st.data(),
)
def test_an_items_exact_name_always_ranks_it_first(
    entries: list[tuple[str, list[str], str]], data: st.DataObject
) -> None:
    seen: set[str] = set()
    items, keywords = [], []
    for i, (name, kws, dept) in enumerate(entries):
        folded = normalize_text(name)
        if not folded or folded in seen:
            continue  # names are unique in a catalog (as folded for search)
        seen.add(folded)
        items.append(IndexedItem(i, f"X{i:04d}", name, dept, dept, frozenset(), None, None, False))
        keywords.append(kws)
    if not items:
        return
    index = SearchIndex(items, keywords, [[k] for k in keywords[0]] * len(items))
    index.set_counts({it.code: data.draw(st.integers(0, 5)) for it in items})
    target = data.draw(st.sampled_from(items))
    hits = index.search(target.name, limit=5)
    assert hits and hits[0].item.code == target.code


def test_the_gui_thread_and_a_worker_search_at_once(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """The catalog page searches on the GUI thread and intake on a worker, sharing one index and its caches
    (kept small here so they are emptied all the time)."""
    import threading

    from clerk_desk.catalog import search_engine, search_keys

    monkeypatch.setattr(search_keys, "CACHE_ENTRIES", 20)  # a field's cached sets
    monkeypatch.setattr(search_engine, "CACHE_ENTRIES", 20)  # the index's cached grams
    queries = [q for q, _, _ in TABLE]
    expected = {q: [h.code for h in cs.search(db, q, limit=5)] for q in queries}
    failures: list[str] = []

    def run() -> None:
        for _ in range(10):
            for q in queries:
                got = [h.code for h in cs.search(db, q, limit=5)]
                if got != expected[q]:
                    failures.append(f"{q}: {got} != {expected[q]}")

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
