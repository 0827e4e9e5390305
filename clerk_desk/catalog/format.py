"""The catalog file format (docs/catalog-format.md): typed view of a validated file, versions, local codes.

Pure: no Qt, no store. The county hub imports this (with validate.py) to check files before publishing.
"""

from __future__ import annotations

import errno
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FORMAT_NAME = "clerk-desk-catalog"
FORMAT_VERSION = 1

HANDLING_KIND_ZH = {"immediate": "即办件", "promise": "承诺件"}
URGENCY_ZH = {"urgent": "紧急（5分钟内流转）", "normal": "一般（15分钟内流转）"}
FORM_ZH = {
    "original": "原件",
    "copy": "复印件",
    "original_and_copy": "原件及复印件",
    "electronic": "电子材料",
}
DELIVERY_ZH = {"window": "窗口领取", "mail": "邮寄送达", "online": "网上送达"}
UNKNOWN_ZH = "待确认"

# The four lists the county plan (section 五(一)) asks every hall to post.
PLAN_LISTS: tuple[tuple[str, str], ...] = (
    ("xz-bmfw", "通山县乡镇便民服务事项清单"),
    ("xc-1", "通山县下沉便民服务事项清单（第一批）"),
    ("xc-2", "通山县下沉便民服务事项清单（第二批）"),
    ("hb-gp-1", "湖北省高频服务事项下沉清单（第一批）"),
)

# The county this desk serves is in Hubei: a guide from another province is a sample, not the county's word.
HOME_PROVINCE = "湖北"
PROVINCES = (
    "北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "江苏", "浙江", "安徽", "福建",
    "江西", "山东", "河南", "湖北", "湖南", "广东", "广西", "海南", "重庆", "四川", "贵州", "云南", "西藏", "陕西",
    "甘肃", "青海", "宁夏", "新疆", "台湾", "香港", "澳门",
)  # fmt: skip

_VERSION_RE = re.compile(r"^[0-9]+(\.[0-9]+){0,3}$")
_PUNCT_CATEGORIES = ("P", "S", "Z", "C")


class CatalogFileError(Exception):
    """The file cannot be read as JSON at all (validation reports everything else as Problems)."""

    def __init__(self, message_zh: str) -> None:
        super().__init__(message_zh)
        self.message_zh = message_zh


def version_key(version: str) -> tuple[int, ...]:
    """ "2026.3" < "2026.10" < "2027": dotted integers compared numerically (missing parts are 0)."""
    if not _VERSION_RE.match(version):
        raise ValueError(f"bad catalog version {version!r}")
    parts = [int(p) for p in version.split(".")]
    return tuple(parts + [0] * (4 - len(parts)))


def is_valid_version(version: str) -> bool:
    return bool(_VERSION_RE.match(version))


def normalize_text(text: str) -> str:
    """Fold for matching: NFKC (full-width to half-width), lower case, no spaces or punctuation."""
    folded = unicodedata.normalize("NFKC", text).lower()
    return "".join(ch for ch in folded if not unicodedata.category(ch).startswith(_PUNCT_CATEGORIES))


def province_of(region: str | None) -> str | None:
    """The province a source's region names (四川广安前锋区 -> 四川), or None when it names none."""
    if not region:
        return None
    found = [(region.find(p), p) for p in PROVINCES if p in region]
    return min(found)[1] if found else None


def local_code(department: str, name: str) -> str:
    """A stable code for an item the publisher gave none: same department and name, same code."""
    digest = hashlib.sha1(f"{department}|{normalize_text(name)}".encode()).hexdigest()[:8]
    return f"LOCAL-{department.upper()}-{digest}"


@dataclass(frozen=True)
class Source:
    url: str | None
    region: str | None = None
    kind: str | None = None
    name: str | None = None
    note: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass(frozen=True)
class SituationOption:
    code: str
    label: str


@dataclass(frozen=True)
class Situation:
    """A question whose answer decides which materials apply (情形: 委托他人办理, 非本县户籍 ...).

    The same ``code`` means the same question in every item: a 一件事 bundle asks it once."""

    code: str
    question: str
    options: tuple[SituationOption, ...]
    default: str
    note: str | None = None

    def label_of(self, option: str) -> str:
        return next((o.label for o in self.options if o.code == option), option)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "code": self.code,
            "question": self.question,
            "options": [{"code": o.code, "label": o.label} for o in self.options],
            "default": self.default,
        }
        if self.note:
            out["note"] = self.note
        return out

    @staticmethod
    def of(d: dict[str, Any]) -> Situation:
        return Situation(
            code=d["code"],
            question=d["question"].strip(),
            options=tuple(SituationOption(o["code"], o["label"].strip()) for o in d["options"]),
            default=d["default"],
            note=d.get("note"),
        )


# A material's condition: (situation code, the answers under which it applies) for every situation named.
When = tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True)
class MaterialSpec:
    name: str
    form: str | None = None
    copies: int | None = None  # in all (originals and photocopies together when form is original_and_copy)
    required: bool = True
    waivable: bool | None = False  # 容缺: may be pledged later; None = the catalog does not say (not waived)
    note: str | None = None
    copies_split: tuple[int, int] | None = None  # (originals, photocopies) when the catalog says each
    when: When = ()  # applies only under these answers; () = always

    @property
    def copies_each(self) -> int | None:
        """N when the catalog asks for the original and N photocopies (原件和复印件各N份)."""
        if self.copies_split and self.copies_split[0] == self.copies_split[1]:
            return self.copies_split[0]
        return None

    def applies(self, answers: dict[str, str]) -> bool:
        """Whether the material is asked for under these answers (a missing answer matches nothing)."""
        return all(answers.get(code) in options for code, options in self.when)

    def as_dict(self) -> dict[str, Any]:
        """The material as plain JSON (drafts keep the catalog's materials with their conditions)."""
        out = {k: v for k, v in self.__dict__.items() if k not in ("copies_split", "when")}
        out["copies_split"] = list(self.copies_split) if self.copies_split else None
        out["when"] = {code: list(options) for code, options in self.when}
        return out

    @staticmethod
    def of_dict(d: dict[str, Any]) -> MaterialSpec:
        split = d.get("copies_split")
        return MaterialSpec(
            name=d["name"],
            form=d.get("form"),
            copies=d.get("copies"),
            required=bool(d.get("required", True)),
            waivable=d.get("waivable"),
            note=d.get("note"),
            copies_split=(int(split[0]), int(split[1])) if split else None,
            when=tuple((code, tuple(options)) for code, options in (d.get("when") or {}).items()),
        )


def copies_text(form: str | None, copies: int | None, split: tuple[int, int] | None = None) -> str:
    """How many to hand in, as the paper says it: 原件和复印件各1份 / 原件1份、复印件2份 / 共2份 / 3份."""
    if split is not None:
        originals, photocopies = split
        if originals and originals == photocopies:
            return f"原件和复印件各{originals}份"
        parts = [f"原件{originals}份" if originals else "", f"复印件{photocopies}份" if photocopies else ""]
        return "、".join(p for p in parts if p)
    if copies is None:
        return ""
    return f"共{copies}份" if form == "original_and_copy" else f"{copies}份"


@dataclass(frozen=True)
class ItemSpec:
    code: str
    is_local_code: bool
    name: str
    department: str
    keywords: tuple[str, ...] = ()
    lists: tuple[str, ...] = ()
    type: str | None = None
    handling_kind: str | None = None
    urgency: str | None = None
    legal_days: int | None = None
    promised_days: int | None = None
    fee: str | None = None
    conditions: str | None = None
    legal_basis: str | None = None
    delivery: tuple[str, ...] = ()
    note: str | None = None
    materials: tuple[MaterialSpec, ...] = ()
    sources: tuple[Source, ...] = ()
    situations: tuple[Situation, ...] = ()


@dataclass(frozen=True)
class ThemeSpec:
    code: str
    name: str
    items: tuple[str, ...]
    demo: bool = False
    description: str | None = None
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class CatalogDoc:
    version: str
    publisher: str
    published_at: str | None
    demo: bool
    note: str | None
    departments: tuple[tuple[str, str], ...]
    lists: tuple[tuple[str, str, str | None], ...]
    items: tuple[ItemSpec, ...]
    themes: tuple[ThemeSpec, ...] = ()
    checksum: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


_OS_ERRORS_ZH = {
    errno.ENOENT: "文件不存在",
    errno.EACCES: "没有读取权限",
    errno.EPERM: "没有读取权限",
    errno.EISDIR: "这是一个文件夹，不是文件",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.ENAMETOOLONG: "路径太长",
    errno.EIO: "读取时磁盘出错",
}

# json's messages (CPython's decoder), by how they begin
_JSON_ERRORS_ZH = (
    ("Expecting value", "这里应有一个值（文本要加双引号；数字、true、false、null 不加），或多了逗号"),
    (
        "Expecting property name enclosed in double quotes",
        "这里应是用双引号括起的字段名（或对象末尾多了逗号）",
    ),
    ("Expecting ':' delimiter", "字段名后缺少冒号 :"),
    ("Expecting ',' delimiter", "缺少逗号 ,（或括号、引号没有配对）"),
    ("Unterminated string", "文本缺少结尾的双引号"),
    ("Invalid control character", "文本中有不能直接出现的控制字符（如换行，应写成 \\n）"),
    ("Invalid \\uXXXX escape", "\\u 转义后应有 4 位十六进制数"),
    ("Invalid \\escape", "无效的反斜杠转义（反斜杠本身应写成 \\\\）"),
    ("Extra data", "JSON 内容结束后还有多余的内容"),
    ("Illegal trailing comma", "最后一项后面多了逗号"),
)


def json_error_zh(exc: json.JSONDecodeError) -> str:
    """json's reason in Chinese, with the place and the line as it is in the file."""
    reason = next((zh for en, zh in _JSON_ERRORS_ZH if exc.msg.startswith(en)), "JSON 格式有误")
    lines = exc.doc.splitlines() or [""]
    line = lines[min(exc.lineno, len(lines)) - 1].strip()
    shown = line if len(line) <= 60 else line[:57] + "…"
    return f"第 {exc.lineno} 行第 {exc.colno} 列：{reason}（该行：{shown}）"


def read_file(path: Path | str) -> tuple[Any, str]:
    """The parsed JSON and the SHA-256 of the file's bytes. Raises CatalogFileError if unreadable."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        reason = _OS_ERRORS_ZH.get(exc.errno or 0, f"系统错误 {exc.errno}" if exc.errno else "系统错误")
        raise CatalogFileError(f"无法读取目录文件 {p}：{reason}") from exc
    return parse_bytes(data, str(p))


def parse_bytes(data: bytes, name: str = "") -> tuple[Any, str]:
    """The parsed JSON of a catalog file's bytes and their SHA-256. Raises CatalogFileError if unreadable.

    The items are decoded one at a time (``gentle_loads``), so a background import never holds the
    interpreter for the whole file at once (json.loads of 8 MB held it for 0.1 s: a frozen screen)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        where = f"：{name}" if name else ""
        raise CatalogFileError(f"目录文件不是 UTF-8 编码（第 {exc.start + 1} 个字节起无法解码）{where}") from exc
    try:
        try:
            raw = gentle_loads(text)
        except ValueError:
            try:  # the whole-file parser says exactly where and why
                raw = json.loads(text)
            except json.JSONDecodeError as exc:
                raise CatalogFileError(f"目录文件不是有效的 JSON，{json_error_zh(exc)}") from exc
    except RecursionError as exc:  # [[[[… a thousand deep: the parser gives up (a traceback before)
        raise CatalogFileError("目录文件不是事项目录：列表或对象套了上千层，无法读取") from exc
    half = lone_surrogate_at(raw) if _SURROGATE_ESCAPE.search(text) else None
    if half is not None:  # could not be saved (the import stopped with a traceback), nor shown or printed
        raise CatalogFileError(
            f"目录文件的 {half} 中有无效的 \\u 转义：\\ud800 到 \\udfff 必须两个成对表示一个字，单独一个不是文字"
        )
    return raw, hashlib.sha256(data).hexdigest()


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def lone_surrogate_at(raw: Any) -> str | None:
    """Where (``items[3].name``) the first text holding half of a surrogate pair is, or None. JSON can write one
    (``"\\ud800"``) and Python reads it, but no file, database or screen can take it."""
    stack: list[tuple[str, Any]] = [("", raw)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            texts = [value]
        elif isinstance(value, dict):
            texts = [k for k in value if isinstance(k, str)]
            stack.extend((f"{path}.{k}" if path else str(k), v) for k, v in reversed(list(value.items())))
        elif isinstance(value, list):
            texts = []
            stack.extend((f"{path}[{i}]", v) for i, v in reversed(list(enumerate(value))))
        else:
            continue
        if any(_is_lone(t) for t in texts):
            return path or "（文件）"
    return None


def _is_lone(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


_SPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


def gentle_loads(text: str) -> Any:
    """json.loads for a JSON object, one top-level value (and one element of a top-level list) at a time.

    Same result as json.loads for a valid file (duplicate keys: the last wins). Raises ValueError for
    anything it does not read as plain JSON; the caller then uses json.loads for the message."""
    def skip(i: int) -> int:
        return _SPACE.match(text, i).end()  # type: ignore[union-attr]

    i = skip(0)
    if text[i : i + 1] != "{":
        return _DECODER.decode(text)  # not an object: small or wrong, let the parser say
    out: dict[str, Any] = {}
    i = skip(i + 1)
    if text[i : i + 1] == "}":
        i = skip(i + 1)
    else:
        while True:
            key, i = _DECODER.raw_decode(text, i)
            if not isinstance(key, str):
                raise ValueError("key")
            i = skip(i)
            if text[i : i + 1] != ":":
                raise ValueError("colon")
            i = skip(i + 1)
            if text[i : i + 1] == "[":
                value: Any = []
                i = skip(i + 1)
                if text[i : i + 1] == "]":
                    i += 1
                else:
                    while True:
                        element, i = _DECODER.raw_decode(text, i)
                        value.append(element)
                        i = skip(i)
                        if text[i : i + 1] == ",":
                            i = skip(i + 1)
                        elif text[i : i + 1] == "]":
                            i += 1
                            break
                        else:
                            raise ValueError("list")
            else:
                value, i = _DECODER.raw_decode(text, i)
            out[key] = value
            i = skip(i)
            if text[i : i + 1] == ",":
                i = skip(i + 1)
            elif text[i : i + 1] == "}":
                i = skip(i + 1)
                break
            else:
                raise ValueError("object")
    if i != len(text):
        raise ValueError("trailing data")
    return out


def _material(m: dict[str, Any]) -> MaterialSpec:
    copies, split = m.get("copies"), None
    if isinstance(copies, dict):  # {"original": 1, "copy": 1}: 原件和复印件各1份
        split = (int(copies.get("original", 0)), int(copies.get("copy", 0)))
        copies = split[0] + split[1]
    waivable = m.get("waivable")
    return MaterialSpec(
        name=m["name"].strip(),
        form=m.get("form"),
        copies=copies,
        required=bool(m.get("required", True)),
        waivable=None if waivable is None else bool(waivable),
        note=m.get("note"),
        copies_split=split,
        when=tuple((code, tuple(dict.fromkeys(options))) for code, options in (m.get("when") or {}).items()),
    )


def _item(d: dict[str, Any]) -> ItemSpec:
    code = d.get("code")
    return ItemSpec(
        code=code if code else local_code(d["department"], d["name"]),
        is_local_code=bool(d.get("local_code")) or not code,
        name=d["name"].strip(),
        department=d["department"],
        keywords=tuple(dict.fromkeys(k.strip() for k in d.get("keywords", []) if k.strip())),
        lists=tuple(dict.fromkeys(d.get("lists", []))),
        type=d.get("type"),
        handling_kind=d.get("handling_kind"),
        urgency=d.get("urgency"),
        legal_days=d.get("legal_days"),
        promised_days=d.get("promised_days"),
        fee=d.get("fee"),
        conditions=d.get("conditions"),
        legal_basis=d.get("legal_basis"),
        delivery=tuple(dict.fromkeys(d.get("delivery", []))),
        note=d.get("note"),
        materials=tuple(_material(m) for m in d.get("materials") or []),
        sources=tuple(Source(**s) for s in d.get("sources", [])),
        situations=tuple(Situation.of(x) for x in d.get("situations") or []),
    )


def parse(raw: dict[str, Any], checksum: str = "") -> CatalogDoc:
    """The typed document of a file that validate() found free of errors."""
    return CatalogDoc(
        version=raw["catalog_version"],
        publisher=raw["publisher"],
        published_at=raw.get("published_at"),
        demo=bool(raw.get("demo", False)),
        note=raw.get("note"),
        departments=tuple((d["code"], d["name"]) for d in raw["departments"]),
        lists=tuple((x["code"], x["name"], x.get("note")) for x in raw.get("lists", [])),
        items=tuple(_item(d) for d in raw["items"]),
        themes=tuple(
            ThemeSpec(
                code=t["code"],
                name=t["name"],
                items=tuple(t["items"]),
                demo=bool(t.get("demo", False)),
                description=t.get("description"),
                keywords=tuple(t.get("keywords", [])),
            )
            for t in raw.get("themes", [])
        ),
        checksum=checksum,
    )
