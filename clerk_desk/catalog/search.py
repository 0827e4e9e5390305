"""Search-as-you-type over the catalog: the in-memory index (catalog/search_engine.py) loaded from the store.

The index is built from the items' names and keywords, the departments' names and the materials'
names when the catalog is first searched (and again after an import); readings come from pypinyin
then, so nothing about pinyin is stored. How this site's cases count in the ranking:
``acceptance_counts``.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from clerk_desk.catalog.search_engine import SearchIndex as _Engine
from clerk_desk.catalog.search_terms import (
    CODE,
    CORRECTED,
    HOMOPHONE,
    HOW_ZH,
    KIND_ZH,
    LITERAL,
    PARTIAL,
    PINYIN,
    Hit,
    IndexedItem,
)
from clerk_desk.store.catalog_models import CatalogItem, CatalogMaterial
from clerk_desk.store.models import Case, Department

__all__ = [
    "CODE",
    "CORRECTED",
    "HOMOPHONE",
    "HOW_ZH",
    "KIND_ZH",
    "LITERAL",
    "PARTIAL",
    "PINYIN",
    "Hit",
    "IndexedItem",
    "SearchIndex",
    "acceptance_counts",
]


class SearchIndex(_Engine):
    @classmethod
    def load(cls, session: Session) -> SearchIndex:
        depts = dict(session.execute(select(Department.code, Department.name)).all())
        rows = session.execute(
            select(
                CatalogItem.id,
                CatalogItem.code,
                CatalogItem.name,
                CatalogItem.department_code,
                CatalogItem.lists,
                CatalogItem.handling_kind,
                CatalogItem.promised_days,
                CatalogItem.retired_at,
                CatalogItem.keywords,
            ).order_by(CatalogItem.sort_order, CatalogItem.code)
        ).all()
        materials: dict[int, list[str]] = defaultdict(list)
        for item_id, name in session.execute(
            select(CatalogMaterial.item_id, CatalogMaterial.name).order_by(
                CatalogMaterial.item_id, CatalogMaterial.position
            )
        ):
            materials[item_id].append(name)
        items = [
            IndexedItem(
                r[0],
                r[1],
                r[2],
                r[3],
                depts.get(r[3]) or r[3] or "",
                frozenset(r[4] or ()),
                r[5],
                r[6],
                r[7] is not None,
            )
            for r in rows
        ]
        return cls(items, [r[8] or () for r in rows], [materials.get(r[0], ()) for r in rows])


def acceptance_counts(session: Session) -> dict[str, int]:
    """How many cases this desk's database holds per item code that were accepted (受理) or finished on the
    spot (the cases of this site: its own and those its other desks synced in)."""
    rows = session.execute(
        select(Case.item_code, func.count())
        .where(or_(Case.accepted_at.is_not(None), Case.status.in_(("accepted", "completed"))))
        .group_by(Case.item_code)
    )
    return {code: n for code, n in rows}
