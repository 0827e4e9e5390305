"""The catalog file format (docs/catalog-format.md): typed view of a validated file, versions, local codes.

Pure: no Qt, no store. The county hub imports this (with validate.py) to check files before publishing.
"""

from __future__ import annotations

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
class MaterialSpec:
    name: str
    form: str | None = None
    copies: int | None = None
    required: bool = True
    waivable: bool = False
    note: str | None = None


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


def read_file(path: Path | str) -> tuple[Any, str]:
    """The parsed JSON and the SHA-256 of the file's bytes. Raises CatalogFileError if unreadable."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise CatalogFileError(f"无法读取目录文件 {p}：{exc.strerror or exc}") from exc
    try:
        raw = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise CatalogFileError(f"目录文件不是 UTF-8 编码：{p}") from exc
    except json.JSONDecodeError as exc:
        raise CatalogFileError(
            f"目录文件不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列）：{exc.msg}"
        ) from exc
    return raw, hashlib.sha256(data).hexdigest()


def _material(m: dict[str, Any]) -> MaterialSpec:
    return MaterialSpec(
        name=m["name"].strip(),
        form=m.get("form"),
        copies=m.get("copies"),
        required=bool(m.get("required", True)),
        waivable=bool(m.get("waivable", False)),
        note=m.get("note"),
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
        materials=tuple(_material(m) for m in d.get("materials", [])),
        sources=tuple(Source(**s) for s in d.get("sources", [])),
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
