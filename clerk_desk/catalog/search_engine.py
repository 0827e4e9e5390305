"""Ranked search over the catalog in memory: what a clerk types, typos and all (docs/catalog-format.md §4).

Pure: plain records in, hits out (catalog/search.py loads the records from the store).

Every item is searched through its keys, in three fields: the official name; the keywords (short and
colloquial names); the department's name and the names of the materials ("other"). A query matches a
key **completely** when each of its characters or pinyin syllables matches one character of the key,
in a row; otherwise it may match **partly** (the characters and pairs of characters it shares).

Ranking, best first:
1. how it matched: an item code, then the query's own text, then pinyin as typed (``cxjm``,
   ``canjiren``, ``残疾rz``), then characters that only sound the same (残急人证 for 残疾人证), then
   one letter corrected in the pinyin (``gaolingjingtie``), then partly (老年人优待证 for 老年优待证换发,
   weighted by how rare the shared characters are in the catalog);
2. where: the official name, then a keyword, then the department or a material (so an item whose
   name contains 五保 comes before an item that only has 五保 as a keyword);
3. how much of the key: the whole key, its beginning, anywhere in it;
4. how often this site accepted the item (``set_counts``), then catalog order.
Active items come before retired ones, and retired ones only when asked for.

Speed: postings (reading -> keys, character -> keys, pairs of initials -> keys) are kept as arrays and
turned into sets when a query needs them (cached), so candidates come from set intersections in C; a
candidate of a query of several units is confirmed with one small regular expression over the key's
readings (|can|ji|ren|zheng,zeng|). Department and list filters are sets intersected per query, with no
index of their own, so the first keystroke under a filter costs what any other does. Corrections and
partial matches are only looked for when the complete matches do not fill the page.
"""

from __future__ import annotations

import math
import threading
from array import array
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from clerk_desk.catalog.format import normalize_text
from clerk_desk.catalog.pinyin_index import fold_query
from clerk_desk.catalog.search_keys import KeyField, Posting, ReadingTable
from clerk_desk.catalog.search_query import Query
from clerk_desk.catalog.search_terms import (
    CACHE_ENTRIES,
    INSIDE,
    KEYWORD,
    NAME,
    OTHER,
    PARTIAL,
    Hit,
    IndexedItem,
)


class SearchIndex:
    """The catalog's search keys in memory. Build once per catalog version (``SearchIndex.load`` in
    catalog/search.py reads the store); ``set_counts`` may be called at any time."""

    def __init__(
        self,
        items: Sequence[IndexedItem],
        keywords: Sequence[Sequence[str]] = (),
        materials: Sequence[Sequence[str]] = (),
    ) -> None:
        self.items = list(items)
        n = len(self.items)
        self.rank = list(range(n))
        self.by_rank = list(range(n))  # item positions, best ranked first
        self.counts: dict[str, int] = {}
        self.readings = ReadingTable()
        self.names = KeyField(NAME)
        self.keywords = KeyField(KEYWORD)
        self.other = KeyField(OTHER)
        self.fields = (self.names, self.keywords, self.other)
        self.by_code = {it.code: it for it in self.items}
        self.item_keywords: list[list[int]] = [[] for _ in range(n)]
        self.codes: dict[str, int] = {}
        for i, it in enumerate(self.items):
            text = normalize_text(it.name) or it.name
            self.names.add(text, it.name, "name", (i,))
            self.readings.add_text(text)
            self.codes.setdefault(normalize_text(it.code), i)
        self._code_list = sorted(self.codes)
        self._add_shared(self.keywords, "keyword", keywords, n)
        depts: dict[str, list[int]] = defaultdict(list)
        for i, it in enumerate(self.items):
            depts[it.department_name].append(i)
        for name, members in depts.items():
            text = normalize_text(name) or name
            self.other.add(text, name, "department", members)
            self.readings.add_text(text)
        self.dept_keys = len(self.other.texts)  # other-field keys below this are departments
        self._add_shared(self.other, "material", materials, n)
        self.names.finish(self.readings, shared_partial=False)
        self.keywords.finish(self.readings, shared_partial=True)
        self.other.finish(self.readings, shared_partial=False)
        self.dept_items = {
            code: frozenset(i for i, it in enumerate(self.items) if it.department_code == code)
            for code in {it.department_code for it in self.items}
        }
        self.dept_names = {it.department_code: it.department_name for it in self.items}
        self.list_items: dict[str, frozenset[int]] = {}
        for code in {c for it in self.items for c in it.lists}:
            self.list_items[code] = frozenset(i for i, it in enumerate(self.items) if code in it.lists)
        self.retired = frozenset(i for i, it in enumerate(self.items) if it.retired)
        self.active = frozenset(range(n)) - self.retired
        # partial matching counts the department's name too, not the materials (too common to tell much)
        self.dept_reading_items: dict[str, Posting] = {}
        other = self.other
        for gram, keys in [*other.main.items(), *other.pairs.items()]:
            depts_of = [other.items[k] for k in keys if k < self.dept_keys]
            if depts_of:
                self.dept_reading_items[gram] = array("I", sorted(frozenset().union(*depts_of)))
        self._allowed: dict[tuple[str | None, str | None, bool], frozenset[int] | None] = {}
        self._grams: dict[
            tuple[str, ...], tuple[tuple[frozenset[int], frozenset[int], frozenset[int]], frozenset[int], int]
        ] = {}
        self._grams_size = 0
        self._lock = threading.Lock()

    def _add_shared(self, field: KeyField, kind: str, per_item: Iterable[Sequence[str]], n: int) -> None:
        members: dict[str, list[int]] = {}
        shown: dict[str, str] = {}
        folded_of: dict[str, str] = {}
        for i, texts in zip(range(n), per_item, strict=False):
            for t in texts:
                folded = folded_of.get(t)
                if folded is None:
                    folded = folded_of[t] = normalize_text(t)
                if folded:
                    members.setdefault(folded, []).append(i)
                    shown.setdefault(folded, t.strip())
        for folded, its in members.items():
            key = len(field.texts)
            unique = dict.fromkeys(its)
            field.add(folded, shown[folded], kind, unique)
            self.readings.add_text(folded)
            if field is self.keywords:
                for i in unique:
                    self.item_keywords[i].append(key)

    def gram_postings(
        self, gram: tuple[str, ...]
    ) -> tuple[tuple[frozenset[int], frozenset[int], frozenset[int]], frozenset[int], int]:
        """Items with a reading (or a pair of readings "can ji") of ``gram`` in the name, a keyword or
        the department's name; all of them; and the gram's weight, by its rarity in the whole catalog
        (a filter does not make a common character rare). Cached: typing on reuses them."""
        got = self._grams.get(gram)
        if got is None:
            source = self.names.pairs if " " in gram[0] else self.names.main
            kw, dept = self.keywords.reading_items, self.dept_reading_items
            sets = (
                frozenset().union(*(source.get(g, ()) for g in gram)),
                frozenset().union(*(kw.get(g, ()) for g in gram)),
                frozenset().union(*(dept.get(g, ()) for g in gram)),
            )
            anywhere = sets[0] | sets[1] | sets[2]
            weight = 1 + min(3, int(math.log((len(self.items) + 1) / (len(anywhere) + 1))))
            got = (sets, anywhere, weight)
            with self._lock:
                if self._grams_size + len(anywhere) > CACHE_ENTRIES:
                    self._grams.clear()
                    self._grams_size = 0
                self._grams[gram] = got
                self._grams_size += 2 * len(anywhere)
        return got

    # ---- tie-breaks and filters -------------------------------------------------------------------

    def set_counts(self, counts: Mapping[str, int]) -> None:
        """How often this site accepted each item (by code): more first when all else is equal."""
        order = sorted(range(len(self.items)), key=lambda i: (-counts.get(self.items[i].code, 0), i))
        rank = [0] * len(order)
        for r, i in enumerate(order):
            rank[i] = r
        self.rank, self.by_rank, self.counts = rank, order, dict(counts)

    def department_code(self, text: str) -> str | None:
        """The department a filter names: its code or its name (民政), as this catalog has it."""
        t = text.strip()
        if t in self.dept_names:
            return t
        folded = normalize_text(t)
        for code, name in self.dept_names.items():
            if normalize_text(name) == folded or code == folded:
                return code
        return None

    def _allowed_set(
        self, department: str | None, list_code: str | None, include_retired: bool
    ) -> frozenset[int] | None:
        """The items a search may return; None for all of them (no set to intersect with)."""
        key = (department, list_code, include_retired)
        if key in self._allowed:
            return self._allowed[key]
        sets = [] if include_retired else [self.active]
        if department is not None:
            sets.append(self.dept_items.get(department, frozenset()))
        if list_code is not None:
            sets.append(self.list_items.get(list_code, frozenset()))
        allowed: frozenset[int] | None = None
        if sets and not (len(sets) == 1 and sets[0] is self.active and not self.retired):
            allowed = frozenset.intersection(*sets)
        if len(self._allowed) > 256:
            self._allowed.clear()
        self._allowed[key] = allowed
        return allowed

    # ---- search -----------------------------------------------------------------------------------

    def search(
        self,
        text: str,
        *,
        department: str | None = None,
        list_code: str | None = None,
        include_retired: bool = False,
        limit: int = 50,
    ) -> list[Hit]:
        q = fold_query(text)
        allowed = self._allowed_set(department, list_code, include_retired)
        if allowed is not None and not allowed:
            return []
        if q:
            return Query(self, q, allowed, limit).run()
        members = range(len(self.items)) if allowed is None else sorted(allowed)
        retired = self.retired
        listed = sorted(members, key=retired.__contains__) if retired else list(members)  # retired last
        return [Hit(self.items[i], PARTIAL, "", "", INSIDE, 0.0) for i in listed[:limit]]


