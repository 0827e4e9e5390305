"""Pinyin for search: the readings of a character, the syllables of what a clerk types, folded queries.

Catalog search (catalog/search.py) matches characters by every reading pypinyin knows (曾 zeng and
ceng, 单 dan, shan and chan), so a homophone typo still finds the item. Latin input is split into
pinyin syllables, each of which may be typed in full or only begun (``cxjm``, ``chengxjm``); see
``segmentations``.

Theme bundles still keep whole-text keys (``item_keys``: the Chinese itself, every full-pinyin reading
and the initials), made at import: when the number of reading combinations is small (<=
FULL_PRODUCT_CAP) all of them are keys, otherwise the commonest readings plus one variant per
alternative reading of each character, so the key count stays linear in the text length.

Readings come from pypinyin's dictionary of single characters (see ``_single_characters``).
"""

from __future__ import annotations

import importlib.util
import itertools
import json
import math
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

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


def is_han(ch: str) -> bool:
    return _is_han(ch)


@lru_cache(maxsize=1)
def _single_characters() -> dict[str, str]:
    """pypinyin's dictionary of single characters (code point -> readings with tone marks, commonest
    first), read from its data file. Importing the pypinyin package would also load its dictionary of
    phrases: some 200,000 lists that the garbage collector then walks at every full collection (40 ms
    and more, a frozen keystroke); search needs no phrases, since it matches every reading."""
    spec = importlib.util.find_spec("pypinyin")
    for folder in (spec.submodule_search_locations or ()) if spec else ():
        path = Path(folder) / "pinyin_dict.json"
        if path.is_file():
            data: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
            return data
    from pypinyin.pinyin_dict import pinyin_dict  # a pypinyin without the data file: the module has it

    return {str(k): v for k, v in pinyin_dict.items()}


_TONELESS = str.maketrans({c: "v" for c in "üǖǘǚǜ"})


def _toneless(reading: str) -> str:
    plain = unicodedata.normalize("NFD", reading.translate(_TONELESS))
    return "".join(c for c in plain if c.isascii() and c.isalpha())


@lru_cache(maxsize=20000)
def _char_readings(ch: str) -> tuple[str, ...]:
    if not _is_han(ch):
        return (ch,)
    raw = _single_characters().get(str(ord(ch)), "")
    readings = tuple(dict.fromkeys(r for r in (_toneless(x) for x in raw.split(",")) if r))
    return readings or (ch,)


def char_readings(ch: str) -> tuple[str, ...]:
    """Every toneless reading of a character, the commonest first (ü is written v: 绿 lv, 略 lve); a
    character that is not Chinese reads as itself."""
    return _char_readings(ch)


# The toneless syllables of Mandarin (ü written v), plus the interjection syllables pypinyin uses.
_SYLLABLE_TABLE = """a ai an ang ao ba bai ban bang bao bei ben beng bi bian biao bie bin bing bo bu ca cai can cang cao ce
    cen ceng ci cong cou cu cuan cui cun cuo cha chai chan chang chao che chen cheng chi chong chou chu chua
    chuai chuan chuang chui chun chuo da dai dan dang dao de dei den deng di dia dian diao die ding diu dong
    dou du duan dui dun duo e ei en eng er fa fan fang fei fen feng fo fou fu ga gai gan gang gao ge gei gen
    geng gong gou gu gua guai guan guang gui gun guo ha hai han hang hao he hei hen heng hong hou hu hua huai
    huan huang hui hun huo ji jia jian jiang jiao jie jin jing jiong jiu ju juan jue jun ka kai kan kang kao
    ke kei ken keng kong kou ku kua kuai kuan kuang kui kun kuo la lai lan lang lao le lei leng li lia lian
    liang liao lie lin ling liu lo long lou lu luan lun luo lv lve ma mai man mang mao me mei men meng mi mian
    miao mie min ming miu mo mou mu na nai nan nang nao ne nei nen neng ni nian niang niao nie nin ning niu
    nong nou nu nuan nun nuo nv nve o ou pa pai pan pang pao pei pen peng pi pian piao pie pin ping po pou pu
    qi qia qian qiang qiao qie qin qing qiong qiu qu quan que qun ran rang rao re ren reng ri rong rou ru rua
    ruan rui run ruo sa sai san sang sao se sen seng si song sou su suan sui sun suo sha shai shan shang shao
    she shei shen sheng shi shou shu shua shuai shuan shuang shui shun shuo ta tai tan tang tao te tei teng ti
    tian tiao tie ting tong tou tu tuan tui tun tuo wa wai wan wang wei wen weng wo wu xi xia xian xiang xiao
    xie xin xing xiong xiu xu xuan xue xun ya yan yang yao ye yi yin ying yo yong you yu yuan yue yun za zai
    zan zang zao ze zei zen zeng zi zong zou zu zuan zui zun zuo zha zhai zhan zhang zhao zhe zhei zhen zheng
    zhi zhong zhou zhu zhua zhuai zhuan zhuang zhui zhun zhuo m n ng hm hng"""
SYLLABLES: frozenset[str] = frozenset(_SYLLABLE_TABLE.split())
_PREFIXES: frozenset[str] = frozenset(s[:i] for s in SYLLABLES for i in range(1, len(s) + 1))
# What people type for ü after l and n (lue for 略) is read as the v spelling pypinyin uses.
_TYPED_ALIASES = {"lue": "lve", "nue": "nve"}


def is_syllable_prefix(text: str) -> bool:
    return text in _PREFIXES


def fold_query(text: str) -> str:
    """What a clerk typed, folded for matching: full-width to half-width, lower case, tone marks dropped
    (gāolíng is gaoling, lǜ is lv), no spaces or punctuation."""
    text = text.translate(_U_UMLAUT)
    stripped = "".join(ch for ch in unicodedata.normalize("NFD", text) if unicodedata.category(ch) != "Mn")
    return normalize_text(unicodedata.normalize("NFC", stripped))


_U_UMLAUT = str.maketrans({c: "v" for c in "üǖǘǚǜÜǕǗǙǛ"})


def segmentations(run: str, limit: int = 3) -> list[tuple[str, ...]]:
    """Ways to read a run of latin letters as consecutive pinyin syllables, each typed in full or only
    begun: ``cxjm`` is c|x|j|m, ``canjirz`` can|ji|r|z, ``gaolin`` gao|lin (lin also begins ling).
    Fewest pieces first (``xian`` before ``xi|an``); at most ``limit`` ways; [] when the letters cannot
    be pinyin (``ui``)."""
    out: list[tuple[str, ...]] = []
    tried = 0

    def walk(start: int, acc: list[str]) -> None:
        nonlocal tried
        tried += 1
        if len(out) >= 4 * limit or tried > 400:
            return
        if start == len(run):
            out.append(tuple(_TYPED_ALIASES.get(p, p) for p in acc))
            return
        for end in range(min(len(run), start + 6), start, -1):
            piece = run[start:end]
            if piece in _PREFIXES or piece in _TYPED_ALIASES:
                acc.append(piece)
                walk(end, acc)
                acc.pop()

    walk(0, [])
    return sorted(out, key=len)[:limit]


def _positions(text: str) -> list[list[str]]:
    """Per character: its readings, the commonest first (non-Han characters stand for themselves)."""
    return [list(_char_readings(ch)) for ch in text]


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
    """(full-pinyin keys, initials keys) of a text, deduplicated, commonest readings first."""
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
