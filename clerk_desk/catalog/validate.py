"""Validation of a catalog file: the JSON Schema, then the rules a schema cannot say.

Pure (no Qt, no store), shared with the county hub. Every problem names the item and the field it is in,
in Chinese (the schema's own English reasons are never shown), and the list is in file order: file-level
problems, then item 1, 2, … 10, 11 (numbers compared as numbers), then the themes. Errors stop an import;
warnings are the gaps real catalogs have (no code, unknown kind or days, 容缺 not stated, a guide from
another province) and are imported as 待确认.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from clerk_desk import paths
from clerk_desk.catalog.format import (
    DELIVERY_ZH,
    FORM_ZH,
    HANDLING_KIND_ZH,
    HOME_PROVINCE,
    CatalogFileError,
    local_code,
    normalize_text,
    parse_bytes,
    province_of,
    read_file,
)

if TYPE_CHECKING:  # jsonschema costs ~0.1 s to import: loaded when a file is validated, not at start-up
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    severity: str  # error | warning
    item_ref: str | None  # "第3项 002014006009 城乡居民…" / "主题 T1" / None for the file as a whole
    field: str  # JSON path inside the item (or file), e.g. "materials[2].copies"
    message_zh: str
    order: tuple[Any, ...] = dataclasses.field(default=(), compare=False, repr=False)  # where in the file (sorting)

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def __str__(self) -> str:
        where = f"{self.item_ref} " if self.item_ref else ""
        label = "错误" if self.is_error else "警告"
        return f"[{label}] {where}{self.field}：{self.message_zh}"


def schema_path() -> Path:
    return paths.resources_dir() / "schema" / "catalog.schema.json"


@lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    from jsonschema import Draft202012Validator

    schema = json.loads(schema_path().read_text(encoding="utf-8"))
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


# ---- where a problem is -------------------------------------------------------------------------------

_SECTIONS = {"departments": 1, "lists": 2, "items": 3, "themes": 4}


def _order(parts: list[Any], severity: str) -> tuple[Any, ...]:
    """File order: the file itself, departments, lists, items, themes; within them by index (as numbers),
    errors before warnings, then the field path (numbers as numbers: materials[2] before materials[10])."""
    section = _SECTIONS.get(parts[0], 0) if parts else 0
    index = parts[1] if len(parts) > 1 and isinstance(parts[1], int) else -1
    rest = tuple((0, p, "") if isinstance(p, int) else (1, 0, str(p)) for p in parts[2:])
    return (section, index, 0 if severity == ERROR else 1, rest)


def _named(text: Any) -> str:
    """An item's or a theme's name in a problem's reference: a name too long for the catalog (10,000
    characters) would fill the screen in every problem of that item."""
    shown = _INVISIBLE.sub("", text if isinstance(text, str) else str(text))
    return shown if len(shown) <= 40 else shown[:39] + "…"


def _item_ref(raw: Any, index: int) -> str:
    try:
        item = raw["items"][index]
        code = _named(item.get("code") or "（无编码）")
        name = _named(item.get("name") or "")
        return f"第{index + 1}项 {code} {name}".rstrip()
    except (KeyError, IndexError, TypeError, AttributeError):
        return f"第{index + 1}项"


def _theme_ref(raw: Any, index: int) -> str:
    try:
        theme = raw["themes"][index]
        return f"主题 {_named(theme.get('code', ''))} {_named(theme.get('name', ''))}".rstrip()
    except (KeyError, IndexError, TypeError, AttributeError):
        return f"第{index + 1}个主题"


def _path_text(parts: list[Any]) -> str:
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "（文件）"


def _place(raw: Any, parts: list[Any]) -> tuple[str | None, str]:
    """(item or theme reference, field path inside it) of a JSON path."""
    if len(parts) >= 2 and parts[0] == "items" and isinstance(parts[1], int):
        return _item_ref(raw, parts[1]), _path_text(parts[2:]) if parts[2:] else "（本项）"
    if len(parts) >= 2 and parts[0] == "themes" and isinstance(parts[1], int):
        return _theme_ref(raw, parts[1]), _path_text(parts[2:]) if parts[2:] else "（本主题）"
    return None, _path_text(parts)


# ---- the schema's reasons, in Chinese ------------------------------------------------------------------

_TYPES_ZH = {
    "string": "文本",
    "integer": "整数",
    "number": "数字",
    "boolean": "true 或 false",
    "array": "列表 [ ]",
    "object": "对象 { }",
    "null": "null（未知）",
}

# What a field's text must look like, by the name of the field (and of the list it is in).
_PATTERNS_ZH = {
    "catalog_version": "目录版本应为用点隔开的数字，如 2026.1 或 2027.3.1",
    "departments.code": "部门编码应为小写字母开头的字母、数字或下划线，如 mz",
    "lists.code": "清单编码应为小写字母或数字开头的字母、数字或连字符，如 xz-bmfw",
    "items.code": "事项编码不能含空格，最长 64 个字符",
    "themes.code": "主题编码应为字母或数字开头的字母、数字、点、下划线或连字符",
    "situations.code": "情形编码应为小写字母开头的字母、数字或下划线，如 agent",
    "options.code": "选项编码应为小写字母或数字开头的字母、数字或下划线，如 yes",
    "when": "情形编码应为小写字母开头的字母、数字或下划线，如 agent",
}
_ANY_OF_ZH = {
    "copies": '份数应为 1 到 99 的整数（共几份），或写成 {"original": 原件份数, "copy": 复印件份数}（各几份）',
}
_FORMATS_ZH = {"date": "日期应写成 年-月-日，如 2026-11-26"}
_ENUMS_ZH = {**FORM_ZH, **HANDLING_KIND_ZH, "urgent": "紧急", "normal": "一般", **DELIVERY_ZH}


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:37] + "…"


def _pattern_key(parts: list[Any]) -> str:
    names = [p for p in parts if isinstance(p, str)]
    if not names:
        return ""
    if len(names) >= 2 and names[-1] == "code":
        return f"{names[-2]}.code"
    if len(names) >= 2 and names[-2] == "when":
        return "when"
    return names[-1]


def _schema_message(err: ValidationError) -> str:
    v, value, inst = err.validator, err.validator_value, err.instance
    parts = list(err.absolute_path)
    if v == "required":
        missing = [m for m in value if isinstance(inst, dict) and m not in inst]
        return f"缺少必填字段 {'、'.join(missing)}"
    if v == "type":
        wanted = [value] if isinstance(value, str) else list(value)
        return f"类型不对：应为{'或'.join(_TYPES_ZH.get(t, t) for t in wanted)}，实际是 {_shown(inst)}"
    if v in ("enum", "const"):
        allowed = value if v == "enum" else [value]
        shown = "、".join(
            "null（未知）" if a is None else f"{a}（{_ENUMS_ZH[a]}）" if a in _ENUMS_ZH else str(a)
            for a in allowed
        )
        return f"取值 {_shown(inst)} 无效，可选：{shown}"
    if v == "pattern":
        hint = _PATTERNS_ZH.get(_pattern_key(parts), "写法不符合要求")
        return f"{_shown(inst)}：{hint}"
    if v == "propertyNames":
        return f"{_shown(getattr(err, 'instance', ''))}：{_PATTERNS_ZH['when']}"
    if v == "additionalProperties":
        known = set((err.schema or {}).get("properties", {}))
        extra = [k for k in inst if k not in known] if isinstance(inst, dict) else []
        allowed = "、".join(sorted(known))
        return f"未知字段 {'、'.join(extra)}（本格式没有这个字段；可用的字段：{allowed}）"
    if v == "minimum":
        return f"数值 {inst} 太小，不能小于 {value}"
    if v == "maximum":
        return f"数值 {inst} 太大，不能大于 {value}"
    if v in ("minItems", "minLength", "minProperties"):
        return "不能为空" if value == 1 else f"至少需要 {value} 个"
    if v in ("maxItems", "maxProperties"):
        return f"最多 {value} 个"
    if v == "maxLength":
        return f"太长：最多 {value} 个字符"
    if v == "format":
        return f"{_shown(inst)}：{_FORMATS_ZH.get(value, '格式不对')}"
    if v in ("anyOf", "oneOf"):
        return f"{_shown(inst)}：{_ANY_OF_ZH.get(_pattern_key(parts), '不是本格式允许的任何一种写法')}"
    if v == "uniqueItems":
        return "列表中有重复的项"
    return f"{_shown(inst)}：不符合本格式的规定"


@lru_cache(maxsize=1)
def _fast_check() -> Callable[[Any], Any]:
    """The same schema compiled to Python by fastjsonschema: some 25 times faster than jsonschema, which
    took 5 s of a 5,000-item import. It only says yes or no (and stops at the first error), so a file it
    refuses goes through jsonschema for the full list in Chinese. Its draft-07 reading of this schema is
    the 2020-12 one (the schema uses nothing the drafts differ on); tests/unit/test_catalog_validate.py
    checks that both agree."""
    import fastjsonschema

    schema = dict(json.loads(schema_path().read_text(encoding="utf-8")))
    schema["$schema"] = "http://json-schema.org/draft-07/schema#"
    return cast(Callable[[Any], Any], fastjsonschema.compile(schema, formats={"date": _is_date}))


def _is_date(value: Any) -> bool:
    from datetime import date

    try:
        date.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", value))


def schema_accepts(raw: Any) -> bool:
    import fastjsonschema

    try:
        _fast_check()(raw)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def _schema_problems(raw: Any) -> list[Problem]:
    if schema_accepts(raw):
        return []
    out = []
    for err in _validator().iter_errors(raw):
        parts = list(err.absolute_path)
        if err.validator == "propertyNames":
            parts.append(err.instance)
        ref, fld = _place(raw, parts)
        out.append(Problem(ERROR, ref, fld, _schema_message(err), _order(parts, ERROR)))
    return out


# ---- rules the schema cannot say ------------------------------------------------------------------------


def _items(raw: Any) -> list[tuple[int, dict[str, Any]]]:
    items = raw.get("items") if isinstance(raw, dict) else None
    return [(i, d) for i, d in enumerate(items if isinstance(items, list) else []) if isinstance(d, dict)]


def _code_of(d: dict[str, Any]) -> str | None:
    code, dept, name = d.get("code"), d.get("department"), d.get("name")
    if isinstance(code, str) and code:
        return code
    if isinstance(dept, str) and isinstance(name, str):
        return local_code(dept, name)
    return None


def _list_of_dicts(value: Any) -> list[tuple[int, dict[str, Any]]]:
    return [(j, x) for j, x in enumerate(value) if isinstance(x, dict)] if isinstance(value, list) else []


def _situation_options(d: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    out = {}
    for _, sit in _list_of_dicts(d.get("situations")):
        code = sit.get("code")
        if isinstance(code, str):
            out[code] = tuple(
                o["code"] for _, o in _list_of_dicts(sit.get("options")) if isinstance(o.get("code"), str)
            )
    return out


def _situation_rules(d: dict[str, Any], add: Any) -> None:
    situations = _list_of_dicts(d.get("situations"))
    codes = Counter(s.get("code") for _, s in situations)
    for j, sit in situations:
        code, where = sit.get("code"), f"situations[{j}]"
        if codes[code] > 1:
            add(ERROR, f"{where}.code", f"情形编码 {code} 在本项中出现 {codes[code]} 次")
        options = [o.get("code") for _, o in _list_of_dicts(sit.get("options"))]
        for dup in sorted({o for o in options if isinstance(o, str) and options.count(o) > 1}):
            add(ERROR, f"{where}.options", f"选项编码 {dup} 重复")
        default = sit.get("default")
        if isinstance(default, str) and default not in options:
            add(
                ERROR,
                f"{where}.default",
                f"默认答案 {default} 不是本情形的选项（可选：{'、'.join(map(str, options))}）",
            )
    declared = _situation_options(d)
    used: set[str] = set()
    for j, m in _list_of_dicts(d.get("materials")):
        when = m.get("when")
        if not isinstance(when, dict):
            continue
        for code, answers in when.items():
            used.add(code)
            if code not in declared:
                add(ERROR, f"materials[{j}].when.{code}", f"情形 {code} 未在本项的 situations 中声明")
                continue
            for answer in answers if isinstance(answers, list) else []:
                if answer not in declared[code]:
                    add(
                        ERROR,
                        f"materials[{j}].when.{code}",
                        f"{_shown(answer)} 不是情形 {code} 的选项（可选：{'、'.join(declared[code])}）",
                    )
    for j, sit in situations:
        if isinstance(sit.get("code"), str) and sit["code"] not in used:
            add(WARNING, f"situations[{j}]", f"情形 {sit['code']} 不影响任何材料：受理时问了也不改变材料清单")


def _material_rules(d: dict[str, Any], add: Any) -> None:
    mats = d.get("materials")
    if not isinstance(mats, list):
        if "materials" not in d or mats is None:
            add(WARNING, "materials", "材料清单未知（文件未列出），待部门补充")
        return
    if not mats:
        add(WARNING, "materials", "材料清单为空，待部门补充")
    seen: dict[str, int] = {}
    unknown_waiver = []
    for j, m in _list_of_dicts(mats):
        if not isinstance(m.get("name"), str):
            continue
        key = normalize_text(m["name"]) + json.dumps(m.get("when") or {}, sort_keys=True)
        if key in seen:
            add(WARNING, f"materials[{j}].name", f"与第 {seen[key] + 1} 项材料重名：{m['name']}")
        seen.setdefault(key, j)
        if m.get("waivable") and m.get("required") is False:
            add(WARNING, f"materials[{j}].waivable", "非必需材料无须标为可容缺")
        if m.get("required", True) is not False and m.get("waivable") is None:
            unknown_waiver.append(j + 1)
        copies = m.get("copies")
        if isinstance(copies, dict) and not any(isinstance(n, int) and n > 0 for n in copies.values()):
            add(ERROR, f"materials[{j}].copies", "原件和复印件的份数不能都为 0")
    if unknown_waiver:
        which = "、".join(map(str, unknown_waiver))
        add(WARNING, "materials", f"第 {which} 项材料是否可容缺未注明：按不可容缺处理，待部门确认")


def _item_rules(raw: dict[str, Any], depts: set[str], lists: set[str]) -> list[Problem]:
    out: list[Problem] = []
    codes = Counter(_code_of(d) for _, d in _items(raw))
    for i, d in _items(raw):
        ref = _item_ref(raw, i)

        def add(sev: str, fld: str, msg: str, ref: str = ref, i: int = i) -> None:
            inside = [int(p) if p.isdigit() else p for p in re.split(r"[.\[\]]+", fld) if p]
            out.append(Problem(sev, ref, fld, msg, _order(["items", i, *inside], sev)))

        code = _code_of(d)
        if code and codes[code] > 1:
            add(ERROR, "code", f"事项编码 {code} 在本文件中出现 {codes[code]} 次，编码必须唯一")
        if not d.get("code"):
            add(WARNING, "code", "缺少事项编码，导入时生成本地编码（待县级确认）")
        elif d.get("local_code"):
            add(WARNING, "code", "本地编码，非官方事项编码（待县级确认）")
        dept = d.get("department")
        if isinstance(dept, str) and dept not in depts:
            add(ERROR, "department", f"部门 {dept} 未在文件的 departments 中声明")
        item_lists = d.get("lists")
        for j, code_l in enumerate(item_lists if isinstance(item_lists, list) else []):
            if isinstance(code_l, str) and code_l not in lists:
                add(ERROR, f"lists[{j}]", f"清单 {code_l} 未在文件的 lists 中声明")
        if not item_lists:
            add(WARNING, "lists", "不在任何公开清单上：打印、张贴的清单中不会有这一项")
        kind = d.get("handling_kind")
        if kind is None:
            add(WARNING, "handling_kind", "办件类型（即办件/承诺件）未知，显示为待确认")
        legal, promised = d.get("legal_days"), d.get("promised_days")
        if kind == "promise" and promised is None:
            add(WARNING, "promised_days", "承诺件缺少承诺时限，受理时须录入部门确认的时限")
        if kind is None and promised is None:
            add(WARNING, "promised_days", "承诺时限未知，显示为待确认")
        if legal is None:
            add(WARNING, "legal_days", "法定时限未知，显示为待确认")
        if isinstance(legal, int) and isinstance(promised, int) and promised > legal:
            add(ERROR, "promised_days", f"承诺时限 {promised} 个工作日超过法定时限 {legal} 个工作日")
        _material_rules(d, add)
        _situation_rules(d, add)
        sources = _list_of_dicts(d.get("sources"))
        if sources:
            region = sources[0][1].get("region")
            province = province_of(region if isinstance(region, str) else None)
            if province and province != HOME_PROVINCE:
                add(
                    WARNING,
                    "sources[0].region",
                    f"材料和时限取自外省（{province}）的办事指南（{region}）：须经本县承办部门核实后使用",
                )
    return out


def _consistent_situations(raw: dict[str, Any]) -> list[Problem]:
    """The same situation code must offer the same answers in every item: a bundle asks it once."""
    out: list[Problem] = []
    first: dict[str, tuple[int, tuple[str, ...]]] = {}
    for i, d in _items(raw):
        for code, options in _situation_options(d).items():
            if code not in first:
                first[code] = (i, options)
            elif set(options) != set(first[code][1]):
                at, expected = first[code]
                out.append(
                    Problem(
                        ERROR,
                        _item_ref(raw, i),
                        "situations",
                        f"情形 {code} 的选项（{'、'.join(options)}）与第{at + 1}项的（{'、'.join(expected)}）不同："
                        "同一编码的情形在所有事项中须有相同的选项（一件事合并时只问一次）",
                        _order(["items", i, "situations"], ERROR),
                    )
                )
    return out


def _theme_rules(raw: dict[str, Any], codes: set[str]) -> list[Problem]:
    out: list[Problem] = []
    themes = _list_of_dicts(raw.get("themes"))
    counts = Counter(t.get("code") for _, t in themes)
    for i, t in themes:
        ref = _theme_ref(raw, i)
        if counts[t.get("code")] > 1:
            out.append(
                Problem(ERROR, ref, "code", f"主题编码 {t.get('code')} 重复", _order(["themes", i], ERROR))
            )
        listed = t.get("items")
        for j, c in enumerate(listed if isinstance(listed, list) else []):
            if isinstance(c, str) and c not in codes:
                out.append(
                    Problem(
                        ERROR,
                        ref,
                        f"items[{j}]",
                        f"主题引用的事项 {c} 不在本文件中",
                        _order(["themes", i, "items", j], ERROR),
                    )
                )
    return out


def _declared(raw: dict[str, Any], key: str) -> tuple[set[str], list[Problem]]:
    entries = [e for _, e in _list_of_dicts(raw.get(key))]
    counts = Counter(e.get("code") for e in entries)
    dups = [
        Problem(ERROR, None, key, f"编码 {c} 重复声明", _order([key], ERROR))
        for c, n in counts.items()
        if n > 1
    ]
    return {e["code"] for e in entries if isinstance(e.get("code"), str)}, dups


# Characters nobody sees that a text of the catalog has no use for: control characters (a line break and a tab
# excepted) and the bidirectional embeddings, overrides and isolates (「王\u202e五六七」 shows as 王七六五).
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


def _invisible_problems(raw: Any) -> list[Problem]:
    """An error for each text holding a character nobody sees: it would be shown, searched and printed as
    something else than what is read (a NUL ends the text for SQLite's own functions)."""
    out: list[Problem] = []
    stack: list[tuple[list[Any], Any]] = [([], raw)]
    while stack:
        parts, value = stack.pop()
        if isinstance(value, dict):
            stack.extend(([*parts, k], v) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend(([*parts, i], v) for i, v in enumerate(value))
        elif isinstance(value, str) and (found := _INVISIBLE.search(value)):
            ref, fld = _place(raw, parts)
            out.append(Problem(ERROR, ref, fld, f"含有看不见的控制字符 U+{ord(found[0]):04X}：请删去后再导入",
                               _order(parts, ERROR)))  # fmt: skip
    return out


def validate(raw: Any) -> list[Problem]:
    """Every problem of a parsed file, in file order (see the module doc)."""
    problems = _schema_problems(raw) + _invisible_problems(raw)
    if isinstance(raw, dict):
        depts, p1 = _declared(raw, "departments")
        lists, p2 = _declared(raw, "lists")
        problems += p1 + p2
        problems += _item_rules(raw, depts, lists)
        problems += _consistent_situations(raw)
        codes = {c for _, d in _items(raw) if (c := _code_of(d))}
        problems += _theme_rules(raw, codes)
    return sorted(problems, key=lambda p: p.order)


def validate_bytes(data: bytes, name: str = "") -> tuple[Any, str, list[Problem]]:
    """(parsed JSON, checksum, problems) of a file's bytes (from the hub); unreadable JSON is one error."""
    try:
        raw, checksum = parse_bytes(data, name)
    except CatalogFileError as exc:
        return None, "", [Problem(ERROR, None, "（文件）", exc.message_zh)]
    return raw, checksum, validate(raw)


def validate_file(path: Path | str) -> tuple[Any, str, list[Problem]]:
    """(parsed JSON, checksum, problems); an unreadable file is one error problem."""
    try:
        raw, checksum = read_file(path)
    except CatalogFileError as exc:
        return None, "", [Problem(ERROR, None, "（文件）", exc.message_zh)]
    return raw, checksum, validate(raw)


def has_errors(problems: list[Problem]) -> bool:
    return any(p.is_error for p in problems)
