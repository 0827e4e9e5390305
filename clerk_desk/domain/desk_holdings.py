"""What a desk holds, as it tells the county hub: the ``X-Desk-Holds`` header (docs/sync-protocol.md).

The desk sends it on its timer round's ``GET /catalog`` (never on a push); the hub keeps the latest per
device, so county IT sees from the hub which PCs run an old program, lack a calendar year or an older
catalog (``county-hub device list``). One line of ``key=value`` pairs separated by ``;``::

    X-Desk-Holds: app=0.1.0; catalog=2026.1; catalog-source=hub; calendar=2026:2026-1,2027:2027-1

Values are percent-encoded UTF-8 (a county may write a calendar version in Chinese, with its own punctuation:
``2027-1（国办发明电〔2026〕7号）``). To the hub the header is untrusted data: :func:`decode` refuses anything
that is not exactly this (too long, not ASCII, a value not percent-encoded or with a broken escape, a
character that is not a letter, digit, punctuation mark, symbol or the space, or is one of ``<>&"'``, the
backquote or the backslash, a year outside 2000–2099, a key given twice) with ValueError, and the hub then
records nothing. Keys it does not know are skipped, so a later desk may say
more. The desk never leaves out a calendar year it holds: a version the header cannot carry is said as near
as it can (:func:`_fit`), since the hub compares calendar versions by their numbers.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import quote, unquote

HEADER = "X-Desk-Holds"
MAX_HEADER = 2048  # characters of the header as sent
MAX_VALUE = 100  # characters of one decoded value (the hub keeps a publication's label in 100)
MAX_YEARS = 30
MAX_PARTS = 16
SOURCES = ("hub", "file", "demo")  # where the catalog came from: the hub, imported by hand, the demo catalog
_KEY = re.compile(r"[a-z][a-z0-9-]{0,31}\Z")
_YEAR = re.compile(r"20[0-9][0-9]\Z")
_MARKUP = frozenset("<>&\"'`\\")  # punctuation that never gets through: what a value says is never markup


@dataclass(frozen=True)
class Holdings:
    app: str  # the program's version
    catalog: str | None = None  # the catalog version the desk finds items in; None: none
    catalog_source: str | None = None  # hub | file | demo
    calendar: dict[int, str] = field(default_factory=dict)  # year -> version of the calendar file giving it


def _char_ok(ch: str) -> bool:
    """Letters, digits, punctuation, symbols and the space: no control, format (direction), combining or other
    space character, and none of :data:`_MARKUP`."""
    return ch == " " or (unicodedata.category(ch)[0] in "LNPS" and ch not in _MARKUP)


def _value_ok(text: str) -> bool:
    return 0 < len(text) <= MAX_VALUE and text == text.strip() and all(_char_ok(ch) for ch in text)


def _fit(text: str) -> str:
    """A calendar version as the header can carry it: each character the hub refuses as ``?``, the first 100
    characters (the hub keeps a publication's label in 100), so the year is said and its numbers compare."""
    return "".join(ch if _char_ok(ch) else "?" for ch in text.strip())[:MAX_VALUE].strip()


def _put(text: str) -> str:
    return quote(text, safe="")


def encode(h: Holdings) -> str:
    """The header's value. A value the hub would refuse is left out (the rest still tells IT something); a
    calendar version is said as near as the header allows (:func:`_fit`), and when the whole would be over
    :data:`MAX_HEADER` the oldest years are left out."""
    parts = [f"app={_put(h.app) if _value_ok(h.app) else 'unknown'}"]
    if h.catalog is not None and _value_ok(h.catalog):
        parts.append(f"catalog={_put(h.catalog)}")
        if h.catalog_source in SOURCES:
            parts.append(f"catalog-source={h.catalog_source}")
    fitted = {y: _fit(v) for y, v in h.calendar.items() if 2000 <= y <= 2099}
    years = [f"{y}:{_put(v)}" for y, v in sorted(fitted.items()) if _value_ok(v)][-MAX_YEARS:]
    head = "; ".join(parts)
    while years:  # too long for the header (long Chinese versions): the oldest years go first
        text = f"{head}; calendar={','.join(years)}"
        if len(text) <= MAX_HEADER:
            return text
        years = years[1:]
    return head if len(head) <= MAX_HEADER else parts[0]


_ENCODED = re.compile(r"(?:[A-Za-z0-9._~-]|%[0-9A-Fa-f]{2})+\Z")  # what quote(..., safe="") writes


def _take(raw: str) -> str:
    if not _ENCODED.match(raw):
        raise ValueError("a value is not percent-encoded")
    try:
        text = unquote(raw, errors="strict")
    except UnicodeDecodeError:
        raise ValueError("a value is not percent-encoded UTF-8") from None
    if not _value_ok(text):
        raise ValueError("a value is empty, too long or holds a character not allowed")
    return text


def decode(header: str) -> Holdings:
    """The header's value as sent by a desk; ValueError (no detail of the input) for anything else."""
    if not header or len(header) > MAX_HEADER or not header.isascii() or not header.isprintable():
        raise ValueError("empty, too long or not printable ASCII")
    found: dict[str, str] = {}
    parts = header.split(";")
    if len(parts) > MAX_PARTS:
        raise ValueError("too many parts")
    for part in parts:
        key, sep, value = part.strip().partition("=")
        if not sep or not _KEY.match(key):
            raise ValueError("a part is not key=value")
        if key in found:
            raise ValueError("a key given twice")
        found[key] = value.strip()
    if "app" not in found:
        raise ValueError("no app version")
    catalog = _take(found["catalog"]) if "catalog" in found else None
    source = found.get("catalog-source")
    if source is not None and (source not in SOURCES or catalog is None):
        raise ValueError("an unknown catalog source")
    calendar: dict[int, str] = {}
    if "calendar" in found:
        entries = found["calendar"].split(",")
        if len(entries) > MAX_YEARS:
            raise ValueError("too many calendar years")
        for entry in entries:
            year, sep, version = entry.strip().partition(":")
            if not sep or not _YEAR.match(year) or int(year) in calendar:
                raise ValueError("a calendar year is not YYYY:version (2000-2099, once)")
            calendar[int(year)] = _take(version)
    return Holdings(_take(found["app"]), catalog, source, calendar)
