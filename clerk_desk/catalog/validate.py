"""Validation of a catalog file: the JSON Schema, then the rules a schema cannot say.

Pure (no Qt, no store), shared with the county hub. Every problem names the item and the field it is in.
Errors stop an import; warnings are the gaps real catalogs have (no code, unknown kind or days) and
are imported as 待确认.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clerk_desk import paths
from clerk_desk.catalog.format import CatalogFileError, local_code, normalize_text, read_file

if TYPE_CHECKING:  # jsonschema costs ~0.1 s to import: loaded when a file is validated, not at start-up
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    severity: str  # error | warning
    item_ref: str | None  # "事项 002014006009 城乡居民…" / "主题 T1" / None for the file as a whole
    field: str  # JSON path inside the item (or file), e.g. "materials[2].copies"
    message_zh: str

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


def _item_ref(raw: Any, index: int) -> str:
    try:
        item = raw["items"][index]
        code = item.get("code") or "（无编码）"
        name = item.get("name") or ""
        return f"第{index + 1}项 {code} {name}".rstrip()
    except (KeyError, IndexError, TypeError, AttributeError):
        return f"第{index + 1}项"


def _theme_ref(raw: Any, index: int) -> str:
    try:
        return f"主题 {raw['themes'][index].get('code', '')} {raw['themes'][index].get('name', '')}".rstrip()
    except (KeyError, IndexError, TypeError, AttributeError):
        return f"第{index + 1}个主题"


def _path_text(parts: list[Any]) -> str:
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "（文件）"


def _schema_message(err: ValidationError) -> str:
    v = err.validator
    if v == "required":
        missing = [m for m in err.validator_value if isinstance(err.instance, dict) and m not in err.instance]
        return f"缺少必填字段 {'、'.join(missing)}"
    if v == "type":
        return f"类型不对：应为 {err.validator_value}，实际是 {json.dumps(err.instance, ensure_ascii=False)}"
    if v in ("enum", "const"):
        allowed = err.validator_value if v == "enum" else [err.validator_value]
        shown = "、".join("null" if a is None else str(a) for a in allowed)
        return f"取值 {json.dumps(err.instance, ensure_ascii=False)} 无效，可选：{shown}"
    if v == "pattern":
        return f"格式不对：{json.dumps(err.instance, ensure_ascii=False)}"
    if v == "additionalProperties":
        return f"未知字段：{err.message.split('(')[-1].rstrip(')')}"
    if v in ("minimum", "maximum"):
        return f"数值 {err.instance} 超出范围（{v} {err.validator_value}）"
    if v in ("minItems", "minLength"):
        return "不能为空" if err.validator_value == 1 else f"至少需要 {err.validator_value} 个"
    if v == "format":
        return f"格式应为 {err.validator_value}：{err.instance}"
    return err.message


def _schema_problems(raw: Any) -> list[Problem]:
    out = []
    for err in sorted(_validator().iter_errors(raw), key=lambda e: list(map(str, e.absolute_path))):
        parts = list(err.absolute_path)
        ref = None
        if len(parts) >= 2 and parts[0] == "items" and isinstance(parts[1], int):
            ref, parts = _item_ref(raw, parts[1]), parts[2:]
        elif len(parts) >= 2 and parts[0] == "themes" and isinstance(parts[1], int):
            ref, parts = _theme_ref(raw, parts[1]), parts[2:]
        field = _path_text(parts) if parts or ref is None else "（本项）"
        out.append(Problem(ERROR, ref, field, _schema_message(err)))
    return out


def _items(raw: Any) -> list[tuple[int, dict[str, Any]]]:
    items = raw.get("items") if isinstance(raw, dict) else None
    return [(i, d) for i, d in enumerate(items or []) if isinstance(d, dict)]


def _code_of(d: dict[str, Any]) -> str | None:
    code, dept, name = d.get("code"), d.get("department"), d.get("name")
    if isinstance(code, str) and code:
        return code
    if isinstance(dept, str) and isinstance(name, str):
        return local_code(dept, name)
    return None


def _item_rules(raw: dict[str, Any], depts: set[str], lists: set[str]) -> list[Problem]:
    out: list[Problem] = []
    codes = Counter(_code_of(d) for _, d in _items(raw))
    for i, d in _items(raw):
        ref = _item_ref(raw, i)

        def add(sev: str, fld: str, msg: str, ref: str = ref) -> None:
            out.append(Problem(sev, ref, fld, msg))

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
        for j, code_l in enumerate(d.get("lists") or []):
            if isinstance(code_l, str) and code_l not in lists:
                add(ERROR, f"lists[{j}]", f"清单 {code_l} 未在文件的 lists 中声明")
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
        mats = d.get("materials")
        if isinstance(mats, list):
            if not mats:
                add(WARNING, "materials", "材料清单为空，待部门补充")
            seen: dict[str, int] = {}
            for j, m in enumerate(mats):
                if not isinstance(m, dict) or not isinstance(m.get("name"), str):
                    continue
                key = normalize_text(m["name"])
                if key in seen:
                    add(WARNING, f"materials[{j}].name", f"与第 {seen[key] + 1} 项材料重名：{m['name']}")
                seen.setdefault(key, j)
                if m.get("waivable") and m.get("required") is False:
                    add(WARNING, f"materials[{j}].waivable", "非必需材料无须标为可容缺")
    return out


def _theme_rules(raw: dict[str, Any], codes: set[str]) -> list[Problem]:
    out: list[Problem] = []
    themes = raw.get("themes") or []
    counts = Counter(t.get("code") for t in themes if isinstance(t, dict))
    for i, t in enumerate(themes):
        if not isinstance(t, dict):
            continue
        ref = _theme_ref(raw, i)
        if counts[t.get("code")] > 1:
            out.append(Problem(ERROR, ref, "code", f"主题编码 {t.get('code')} 重复"))
        for j, c in enumerate(t.get("items") or []):
            if isinstance(c, str) and c not in codes:
                out.append(Problem(ERROR, ref, f"items[{j}]", f"主题引用的事项 {c} 不在本文件中"))
    return out


def _declared(raw: dict[str, Any], key: str) -> tuple[set[str], list[Problem]]:
    entries = [e for e in raw.get(key) or [] if isinstance(e, dict)]
    counts = Counter(e.get("code") for e in entries)
    dups = [Problem(ERROR, None, key, f"编码 {c} 重复声明") for c, n in counts.items() if n > 1]
    return {e["code"] for e in entries if isinstance(e.get("code"), str)}, dups


def validate(raw: Any) -> list[Problem]:
    """Every problem of a parsed file: schema errors first, then the semantic rules (as far as they apply)."""
    problems = _schema_problems(raw)
    if not isinstance(raw, dict):
        return problems
    depts, p1 = _declared(raw, "departments")
    lists, p2 = _declared(raw, "lists")
    problems += p1 + p2
    problems += _item_rules(raw, depts, lists)
    codes = {c for _, d in _items(raw) if (c := _code_of(d))}
    problems += _theme_rules(raw, codes)
    return problems


def validate_file(path: Path | str) -> tuple[Any, str, list[Problem]]:
    """(parsed JSON, checksum, problems); an unreadable file is one error problem."""
    try:
        raw, checksum = read_file(path)
    except CatalogFileError as exc:
        return None, "", [Problem(ERROR, None, "（文件）", exc.message_zh)]
    return raw, checksum, validate(raw)


def has_errors(problems: list[Problem]) -> bool:
    return any(p.is_error for p in problems)
