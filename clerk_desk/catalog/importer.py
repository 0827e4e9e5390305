"""All-or-nothing import of a validated catalog into the store (one transaction, given by the caller).

A newer version updates items in place (by code), adds new ones, and retires the ones it no longer
lists (retired_at set: hidden from intake search, still readable). Cases are never touched: they carry
their own copy of item_code and item_name from intake. Theme bundles' search keys (pinyin) are computed here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, func, insert, select, update
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


_MATERIAL_COLUMNS = tuple(_material_row(MaterialSpec("")))
_ITEM_COLUMNS = tuple(k for k in _fields(ItemSpec("", False, "", ""), 0) if k != "sort_order")


def _tables() -> tuple[Table, Table]:
    """The two mapped tables as Core tables (the ORM types __table__ as a general FromClause)."""
    return cast(Table, CatalogItem.__table__), cast(Table, CatalogMaterial.__table__)


def _existing(session: Session) -> dict[str, dict[str, Any]]:
    """Every item as stored (code -> its columns and materials), read as plain rows: no ORM objects, which
    cost a second for 5,000 items."""
    items_t, materials_t = _tables()
    cols = [items_t.c.id, items_t.c.code, items_t.c.retired_at, *(items_t.c[k] for k in _ITEM_COLUMNS)]
    out = {r.code: {**r._mapping, "materials": []} for r in session.execute(select(*cols))}
    by_id = {row["id"]: row for row in out.values()}
    mcols = [materials_t.c.item_id, *(materials_t.c[k] for k in _MATERIAL_COLUMNS)]
    for r in session.execute(select(*mcols).order_by(materials_t.c.item_id, materials_t.c.position)):
        row = by_id.get(r.item_id)
        if row is not None:
            row["materials"].append({k: r._mapping[k] for k in _MATERIAL_COLUMNS})
    return out


def _same(stored: dict[str, Any], fields: dict[str, object], materials: list[dict[str, object]]) -> bool:
    # position in the file is not a change of the item
    return all(stored[k] == fields[k] for k in _ITEM_COLUMNS) and stored["materials"] == materials


def _write_items(
    session: Session, doc: CatalogDoc, now: datetime
) -> tuple[int, int, int, int, int]:
    """Items in bulk statements (executemany): added, updated, unchanged, reactivated, retired."""
    items_t, materials_t = _tables()
    stored = _existing(session)
    new_rows: list[dict[str, Any]] = []
    changed_rows: list[dict[str, Any]] = []
    kept_rows: list[dict[str, Any]] = []
    materials: dict[str, list[dict[str, object]]] = {}
    reactivated = 0
    for order, spec in enumerate(doc.items):
        fields = _fields(spec, order)
        mats = [_material_row(m) for m in spec.materials]
        have = stored.pop(spec.code, None)
        if have is None:
            new_rows.append({**fields, "code": spec.code, "catalog_version": doc.version,
                             "first_version": doc.version, "retired_at": None, "retired_in_version": None})
            materials[spec.code] = mats
            continue
        reactivated += have["retired_at"] is not None
        if _same(have, fields, mats):
            kept_rows.append({"b_id": have["id"], "b_sort": order, "b_version": doc.version})
        else:
            changed_rows.append({**{f"b_{k}": v for k, v in fields.items()}, "b_id": have["id"],
                                 "b_version": doc.version})
            materials[spec.code] = mats
    if new_rows:
        session.execute(insert(items_t), new_rows)
    if kept_rows:
        session.execute(
            update(items_t).where(items_t.c.id == bindparam("b_id")).values(
                sort_order=bindparam("b_sort"), catalog_version=bindparam("b_version"), retired_at=None,
                retired_in_version=None),
            kept_rows,
        )
    if changed_rows:
        values: dict[str, Any] = {k: bindparam(f"b_{k}") for k in _fields(ItemSpec("", False, "", ""), 0)}
        session.execute(
            update(items_t).where(items_t.c.id == bindparam("b_id")).values(
                **values, catalog_version=bindparam("b_version"), retired_at=None, retired_in_version=None),
            changed_rows,
        )
    ids = dict(session.execute(select(items_t.c.code, items_t.c.id)).all()) if materials else {}
    changed_ids = [r["b_id"] for r in changed_rows]
    for start in range(0, len(changed_ids), 500):
        chunk = changed_ids[start : start + 500]
        session.execute(delete(materials_t).where(materials_t.c.item_id.in_(chunk)))
    rows = [{"item_id": ids[code], "position": i, **m} for code, mats in materials.items()
            for i, m in enumerate(mats)]
    if rows:
        session.execute(insert(materials_t), rows)
    retired = [row["id"] for row in stored.values() if row["retired_at"] is None]
    for start in range(0, len(retired), 500):
        session.execute(update(items_t).where(items_t.c.id.in_(retired[start : start + 500])).values(
            retired_at=now, retired_in_version=doc.version))
    session.expire_all()  # ORM objects read before (none, usually) see the rows as written
    return len(new_rows), len(changed_rows), len(kept_rows), reactivated, len(retired)


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


def import_doc(
    session: Session, doc: CatalogDoc, *, force: bool = False, source: str = "file"
) -> ImportResult:
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
    added, updated, unchanged, reactivated, retired = _write_items(session, doc, now)
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
                **{k: v for k, v in result.__dict__.items() if isinstance(v, int) and not isinstance(v, bool)},
                "source": source,  # file | hub | demo: a hub update never replaces a newer file (sync/follow.py)
            },
        )
    )
    session.flush()
    return result


def table_counts(session: Session) -> dict[str, int]:
    """Row counts of the catalog tables (tests and the CLI use them to show what an import did)."""
    models = (CatalogVersion, CatalogList, CatalogItem, CatalogMaterial, CatalogTheme, CatalogThemeItem)
    return {m.__tablename__: session.scalar(select(func.count()).select_from(m)) or 0 for m in models}
