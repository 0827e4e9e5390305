"""Catalog use cases for the CLI, the catalog browser and intake: import, search, item and theme pages.

Everything returned is a plain frozen dataclass (no ORM objects cross into the UI thread). Unknown
facts stay None; ``days_text`` and friends render them as 待确认, never as an invented number.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clerk_desk import paths
from clerk_desk.catalog import importer
from clerk_desk.catalog.checklist import merge_checklist, merge_situations
from clerk_desk.catalog.format import UNKNOWN_ZH, MaterialSpec, Situation, normalize_text, parse, version_key
from clerk_desk.catalog.search import SearchIndex, acceptance_counts
from clerk_desk.catalog.validate import Problem, has_errors, schema_accepts, validate_bytes, validate_file
from clerk_desk.catalog.views import (
    CatalogInfo,
    ItemDetail,
    ItemSummary,
    ListInfo,
    ThemeDetail,
    days_text,
    form_text,
)
from clerk_desk.domain.errors import InputError, NotFound
from clerk_desk.services import audit, heap
from clerk_desk.store.catalog_models import (
    CatalogItem,
    CatalogList,
    CatalogMaterial,
    CatalogTheme,
    CatalogVersion,
)
from clerk_desk.store.database import Database
from clerk_desk.store.models import Department

ImportResult = importer.ImportResult
OlderCatalog = importer.OlderCatalog
__all__ = [
    "CatalogInfo",
    "CatalogInvalid",
    "ImportResult",
    "ItemDetail",
    "ItemSummary",
    "ListInfo",
    "OlderCatalog",
    "ThemeDetail",
    "check_bytes",
    "has_errors",
    "import_checked",
    "UNKNOWN_ZH",
    "days_text",
    "ensure_demo_catalog",
    "form_text",
    "get_item",
    "get_theme",
    "import_bytes",
    "import_file",
    "list_items",
    "list_themes",
    "lists",
    "search",
    "search_themes",
    "validate",
]


class CatalogInvalid(InputError):
    """The file has errors; nothing was imported. ``problems`` lists all of them (and the warnings)."""

    code = "catalog_invalid"

    def __init__(self, problems: list[Problem]) -> None:
        errors = [p for p in problems if p.is_error]
        lines = "\n".join(str(p) for p in errors[:20])
        more = f"\n……另有 {len(errors) - 20} 个错误" if len(errors) > 20 else ""
        super().__init__(f"目录文件有 {len(errors)} 个错误，未导入任何内容：\n{lines}{more}")
        self.problems = problems


# ---- import -------------------------------------------------------------------------------------------

_index_lock = threading.Lock()
_load_lock = threading.Lock()  # one load at a time: a second caller waits for it instead of loading again
# path -> (marker, when it was last checked, index). An import in this process drops the entry at once;
# an import by another process (the CLI while the app runs) is noticed within RECHECK_SECONDS.
_indexes: dict[str, tuple[tuple[int, int], float, SearchIndex]] = {}
RECHECK_SECONDS = 2.0


def _marker(s: Session) -> tuple[int, int]:
    row = s.execute(select(func.max(CatalogVersion.id), func.count(CatalogVersion.id))).one()
    return (row[0] or 0, row[1] or 0)


def invalidate_index(db: Database) -> None:
    with _index_lock:
        _indexes.pop(str(db.path), None)


def search_index(db: Database) -> SearchIndex:
    """The in-memory index of this database, reloaded only when a catalog import happened. Loading it
    also reads how often this site accepted each item (the tie-break of the ranking); the UI loads it
    on a worker at start-up (``warm_up``) so no keystroke waits for it."""
    key = str(db.path)
    with _index_lock:
        cached = _indexes.get(key)
    if cached and time.monotonic() - cached[1] < RECHECK_SECONDS:
        return cached[2]
    with db.reading() as s:
        marker = _marker(s)
    if cached and cached[0] == marker:
        index = cached[2]
    else:
        # A load (or an import with its load) running on another thread: keep searching the index we
        # have until the new one is ready, rather than wait for it (a keystroke never waits for a load).
        if cached and not _load_lock.acquire(blocking=False):
            return cached[2]
        if not cached:
            _load_lock.acquire()
        try:
            with _index_lock:
                again = _indexes.get(key)
            index = again[2] if again and again[0] == marker else _load(db)
        finally:
            _load_lock.release()
    with _index_lock:
        _indexes[key] = (marker, time.monotonic(), index)
    return index


def _load(db: Database) -> SearchIndex:
    with db.reading() as s:
        index = SearchIndex.load(s)
        index.set_counts(acceptance_counts(s))
    # The ~100,000 new long-lived objects are moved out of the collector's way instead of a full collection,
    # which took 0.1 s holding the interpreter (a frozen screen when the load runs on a worker after an
    # import). The index holds no reference cycles, so an index replaced later is freed all the same.
    heap.settle()
    return index


def warm_up(db: Database) -> None:
    """Load the search index now (call it on a worker thread when the desk starts), and compile the
    catalog schema's check (some 40 ms in one step) so a catalog arriving later does not pay it while a
    clerk types."""
    search_index(db)
    schema_accepts({})


def count_accepted(db: Database, item_codes: list[str] | tuple[str, ...]) -> None:
    """This desk just accepted these items: they rank a little higher from now on (the counts are read
    from the cases again whenever the index is loaded)."""
    with _index_lock:
        cached = _indexes.get(str(db.path))
    if cached is None:
        return
    index = cached[2]
    counts = dict(index.counts)
    for code in item_codes:
        counts[code] = counts.get(code, 0) + 1
    index.set_counts(counts)


def department_code(db: Database, text: str) -> str:
    """The department a filter names, by code (mz) or by name (民政); a clear message when none is."""
    t = text.strip()
    found = search_index(db).department_code(t)
    if found is not None:
        return found
    for code, name, _n in departments(db):
        if t in (code, name):
            return code
    known = "、".join(f"{name}（{code}）" for code, name, _n in departments(db))
    raise InputError(f"没有名为“{t}”的部门。本机目录的部门：{known}")


def reload_index(db: Database) -> None:
    """Build this database's index now, on the calling thread (a worker): searches keep the old one until
    the new one is in place."""
    with _load_lock:
        _store_index(db)


def _store_index(db: Database) -> None:
    with db.reading() as s:
        marker = _marker(s)
    index = _load(db)
    with _index_lock:
        old = _indexes.get(str(db.path))
        _indexes[str(db.path)] = (marker, time.monotonic(), index)
    if old is not None:
        previous = old[2]
        del old
        heap.release(previous)  # a piece at a time (unless a search still holds it)


def validate(path: Path | str) -> list[Problem]:
    return validate_file(path)[2]


def import_file(
    db: Database, path: Path | str, *, force: bool = False, actor: str | None = None
) -> ImportResult:
    """Validate, then import in one transaction: an error anywhere leaves the database as it was."""
    with heap.collector_paused():
        raw, checksum, problems = validate_file(path)
        return import_checked(db, raw, checksum, problems, force=force, actor=actor, source="file", where=str(path))


def import_bytes(
    db: Database, data: bytes, *, force: bool = False, actor: str | None = None, source: str = "hub",
    where: str = "",
) -> ImportResult:
    """Import a catalog file's bytes (from the hub), as :func:`import_file` does a file."""
    raw, checksum, problems = check_bytes(data, where)
    return import_checked(db, raw, checksum, problems, force=force, actor=actor, source=source, where=where)


def check_bytes(data: bytes, where: str = "") -> tuple[Any, str, list[Problem]]:
    """(parsed JSON, checksum, problems) of a catalog file's bytes."""
    return validate_bytes(data, where)


def import_checked(
    db: Database, raw: object, checksum: str, problems: list[Problem], *, force: bool, actor: str | None,
    source: str, where: str,
) -> ImportResult:
    if has_errors(problems):
        raise CatalogInvalid(problems)
    assert isinstance(raw, dict)
    doc = parse(raw, checksum)
    # Searches go on with the old index while the import commits and the new index loads (search_index).
    with _load_lock:
        with db.transaction() as s:
            result = importer.import_doc(s, doc, force=force, source=source)
            audit.record(
                s,
                "catalog_imported",
                actor,
                version=doc.version,
                checksum=checksum,
                file=where,
                source=source,
                added=result.added,
                updated=result.updated,
                retired=result.retired,
                forced=force,
            )
        with _index_lock:
            loaded = str(db.path) in _indexes
        if loaded:  # this process searches the catalog: the new index is built here, not at a keystroke
            _store_index(db)
    return result


def demo_catalog_path() -> Path:
    return paths.resources_dir() / "catalog" / "demo-catalog.json"


def ensure_demo_catalog(db: Database) -> ImportResult | None:
    """Load the shipped demo catalog unless a catalog is already there (a newer demo replaces an older demo)."""
    info = catalog_info(db)
    path = demo_catalog_path()
    if info is not None:
        if not info.is_demo:
            return None
        raw_version = parse(validate_file(path)[0]).version
        if version_key(raw_version) <= version_key(info.version):
            return None
    return import_file(db, path, actor="demo")


# ---- reading ------------------------------------------------------------------------------------------


def catalog_info(db: Database) -> CatalogInfo | None:
    with db.reading() as s:
        v = importer.current_version(s)
        if v is None:
            return None
        return CatalogInfo(v.version, v.publisher, v.published_at, v.imported_at, v.is_demo, v.checksum,
                           (v.summary or {}).get("source", "file"))


def search(
    db: Database,
    text: str,
    *,
    department: str | None = None,
    list_code: str | None = None,
    include_retired: bool = False,
    limit: int = 50,
) -> list[ItemSummary]:
    """Ranked items for what the clerk typed (Chinese, pinyin, initials, keyword, department or code;
    typos forgiven, see catalog/search_engine.py). ``department`` is a code or a department's name."""
    index = search_index(db)
    if department is not None and department not in index.dept_names:
        department = index.department_code(department) or department
    hits = index.search(
        text, department=department, list_code=list_code, include_retired=include_retired, limit=limit
    )
    return [
        ItemSummary(
            h.item.code,
            h.item.name,
            h.item.department_code,
            h.item.department_name,
            h.item.handling_kind,
            h.item.promised_days,
            h.item.retired,
            h.kind,
            h.key,
            h.match_zh if h.kind else "",
        )
        for h in hits
    ]


def list_items(
    db: Database,
    *,
    department: str | None = None,
    list_code: str | None = None,
    include_retired: bool = False,
) -> list[ItemSummary]:
    return search(
        db, "", department=department, list_code=list_code, include_retired=include_retired, limit=1_000_000
    )


def _detail(s: Session, item: CatalogItem) -> ItemDetail:
    dept = s.get(Department, item.department_code)
    list_names = dict(s.execute(select(CatalogList.code, CatalogList.name)).all())
    return ItemDetail(
        code=item.code,
        is_local_code=item.is_local_code,
        name=item.name,
        department_code=item.department_code,
        department_name=dept.name if dept else item.department_code,
        lists=tuple((c, list_names.get(c, c)) for c in item.lists or ()),
        keywords=tuple(item.keywords or ()),
        type=item.type,
        handling_kind=item.handling_kind,
        urgency=item.urgency,
        legal_days=item.legal_days,
        promised_days=item.promised_days,
        fee=item.fee,
        conditions=item.conditions,
        legal_basis=item.legal_basis,
        delivery=tuple(item.delivery or ()),
        note=item.note,
        materials=tuple(_material(m) for m in item.materials),
        sources=tuple(item.sources or ()),
        catalog_version=item.catalog_version,
        retired_at=item.retired_at,
        retired_in_version=item.retired_in_version,
        situations=tuple(Situation.of(x) for x in item.situations or ()),
    )


def _material(m: CatalogMaterial) -> MaterialSpec:
    split = (m.copies_original or 0, m.copies_copy or 0) if m.copies_original is not None else None
    return MaterialSpec(
        m.name,
        m.form,
        m.copies,
        m.required,
        m.waivable,
        m.note,
        split,
        tuple((code, tuple(options)) for code, options in (m.applies_when or {}).items()),
    )


def get_item(db: Database, code: str) -> ItemDetail:
    """An item with its knowledge base and ordered materials; retired items are returned too (old cases)."""
    with db.reading() as s:
        item = s.scalar(select(CatalogItem).where(CatalogItem.code == code.strip()))
        if item is None:
            raise NotFound(f"本机目录中没有编码为 {code} 的事项")
        return _detail(s, item)


def list_themes(db: Database, *, include_retired: bool = False) -> list[tuple[str, str, bool]]:
    """(code, name, is_demo) of the theme bundles (一件事)."""
    with db.reading() as s:
        q = select(CatalogTheme).order_by(CatalogTheme.code)
        if not include_retired:
            q = q.where(CatalogTheme.retired_at.is_(None))
        return [(t.code, t.name, t.is_demo) for t in s.scalars(q)]


def search_themes(db: Database, text: str) -> list[tuple[str, str, bool]]:
    """Active themes whose name, keyword or their pinyin contains the text (a handful: a scan is fine)."""
    q = normalize_text(text)
    with db.reading() as s:
        themes = s.scalars(select(CatalogTheme).where(CatalogTheme.retired_at.is_(None))).all()
        scored = []
        for t in themes:
            best = max(
                (
                    w + (20 if k == q else 10 if k.startswith(q) else 0)
                    for k, w in t.search_keys
                    if q and q in k
                ),
                default=None,
            )
            if best is not None:
                scored.append((-best, t.code, t.name, t.is_demo))
        return [(c, n, d) for _, c, n, d in sorted(scored)]


def get_theme(db: Database, code: str) -> ThemeDetail:
    """A theme bundle with its items and the merged checklist (a shared material asked once)."""
    with db.reading() as s:
        theme = s.get(CatalogTheme, code)
        if theme is None:
            raise NotFound(f"本机目录中没有编码为 {code} 的主题（一件事）")
        items, missing = [], []
        for ti in theme.items:
            item = s.scalar(select(CatalogItem).where(CatalogItem.code == ti.item_code))
            if item is None:
                missing.append(ti.item_code)
            else:
                items.append(_detail(s, item))
        checklist = merge_checklist([(i.code, i.materials) for i in items])
        return ThemeDetail(
            theme.code,
            theme.name,
            theme.description,
            theme.is_demo,
            theme.retired_at is not None,
            tuple(items),
            tuple(missing),
            tuple(checklist),
            merge_situations([i.situations for i in items]),
        )


def departments(db: Database) -> list[tuple[str, str, int]]:
    """(code, name, active item count) of every department, in the plan's order, even with no items."""
    with db.reading() as s:
        counts = dict(
            s.execute(
                select(CatalogItem.department_code, func.count())
                .where(CatalogItem.retired_at.is_(None))
                .group_by(CatalogItem.department_code)
            ).all()
        )
        return [
            (d.code, d.name, counts.get(d.code, 0))
            for d in s.scalars(select(Department).order_by(Department.sort_order))
        ]


def item_names(db: Database, codes: list[str] | tuple[str, ...] | set[str]) -> dict[str, str]:
    """The names this desk's catalog gives ``codes`` (retired items too: a county figure may name one); a code
    it does not know is left out."""
    wanted = sorted(set(codes))
    found: dict[str, str] = {}
    with db.reading() as s:
        for i in range(0, len(wanted), 500):  # (SQLite's bound parameters)
            rows = s.execute(select(CatalogItem.code, CatalogItem.name).where(CatalogItem.code.in_(wanted[i:i + 500])))
            found.update({code: name for code, name in rows})
    return found


def lists(db: Database) -> list[ListInfo]:
    """The published lists (清单) with their active item counts."""
    index = search_index(db)
    with db.reading() as s:
        rows = s.scalars(
            select(CatalogList).where(CatalogList.retired_at.is_(None)).order_by(CatalogList.sort_order)
        ).all()
        return [
            ListInfo(
                r.code, r.name, r.note, sum(1 for it in index.items if not it.retired and r.code in it.lists)
            )
            for r in rows
        ]


def list_items_detailed(db: Database, list_code: str) -> tuple[ListInfo, list[ItemDetail]]:
    """A public list and its active items with their details, in catalog order (for printing)."""
    with db.reading() as s:
        row = s.get(CatalogList, list_code)
        if row is None:
            raise NotFound(f"本机目录中没有编码为 {list_code} 的清单")
        items = [
            _detail(s, it)
            for it in s.scalars(
                select(CatalogItem)
                .where(CatalogItem.retired_at.is_(None))
                .order_by(CatalogItem.sort_order, CatalogItem.code)
            )
            if list_code in (it.lists or ())
        ]
        return ListInfo(row.code, row.name, row.note, len(items)), items
