"""The words of catalog search: which field a key is in, how and where a query matched it, the
indexed item and the hit (docs/catalog-format.md §4; the ranking is described in catalog/search_engine.py)."""

from __future__ import annotations

from dataclasses import dataclass

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


# A unit matches one character of a key: ("h", 汉) by the character or any of its readings,
# ("p", "zh") a character with a reading that begins so, ("l", "2") that very character.
Unit = tuple[str, str]
