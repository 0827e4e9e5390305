"""Catalog import into the store: all or nothing, versions, retiring, cases untouched, demo catalog."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from clerk_desk.catalog import importer
from clerk_desk.domain.errors import ClerkDeskError
from clerk_desk.services import catalog_service as cs
from clerk_desk.services import site_setup
from clerk_desk.store.catalog_models import CatalogItem
from clerk_desk.store.database import Database
from clerk_desk.store.models import Case


@pytest.fixture
def db(tmp_path: Path) -> Database:
    d = Database(tmp_path / "data")
    yield d
    d.close()


def demo_doc() -> dict[str, Any]:
    return json.loads(cs.demo_catalog_path().read_text(encoding="utf-8"))


def write(tmp_path: Path, doc: dict[str, Any], name: str = "catalog.json") -> Path:
    p = tmp_path / name
    p.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return p


def snapshot(db: Database) -> tuple[dict[str, int], str]:
    """Row counts of the catalog tables and a digest of their content."""
    with db.reading() as s:
        counts = importer.table_counts(s)
        rows = s.execute(
            text("SELECT code, name, retired_at, catalog_version FROM catalog_items ORDER BY code")
        )
        return counts, json.dumps([list(map(str, r)) for r in rows], ensure_ascii=False)


def test_demo_catalog_imports_once(db: Database) -> None:
    first = cs.ensure_demo_catalog(db)
    assert first is not None and first.added >= 25 and first.themes >= 2
    assert cs.ensure_demo_catalog(db) is None
    info = cs.catalog_info(db)
    assert info is not None and info.is_demo
    depts = {code: count for code, _, count in cs.departments(db)}
    assert {"nync", "sl", "zj"} <= set(depts) and depts["nync"] == 0  # plan departments present without items
    assert len(depts) == 15
    assert [x.code for x in cs.lists(db)] == ["xz-bmfw", "xc-1", "xc-2", "hb-gp-1"]


def test_demo_entries_are_distinct_with_sources_and_local_codes(db: Database) -> None:
    cs.ensure_demo_catalog(db)
    items = cs.list_items(db)
    names = [i.name for i in items]
    assert len(names) == len(set(names))
    assert sum("养老保险注销登记" in n for n in names) == 1  # three records of one item merged
    merged = cs.get_item(db, "002014006009")
    assert len(merged.sources) == 3  # the kept record plus two further sources
    local = [cs.get_item(db, i.code) for i in items if i.code.startswith("LOCAL-")]
    assert local and all(i.is_local_code for i in local)
    assert sum(i.code == "000511002000" for i in items) == 1  # the code that appeared twice


def test_unknowns_stay_unknown(db: Database) -> None:
    cs.ensure_demo_catalog(db)
    item = cs.get_item(db, "000524021000")  # 义务兵家庭优待金: no kind, no days in any source
    assert item.handling_kind is None and item.promised_days is None and item.legal_days is None
    assert item.kind_text == "待确认" and cs.days_text(item.promised_days) == "待确认"


def test_theme_has_merged_checklist(db: Database) -> None:
    cs.ensure_demo_catalog(db)
    themes = cs.list_themes(db)
    assert 2 <= len(themes) <= 3 and all(demo for _, _, demo in themes)
    theme = cs.get_theme(db, themes[0][0])
    shared = [m for m in theme.checklist if m.shared]
    assert shared, "a material shared by items is asked once"
    names = [m.name for m in theme.checklist]
    assert len(names) == len(set(names))
    per_item = sum(len(i.materials) for i in theme.items)
    assert len(theme.checklist) < per_item
    assert cs.search_themes(db, "jiuzhu")[0][0] == theme.code


def test_equal_or_older_version_refused_unless_forced(db: Database, tmp_path: Path) -> None:
    cs.ensure_demo_catalog(db)
    before = snapshot(db)
    current = demo_doc()["catalog_version"]
    with pytest.raises(cs.OlderCatalog) as exc:
        cs.import_file(db, cs.demo_catalog_path())
    assert "--force" in exc.value.message_zh
    assert f"与本机已导入的版本 {current} 相同，未导入" in exc.value.message_zh
    older = demo_doc()
    older["catalog_version"] = "2025.9"
    with pytest.raises(cs.OlderCatalog) as exc:
        cs.import_file(db, write(tmp_path, older))
    assert f"目录版本 2025.9 比本机已导入的版本 {current} 旧，未导入" in exc.value.message_zh
    assert snapshot(db) == before
    result = cs.import_file(db, write(tmp_path, older), force=True)
    assert result.forced and result.unchanged == len(older["items"])


def make_case(db: Database, code: str, name: str, dept: str) -> str:
    site_setup.set_site(db, site_code="421224100", site_name="通羊镇便民服务中心", device_code="01")
    with db.transaction() as s:
        case = Case(
            site_code="421224100",
            department_code=dept,
            item_code=code,
            item_name=name,
            status="accepted",
            device_code="01",
        )
        s.add(case)
        s.flush()
        return case.uuid


def test_newer_version_updates_retires_and_keeps_old_cases_readable(db: Database, tmp_path: Path) -> None:
    cs.ensure_demo_catalog(db)
    dropped = cs.get_item(db, "000524021000")
    case_id = make_case(db, dropped.code, dropped.name, dropped.department_code)
    newer = demo_doc()
    newer["catalog_version"] = "2098.2"
    newer["items"] = [i for i in newer["items"] if i["code"] != dropped.code]
    renamed = newer["items"][0]
    renamed["name"] = renamed["name"] + "（新）"
    result = cs.import_file(db, write(tmp_path, newer))
    assert (result.retired, result.updated, result.added) == (1, 1, 0)

    old = cs.get_item(db, dropped.code)  # still readable, marked retired
    assert old.retired and old.retired_in_version == "2098.2" and old.materials == dropped.materials
    assert dropped.code not in [h.code for h in cs.search(db, "义务兵")]
    assert dropped.code in [h.code for h in cs.search(db, "义务兵", include_retired=True)]
    assert cs.get_item(db, renamed["code"]).name.endswith("（新）")
    with db.reading() as s:
        case = s.get(Case, case_id)
        assert (case.item_code, case.item_name, case.status) == (dropped.code, dropped.name, "accepted")

    back = copy.deepcopy(newer)  # a later version lists it again: it comes back
    back["catalog_version"] = "2098.3"
    back["items"].append(next(i for i in demo_doc()["items"] if i["code"] == dropped.code))
    assert cs.import_file(db, write(tmp_path, back)).reactivated == 1
    assert not cs.get_item(db, dropped.code).retired


def test_file_with_three_errors_changes_nothing(db: Database, tmp_path: Path) -> None:
    cs.ensure_demo_catalog(db)
    before = snapshot(db)
    bad = demo_doc()
    bad["catalog_version"] = "2098.5"
    bad["items"][1]["code"] = bad["items"][0]["code"]  # duplicate code
    bad["items"][2]["department"] = "nosuch"  # undeclared department
    bad["items"][3]["legal_days"] = -3  # out of range
    path = write(tmp_path, bad)
    errors = [p for p in cs.validate(path) if p.is_error]
    assert {"code", "department", "legal_days"} <= {p.field for p in errors}
    with pytest.raises(cs.CatalogInvalid) as exc:
        cs.import_file(db, path)
    assert len([p for p in exc.value.problems if p.is_error]) >= 3
    assert snapshot(db) == before


def test_a_file_no_database_could_hold_is_refused_in_chinese_and_changes_nothing(
    db: Database, tmp_path: Path
) -> None:
    """Valid JSON can still be no catalog: half of a surrogate pair ("\\ud800", which JSON may write and no
    database can store) stopped the import with UnicodeEncodeError, lists nested a thousand deep with
    RecursionError (tracebacks, in English). A 10,000-character name filled the screen in its problem."""
    cs.ensure_demo_catalog(db)
    before = snapshot(db)
    newer = demo_doc()
    newer["catalog_version"] = "2098.9"
    lone = write(tmp_path, newer).read_text(encoding="utf-8").replace(
        f'"name": {json.dumps(newer["items"][2]["name"], ensure_ascii=False)}',
        f'"name": "\\ud800{newer["items"][2]["name"]}"',
    )
    assert "\\ud800" in lone
    deep = tmp_path / "deep.json"
    deep.write_text('{"items": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    long = copy.deepcopy(newer)
    long["items"][0]["name"] = "长" * 10_000
    unseen = copy.deepcopy(newer)  # a name shown reversed (王七六五), a NUL that ends the text for SQLite
    unseen["items"][0]["name"] = "王\u202e五六七"
    unseen["items"][1]["materials"][0]["name"] = "身份证\x00复印件"
    for path, words in (
        (tmp_path / "lone.json", "items[2].name 中有无效的 \\u 转义"),
        (deep, "套了上千层"),
        (write(tmp_path, long, "long.json"), "最多 200 个字符"),
        (write(tmp_path, unseen, "unseen.json"), "name：含有看不见的控制字符 U+202E"),
        (tmp_path / "unseen.json", "materials[0].name：含有看不见的控制字符 U+0000"),
    ):
        if path.name == "lone.json":
            path.write_text(lone, encoding="utf-8")
        with pytest.raises(cs.CatalogInvalid) as exc:
            cs.import_file(db, path)
        text = "\n".join(str(p) for p in exc.value.problems if p.is_error)
        assert words in text and len(text) < 200 and "\u202e" not in text, text
        assert snapshot(db) == before
    pair = write(tmp_path, newer).read_text(encoding="utf-8").replace(  # a whole pair is a character: imported
        f'"name": {json.dumps(newer["items"][2]["name"], ensure_ascii=False)}',
        f'"name": "\\ud83d\\ude00{newer["items"][2]["name"]}"',
    )
    (tmp_path / "pair.json").write_text(pair, encoding="utf-8")
    cs.import_file(db, tmp_path / "pair.json")
    assert cs.get_item(db, newer["items"][2]["code"]).name == "\U0001f600" + newer["items"][2]["name"]


def test_failure_midway_rolls_everything_back(db: Database, tmp_path: Path, monkeypatch) -> None:
    cs.ensure_demo_catalog(db)
    before = snapshot(db)
    newer = demo_doc()
    newer["catalog_version"] = "2098.7"
    newer["items"] = newer["items"][:-3]
    real = importer._themes

    def boom(*args: Any, **kw: Any) -> None:
        real(*args, **kw)
        raise ClerkDeskError("磁盘已满（模拟）")

    monkeypatch.setattr(importer, "_themes", boom)
    with pytest.raises(ClerkDeskError):
        cs.import_file(db, write(tmp_path, newer))
    assert snapshot(db) == before
    with db.reading() as s:
        assert s.scalar(select(CatalogItem).where(CatalogItem.retired_at.is_not(None))) is None


def test_situations_copies_of_each_and_unknown_waivers_are_kept(db: Database, tmp_path: Path) -> None:
    doc = demo_doc()
    doc["catalog_version"] = "2099.1"
    item = doc["items"][0]
    item["situations"] = [
        {
            "code": "agent",
            "question": "是否委托他人代为申请？",
            "options": [
                {"code": "self", "label": "本人申请"},
                {"code": "agent", "label": "委托他人代为申请"},
            ],
            "default": "self",
            "note": "据办事指南",
        }
    ]
    item["materials"] = [
        {"name": "申请人身份证", "form": "original_and_copy", "copies": {"original": 1, "copy": 1}},
        {"name": "授权委托书", "copies": 1, "waivable": True, "when": {"agent": ["agent"]}},
    ]
    cs.import_file(db, write(tmp_path, doc))
    got = cs.get_item(db, item["code"])
    assert got.situations[0].code == "agent" and got.situations[0].note == "据办事指南"
    first, second = got.materials
    assert (first.copies, first.copies_split, first.waivable) == (2, (1, 1), None)
    assert second.when == (("agent", ("agent",)),) and second.waivable is True
    assert [m.name for m in got.materials if m.applies({"agent": "self"})] == ["申请人身份证"]
    # unchanged in a later version: recognised as unchanged
    doc["catalog_version"] = "2099.2"
    assert cs.import_file(db, write(tmp_path, doc)).unchanged == len(doc["items"])


def test_a_theme_asks_a_shared_situation_once(db: Database, tmp_path: Path) -> None:
    doc = demo_doc()
    doc["catalog_version"] = "2099.3"
    theme = doc["themes"][0]
    question = {
        "code": "disabled",
        "question": "家庭成员中是否有残疾人？",
        "options": [{"code": "no", "label": "没有"}, {"code": "yes", "label": "有"}],
        "default": "no",
    }
    members = [i for i in doc["items"] if i["code"] in theme["items"]][:2]
    for m in members:
        m["situations"] = [dict(question)]
        m["materials"].append(
            {"name": "残疾情况证明", "required": True, "waivable": False, "when": {"disabled": ["yes"]}}
        )
    cs.import_file(db, write(tmp_path, doc))
    got = cs.get_theme(db, theme["code"])
    assert [s.code for s in got.situations] == ["disabled"]
    shared = [m for m in got.checklist if m.name == "残疾情况证明"]
    assert len(shared) == 1 and shared[0].when_any == ((("disabled", ("yes",)),),)
