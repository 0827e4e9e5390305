"""One search over a SearchIndex: the query read as units, the tiers of complete matches, corrections and
partial matches, taken best first (catalog/search_engine.py explains the ranking)."""

from __future__ import annotations

import heapq
import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Sequence
from itertools import islice, product
from typing import TYPE_CHECKING

from clerk_desk.catalog.pinyin_index import SYLLABLES, char_readings, is_han, segmentations
from clerk_desk.catalog.search_keys import KeyField, Posting, posting_has
from clerk_desk.catalog.search_terms import (
    CODE,
    CODE_FIELD,
    CORRECTED,
    EXACT,
    FUZZY_MIN_LETTERS,
    FUZZY_SCAN_CAP,
    HOMOPHONE,
    INSIDE,
    LITERAL,
    MAX_ALTERNATIVES,
    MIN_PARTIAL,
    NAME,
    OTHER,
    PARTIAL,
    PINYIN,
    PREFIX,
    Hit,
    Unit,
)

if TYPE_CHECKING:
    from clerk_desk.catalog.search_engine import SearchIndex

_RUNS = re.compile(r"[a-z]+|[0-9]+|.", re.DOTALL)


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


Tiers = dict[tuple[int, int, int], list[tuple["KeyField | None", frozenset[int]]]]
CORRECT_BELOW = 10  # corrections are looked for when fewer items than this match as typed
PARTIAL_BELOW = 30  # partial matches fill the page when fewer items than this matched so far
PARTIAL_MAX = 20  # partial matches shown at most (after everything that matched completely)
CORRECT_MAX_UNITS = 6  # longer queries are not corrected: partial matching forgives a wrong character


class Query:
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

    def _complete(self, f: KeyField, alt: tuple[Unit, ...], tiers: Tiers) -> None:
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

    def _corrected(self, f: KeyField, alt: tuple[Unit, ...], tiers: Tiers) -> None:
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

    def _which(self, i: int, parts: list[tuple[KeyField | None, frozenset[int]]]) -> tuple[str, str]:
        for f, keys in parts:
            if f is None:
                if i in keys:
                    return "code", self.ix.items[i].code
            elif f.rank == NAME:
                if i in keys:
                    return "name", f.shown[i]
            else:
                for k in keys:
                    if posting_has(f.items[k], i):
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
