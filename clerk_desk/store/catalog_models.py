"""Catalog tables: imported versions, items with their materials and situations, public lists, themes.

Items are never deleted: an item dropped by a newer catalog gets ``retired_at`` and stays readable, so
an old case (which copied item_code/item_name at intake) can always show what it was accepted under.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from clerk_desk.store.models import Base, utcnow


class CatalogVersion(Base):
    __tablename__ = "catalog_versions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    version: Mapped[str] = mapped_column(String(32))
    publisher: Mapped[str] = mapped_column(String(128))
    published_at: Mapped[str | None] = mapped_column(String(32))
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    checksum: Mapped[str] = mapped_column(String(64))
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    forced: Mapped[bool] = mapped_column(Boolean, default=False)
    summary: Mapped[dict[str, Any]] = mapped_column(default=dict)  # added / updated / retired counts


class CatalogList(Base):
    """A published list (清单) the hall posts, e.g. 通山县乡镇便民服务事项清单."""

    __tablename__ = "catalog_lists"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(128))
    note: Mapped[str | None] = mapped_column(Text)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    retired_at: Mapped[datetime | None]


class CatalogItem(Base):
    __tablename__ = "catalog_items"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    is_local_code: Mapped[bool] = mapped_column(Boolean, default=False)
    name: Mapped[str] = mapped_column(String(256))
    department_code: Mapped[str] = mapped_column(ForeignKey("departments.code"), index=True)
    lists: Mapped[list[Any]] = mapped_column(default=list)
    type: Mapped[str | None] = mapped_column(String(32))
    handling_kind: Mapped[str | None] = mapped_column(String(16))  # immediate | promise | None = 待确认
    urgency: Mapped[str | None] = mapped_column(String(16))  # urgent | normal | None = 待确认
    legal_days: Mapped[int | None] = mapped_column(Integer)
    promised_days: Mapped[int | None] = mapped_column(Integer)
    fee: Mapped[str | None] = mapped_column(Text)
    conditions: Mapped[str | None] = mapped_column(Text)
    legal_basis: Mapped[str | None] = mapped_column(Text)
    delivery: Mapped[list[Any]] = mapped_column(default=list)
    keywords: Mapped[list[Any]] = mapped_column(default=list)
    sources: Mapped[list[Any]] = mapped_column(default=list)
    note: Mapped[str | None] = mapped_column(Text)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    catalog_version: Mapped[str] = mapped_column(String(32))  # last version that published this item
    first_version: Mapped[str] = mapped_column(String(32))
    retired_at: Mapped[datetime | None]
    retired_in_version: Mapped[str | None] = mapped_column(String(32))
    # situation questions (情形): [{code, question, options: [{code, label}], default, note}]
    situations: Mapped[list[Any]] = mapped_column(default=list, server_default=text("'[]'"))
    materials: Mapped[list[CatalogMaterial]] = relationship(
        cascade="all, delete-orphan", order_by="CatalogMaterial.position", lazy="selectin"
    )


class CatalogMaterial(Base):
    __tablename__ = "catalog_materials"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("catalog_items.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)
    form: Mapped[str | None] = mapped_column(String(24))  # original | copy | original_and_copy | electronic
    copies: Mapped[int | None] = mapped_column(Integer)  # in all
    copies_original: Mapped[int | None] = mapped_column(Integer)  # set, with copies_copy, when the catalog
    copies_copy: Mapped[int | None] = mapped_column(Integer)  # says how many of each (原件和复印件各1份)
    required: Mapped[bool] = mapped_column(Boolean, default=True)
    waivable: Mapped[bool | None] = mapped_column(
        Boolean
    )  # 容缺受理 (may be pledged later); None = not stated
    note: Mapped[str | None] = mapped_column(Text)
    applies_when: Mapped[dict[str, Any] | None]  # {situation code: [answers]}; None = always
    __table_args__ = (UniqueConstraint("item_id", "position", name="uq_catalog_materials_item_position"),)


class CatalogTheme(Base):
    """A theme bundle (一件事) joining several items under one merged checklist."""

    __tablename__ = "catalog_themes"
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(128))
    description: Mapped[str | None] = mapped_column(Text)
    keywords: Mapped[list[Any]] = mapped_column(default=list)
    search_keys: Mapped[list[Any]] = mapped_column(default=list)  # [key, weight] pairs, made at import
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    catalog_version: Mapped[str] = mapped_column(String(32))
    retired_at: Mapped[datetime | None]
    items: Mapped[list[CatalogThemeItem]] = relationship(
        cascade="all, delete-orphan", order_by="CatalogThemeItem.position", lazy="selectin"
    )


class CatalogThemeItem(Base):
    __tablename__ = "catalog_theme_items"
    theme_code: Mapped[str] = mapped_column(
        ForeignKey("catalog_themes.code", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_code: Mapped[str] = mapped_column(String(64))
