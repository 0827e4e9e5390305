from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from clerk_desk.domain.division_codes import PROVINCES
from clerk_desk.domain.identifiers import (
    USCC_CHARSET,
    Gender,
    InvalidIdentifier,
    compute_org_code_check_char,
    compute_resident_id_check_char,
    compute_uscc_check_char,
    is_valid_resident_id,
    is_valid_uscc,
    mask_resident_id,
    resident_id_birth_date,
    resident_id_gender,
    validate_mobile,
    validate_resident_id,
    validate_uscc,
)

TODAY = date(2026, 11, 26)
VALID_IDS = ["11010519491231002X", "34052419800101001X", "370101190102039973", "513101198201130014"]
VALID_USCC = ["91350100M000100Y43", "11341602003165839W", "13370303MB2317407H", "1153302501526464XP"]


def _code(exc: pytest.ExceptionInfo[InvalidIdentifier]) -> str:
    return exc.value.code


# --- resident ID -----------------------------------------------------------------------------------


@pytest.mark.parametrize("number", VALID_IDS)
def test_worked_examples_validate(number: str) -> None:
    rid = validate_resident_id(number, TODAY)
    assert rid.value == number
    assert compute_resident_id_check_char(number[:17]) == number[17]


def test_fields_of_the_standard_example() -> None:
    rid = validate_resident_id("11010519491231002X", TODAY)
    assert rid.address_code == "110105"
    assert rid.birth_date == date(1949, 12, 31)
    assert rid.sequence == "002"
    assert rid.gender is Gender.FEMALE
    assert rid.masked == "110105********002X"
    assert resident_id_gender("34052419800101001X", TODAY) is Gender.MALE
    assert resident_id_birth_date("370101190102039973", TODAY) == date(1901, 2, 3)


def test_lowercase_x_spaces_and_fullwidth_are_accepted() -> None:
    assert validate_resident_id(" 110105 19491231 002x ", TODAY).value == "11010519491231002X"
    assert validate_resident_id("１１０１０５１９４９１２３１００２Ｘ", TODAY).value == "11010519491231002X"


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("11010519491231002", "length"),
        ("11010519491231002X1", "length"),
        ("110105491231002", "length"),
        ("1101051949123100AX", "charset"),
        ("11010519491231002Y", "charset"),
        ("01010519491231002X", "address_code"),
        ("999999194912310025", "address_code"),  # no province 99 (seen accepted at the counter)
        ("20010519491231002X", "address_code"),
        ("110105194902300021", "birth_date"),  # 30 February
        ("110105194913010021", "birth_date"),  # month 13
        ("110105194912310021", "checksum"),
        ("11010519491231003X", "checksum"),
    ],
)
def test_rejections_have_stable_codes(number: str, code: str) -> None:
    with pytest.raises(InvalidIdentifier) as exc:
        validate_resident_id(number, TODAY)
    assert _code(exc) == code
    assert exc.value.kind == "resident_id"
    assert exc.value.message_zh  # a sentence the clerk can read
    assert isinstance(exc.value, ValueError)


def test_checksum_message_is_for_a_clerk() -> None:
    with pytest.raises(InvalidIdentifier) as exc:
        validate_resident_id("110105194912310021", TODAY)
    assert exc.value.message_zh == "身份证号码校验位不正确，请核对最后一位"


def test_fifteen_digit_numbers_get_a_hint() -> None:
    with pytest.raises(InvalidIdentifier) as exc:
        validate_resident_id("110105491231002", TODAY)
    assert "15位" in exc.value.message_zh


def _with_check(first17: str) -> str:
    return first17 + compute_resident_id_check_char(first17)


def test_birth_date_in_the_future_is_rejected_and_today_is_a_parameter() -> None:
    number = _with_check("421224" + "20261127" + "001")
    with pytest.raises(InvalidIdentifier) as exc:
        validate_resident_id(number, TODAY)
    assert _code(exc) == "birth_date"
    assert validate_resident_id(number, TODAY + timedelta(days=1)).birth_date == date(2026, 11, 27)
    born_today = _with_check("421224" + "20261126" + "002")
    assert validate_resident_id(born_today, TODAY).gender is Gender.FEMALE


def test_default_today_is_the_current_date() -> None:
    tomorrow = date.today() + timedelta(days=1)
    assert not is_valid_resident_id(_with_check(f"421224{tomorrow:%Y%m%d}001"))
    assert is_valid_resident_id(_with_check(f"421224{date.today():%Y%m%d}001"))


resident_ids = st.builds(
    lambda addr, born, seq: _with_check(f"{addr}{born:%Y%m%d}{seq:03d}"),
    st.builds(lambda province, rest: f"{province}{rest:04d}", st.sampled_from(sorted(PROVINCES)), st.integers(0, 9999)),
    st.dates(date(1900, 1, 1), TODAY),
    st.integers(0, 999),
)


@given(resident_ids)
def test_generated_ids_validate(number: str) -> None:
    rid = validate_resident_id(number, TODAY)
    assert rid.value == number
    assert rid.gender is (Gender.MALE if int(number[16]) % 2 else Gender.FEMALE)
    assert validate_resident_id(number.lower(), TODAY) == rid


@given(resident_ids, st.integers(0, 17), st.integers(1, 10))
def test_changing_one_character_is_rejected(number: str, pos: int, delta: int) -> None:
    alphabet = "0123456789X" if pos == 17 else "0123456789"
    new_char = alphabet[(alphabet.index(number[pos]) + delta) % len(alphabet)]
    assume(new_char != number[pos])
    mutated = number[:pos] + new_char + number[pos + 1 :]
    # MOD 11-2 detects every single-character substitution, so either a structural check or the
    # checksum must fire.
    assert not is_valid_resident_id(mutated, TODAY)


@given(resident_ids, st.integers(0, 16))
def test_swapping_adjacent_digits_is_rejected(number: str, pos: int) -> None:
    assume(number[pos] != number[pos + 1])
    swapped = number[:pos] + number[pos + 1] + number[pos] + number[pos + 2 :]
    assert not is_valid_resident_id(swapped, TODAY)


def test_mask() -> None:
    assert mask_resident_id("11010519491231002X") == "110105********002X"
    assert mask_resident_id("11010519491231002x") == "110105********002X"
    assert mask_resident_id("110105491231002") == "110105*****1002"  # legacy 15-digit stays masked
    assert mask_resident_id("1234567890") == "**********"
    assert mask_resident_id("") == ""


def test_compute_check_char_rejects_bad_input() -> None:
    with pytest.raises(ValueError):
        compute_resident_id_check_char("1234")
    with pytest.raises(ValueError):
        compute_resident_id_check_char("1101051949123100A")


# --- unified social credit code --------------------------------------------------------------------


@pytest.mark.parametrize("code", VALID_USCC)
def test_uscc_examples_validate(code: str) -> None:
    result = validate_uscc(code)
    assert result.value == code
    assert compute_uscc_check_char(code[:17]) == code[17]
    assert compute_org_code_check_char(code[8:16]) == code[16]


def test_uscc_fields_and_normalisation() -> None:
    result = validate_uscc(" 91350100m000100y43 ")
    assert result.value == "91350100M000100Y43"
    assert result.registration_authority == "9"
    assert result.entity_category == "1"
    assert result.admin_division == "350100"
    assert result.organization_code == "M000100Y4"


def test_uscc_worked_example_from_the_standard() -> None:
    assert compute_uscc_check_char("91350100M000100Y4") == "3"


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("", "empty"),
        ("91350100M000100Y4", "length"),
        ("91350100M000100Y43A", "length"),
        ("91350100M000100I43", "charset"),  # I is not in the GB 32100 charset
        ("91350100O000100Y43", "charset"),
        ("91350100M000100Y44", "checksum"),
    ],
)
def test_uscc_rejections(code: str, expected: str) -> None:
    with pytest.raises(InvalidIdentifier) as exc:
        validate_uscc(code)
    assert _code(exc) == expected
    assert exc.value.kind == "uscc"
    assert exc.value.message_zh


def test_uscc_with_a_bad_embedded_org_code_is_rejected() -> None:
    body = "91350100M000100Y"
    wrong = "5" if compute_org_code_check_char(body[8:16]) != "5" else "6"
    first17 = body + wrong
    code = first17 + compute_uscc_check_char(first17)  # the outer check digit is right
    with pytest.raises(InvalidIdentifier) as exc:
        validate_uscc(code)
    assert _code(exc) == "org_code_checksum"


def test_org_code_check_char_maps_10_and_11() -> None:
    # Search small bodies for the two special results instead of hard-coding them.
    seen = {compute_org_code_check_char(f"{i:08d}") for i in range(200)}
    assert {"X", "0"} <= seen
    assert seen <= set("0123456789X")


_BODY8 = st.text(alphabet=USCC_CHARSET, min_size=8, max_size=8)


def _build_uscc(head: str, org8: str) -> str:
    # The org-code check char is a digit or X, both inside the GB 32100 charset.
    first17 = head + org8 + compute_org_code_check_char(org8)
    return first17 + compute_uscc_check_char(first17)


_HEAD8 = st.builds(lambda two, province, rest: f"{two}{province}{rest:04d}",
                   st.text(alphabet=USCC_CHARSET, min_size=2, max_size=2), st.sampled_from(sorted(PROVINCES)),
                   st.integers(0, 9999))


@given(_HEAD8, _BODY8)
def test_generated_usccs_validate(head: str, org8: str) -> None:
    code = _build_uscc(head, org8)
    assert validate_uscc(code).value == code
    assert validate_uscc(code.lower()).value == code


def test_the_division_code_must_name_a_province() -> None:
    """GB/T 2260 at the province level (domain/division_codes.py): the address code of an ID, and the
    registration authority's division in a credit code (GB 32100, characters 3-8; 100000 is the State)."""
    assert len(PROVINCES) == 35 and "42" in PROVINCES and "99" not in PROVINCES
    for bad in ("00", "10", "20", "39", "47", "55", "66", "72", "84", "99"):
        number = _with_check(f"{bad}1224196001010012"[:17])
        with pytest.raises(InvalidIdentifier) as exc:
            validate_resident_id(number, TODAY)
        assert _code(exc) == "address_code" and f"前6位地址码 {number[:6]}" in exc.value.message_zh
    for good in ("421224", "110105", "810000", "830000", "650000"):
        assert is_valid_resident_id(_with_check(f"{good}19600101001"), TODAY)
    # 外国人永久居留身份证 (2023): 9, the issuing province, the nationality, then as a resident ID
    assert is_valid_resident_id(_with_check("94284019850101001"), TODAY)
    assert not is_valid_resident_id(_with_check("99984019850101001"), TODAY)

    assert validate_uscc(_build_uscc("11100000", "00001234")).admin_division == "100000"  # a national body
    for division in ("999999", "000000", "200000", "10000A"):
        code = _build_uscc(f"91{division}", "M0001002")
        with pytest.raises(InvalidIdentifier) as exc:
            validate_uscc(code)
        assert _code(exc) == "admin_division" and division in exc.value.message_zh


@given(_BODY8, _BODY8, st.integers(0, 17), st.integers(1, 30))
def test_uscc_single_substitution_is_rejected(head: str, org8: str, pos: int, delta: int) -> None:
    code = _build_uscc(head, org8)
    new_char = USCC_CHARSET[(USCC_CHARSET.index(code[pos]) + delta) % 31]
    mutated = code[:pos] + new_char + code[pos + 1 :]
    assert not is_valid_uscc(mutated)


# --- mobile numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "13812345678",
        "138 1234 5678",
        "138-1234-5678",
        "+86 138 1234 5678",
        "+8613812345678",
        "8613812345678",
        "0086-138-1234-5678",
        "(+86) 13812345678",
        "１３８１２３４５６７８",
    ],
)
def test_mobile_normalises(raw: str) -> None:
    m = validate_mobile(raw)
    assert m.value == "13812345678"
    assert m.e164 == "+8613812345678"
    assert m.grouped == "138 1234 5678"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "empty"),
        ("1381234567", "length"),
        ("138123456789", "length"),
        ("12812345678", "prefix"),
        ("23812345678", "prefix"),
        ("1381234567a", "charset"),
        ("+1 13812345678", "charset"),
        ("0713-1234567", "prefix"),  # a landline with area code is 11 digits but not a mobile
    ],
)
def test_mobile_rejections(raw: str, code: str) -> None:
    with pytest.raises(InvalidIdentifier) as exc:
        validate_mobile(raw)
    assert _code(exc) == code
    assert exc.value.kind == "mobile"


@given(st.integers(3, 9), st.integers(0, 999_999_999))
def test_every_mainland_mobile_prefix_is_accepted(second: int, rest: int) -> None:
    number = f"1{second}{rest:09d}"
    assert validate_mobile(f"+86-{number}").value == number


def test_errors_join_the_clerk_error_hierarchy() -> None:
    from clerk_desk.domain.errors import InputError

    with pytest.raises(InputError) as exc:
        validate_mobile("123")
    assert exc.value.code == "length"
    assert str(exc.value) == exc.value.message_zh == "手机号码应为11位，当前为3位"
