"""The intake screen's plain data: what was picked from the catalog, the outcome rules, the draft shape.

No widgets here (and no Qt): the steps fill these values, the page turns them into an IntakeForm,
and the rules decide which outcome buttons are open. Everything round-trips through JSON for drafts.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from clerk_desk.catalog.checklist import MergedMaterial, applicable, default_answers, merge_checklist
from clerk_desk.catalog.format import MaterialSpec, Situation, copies_text
from clerk_desk.catalog.views import ItemDetail, ThemeDetail
from clerk_desk.services.intake_forms import IntakeForm, ItemRef, MaterialCheck, SituationAnswer

DRAFT_FORMAT = 1
STEPS = ("item", "applicant", "checklist", "outcome", "done")


def default_form(catalog_form: str | None) -> str:
    """The form a material is usually handed in (unknown: the original)."""
    return {"copy": "copy", "electronic": "electronic", "original_and_copy": "original_and_copy"}.get(
        catalog_form or "", "original")


def _copies(form: str | None, copies: int | None, split: tuple[int, int] | None) -> tuple[int, bool, str]:
    """(number the clerk starts from, whether it counts each of original and photocopy, a note when the
    catalog's numbers differ: 原件1份、复印件2份)."""
    if split is not None and split[0] == split[1]:
        return max(1, split[0]), True, ""
    if split is not None:
        return max(1, sum(split)), False, copies_text(form, None, split)
    return max(1, copies or 1), False, ""


def _note(*parts: str) -> str:
    return "；".join(p for p in parts if p)


@dataclass(frozen=True)
class MaterialRow:
    """One line of the checklist as the catalog asks for it (defaults the clerk starts from)."""

    name: str
    form: str = "original"
    copies: int = 1
    required: bool = True
    waivable: bool = False
    note: str = ""
    item_codes: tuple[str, ...] = ()
    each: bool = False  # copies counts originals and photocopies each (原件和复印件各N份)

    @staticmethod
    def of_spec(m: MaterialSpec, item_code: str) -> MaterialRow:
        copies, each, split_note = _copies(m.form, m.copies, m.copies_split)
        return MaterialRow(m.name, default_form(m.form), copies, m.required, bool(m.waivable),
                           _note(m.note or "", split_note), (item_code,), each)

    @staticmethod
    def of_merged(m: MergedMaterial) -> MaterialRow:
        copies, each, split_note = _copies(m.form, m.copies, m.copies_split)
        return MaterialRow(m.name, default_form(m.form), copies, m.required, m.waivable,
                           _note(*m.notes, split_note), m.item_codes, each)


def item_ref(d: ItemDetail) -> ItemRef:
    return ItemRef(d.code, d.name, d.department_code, d.handling_kind, d.urgency == "urgent",
                   d.promised_days, d.legal_days, d.retired, d.catalog_version)


def _rows(sources: tuple[tuple[str, tuple[MaterialSpec, ...]], ...], bundle: bool,
          answers: dict[str, str]) -> tuple[MaterialRow, ...]:
    if not bundle:
        code, materials = sources[0]
        return tuple(MaterialRow.of_spec(m, code) for m in applicable(materials, answers))
    merged = merge_checklist([(code, applicable(materials, answers)) for code, materials in sources])
    return tuple(MaterialRow.of_merged(m) for m in merged)


@dataclass(frozen=True)
class Selection:
    """The item (or the items of a 一件事 bundle) being applied for, with the checklist to review.

    When the catalog asks situation questions (情形), ``situations`` holds them (a bundle's each once)
    and ``sources`` the items' materials with their conditions: ``rows(answers)`` is the checklist for
    the applicant's answers; ``materials`` is the one for the default answers."""

    items: tuple[ItemRef, ...]
    materials: tuple[MaterialRow, ...]
    title: str
    theme_code: str | None = None
    situations: tuple[Situation, ...] = ()
    sources: tuple[tuple[str, tuple[MaterialSpec, ...]], ...] = ()

    @staticmethod
    def of_item(d: ItemDetail) -> Selection:
        if not d.situations:
            return Selection((item_ref(d),), tuple(MaterialRow.of_spec(m, d.code) for m in d.materials), d.name)
        sources = ((d.code, d.materials),)
        return Selection((item_ref(d),), _rows(sources, False, default_answers(d.situations)), d.name,
                         situations=d.situations, sources=sources)

    @staticmethod
    def of_theme(t: ThemeDetail) -> Selection:
        items = tuple(item_ref(i) for i in t.items)
        if not t.situations:
            return Selection(items, tuple(MaterialRow.of_merged(m) for m in t.checklist), t.name, t.code)
        sources = tuple((i.code, i.materials) for i in t.items)
        return Selection(items, _rows(sources, True, default_answers(t.situations)), t.name, t.code,
                         t.situations, sources)

    def default_answers(self) -> dict[str, str]:
        return default_answers(self.situations)

    def rows(self, answers: dict[str, str]) -> tuple[MaterialRow, ...]:
        """The checklist under these answers (questions not answered take their default)."""
        if not self.situations:
            return self.materials
        return _rows(self.sources, self.theme_code is not None, {**self.default_answers(), **answers})

    def answered(self, answers: dict[str, str]) -> tuple[SituationAnswer, ...]:
        """The answers as the case keeps them: question and answer in words, for the papers."""
        full = {**self.default_answers(), **answers}
        return tuple(SituationAnswer(s.code, s.question, full[s.code], s.label_of(full[s.code]))
                     for s in self.situations)

    @property
    def unknown_days(self) -> tuple[ItemRef, ...]:
        """Items whose promised days are 待确认: the clerk enters what the department confirmed."""
        return tuple(i for i in self.items if i.promised_days is None)

    @property
    def retired(self) -> tuple[ItemRef, ...]:
        return tuple(i for i in self.items if i.retired)

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["situations"] = [s.as_dict() for s in self.situations]
        out["sources"] = [[code, [m.as_dict() for m in materials]] for code, materials in self.sources]
        return out

    @staticmethod
    def from_json(data: dict[str, Any]) -> Selection:
        return Selection(
            tuple(ItemRef(**i) for i in data["items"]),
            tuple(MaterialRow(**{**m, "item_codes": tuple(m.get("item_codes", ()))}) for m in data["materials"]),
            data.get("title", ""),
            data.get("theme_code"),
            tuple(Situation.of(s) for s in data.get("situations") or ()),
            tuple((code, tuple(MaterialSpec.of_dict(m) for m in materials))
                  for code, materials in data.get("sources") or ()),
        )


@dataclass(frozen=True)
class Availability:
    """Which outcomes the checklist allows, and why the others are closed."""

    accept: bool
    pledge: bool
    on_spot: bool
    notify: bool
    blocking: tuple[str, ...]  # required, not waivable, missing or defective
    owed: tuple[str, ...]  # required, waivable, missing or defective (容缺)
    all_immediate: bool

    @property
    def recommended(self) -> str:
        for name, ok in (("on_spot", self.on_spot), ("accept", self.accept), ("pledge", self.pledge),
                         ("notify", self.notify)):
            if ok:
                return name
        return "refuse"


def availability(items: tuple[ItemRef, ...], checks: tuple[MaterialCheck, ...]) -> Availability:
    """The rules of the outcome buttons (the services check them again on submit).

    受理 needs every required material provided and in order; 容缺受理 when the only gaps are waivable
    materials; 即办件 only when every item is an immediate one and nothing is missing; 一次性告知 when a
    required material is missing or any material is defective. 不予受理 is always possible.
    """
    gaps = [m for m in checks if m.required and m.missing_or_defective]
    blocking = tuple(m.name for m in gaps if not m.waivable)
    owed = tuple(m.name for m in gaps if m.waivable)
    complete = not gaps
    all_immediate = bool(items) and all(i.handling_kind == "immediate" for i in items)
    defects = any(m.missing_or_defective and (m.required or m.provided) for m in checks)
    return Availability(
        accept=bool(items) and complete,
        pledge=bool(items) and not blocking and bool(owed),
        on_spot=complete and all_immediate,
        notify=bool(items) and defects,
        blocking=blocking,
        owed=owed,
        all_immediate=all_immediate,
    )


@dataclass
class OutcomeFields:
    """What the clerk typed on the outcome step (kept in the draft)."""

    delivery: str = "window"
    address: str = ""
    confirmed_days: dict[str, str] = field(default_factory=dict)  # item code -> text typed
    pledge_due: str = ""  # ISO date
    result: str = ""
    refuse_reason: str = ""
    urgent: bool | None = None  # None: the catalog's urgency
    urgent_reason: str = ""
    # a bundle (一件事): the clerk's call per item code where it differs from the catalog's, with its reason
    urgent_items: dict[str, bool] = field(default_factory=dict)
    urgent_reasons: dict[str, str] = field(default_factory=dict)


@dataclass
class DraftState:
    """The whole screen as saved in a draft: the form as the services take it plus the UI's own state."""

    form: IntakeForm
    selection: Selection | None
    step: str = "item"
    search: str = ""
    outcome: OutcomeFields = field(default_factory=OutcomeFields)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": DRAFT_FORMAT,
            "form": self.form.to_json(),
            "selection": self.selection.to_json() if self.selection else None,
            "step": self.step,
            "search": self.search,
            "outcome": asdict(self.outcome),
        }

    @staticmethod
    def from_json(data: dict[str, Any]) -> DraftState:
        sel = data.get("selection")
        return DraftState(
            form=IntakeForm.from_json(data["form"]),
            selection=Selection.from_json(sel) if sel else None,
            step=data.get("step", "item") if data.get("step") in STEPS[:4] else "item",
            search=data.get("search", ""),
            outcome=OutcomeFields(**data.get("outcome", {})),
        )

    @property
    def summary(self) -> str:
        """One line for the draft banner: item · applicant."""
        parts = [self.selection.title if self.selection else "", self.form.applicant.name]
        return " · ".join(p for p in parts if p)
