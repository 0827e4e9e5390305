"""What the catalog service hands to the UI, the CLI and intake: plain frozen dataclasses (pure).

Unknown facts stay None; the *_text helpers render them as 待确认, never as an invented number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from clerk_desk.catalog.checklist import MergedMaterial
from clerk_desk.catalog.format import (
    DELIVERY_ZH,
    FORM_ZH,
    HANDLING_KIND_ZH,
    UNKNOWN_ZH,
    URGENCY_ZH,
    MaterialSpec,
    Situation,
    province_of,
)


@dataclass(frozen=True)
class ItemSummary:
    code: str
    name: str
    department_code: str
    department_name: str
    handling_kind: str | None
    promised_days: int | None
    retired: bool
    match: str = (
        ""  # which key matched (kind: code / name / keyword / department / material), empty when listing
    )
    match_key: str = ""  # that key's text
    match_zh: str = ""  # which key and how, in words: 关键词“残疾证”（拼音，完全相同）

    @property
    def kind_text(self) -> str:
        return HANDLING_KIND_ZH.get(self.handling_kind or "", UNKNOWN_ZH)


@dataclass(frozen=True)
class ItemDetail:
    code: str
    is_local_code: bool
    name: str
    department_code: str
    department_name: str
    lists: tuple[tuple[str, str], ...]  # (code, name)
    keywords: tuple[str, ...]
    type: str | None
    handling_kind: str | None
    urgency: str | None
    legal_days: int | None
    promised_days: int | None
    fee: str | None
    conditions: str | None
    legal_basis: str | None
    delivery: tuple[str, ...]
    note: str | None
    materials: tuple[MaterialSpec, ...]
    sources: tuple[dict[str, str], ...]
    catalog_version: str
    retired_at: datetime | None
    retired_in_version: str | None
    situations: tuple[Situation, ...] = ()

    @property
    def retired(self) -> bool:
        return self.retired_at is not None

    @property
    def foreign_source(self) -> tuple[str, str] | None:
        """(province, region) when the record this entry was taken from is from outside Hubei."""
        from clerk_desk.catalog.format import HOME_PROVINCE

        region = (self.sources[0].get("region") or "") if self.sources else ""
        province = province_of(region)
        return (province, region) if province and province != HOME_PROVINCE else None

    @property
    def kind_text(self) -> str:
        return HANDLING_KIND_ZH.get(self.handling_kind or "", UNKNOWN_ZH)

    @property
    def urgency_text(self) -> str:
        return URGENCY_ZH.get(self.urgency or "", UNKNOWN_ZH)

    @property
    def delivery_text(self) -> str:
        return "、".join(DELIVERY_ZH.get(d, d) for d in self.delivery) or UNKNOWN_ZH

    def as_summary(self) -> ItemSummary:
        return ItemSummary(
            self.code,
            self.name,
            self.department_code,
            self.department_name,
            self.handling_kind,
            self.promised_days,
            self.retired,
        )


@dataclass(frozen=True)
class ThemeDetail:
    code: str
    name: str
    description: str | None
    is_demo: bool
    retired: bool
    items: tuple[ItemDetail, ...]
    missing_items: tuple[str, ...]  # codes the theme names that this PC does not know
    checklist: tuple[MergedMaterial, ...]
    situations: tuple[Situation, ...] = ()  # the items' questions, each asked once


@dataclass(frozen=True)
class ListInfo:
    code: str
    name: str
    note: str | None
    item_count: int


@dataclass(frozen=True)
class CatalogInfo:
    version: str
    publisher: str
    published_at: str | None
    imported_at: datetime
    is_demo: bool
    checksum: str
    source: str = "file"  # file (imported by hand) | hub (followed from the county hub) | demo


def days_text(days: int | None) -> str:
    return UNKNOWN_ZH if days is None else f"{days} 个工作日"


def form_text(form: str | None) -> str:
    return FORM_ZH.get(form or "", "未注明")
