"""Merged checklist of a theme bundle: a material shared by two items is asked once."""

from __future__ import annotations

from clerk_desk.catalog.checklist import material_key, merge_checklist, split_material
from clerk_desk.catalog.format import MaterialSpec as M


def test_synonyms_and_prefixes_fold_to_one_key() -> None:
    assert material_key("本人居民身份证") == material_key("身份证") == material_key("有效身份证件")
    assert material_key("户口本") == material_key("户口簿(主页、本人页)")
    assert material_key("遗属待遇领取人有效身份证件") != material_key("身份证")


def test_compound_names_of_known_documents_split() -> None:
    parts = split_material(M("申请人身份证、户口簿(或居住证)", "original_and_copy"))
    assert [p.name for p in parts] == ["申请人身份证", "户口簿"]
    assert parts[1].note == "或居住证" and parts[1].form == "original_and_copy"
    assert split_material(M("家庭收入及财产简要说明")) == [M("家庭收入及财产简要说明")]


def test_shared_material_asked_once_with_the_stronger_terms() -> None:
    merged = merge_checklist(
        [
            ("A", [M("身份证", "copy", 1), M("收入证明")]),
            ("B", [M("本人居民身份证", "original", 2), M("结婚证", required=False)]),
            ("C", [M("身份证、户口本", "copy")]),
        ]
    )
    names = [m.name for m in merged]
    assert names == ["身份证", "收入证明", "结婚证", "户口本"]
    idcard = merged[0]
    assert idcard.item_codes == ("A", "B", "C") and idcard.shared
    assert idcard.form == "original" and idcard.copies == 2 and idcard.required
    assert "本人居民身份证" in idcard.notes
    assert not merged[2].required


def test_waivable_only_if_every_requiring_item_allows_it() -> None:
    merged = merge_checklist([("A", [M("收入证明", waivable=True)]), ("B", [M("收入证明", waivable=False)])])
    assert not merged[0].waivable
    merged = merge_checklist([("A", [M("收入证明", waivable=True)]), ("B", [M("收入证明", required=False)])])
    assert merged[0].waivable and merged[0].required
