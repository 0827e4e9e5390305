"""Validation of catalog files: schema and semantic errors name item and field; gaps are warnings."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from clerk_desk.catalog.format import local_code, parse, version_key
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
                "materials": [{"name": "取水许可申请书", "form": "original", "copies": 1, "required": True}],
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
    assert {"code", "handling_kind", "legal_days", "promised_days", "materials"} <= {p.field for p in problems}
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
        (lambda d: d.update(themes=[{"code": "T", "name": "一件事", "items": ["000000000001", "X"]}]), "items[1]"),
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
