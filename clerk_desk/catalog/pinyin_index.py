"""Searchable keys for a text: the Chinese itself, every full-pinyin reading and the initials.

Computed once when a catalog is imported (never at start-up) and stored in the search table.
Polyphonic characters (曾 zeng/ceng, 单 dan/shan/chan) contribute every reading: when the number of
combinations is small (<= FULL_PRODUCT_CAP) all of them are keys; otherwise the phrase-aware reading
plus one variant per alternative reading of each character (so every reading of every character is
matchable, and the key count stays linear in the text length).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from functools import lru_cache

from clerk_desk.catalog.format import normalize_text

FULL_PRODUCT_CAP = 16
MAX_VARIANTS = 48

# kind -> weight (higher ranks first within the same match tier)
WEIGHTS = {  # distinct weights: one weight class per kind in the search index
    "code": 100,
    "name": 99,
    "keyword": 95,
    "name_pinyin": 80,
    "name_initials": 75,
    "keyword_pinyin": 70,
    "keyword_initials": 65,
}


@dataclass(frozen=True)
class SearchKey:
    key: str
    kind: str
    weight: int


def _is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


@lru_cache(maxsize=20000)
def _char_readings(ch: str) -> tuple[str, ...]:
    if not _is_han(ch):
        return (ch,)
    from pypinyin import Style, pinyin  # imported on first use: its dictionaries cost ~0.7 s to load

    got = pinyin(ch, style=Style.NORMAL, heteronym=True, errors="ignore")
    readings = tuple(r for r in (got[0] if got else []) if r.isascii() and r.isalpha())
    return readings or (ch,)


def _positions(text: str) -> list[list[str]]:
    """Per character: its readings, the phrase-aware one first (non-Han characters stand for themselves)."""
    from pypinyin import Style, lazy_pinyin

    base = lazy_pinyin(text, style=Style.NORMAL, errors=lambda s: list(s))
    if len(base) != len(text):  # defensive: fall back to per-character readings
        base = [_char_readings(ch)[0] for ch in text]
    out = []
    for ch, first in zip(text, base, strict=True):
        readings = [first] + [r for r in _char_readings(ch) if r != first]
        out.append(readings)
    return out


def reading_variants(text: str) -> list[list[str]]:
    """The reading sequences of a normalised text (see module doc for the cap)."""
    pos = _positions(text)
    if not pos:
        return []
    if math.prod(len(p) for p in pos) <= FULL_PRODUCT_CAP:
        return [list(c) for c in itertools.product(*pos)]
    base = [p[0] for p in pos]
    variants = [base]
    for i, readings in enumerate(pos):
        for alt in readings[1:]:
            variants.append(base[:i] + [alt] + base[i + 1 :])
            if len(variants) >= MAX_VARIANTS:
                return variants
    return variants


def pinyin_keys(text: str) -> tuple[list[str], list[str]]:
    """(full-pinyin keys, initials keys) of a text, deduplicated, phrase-aware reading first."""
    norm = normalize_text(text)
    full: dict[str, None] = {}
    initials: dict[str, None] = {}
    for seq in reading_variants(norm):
        full.setdefault("".join(seq), None)
        initials.setdefault("".join(r[0] for r in seq), None)
    return list(full), list(initials)


def text_keys(text: str, prefix: str) -> list[SearchKey]:
    """Keys of a name (prefix "name") or a keyword (prefix "keyword")."""
    norm = normalize_text(text)
    if not norm:
        return []
    keys = [SearchKey(norm, prefix, WEIGHTS[prefix])]
    if any(_is_han(ch) for ch in norm):
        full, initials = pinyin_keys(norm)
        keys += [SearchKey(k, f"{prefix}_pinyin", WEIGHTS[f"{prefix}_pinyin"]) for k in full]
        keys += [SearchKey(k, f"{prefix}_initials", WEIGHTS[f"{prefix}_initials"]) for k in initials]
    return keys


def item_keys(code: str, name: str, keywords: tuple[str, ...] | list[str] = ()) -> list[SearchKey]:
    """Every search key of a catalog item; one row per distinct key text (the highest weight wins)."""
    keys = [SearchKey(normalize_text(code), "code", WEIGHTS["code"])]
    keys += text_keys(name, "name")
    for kw in keywords:
        keys += text_keys(kw, "keyword")
    best: dict[str, SearchKey] = {}
    for k in keys:
        if k.key and (k.key not in best or k.weight > best[k.key].weight):
            best[k.key] = k
    return list(best.values())


def normalize_query(text: str) -> str:
    return normalize_text(text)
