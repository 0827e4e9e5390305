"""The merged checklist of a theme bundle (一件事): a material several items ask for is asked once;
and the materials that apply under the answers to an item's (or a bundle's) situation questions.

Two materials are "the same" when their names match after normalisation: punctuation and spacing
folded, the applicant prefixes (本人 / 申请人) and form words (原件 / 复印件) dropped, and a few
well-known synonyms mapped (户口本 = 户口簿, 身份证 = 居民身份证 = 有效身份证件). Names that differ in
substance (a guardian's ID, a deceased's ID) stay separate: nothing is merged by guesswork.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from clerk_desk.catalog.format import MaterialSpec, Situation, When, normalize_text

_PREFIXES = ("申请人本人", "申请人", "本人")
_FORM_WORDS = re.compile(r"(原件及复印件|原件和复印件|原件|复印件|一份|1份)$")
_SYNONYMS = {
    "户口本": "户口簿",
    "居民户口簿": "户口簿",
    "家庭户口簿": "户口簿",
    "身份证": "居民身份证",
    "有效身份证件": "居民身份证",
    "身份证件": "居民身份证",
    "二代身份证": "居民身份证",
    "第二代身份证": "居民身份证",
    "残疾证": "残疾人证",
    "第二代残疾人证": "残疾人证",
    "结婚证书": "结婚证",
}
_KNOWN_DOCUMENTS = frozenset(_SYNONYMS.values()) | {"户口簿", "居民身份证", "残疾人证", "结婚证"}
_SPLIT = re.compile(r"[、,，/]|和|及")
_PAREN = re.compile(r"[(（]([^)）]*)[)）]")
_FORM_RANK = {None: 0, "electronic": 1, "copy": 2, "original": 3, "original_and_copy": 4}


def material_key(name: str) -> str:
    key = normalize_text(_PAREN.sub("", name)) or normalize_text(name)
    for p in _PREFIXES:
        if key.startswith(p) and len(key) > len(p) + 1:
            key = key[len(p) :]
            break
    key = _FORM_WORDS.sub("", key) or key
    return _SYNONYMS.get(key, key)


def split_material(m: MaterialSpec) -> list[MaterialSpec]:
    """ "身份证、户口本" is two documents: split a compound name when every part is a well-known document
    (a parenthesised remark such as "(或居住证)" travels along as a note); otherwise keep it whole."""
    parts = [p for p in _SPLIT.split(m.name) if p.strip()]
    if len(parts) < 2:
        return [m]
    out = []
    for part in parts:
        remarks = _PAREN.findall(part)
        bare = _PAREN.sub("", part).strip()
        if material_key(bare) not in _KNOWN_DOCUMENTS:
            return [m]
        note = "；".join([*remarks, *([m.note] if m.note else [])]) or None
        out.append(MaterialSpec(bare, m.form, m.copies, m.required, m.waivable, note, m.copies_split, m.when))
    return out


def merge_situations(per_item: Sequence[Sequence[Situation]]) -> tuple[Situation, ...]:
    """The questions of several items, each asked once: the same code is the same question (validation
    makes sure its answers are the same); the first item's wording and default are kept."""
    seen: dict[str, Situation] = {}
    for situations in per_item:
        for s in situations:
            seen.setdefault(s.code, s)
    return tuple(seen.values())


def default_answers(situations: Sequence[Situation]) -> dict[str, str]:
    return {s.code: s.default for s in situations}


def applicable(materials: Sequence[MaterialSpec], answers: dict[str, str]) -> list[MaterialSpec]:
    """The materials asked for under these answers (those without a condition always are)."""
    return [m for m in materials if m.applies(answers)]


def when_text(when: When, situations: Sequence[Situation]) -> str:
    """A condition in words: "委托他人代为申请" / "注销原因：参保人员死亡；能否经社保卡领取：不能"."""
    by_code = {s.code: s for s in situations}
    parts = []
    for code, options in when:
        s = by_code.get(code)
        labels = "或".join(s.label_of(o) if s else o for o in options)
        parts.append(labels if s is None or len(when) == 1 else f"{s.question.rstrip('？?')}：{labels}")
    return "；".join(parts)


@dataclass(frozen=True)
class MergedMaterial:
    name: str
    form: str | None
    copies: int | None
    required: bool
    waivable: bool
    notes: tuple[str, ...]
    item_codes: tuple[str, ...]  # every item of the bundle that asks for it
    copies_split: tuple[int, int] | None = None
    when_any: tuple[When, ...] = ()  # asked when any of these holds; () = always

    @property
    def shared(self) -> bool:
        return len(self.item_codes) > 1


def _stronger_form(a: str | None, b: str | None) -> str | None:
    return a if _FORM_RANK.get(a, 0) >= _FORM_RANK.get(b, 0) else b


@dataclass
class _Acc:
    name: str
    form: str | None
    copies: int | None
    required: bool
    waivable: bool
    split: tuple[int, int] | None = None
    notes: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    whens: list[When] = field(default_factory=list)

    def add(self, code: str, m: MaterialSpec) -> None:
        if self.codes and code not in self.codes:
            self.form = _stronger_form(self.form, m.form)
            copies = [c for c in (self.copies, m.copies) if c is not None]
            self.copies = max(copies) if copies else None
            if self.split and m.copies_split:
                self.split = (max(self.split[0], m.copies_split[0]), max(self.split[1], m.copies_split[1]))
            else:
                self.split = self.split or m.copies_split
            self.required = self.required or m.required
            self.waivable = self.waivable and bool(m.waivable or not m.required)
        if m.when not in self.whens:
            self.whens.append(m.when)
        if code not in self.codes:
            self.codes.append(code)
        for extra in (m.note, m.name if m.name != self.name else None):
            if extra and extra not in self.notes:
                self.notes.append(extra)


def merge_checklist(items: Sequence[tuple[str, Sequence[MaterialSpec]]]) -> list[MergedMaterial]:
    """Materials of several items (code, materials) in first-asked order, shared ones once.

    Compound names of well-known documents are split first (see split_material).

    A merged material is required if any item requires it, waivable only if every item that requires it
    allows 容缺, with the stronger form and the larger number of copies. Merge the materials that apply
    (``applicable``) to get a bundle's checklist for given answers; merged unfiltered, a material keeps
    every condition it is asked under (``when_any``).
    """
    acc: dict[str, _Acc] = {}
    for code, materials in items:
        for m in (part for whole in materials for part in split_material(whole)):
            k = material_key(m.name)
            if k not in acc:
                waivable = bool(m.waivable) if m.required else True
                acc[k] = _Acc(m.name, m.form, m.copies, m.required, waivable, m.copies_split)
            acc[k].add(code, m)
    return [
        MergedMaterial(
            name=a.name,
            form=a.form,
            copies=a.copies,
            required=a.required,
            waivable=a.waivable and a.required,
            notes=tuple(a.notes),
            item_codes=tuple(a.codes),
            copies_split=a.split,
            when_any=() if () in a.whens else tuple(a.whens),
        )
        for a in acc.values()
    ]
