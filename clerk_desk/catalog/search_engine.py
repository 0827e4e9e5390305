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

import heapq
import math
import re
import threading
from array import array
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice, product

from clerk_desk.catalog.format import normalize_text
from clerk_desk.catalog.pinyin_index import SYLLABLES, char_readings, fold_query, is_han, segmentations

# fields (where a key is), best first
NAME, KEYWORD, OTHER = 3, 2, 1
CODE_FIELD = 4
# how a key matched, best first
CODE, LITERAL, PINYIN, HOMOPHONE, CORRECTED, PARTIAL = 5, 4, 3, 2, 1, 0
# where in the key
EXACT, PREFIX, INSIDE = 2, 1, 0

HOW_ZH = {
    CODE: "编码",
    LITERAL: "原文",
    PINYIN: "拼音",
    HOMOPHONE: "同音字",
    CORRECTED: "拼音纠错一处",
    PARTIAL: "部分相同",
}
KIND_ZH = {
    "code": "事项编码",
    "name": "事项名称",
    "keyword": "关键词",
    "department": "部门",
    "material": "材料",
}
WHERE_ZH = {EXACT: "完全相同", PREFIX: "开头相同", INSIDE: "包含"}

MAX_ALTERNATIVES = 4  # readings of a query's latin letters tried (see pinyin_index.segmentations)
MIN_PARTIAL = 0.34  # share of the query (weighted) a partial match must cover
FUZZY_MIN_LETTERS = 6
FUZZY_SCAN_CAP = 200  # keys looked at per half of a query, for a correction
CACHE_ENTRIES = 150_000  # ids in the sets a field keeps made for queries (bounds the collector's work)


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
    tier: int  # how it matched: CODE ... PARTIAL
    kind: str  # which key: code / name / keyword / department / material
    key: str  # that key as the catalog writes it
    where: int = INSIDE
    coverage: float = 1.0  # share of the query matched (below 1 only for partial matches)

    @property
    def how_zh(self) -> str:
        if self.tier == PARTIAL:
            return f"{HOW_ZH[PARTIAL]} {round(self.coverage * 100)}%"
        return HOW_ZH[self.tier]

    @property
    def match_zh(self) -> str:
        """ "关键词“残疾证”（拼音，完全相同）": which key matched and how, for the CLI and tooltips."""
        where = "" if self.tier in (CORRECTED, PARTIAL) else f"，{WHERE_ZH[self.where]}"
        return f"{KIND_ZH.get(self.kind, self.kind)}“{self.key}”（{self.how_zh}{where}）"


# ---- query ----------------------------------------------------------------------------------------

_RUNS = re.compile(r"[a-z]+|[0-9]+|.", re.DOTALL)

# A unit matches one character of a key: ("h", 汉) by the character or any of its readings,
# ("p", "zh") a character with a reading that begins so, ("l", "2") that very character.
Unit = tuple[str, str]


def _alternatives(q: str) -> list[tuple[Unit, ...]]:
    """The ways to read a folded query as units (more than one when latin letters split several ways)."""
    choices: list[list[tuple[Unit, ...]]] = []
    for run in _RUNS.findall(q):
        if run.isascii() and run.isalpha():
            segs = segmentations(run)
            choices.append([tuple(("p", s) for s in seg) for seg in segs] or [tuple(("l", c) for c in run)])
        elif run.isdigit() or not is_han(run):
            choices.append([tuple(("l", c) for c in run)])
        else:
            choices.append([(("h", run),)])
    return [tuple(u for part in combo for u in part) for combo in islice(product(*choices), MAX_ALTERNATIVES)]


def _letters(alt: Sequence[Unit]) -> str:
    """The query as pinyin letters (the commonest reading of each character), for corrections."""
    return "".join(char_readings(t)[0] if k == "h" else t for k, t in alt)


# ---- one field ------------------------------------------------------------------------------------


Posting = array  # key ids (or item ids), ascending: 4 bytes each and nothing for the garbage collector


def _put(postings: dict[str, list[int]], gram: str, key: int) -> None:
    got = postings.get(gram)
    if got is None:
        postings[gram] = [key]
    elif got[-1] != key:
        got.append(key)


def _packed(postings: dict[str, list[int]]) -> dict[str, Posting]:
    return {gram: array("I", keys) for gram, keys in postings.items()}


def _has(posting: Posting, i: int) -> bool:
    at = bisect_left(posting, i)
    return at < len(posting) and posting[at] == i


class _Field:
    """The keys of one field and their postings: key ids are positions in ``texts``; a key of the name
    field is the item itself (one name per item), other keys are shared by the items in ``items``.

    Postings are arrays of key ids (compact, and invisible to the garbage collector: as sets, the
    postings of 5,000 items made each full collection walk 600,000 references, some 30 ms); the sets
    a query needs are made from them and cached (``unit_keys``, at most CACHE_ENTRIES ids in all).

    ``spelled[k]`` is the key as readings, one position per character between bars, every reading of
    a polyphonic character separated by commas (|ceng,zeng|jia|fan|): a query of several units is
    confirmed with one small regular expression over it."""

    def __init__(self, rank: int) -> None:
        self.rank = rank
        self.texts: list[str] = []
        self.shown: list[str] = []
        self.kinds: list[str] = []
        self.items: list[Posting] = []  # items per key (empty for names: the key is the item)
        self.spelled: list[str] = []
        self.letters: list[str] = []  # commonest-reading pinyin per key (corrections)
        self.hay = ""
        self.hay_starts: list[int] = []
        self._building: dict[str, dict[str, list[int]]] = defaultdict(dict)
        self.by_reading: dict[str, Posting] = {}
        self.first_reading: dict[str, Posting] = {}
        self.by_char: dict[str, Posting] = {}
        self.first_char: dict[str, Posting] = {}
        # partial matching uses each character's commonest reading only: with every reading, 信 (xin,
        # shen) would share a syllable with 参 (can, shen) and a pair with 保参
        self.main: dict[str, Posting] = {}  # "can": a character read so
        self.pairs: dict[str, Posting] = {}  # "can ji": two characters in a row read so
        self.initial_pairs: dict[str, Posting] = {}  # "cj": two readings in a row begin so
        self.reading_items: dict[str, Posting] = {}  # partial matching, keyword field: grams -> items
        self._cache: dict[tuple[str, str, bool], frozenset[int]] = {}
        self._cached = 0
        self._lock = threading.Lock()
        self._initials: dict[tuple[str, str, bool], frozenset[int]] = {}

    def add(self, text: str, shown: str, kind: str, items: Iterable[int]) -> None:
        key = len(self.texts)
        self.texts.append(text)
        self.shown.append(shown)
        self.kinds.append(kind)
        self.items.append(array("I", () if self.rank == NAME else sorted(items)))
        b = self._building
        by_reading, by_char, main, pairs, initial_pairs = (
            b["by_reading"],
            b["by_char"],
            b["main"],
            b["pairs"],
            b["initial_pairs"],
        )
        previous: tuple[str, ...] = ()
        spelled = []
        for pos, ch in enumerate(text):
            readings = char_readings(ch)
            spelled.append(",".join(readings))
            _put(by_char, ch, key)
            _put(main, readings[0], key)
            if previous:
                _put(pairs, f"{previous[0]} {readings[0]}", key)
            for r in readings:
                _put(by_reading, r, key)
                for p in previous:
                    _put(initial_pairs, p[0] + r[0], key)
            if pos == 0:
                _put(b["first_char"], ch, key)
                for r in readings:
                    _put(b["first_reading"], r, key)
            previous = readings
        self.spelled.append("|" + "|".join(spelled) + "|")
        self.letters.append("".join(char_readings(ch)[0] for ch in text))

    def finish(self, readings: ReadingTable, shared_partial: bool) -> None:
        starts, pos = [], 0
        for s in self.letters:
            starts.append(pos)
            pos += len(s) + 1
        self.hay_starts = starts
        self.hay = "\n".join(self.letters)
        for name, postings in self._building.items():
            setattr(self, name, _packed(postings))
        self._building.clear()
        if shared_partial:
            items = self.items
            self.reading_items = {
                g: array("I", sorted(frozenset().union(*(items[k] for k in keys))))
                for g, keys in [*self.main.items(), *self.pairs.items()]
            }
        for letter in "abcdefghjklmnopqrstwxyz":  # first keystrokes: every initial ready
            for first in (False, True):
                self.unit_keys(("p", letter), first, readings)

    def unit_keys(self, unit: Unit, first: bool, readings_with: ReadingTable) -> frozenset[int]:
        cache_key = (unit[0], unit[1], first)
        got = self._initials.get(cache_key) or self._cache.get(cache_key)
        if got is not None:
            return got
        by_reading = self.first_reading if first else self.by_reading
        kind, text = unit
        if kind == "l":
            got = frozenset((self.first_char if first else self.by_char).get(text, ()))
        else:
            readings = char_readings(text) if kind == "h" else readings_with.prefixed(text)
            got = frozenset().union(*(by_reading.get(r, ()) for r in readings))
        if kind == "p" and len(text) == 1:
            self._initials[cache_key] = got  # 23 letters: kept for good, the first keystroke is often one
            return got
        with self._lock:  # the catalog page searches on the GUI thread, intake on a worker
            while self._cache and self._cached + len(got) > CACHE_ENTRIES:
                oldest = next(iter(self._cache))
                self._cached -= len(self._cache.pop(oldest))
            self._cache[cache_key] = got
            self._cached += len(got)
        return got

    def key_of(self, pos: int) -> int:
        return bisect_right(self.hay_starts, pos) - 1


class ReadingTable:
    """The readings that occur in the catalog: pinyin syllables, and latin letters and digits as such."""

    def __init__(self) -> None:
        self.known: set[str] = set(SYLLABLES)
        self._prefixed: dict[str, tuple[str, ...]] = {}

    def add_text(self, text: str) -> None:
        for ch in text:
            self.known.update(char_readings(ch))

    def prefixed(self, prefix: str) -> tuple[str, ...]:
        """Readings that begin with ``prefix``."""
        got = self._prefixed.get(prefix)
        if got is None:
            got = tuple(r for r in self.known if r.startswith(prefix))
            self._prefixed[prefix] = got
        return got


def _unit_pattern(unit: Unit) -> str:
    """One position of a spelled key (between bars) holding a reading the unit accepts."""
    kind, text = unit
    if kind == "h":
        reading = "(?:" + "|".join(re.escape(r) for r in char_readings(text)) + ")"
    elif kind == "p":
        reading = re.escape(text) + "[^,|]*"
    else:
        reading = re.escape(text)
    return "(?:[^|]*,)?" + reading + "(?:,[^|]*)?"


def _regex(alt: Sequence[Unit]) -> re.Pattern[str]:
    return _compile("\\|" + "\\|".join(_unit_pattern(u) for u in alt) + "\\|")


_compiled: dict[str, re.Pattern[str]] = {}
_EMPTY: frozenset[int] = frozenset()


def _compile(pattern: str) -> re.Pattern[str]:
    got = _compiled.get(pattern)
    if got is None:
        if len(_compiled) > 2048:
            _compiled.clear()
        got = _compiled[pattern] = re.compile(pattern)
    return got


def _one_edit_prefix(a: str, s: str) -> bool:
    """True when ``a`` is at most one edit from a prefix of ``s``: a letter changed, added or left out,
    or two neighbours swapped (chaung for chuang)."""
    n = len(a)
    i = 0
    while i < n and i < len(s) and a[i] == s[i]:
        i += 1
    if i == n:
        return True
    return (
        a[i + 1 :] == s[i + 1 : n]
        or a[i + 1 :] == s[i : n - 1]
        or a[i:] == s[i + 1 : n + 1]
        or (a[i : i + 2] == s[i + 1 : i + 2] + s[i : i + 1] and a[i + 2 :] == s[i + 2 : n])
    )


# ---- the index ------------------------------------------------------------------------------------


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
        self.names = _Field(NAME)
        self.keywords = _Field(KEYWORD)
        self.other = _Field(OTHER)
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

    def _add_shared(self, field: _Field, kind: str, per_item: Iterable[Sequence[str]], n: int) -> None:
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
            return _Query(self, q, allowed, limit).run()
        members = range(len(self.items)) if allowed is None else sorted(allowed)
        retired = self.retired
        listed = sorted(members, key=retired.__contains__) if retired else list(members)  # retired last
        return [Hit(self.items[i], PARTIAL, "", "", INSIDE, 0.0) for i in listed[:limit]]


Tiers = dict[tuple[int, int, int], list[tuple["_Field | None", frozenset[int]]]]
CORRECT_BELOW = 10  # corrections are looked for when fewer items than this match as typed
PARTIAL_BELOW = 30  # partial matches fill the page when fewer items than this matched so far
PARTIAL_MAX = 20  # partial matches shown at most (after everything that matched completely)
CORRECT_MAX_UNITS = 6  # longer queries are not corrected: partial matching forgives a wrong character


class _Query:
    """One search: collects tiers (how, field, where) -> keys, takes them best tier first until ``limit``."""

    def __init__(self, index: SearchIndex, q: str, allowed: frozenset[int] | None, limit: int) -> None:
        self.ix, self.q, self.allowed, self.limit = index, q, allowed, limit
        self.out: list[Hit] = []
        self.seen: set[int] = set()
        self.known = 0  # items whose name matches completely, filter or not: a known term is no typo
        self.found = 0  # keys matched completely so far

    def run(self) -> list[Hit]:
        tiers: Tiers = defaultdict(list)
        self._codes(tiers)
        alts = _alternatives(self.q)
        for n, alt in enumerate(alts):
            # other readings of the letters (xian as xi'an) only when the first does not fill the page
            if n and self.found >= self.limit:
                break
            for field in self.ix.fields:
                self._complete(field, alt, tiers)
        self._take(tiers)
        # Under a filter, a query that names items elsewhere is no typo and no loose description: the
        # department simply has no such item, and near matches from it would only be noise.
        if len(self.out) < min(self.limit, CORRECT_BELOW) and alts and self.known < CORRECT_BELOW:
            fixed: Tiers = defaultdict(list)
            for field in (self.ix.names, self.ix.keywords):  # materials are long: too many near misses
                self._corrected(field, alts[0], fixed)
            self._take(fixed)
        if len(self.out) < min(self.limit, PARTIAL_BELOW) and alts and self.known < PARTIAL_BELOW:
            self._partial(alts[0])
        return self.out

    # ---- complete matches --------------------------------------------------------------------------

    def _codes(self, tiers: Tiers) -> None:
        q, codes = self.q, self.ix.codes
        exact = codes.get(q)
        if exact is not None:
            tiers[(CODE, CODE_FIELD, EXACT)].append((None, frozenset((exact,))))
        if not any(c.isdigit() for c in q):
            return  # a pinyin query must not bring up every LOCAL-… code
        # part of a code: below an exact name, like a key of the "other" field
        lst = self.ix._code_list
        found = []
        for code in islice(lst, bisect_right(lst, q), None):
            if not code.startswith(q):
                break
            found.append(codes[code])
        if found:
            tiers[(LITERAL, OTHER, PREFIX)].append((None, frozenset(found)))
        inside = [i for code, i in codes.items() if q in code and not code.startswith(q)]
        if inside:
            tiers[(LITERAL, OTHER, INSIDE)].append((None, frozenset(inside)))

    def _complete(self, f: _Field, alt: tuple[Unit, ...], tiers: Tiers) -> None:
        rt = self.ix.readings
        sets: list[frozenset[int] | Posting] = [f.unit_keys(u, False, rt) for u in alt]
        # two units in a row need two readings in a row beginning with their letters: a narrow set
        initials = [u[1][0] if u[0] != "h" else None for u in alt]
        pairs = f.initial_pairs
        for a, b in zip(initials, initials[1:], strict=False):
            if a and b:
                sets.append(pairs.get(a + b, _EMPTY))
        sets.sort(key=len)
        if not sets[0]:
            return
        smallest = sets[0] if isinstance(sets[0], frozenset) else frozenset(sets[0])
        cand = smallest.intersection(*sets[1:]) if len(sets) > 1 else smallest
        if f.rank == NAME and self.allowed is not None:
            if len(cand) >= PARTIAL_BELOW:
                self.known = max(self.known, len(cand))  # (unconfirmed yet: an upper bound is enough)
            cand = cand & self.allowed
        if not cand:
            return
        texts, spelled = f.texts, f.spelled
        n = len(alt)
        pattern = _regex(alt) if n > 1 else None
        if n == 2 and all(kind == "p" and len(t) == 1 for kind, t in alt):
            pass  # two initials: the pair postings above are already exact
        elif pattern is not None:
            search = pattern.search
            cand = frozenset(k for k in cand if search(spelled[k]))
            if not cand:
                return
        q = self.q
        # how: the query's own text, pinyin as typed, or characters that only sound alike
        literal: frozenset[int] = frozenset()
        by_char = f.by_char
        if all(c in by_char for c in q):
            maybe = cand.intersection(*(by_char[c] for c in q))
            literal = frozenset(k for k in maybe if q in texts[k]) if n > 1 else maybe
        rest = cand - literal if literal else cand
        hans = [t for kind, t in alt if kind == "h"]
        typed: frozenset[int]
        sounds: frozenset[int]
        if not hans:
            typed, sounds = rest, frozenset()
        elif n == 1:
            typed, sounds = frozenset(), frozenset()  # one character alone: its homophones are noise
        elif len(hans) == n:
            typed, sounds = frozenset(), rest
        else:
            typed = frozenset(k for k in rest if all(c in texts[k] for c in hans))
            sounds = rest - typed
        first = f.unit_keys(alt[0], True, rt)
        for how, keys in ((LITERAL, literal), (PINYIN, typed), (HOMOPHONE, sounds)):
            if not keys:
                continue
            starts = keys & first
            if pattern is not None and starts:
                if how == LITERAL:
                    starts = frozenset(k for k in starts if texts[k].startswith(q))
                else:
                    match = pattern.match
                    starts = frozenset(k for k in starts if match(spelled[k]))
            whole = frozenset(k for k in starts if len(texts[k]) == n)
            self.found += len(keys)
            for where, part in ((EXACT, whole), (PREFIX, starts - whole), (INSIDE, keys - starts)):
                if part:
                    tiers[(how, f.rank, where)].append((f, part))

    def _corrected(self, f: _Field, alt: tuple[Unit, ...], tiers: Tiers) -> None:
        """Keys whose pinyin is one letter away from the query's (pigeonhole: one of the query's halves
        is in the key exactly, then the rest is checked around it)."""
        letters = _letters(alt)
        if len(alt) > CORRECT_MAX_UNITS and any(kind == "h" for kind, _ in alt):
            return
        if len(letters) < FUZZY_MIN_LETTERS or not letters.isascii() or not letters.isalpha():
            return
        half = len(letters) // 2
        head, tail = letters[:half], letters[half:]
        found: set[int] = set()
        hay, keys_letters, starts = f.hay, f.letters, f.hay_starts
        allowed = self.allowed if f.rank == NAME else None
        last = len(starts) - 1
        for piece, is_head in ((head, True), (tail, False)):
            pos, scanned = hay.find(piece), 0
            while pos >= 0 and scanned < FUZZY_SCAN_CAP:
                scanned += 1
                k = f.key_of(pos)
                if k not in found and (allowed is None or k in allowed):
                    at = pos - starts[k]
                    key_letters = keys_letters[k]
                    if is_head:
                        ok = _one_edit_prefix(tail, key_letters[at + half :])
                    else:
                        ok = _one_edit_prefix(head[::-1], key_letters[:at][::-1])
                    if ok:
                        found.add(k)
                if k == last:
                    break
                pos = hay.find(piece, starts[k + 1])  # one look per key is enough
        keys = frozenset(found)
        if f.rank == NAME and self.allowed is not None:
            keys &= self.allowed
        if keys:
            tiers[(CORRECTED, f.rank, INSIDE)].append((f, keys))

    # ---- taking tiers in order ---------------------------------------------------------------------

    def _take(self, tiers: Tiers) -> None:
        """Best tier first; within a stage (complete matches, corrections) every active item comes
        before any retired one, which are only there when asked for."""
        retired = self.ix.retired
        if not retired or self.allowed is not None and not (self.allowed & retired):
            self._take_from(tiers, None)
            return
        self._take_from(tiers, retired, exclude=True)
        self._take_from(tiers, retired, exclude=False)

    def _take_from(self, tiers: Tiers, retired: frozenset[int] | None, exclude: bool = True) -> None:
        rank = self.ix.rank
        for tier in sorted(tiers, reverse=True):
            need = self.limit - len(self.out)
            if need <= 0:
                return
            parts = tiers[tier]
            members: set[int] = set()
            for f, keys in parts:
                if f is None or f.rank == NAME:
                    members |= keys
                else:
                    members.update(*(f.items[k] for k in keys))
            members -= self.seen
            if self.allowed is not None:
                members &= self.allowed
            if retired is not None:
                if exclude:
                    members -= retired
                else:
                    members &= retired
            if not members:
                continue
            if len(members) > 8 * need:  # most items are in: walk the ranking instead of sorting them
                chosen = list(islice((i for i in self.ix.by_rank if i in members), need))
            elif len(members) > need:
                chosen = heapq.nsmallest(need, members, key=rank.__getitem__)
            else:
                chosen = sorted(members, key=rank.__getitem__)
            how, _field, where = tier
            for i in chosen:
                kind, key = self._which(i, parts)
                self.out.append(Hit(self.ix.items[i], how, kind, key, where))
                self.seen.add(i)

    def _which(self, i: int, parts: list[tuple[_Field | None, frozenset[int]]]) -> tuple[str, str]:
        for f, keys in parts:
            if f is None:
                if i in keys:
                    return "code", self.ix.items[i].code
            elif f.rank == NAME:
                if i in keys:
                    return "name", f.shown[i]
            else:
                for k in keys:
                    if _has(f.items[k], i):
                        return f.kinds[k], f.shown[k]
        return "name", self.ix.items[i].name

    # ---- partial matches ---------------------------------------------------------------------------

    def _partial(self, alt: tuple[Unit, ...]) -> None:
        """Items sharing enough of the query's syllables and pairs of syllables, the rarer ones weighing
        more (a character in every name tells little), the name or a keyword more than the department.
        Candidates are the items sharing the most (counted in C); only those are scored exactly."""
        units: list[tuple[str, ...]] = []
        for kind, text in alt:
            if kind == "h":
                units.append(char_readings(text)[:1])
            elif kind == "l" or (text in SYLLABLES and len(text) > 1):
                units.append((text,))
            else:
                units.append(())  # a bare initial tells too little to count
        grams: list[tuple[str, ...]] = [u for u in units if u]
        grams += [
            tuple(f"{x} {y}" for x in a for y in b) for a, b in zip(units, units[1:], strict=False) if a and b
        ]
        if len(grams) < 2:
            return
        ix = self.ix
        allowed = self.allowed
        postings: list[tuple[frozenset[int], frozenset[int], frozenset[int]]] = []
        weights: list[int] = []
        counter: Counter[int] = Counter()
        known = 0  # the weight of the grams some item has: words no item has ("怎么") tell nothing
        for gram in grams:
            sets, anywhere, weight = ix.gram_postings(gram)
            weights.append(weight)
            if anywhere:
                known += 3 * weight
            if allowed is not None:
                sets = (sets[0] & allowed, sets[1] & allowed, sets[2] & allowed)
                anywhere = anywhere & allowed
            postings.append(sets)
            counter.update(anywhere)
        if not counter:
            return
        total = 3 * sum(weights)
        pair_flags = [" " in gram[0] for gram in grams]
        has_pairs = any(pair_flags)
        floor = MIN_PARTIAL * known
        need = min(self.limit - len(self.out), PARTIAL_MAX)
        scored = []
        for i, shared in counter.most_common(2 * need + len(self.seen)):
            if shared < 2:
                break  # one character in common is not a match
            if i in self.seen:
                continue
            score = named = 0
            paired = not has_pairs
            for (in_name, in_kw, in_dept), w, is_pair in zip(postings, weights, pair_flags, strict=True):
                if i in in_name:
                    score += 3 * w
                    named += w
                elif i in in_kw:
                    score += 3 * w  # a keyword is the item's short name: as good as the name here
                elif i in in_dept:
                    score += 2 * w
                else:
                    continue
                paired = paired or is_pair
            if score >= floor and paired:  # two characters in a row in common, at least
                scored.append((i in ix.retired, -score, -named, ix.rank[i], i))
        qchars = set(self.q)
        for _retired, neg_score, _named, _rank, i in heapq.nsmallest(need, scored):
            kind, key = self._partial_key(i, qchars)
            self.out.append(Hit(ix.items[i], PARTIAL, kind, key, INSIDE, min(1.0, -neg_score / total)))
            self.seen.add(i)

    def _partial_key(self, i: int, qchars: set[str]) -> tuple[str, str]:
        """The key that shares the most with the query: the name, else a keyword, else the department."""
        it = self.ix.items[i]
        best = ("name", it.name, len(qchars & set(self.ix.names.texts[i])))
        kw = self.ix.keywords
        for k in self.ix.item_keywords[i]:
            shared = len(qchars & set(kw.texts[k]))
            if shared > best[2]:
                best = ("keyword", kw.shown[k], shared)
        if len(qchars & set(it.department_name)) > best[2]:
            best = ("department", it.department_name, 0)
        return best[0], best[1]
