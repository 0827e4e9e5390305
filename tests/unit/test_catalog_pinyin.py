"""Pinyin keys: every reading of polyphonic characters, initials, normalisation, bounded key counts."""

from __future__ import annotations

import subprocess
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from clerk_desk.catalog.pinyin_index import (
    FULL_PRODUCT_CAP,
    MAX_VARIANTS,
    item_keys,
    pinyin_keys,
    segmentations,
    text_keys,
)


def test_polyphones_match_both_ways() -> None:
    full, initials = pinyin_keys("曾")
    assert {"zeng", "ceng"} <= set(full)
    full, initials = pinyin_keys("单")
    assert {"dan", "shan", "chan"} <= set(full)
    assert {"d", "s", "c"} <= set(initials)


def test_combined_readings_of_a_name() -> None:
    full, initials = pinyin_keys("曾单")
    assert "zengshan" in full and "cengdan" in full
    assert "zs" in initials and "cd" in initials


def test_every_reading_of_a_phrase_is_a_key() -> None:
    full, _ = pinyin_keys("重庆")
    assert full[0] == "zhongqing" and "chongqing" in full  # commonest reading first, the others kept


def test_readings_without_the_phrase_dictionary() -> None:
    # search reads pypinyin's single-character data only: its phrase dictionary (about 200,000 lists
    # the garbage collector would walk) is never loaded by the desk
    code = (
        "import sys\n"
        "from clerk_desk.catalog.pinyin_index import char_readings, fold_query\n"
        "assert char_readings('绿') == ('lv', 'lu') and char_readings('曾') == ('ceng', 'zeng')\n"
        "assert char_readings('单') == ('dan', 'chan', 'shan') and char_readings('略') == ('lve',)\n"
        "assert fold_query('Gāo Líng，lǜ') == 'gaolinglv'\n"
        "print('pypinyin' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_latin_letters_split_into_syllables() -> None:
    assert segmentations("cxjm") == [("c", "x", "j", "m")]
    assert segmentations("canjirz")[0] == ("can", "ji", "r", "z")
    assert segmentations("gaolinjintie")[0] == ("gao", "lin", "jin", "tie")
    assert segmentations("xian")[0] == ("xian",) and ("xi", "an") in segmentations("xian")
    assert segmentations("ui") == []


def test_long_polyphonic_text_keeps_every_reading_with_bounded_keys() -> None:
    text = "曾单重长行曾单重长行曾单重长行"
    full, initials = pinyin_keys(text)
    assert len(full) <= MAX_VARIANTS
    joined = "|".join(full)
    for reading in (
        "zeng",
        "ceng",
        "shan",
        "chan",
        "dan",
        "chong",
        "zhong",
        "chang",
        "zhang",
        "hang",
        "xing",
    ):
        assert reading in joined


def test_non_han_characters_stand_for_themselves() -> None:
    full, initials = pinyin_keys("残疾人证（A2型）")
    assert full[0] == "canjirenzhenga2xing"
    assert initials[0] == "cjrza2x"


def test_item_keys_kinds_and_weights() -> None:
    keys = {k.key: k for k in item_keys("000524021000", "社会保障卡制作发放及管理", ["社保卡"])}
    assert keys["000524021000"].kind == "code"
    assert keys["社会保障卡制作发放及管理"].kind == "name"
    assert keys["社保卡"].kind == "keyword"
    assert keys["shbzkzzffjgl"].kind == "name_initials"
    assert keys["sbk"].kind == "keyword_initials"
    assert keys["shehuibaozhangkazhizuofafangjiguanli"].kind == "name_pinyin"


def test_full_width_and_spaces_are_folded() -> None:
    keys = [k.key for k in text_keys("ＡＢＣ 临时 救助", "name")]
    assert keys[0] == "abc临时救助"


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="曾单重长行临时救助残疾人证abc12（）、 ", min_size=1, max_size=30))
def test_key_count_is_bounded(text: str) -> None:
    full, initials = pinyin_keys(text)
    assert len(full) <= max(MAX_VARIANTS, FULL_PRODUCT_CAP)
    assert len(initials) <= len(full)
