"""Search-as-you-type over the catalog: an in-memory index loaded once from the search-key table.

Ranking: match tier first (exact key, then key prefix, then substring), then the weight of the key
kind (name / code > keyword > pinyin > initials, see pinyin_index.WEIGHTS), then catalog order.
Active items come before retired ones, and retired ones only when asked for.

Per weight class the index keeps a dict (exact), a sorted key list (prefix, by bisect) and one
newline-joined haystack (substring, found with str.find in C), so a keystroke touches only what it
returns; it stops as soon as ``limit`` items are found.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from clerk_desk.catalog.pinyin_index import normalize_query
from clerk_desk.store.catalog_models import CatalogItem, CatalogSearchKey
from clerk_desk.store.models import Department

EXACT, PREFIX, SUBSTRING = 3, 2, 1
TIER_ZH = {EXACT: "完全匹配", PREFIX: "前缀匹配", SUBSTRING: "包含"}


@dataclass(frozen=True)
class IndexedItem:
    id: int
    code: str
    name: str
    department_code: str
    department_name: str
    lists: frozenset[str]
    handling_kind: str | None
    promised_days: int | None
    retired: bool


@dataclass(frozen=True)
class Hit:
    item: IndexedItem
    tier: int
    kind: str
    key: str


class _WeightClass:
    """The keys of one kind (one weight): sorted for prefix lookups, and a haystack for substrings in
    which each item is one record (its keys joined by \x01), so a substring scan visits an item once."""

    def __init__(self, weight: int, keys: list[tuple[str, int, str]]) -> None:
        self.weight = weight
        self.kind = keys[0][2] if keys else ""
        keys.sort()
        self.sorted_keys = [k for k, _, _ in keys]
        self.sorted_items = [i for _, i, _ in keys]
        per_item: dict[int, list[str]] = defaultdict(list)
        for k, i, _ in keys:
            per_item[i].append(k)
        self.record_items = sorted(per_item)  # catalog order: stable, sensible order of substring hits
        self.starts: list[int] = []
        records, pos = [], 0
        for i in self.record_items:
            record = "\x01".join(per_item[i])
            self.starts.append(pos)
            records.append(record)
            pos += len(record) + 1
        self.hay = "\n".join(records)

    def key_at(self, pos: int) -> str:
        lo = max(self.hay.rfind("\x01", 0, pos), self.hay.rfind("\n", 0, pos)) + 1
        ends = [e for e in (self.hay.find("\x01", pos), self.hay.find("\n", pos)) if e >= 0]
        return self.hay[lo : min(ends) if ends else len(self.hay)]


class SearchIndex:
    def __init__(self, items: list[IndexedItem], keys: list[tuple[int, str, str, int]]) -> None:
        """``keys``: (item index into items, key, kind, weight)."""
        self.items = items
        self.exact: dict[str, list[tuple[int, int, str]]] = defaultdict(list)  # key -> (-weight, item, kind)
        grouped: dict[int, list[tuple[str, int, str]]] = defaultdict(list)
        for idx, key, kind, weight in keys:
            self.exact[key].append((-weight, idx, kind))
            grouped[weight].append((key, idx, kind))
        for lst in self.exact.values():
            lst.sort()
        self.classes = [_WeightClass(w, grouped[w]) for w in sorted(grouped, reverse=True)]
        self.by_code = {it.code: it for it in items}
        self._keys_of: list[list[tuple[str, str, int]]] = [[] for _ in items]
        for idx, key, kind, weight in keys:
            self._keys_of[idx].append((key, kind, weight))
        self._subsets: dict[tuple[str | None, str | None], SearchIndex] = {}

    def _subset(self, department: str | None, list_code: str | None) -> SearchIndex:
        """A filtered index (built on first use, then cached) so a filter never slows a keystroke."""
        sub = self._subsets.get((department, list_code))
        if sub is None:
            keep = [
                i
                for i, it in enumerate(self.items)
                if (department is None or it.department_code == department)
                and (list_code is None or list_code in it.lists)
            ]
            new_pos = {old: new for new, old in enumerate(keep)}
            sub = SearchIndex(
                [self.items[i] for i in keep],
                [(new_pos[i], k, kind, w) for i in keep for k, kind, w in self._keys_of[i]],
            )
            self._subsets[(department, list_code)] = sub
        return sub

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
            ).order_by(CatalogItem.sort_order, CatalogItem.code)
        ).all()
        items, pos = [], {}
        for r in rows:
            pos[r[0]] = len(items)
            items.append(
                IndexedItem(
                    r[0],
                    r[1],
                    r[2],
                    r[3],
                    depts.get(r[3], r[3]),
                    frozenset(r[4] or ()),
                    r[5],
                    r[6],
                    r[7] is not None,
                )
            )
        keys = [
            (pos[item_id], key, kind, weight)
            for item_id, key, kind, weight in session.execute(
                select(
                    CatalogSearchKey.item_id,
                    CatalogSearchKey.key,
                    CatalogSearchKey.kind,
                    CatalogSearchKey.weight,
                )
            )
            if item_id in pos
        ]
        return cls(items, keys)

    def search(
        self,
        text: str,
        *,
        department: str | None = None,
        list_code: str | None = None,
        include_retired: bool = False,
        limit: int = 50,
    ) -> list[Hit]:
        if department is not None or list_code is not None:
            return self._subset(department, list_code).search(
                text, include_retired=include_retired, limit=limit
            )
        q = normalize_query(text)

        def accept_for(retired: bool) -> Callable[[IndexedItem], bool]:
            def accept(it: IndexedItem) -> bool:
                return it.retired == retired

            return accept

        if not q:
            hits = [Hit(it, 0, "", "") for it in self.items if accept_for(False)(it)]
            if include_retired:
                hits += [Hit(it, 0, "", "") for it in self.items if accept_for(True)(it)]
            return hits[:limit]
        out: list[Hit] = []
        seen: set[int] = set()
        self._collect(q, accept_for(False), out, seen, limit)
        if include_retired and len(out) < limit:
            self._collect(q, accept_for(True), out, seen, limit)
        return out

    def _collect(
        self, q: str, accept: Callable[[IndexedItem], bool], out: list[Hit], seen: set[int], limit: int
    ) -> None:
        items = self.items

        def take(idx: int, tier: int, kind: str, key: str) -> bool:
            if idx in seen:
                return False
            it = items[idx]
            if not accept(it):
                return False
            seen.add(idx)
            out.append(Hit(it, tier, kind, key))
            return len(out) >= limit

        for _w, idx, kind in self.exact.get(q, ()):
            if take(idx, EXACT, kind, q):
                return
        upper = q + "\uffff"
        for wc in self.classes:
            lo, hi = bisect_left(wc.sorted_keys, q), bisect_right(wc.sorted_keys, upper)
            for j in range(lo, hi):
                if take(wc.sorted_items[j], PREFIX, wc.kind, wc.sorted_keys[j]):
                    return
        for wc in self.classes:
            find, starts, record_items = wc.hay.find, wc.starts, wc.record_items
            last = len(starts) - 1
            pos = find(q)
            while pos >= 0:
                j = bisect_right(starts, pos) - 1
                idx = record_items[j]
                if idx not in seen and take(idx, SUBSTRING, wc.kind, wc.key_at(pos)):
                    return
                if j == last:  # one hit per item is enough: jump to the next item's record
                    break
                pos = find(q, starts[j + 1])
