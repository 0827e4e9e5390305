"""The keys of one search field and their postings, and the readings that occur in the catalog
(catalog/search_engine.py explains how a search uses them)."""

from __future__ import annotations

import threading
from array import array
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable

from clerk_desk.catalog.pinyin_index import SYLLABLES, char_readings
from clerk_desk.catalog.search_terms import (
    CACHE_ENTRIES,
    NAME,
    Unit,
)

Posting = array  # key ids (or item ids), ascending: 4 bytes each and nothing for the garbage collector


def _put(postings: dict[str, list[int]], gram: str, key: int) -> None:
    got = postings.get(gram)
    if got is None:
        postings[gram] = [key]
    elif got[-1] != key:
        got.append(key)


def _packed(postings: dict[str, list[int]]) -> dict[str, Posting]:
    return {gram: array("I", keys) for gram, keys in postings.items()}


def posting_has(posting: Posting, i: int) -> bool:
    at = bisect_left(posting, i)
    return at < len(posting) and posting[at] == i


class KeyField:
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
