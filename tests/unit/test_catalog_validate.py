"""Validation of catalog files: schema and semantic errors name item and field; gaps are warnings."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest

from clerk_desk.catalog.format import copies_text, local_code, parse, version_key
from clerk_desk.catalog.validate import ERROR, WARNING, validate, validate_file
from clerk_desk.services.catalog_service import demo_catalog_path


def minimal() -> dict[str, Any]:
    return {
        "format": "clerk-desk-catalog",
        "format_version": 1,
        "catalog_version": "2027.1",
        "publisher": "通山县政务服务和大数据管理局",
        "departments": [{"code": "sl", "name": "水利"}],
        "lists": [{"code": "xz-bmfw", "name": "通山县乡镇便民服务事项清单"}],
        "items": [
            {
                "code": "000000000001",
                "name": "取水许可",
                "department": "sl",
                "lists": ["xz-bmfw"],
                "handling_kind": "promise",
                "legal_days": 20,
                "promised_days": 10,
                "materials": [
                    {
                        "name": "取水许可申请书",
                        "form": "original",
                        "copies": 1,
                        "required": True,
                        "waivable": False,
                    }
                ],
            }
        ],
    }


def test_minimal_file_is_clean() -> None:
    assert validate(minimal()) == []


def test_demo_catalog_has_no_errors() -> None:
    _, checksum, problems = validate_file(demo_catalog_path())
    assert not [p for p in problems if p.severity == ERROR]
    assert len(checksum) == 64


def test_three_different_errors_are_all_named() -> None:
    doc = minimal()
    doc["items"].append(copy.deepcopy(doc["items"][0]))  # 1: duplicate code
    doc["items"][1]["name"] = "取水许可变更"
    doc["items"][1]["department"] = "xx"  # 2: undeclared department
    doc["items"][0]["promised_days"] = "十个工作日"  # 3: wrong type
    errors = [p for p in validate(doc) if p.severity == ERROR]
    fields = {p.field for p in errors}
    assert {"code", "department", "promised_days"} <= fields
    assert any("重复" in p.message_zh or "出现 2 次" in p.message_zh for p in errors)
    assert any("xx" in p.message_zh for p in errors)
    assert all(p.item_ref and p.item_ref.startswith("第") for p in errors)


def test_missing_kind_days_and_code_are_warnings_only() -> None:
    doc = minimal()
    item = doc["items"][0]
    item.update(code=None, handling_kind=None, legal_days=None, promised_days=None, materials=[])
    problems = validate(doc)
    assert problems and all(p.severity == WARNING for p in problems)
    assert {"code", "handling_kind", "legal_days", "promised_days", "materials"} <= {
        p.field for p in problems
    }
    assert parse(doc).items[0].code == local_code("sl", "取水许可")
    assert parse(doc).items[0].is_local_code


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda d: d["items"][0].update(promised_days=30), "promised_days"),  # longer than the legal limit
        (lambda d: d["items"][0].update(lists=["nope"]), "lists[0]"),
        (lambda d: d["items"][0]["materials"][0].update(form="photocopy"), "materials[0].form"),
        (lambda d: d["items"][0].update(colour="red"), "（本项）"),
        (lambda d: d.update(colour="red"), "（文件）"),
        (
            lambda d: d.update(themes=[{"code": "T", "name": "一件事", "items": ["000000000001", "X"]}]),
            "items[1]",
        ),
        (lambda d: d.update(catalog_version="v2"), "catalog_version"),
    ],
)
def test_each_rule_reports_its_field(mutate: Any, field: str) -> None:
    doc = minimal()
    mutate(doc)
    errors = [p for p in validate(doc) if p.severity == ERROR]
    assert errors, "expected an error"
    assert field in {p.field for p in errors}


def test_unreadable_file_is_one_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{ not json", encoding="utf-8")
    raw, _, problems = validate_file(bad)
    assert raw is None and len(problems) == 1 and problems[0].severity == ERROR
    assert "JSON" in problems[0].message_zh


def test_problem_text_names_item_and_field() -> None:
    doc = minimal()
    doc["items"][0]["department"] = "xx"
    text = str(next(p for p in validate(doc) if p.severity == ERROR))
    assert "取水许可" in text and "department" in text and "[错误]" in text


def test_versions_compare_numerically() -> None:
    assert version_key("2026.9") < version_key("2026.10") < version_key("2027")
    assert version_key("2026.1") == version_key("2026.1.0")
    json.dumps(minimal())  # the fixture itself is plain JSON


# ---- format and messages (issue #12 item 6) --------------------------------------------------------------

_LATIN_WORD = re.compile(r"[A-Za-z_]{3,}")
# what may stay latin in a message: field names and values quoted from the file, codes, format words
_ALLOWED_LATIN = {
    "JSON",
    "UTF",
    "null",
    "true",
    "false",
    "original",
    "copy",
    "original_and_copy",
    "electronic",
}


def _english_in(text: str, doc_words: set[str]) -> list[str]:
    return [w for w in _LATIN_WORD.findall(text) if w not in _ALLOWED_LATIN and w not in doc_words]


def test_a_missing_code_or_materials_key_means_unknown() -> None:
    doc = minimal()
    del doc["items"][0]["code"]
    del doc["items"][0]["materials"]
    problems = validate(doc)
    assert not [p for p in problems if p.is_error]
    assert {"code", "materials"} <= {p.field for p in problems}
    item = parse(doc).items[0]
    assert item.is_local_code and item.materials == ()


def test_errors_are_in_item_order_by_number() -> None:
    doc = minimal()
    doc["items"] = [dict(doc["items"][0], code=f"C{i:02d}", name=f"事项{i}") for i in range(12)]
    for i in (1, 2, 10, 11):
        doc["items"][i]["handling_kind"] = "later"
    refs = [p.item_ref for p in validate(doc) if p.is_error]
    assert [r.split()[0] for r in refs if r] == ["第2项", "第3项", "第11项", "第12项"]


def test_schema_and_json_reasons_are_chinese_with_the_place(tmp_path: Path) -> None:
    doc = minimal()
    doc["items"][0]["category"] = "行政许可"
    doc["items"][0]["legal_days"] = "二十"
    doc["items"][0]["materials"][0]["copies"] = 0
    doc["items"][0]["materials"][0]["form"] = "photocopy"
    doc["published_at"] = "2026/11/26"
    doc["catalog_version"] = "第一版"
    doc["departments"][0]["code"] = "Water"
    problems = validate(doc)
    words = {"category", "legal_days", "copies", "form", "photocopy", "published_at", "catalog_version", "code",
             "departments", "materials", "Water", "lists", "local_code", "keywords", "handling_kind", "delivery",
             "conditions", "department", "fee", "legal_basis", "name", "note", "promised_days", "situations",
             "sources", "type", "urgency"}  # fmt: skip
    for p in problems:
        assert not _english_in(p.message_zh, words), str(p)
    text = "\n".join(map(str, problems))
    assert "未知字段 category" in text and "本格式没有这个字段" in text and "copy（复印件）" in text
    assert (
        "应为整数" in text and "份数应为 1 到 99" in text and "日期应写成" in text and "目录版本应为" in text
    )
    bad = tmp_path / "bad.json"
    bad.write_text('{\n  "format": "clerk-desk-catalog",\n  "items": [1, 2,]\n}', encoding="utf-8")
    message = validate_file(bad)[2][0].message_zh
    assert "第 3 行" in message and "多了逗号" in message and "Expecting" not in message
    missing = validate_file(tmp_path / "nope.json")[2][0].message_zh
    assert "文件不存在" in missing and "No such" not in missing


def test_copies_can_say_each_or_in_all() -> None:
    doc = minimal()
    doc["items"][0]["materials"] = [
        {
            "name": "身份证",
            "form": "original_and_copy",
            "copies": {"original": 1, "copy": 1},
            "waivable": False,
        },
        {"name": "户口簿", "form": "original_and_copy", "copies": 2, "waivable": False},
        {"name": "照片", "copies": {"original": 0, "copy": 0}, "waivable": False},
    ]
    errors = [p for p in validate(doc) if p.is_error]
    assert [p.field for p in errors] == ["materials[2].copies"]
    del doc["items"][0]["materials"][2]
    each, in_all = parse(doc).items[0].materials
    assert (each.copies, each.copies_split, each.copies_each) == (2, (1, 1), 1)
    assert copies_text(each.form, each.copies, each.copies_split) == "原件和复印件各1份"
    assert copies_text(in_all.form, in_all.copies, in_all.copies_split) == "共2份"
    assert copies_text("copy", 3) == "3份" and copies_text(None, None, (1, 2)) == "原件1份、复印件2份"


def test_warnings_for_no_public_list_unknown_waiver_and_another_province() -> None:
    doc = minimal()
    item = doc["items"][0]
    item["lists"] = []
    item["materials"].append({"name": "委托书"})
    item["sources"] = [{"url": "https://example.gov.cn/1", "region": "四川广安前锋区"}]
    warnings = {p.field: p.message_zh for p in validate(doc) if not p.is_error}
    assert "不在任何公开清单上" in warnings["lists"]
    assert "第 2 项材料是否可容缺未注明" in warnings["materials"]
    assert "外省（四川）" in warnings["sources[0].region"]
    item["sources"] = [{"url": None, "region": "湖北荆州江陵县"}]
    assert "sources[0].region" not in {p.field for p in validate(doc)}


def situations_doc() -> dict[str, Any]:
    doc = minimal()
    doc["items"][0]["situations"] = [
        {
            "code": "agent",
            "question": "是否委托他人代为申请？",
            "options": [{"code": "self", "label": "本人申请"}, {"code": "agent", "label": "委托他人"}],
            "default": "self",
        }
    ]
    doc["items"][0]["materials"].append(
        {"name": "授权委托书", "required": True, "waivable": False, "when": {"agent": ["agent"]}}
    )
    return doc


def test_situations_parse_and_choose_materials() -> None:
    doc = situations_doc()
    assert validate(doc) == []
    item = parse(doc).items[0]
    assert item.situations[0].default == "self" and item.situations[0].label_of("agent") == "委托他人"
    names = lambda answers: [m.name for m in item.materials if m.applies(answers)]  # noqa: E731
    assert names({"agent": "self"}) == ["取水许可申请书"]
    assert names({"agent": "agent"}) == ["取水许可申请书", "授权委托书"]


@pytest.mark.parametrize(
    ("mutate", "field", "words"),
    [
        (lambda i: i["situations"][0].update(default="maybe"), "situations[0].default", "不是本情形的选项"),
        (lambda i: i["materials"][1].update(when={"agnet": ["agent"]}), "materials[1].when.agnet", "未在本项"),
        (lambda i: i["materials"][1].update(when={"agent": ["yes"]}), "materials[1].when.agent", "不是情形"),
        (lambda i: i["situations"][0]["options"].append({"code": "self", "label": "又一个"}), "situations[0].options",
         "重复"),
        (lambda i: i["situations"].append(dict(i["situations"][0])), "situations[1].code", "出现 2 次"),
    ],
)  # fmt: skip
def test_situation_rules(mutate: Any, field: str, words: str) -> None:
    doc = situations_doc()
    mutate(doc["items"][0])
    errors = [p for p in validate(doc) if p.is_error]
    assert any(p.field == field and words in p.message_zh for p in errors), [str(p) for p in errors]


def test_the_same_situation_must_offer_the_same_answers_everywhere() -> None:
    doc = situations_doc()
    other = copy.deepcopy(doc["items"][0])
    other.update(code="000000000002", name="取水许可延续")
    other["situations"][0]["options"][1]["code"] = "proxy"
    other["materials"][1]["when"] = {"agent": ["proxy"]}
    doc["items"].append(other)
    errors = [p for p in validate(doc) if p.is_error]
    assert len(errors) == 1 and errors[0].item_ref.startswith("第2项") and "只问一次" in errors[0].message_zh
    doc["items"][1]["situations"][0]["question"] = "代办吗？"  # other words are fine; the answers count
    doc["items"][1]["situations"][0]["options"][1]["code"] = "agent"
    doc["items"][1]["materials"][1]["when"] = {"agent": ["agent"]}
    assert not [p for p in validate(doc) if p.is_error]


def test_a_situation_no_material_depends_on_is_a_warning() -> None:
    doc = situations_doc()
    doc["items"][0]["materials"][1].pop("when")
    warnings = [p for p in validate(doc) if not p.is_error]
    assert [p.field for p in warnings] == ["situations[0]"] and "不影响任何材料" in warnings[0].message_zh


def test_the_fast_schema_check_agrees_with_jsonschema() -> None:
    """The compiled check (fastjsonschema) decides alone when a file is valid: it must say yes exactly
    when jsonschema finds nothing, over the demo catalog and many single changes to it."""
    import copy
    import random

    from clerk_desk.catalog import validate as v
    from clerk_desk.services.catalog_service import demo_catalog_path

    base = json.loads(demo_catalog_path().read_text(encoding="utf-8"))
    rng = random.Random(12)
    odd_values: list[Any] = [None, "", "x", -1, 0, 1.5, True, [], {}, ["a"], {"a": 1}, "2026-13-40", "2026-02-01"]

    def paths(node: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        out = [at]
        if isinstance(node, dict):
            for k, val in node.items():
                out += paths(val, (*at, k))
        elif isinstance(node, list):
            for i, val in enumerate(node[:3]):
                out += paths(val, (*at, i))
        return out

    every = [p for p in paths(base) if p]
    checked = 0
    for at in rng.sample(every, min(400, len(every))):
        doc = copy.deepcopy(base)
        parent = doc
        for key in at[:-1]:
            parent = parent[key]
        if rng.random() < 0.15 and isinstance(parent, dict):
            del parent[at[-1]]
        elif rng.random() < 0.1 and isinstance(parent, dict):
            parent["unexpected_field"] = 1
        else:
            parent[at[-1]] = rng.choice(odd_values)
        full = not list(v._validator().iter_errors(doc))
        assert v.schema_accepts(doc) == full, at
        checked += 1
    assert checked >= 200
    assert v.schema_accepts(base)
