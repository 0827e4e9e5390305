"""All-or-nothing import of a validated catalog into the store (one transaction, given by the caller).

A newer version updates items in place (by code), adds new ones, and retires the ones it no longer
lists (retired_at set: hidden from intake search, still readable). Cases are never touched: they carry
their own copy of item_code and item_name from intake. Theme bundles' search keys (pinyin) are computed here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from clerk_desk.catalog.format import CatalogDoc, ItemSpec, MaterialSpec, version_key
from clerk_desk.catalog.pinyin_index import item_keys
from clerk_desk.domain.errors import Conflict
from clerk_desk.store.catalog_models import (
    CatalogItem,
    CatalogList,
    CatalogMaterial,
    CatalogTheme,
    CatalogThemeItem,
    CatalogVersion,
)
from clerk_desk.store.models import Department, utcnow


@dataclass(frozen=True)
class ImportResult:
    version: str
    previous: str | None
    added: int
    updated: int
    unchanged: int
    retired: int
    reactivated: int
    themes: int
    forced: bool


class OlderCatalog(Conflict):
    code = "catalog_not_newer"


def current_version(session: Session) -> CatalogVersion | None:
    return session.scalars(select(CatalogVersion).order_by(CatalogVersion.id.desc()).limit(1)).first()


def _fields(spec: ItemSpec, order: int) -> dict[str, object]:
    return {
        "is_local_code": spec.is_local_code,
        "name": spec.name,
        "department_code": spec.department,
        "lists": list(spec.lists),
        "type": spec.type,
        "handling_kind": spec.handling_kind,
        "urgency": spec.urgency,
        "legal_days": spec.legal_days,
        "promised_days": spec.promised_days,
        "fee": spec.fee,
        "conditions": spec.conditions,
        "legal_basis": spec.legal_basis,
        "delivery": list(spec.delivery),
        "keywords": list(spec.keywords),
        "sources": [s.as_dict() for s in spec.sources],
        "situations": [x.as_dict() for x in spec.situations],
        "note": spec.note,
        "sort_order": order,
    }


def _material_row(m: MaterialSpec) -> dict[str, object]:
    split = m.copies_split
    return {
        "name": m.name,
        "form": m.form,
        "copies": m.copies,
        "copies_original": split[0] if split else None,
        "copies_copy": split[1] if split else None,
        "required": m.required,
        "waivable": m.waivable,
        "note": m.note,
        "applies_when": {code: list(options) for code, options in m.when} or None,
    }


def _same(item: CatalogItem, spec: ItemSpec, order: int) -> bool:
    # position in the file is not a change of the item
    if any(getattr(item, k) != v for k, v in _fields(spec, order).items() if k != "sort_order"):
        return False
    have = [{k: getattr(m, k) for k in _MATERIAL_COLUMNS} for m in item.materials]
    return have == [_material_row(m) for m in spec.materials]


_MATERIAL_COLUMNS = tuple(_material_row(MaterialSpec("")))


def _write_item(item: CatalogItem, spec: ItemSpec, order: int) -> None:
    for k, v in _fields(spec, order).items():
        setattr(item, k, v)


def _write_children(
    session: Session, changed: list[tuple[CatalogItem, ItemSpec]], existing: list[int]
) -> None:
    """Replace the materials of the changed items with bulk statements (fast for thousands of items);
    the ORM collections are expired so later reads see the new rows. (Search keys are not stored: the
    search index is built from names, keywords and materials, catalog/search.py.)"""
    for start in range(0, len(existing), 500):
        chunk = existing[start : start + 500]
        session.execute(delete(CatalogMaterial).where(CatalogMaterial.item_id.in_(chunk)))
    materials = [
        {"item_id": item.id, "position": i, **_material_row(m)}
        for item, spec in changed
        for i, m in enumerate(spec.materials)
    ]
    if materials:
        session.execute(insert(CatalogMaterial), materials)
    for item, _ in changed:
        session.expire(item, ["materials"])


def _departments_and_lists(session: Session, doc: CatalogDoc) -> None:
    depts = {d.code: d for d in session.scalars(select(Department))}
    base = max((d.sort_order for d in depts.values()), default=-1) + 1
    for i, (code, name) in enumerate(doc.departments):
        if code in depts:
            depts[code].name = name
        else:
            session.add(Department(code=code, name=name, sort_order=base + i))
    lists = {x.code: x for x in session.scalars(select(CatalogList))}
    listed = set()
    for i, (code, name, note) in enumerate(doc.lists):
        listed.add(code)
        row = lists.get(code) or CatalogList(code=code)
        row.name, row.note, row.sort_order, row.retired_at = name, note, i, None
        session.add(row)
    for code, row in lists.items():
        if code not in listed and row.retired_at is None:
            row.retired_at = utcnow()
    session.flush()


def _themes(session: Session, doc: CatalogDoc, now: datetime) -> None:
    existing = {t.code: t for t in session.scalars(select(CatalogTheme))}
    for spec in doc.themes:
        theme = existing.pop(spec.code, None) or CatalogTheme(code=spec.code)
        theme.name, theme.description, theme.keywords = spec.name, spec.description, list(spec.keywords)
        theme.is_demo, theme.catalog_version, theme.retired_at = spec.demo, doc.version, None
        keys = item_keys(spec.code, spec.name, spec.keywords)
        theme.search_keys = [[k.key, k.weight] for k in keys]
        theme.items = [CatalogThemeItem(position=i, item_code=c) for i, c in enumerate(spec.items)]
        session.add(theme)
    for theme in existing.values():
        if theme.retired_at is None:
            theme.retired_at = now


def import_doc(session: Session, doc: CatalogDoc, *, force: bool = False) -> ImportResult:
    """Apply ``doc`` inside the caller's transaction. Refuses an older or equal version unless forced."""
    now = utcnow()
    prev = current_version(session)
    if prev is not None and version_key(doc.version) <= version_key(prev.version) and not force:
        if version_key(doc.version) == version_key(prev.version):
            relation = f"与本机已导入的版本 {prev.version} 相同"
        else:
            relation = f"比本机已导入的版本 {prev.version} 旧"
        raise OlderCatalog(f"目录版本 {doc.version} {relation}，未导入。如确需回退或重新导入，请加 --force。")
    _departments_and_lists(session, doc)
    items = {i.code: i for i in session.scalars(select(CatalogItem))}
    added = updated = unchanged = reactivated = 0
    changed: list[tuple[CatalogItem, ItemSpec]] = []
    existing: list[int] = []
    for order, spec in enumerate(doc.items):
        item = items.pop(spec.code, None)
        if item is None:
            item = CatalogItem(code=spec.code, catalog_version=doc.version, first_version=doc.version)
            _write_item(item, spec, order)
            session.add(item)
            changed.append((item, spec))
            added += 1
            continue
        if item.retired_at is not None:
            item.retired_at, item.retired_in_version = None, None
            reactivated += 1
        if _same(item, spec, order):
            item.sort_order = order
            unchanged += 1
        else:
            _write_item(item, spec, order)
            changed.append((item, spec))
            existing.append(item.id)
            updated += 1
        item.catalog_version = doc.version
    session.flush()
    _write_children(session, changed, existing)
    retired = 0
    for item in items.values():
        if item.retired_at is None:
            item.retired_at, item.retired_in_version = now, doc.version
            retired += 1
    _themes(session, doc, now)
    result = ImportResult(
        doc.version,
        prev.version if prev else None,
        added,
        updated,
        unchanged,
        retired,
        reactivated,
        len(doc.themes),
        force,
    )
    session.add(
        CatalogVersion(
            version=doc.version,
            publisher=doc.publisher,
            published_at=doc.published_at,
            imported_at=now,
            checksum=doc.checksum,
            is_demo=doc.demo,
            forced=force and prev is not None,
            summary={
                k: v for k, v in result.__dict__.items() if isinstance(v, int) and not isinstance(v, bool)
            },
        )
    )
    session.flush()
    return result


def table_counts(session: Session) -> dict[str, int]:
    """Row counts of the catalog tables (tests and the CLI use them to show what an import did)."""
    models = (CatalogVersion, CatalogList, CatalogItem, CatalogMaterial, CatalogTheme, CatalogThemeItem)
    return {m.__tablename__: session.scalar(select(func.count()).select_from(m)) or 0 for m in models}
