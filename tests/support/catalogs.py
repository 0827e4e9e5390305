"""Small valid catalog and calendar files for tests of publishing and following (the format:
docs/catalog-format.md, docs/calendar-format.md). The 2027 calendar here is test data only: the real
arrangement is the State Council's, published each winter; nothing here ships as real data."""

from __future__ import annotations

import copy
import json
from datetime import date, timedelta
from typing import Any

ITEM = "TEST-MZ-001"


def item(code: str, name: str, *, days: int = 5, materials: tuple[str, ...] = ("居民身份证",),
         department: str = "mz") -> dict[str, Any]:
    return {
        "code": code, "name": name, "department": department, "lists": ["xz-bmfw"], "keywords": [],
        "handling_kind": "promise", "urgency": "normal", "legal_days": days + 5, "promised_days": days,
        "materials": [{"name": m, "form": "original", "copies": 1, "required": True, "waivable": False}
                      for m in materials],
    }


def catalog(version: str, items: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "format": "clerk-desk-catalog", "format_version": 1, "catalog_version": version,
        "publisher": "通山县政务服务和大数据管理局", "published_at": "2026-12-01",
        "departments": [{"code": "mz", "name": "民政"}, {"code": "rs", "name": "人社"}],
        "lists": [{"code": "xz-bmfw", "name": "通山县乡镇便民服务事项清单"}],
        "items": items if items is not None else [item(ITEM, "临时救助申请")],
    }


def catalog_bytes(version: str, items: list[dict[str, Any]] | None = None) -> bytes:
    return json.dumps(catalog(version, items), ensure_ascii=False).encode()


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def calendar_2027(version: str = "2027-1") -> dict[str, Any]:
    """A realistic-looking 2027 arrangement, made up for tests (元旦 1-3 January, 春节 from 5 February with
    make-up Saturdays ...): NOT the State Council's notice, which is not out when this is written."""
    blocks = [
        ("元旦", date(2027, 1, 1), date(2027, 1, 3), []),
        ("春节", date(2027, 2, 5), date(2027, 2, 13), [date(2027, 1, 31), date(2027, 2, 20)]),
        ("清明节", date(2027, 4, 3), date(2027, 4, 5), []),
        ("劳动节", date(2027, 5, 1), date(2027, 5, 5), [date(2027, 4, 25), date(2027, 5, 8)]),
        ("端午节", date(2027, 6, 9), date(2027, 6, 11), []),
        ("中秋节", date(2027, 9, 15), date(2027, 9, 17), []),
        ("国庆节", date(2027, 10, 1), date(2027, 10, 7), [date(2027, 9, 26), date(2027, 10, 9)]),
    ]
    holidays = [{"date": d.isoformat(), "name": n} for n, a, b, _m in blocks for d in _days(a, b)]
    makeup = [{"date": d.isoformat(), "for": n} for n, _a, _b, m in blocks for d in m]
    return {
        "format": "clerk-desk-calendar", "format_version": 1, "version": version, "published_at": "2026-12-20",
        "years": {"2027": {"holidays": holidays, "makeup_workdays": makeup,
                           "source": {"title": "测试数据（非国务院通知）"}}},
    }


def with_2026(cal: dict[str, Any], shipped: dict[str, Any]) -> dict[str, Any]:
    """``cal`` plus the shipped file's 2026 (a county publishes every year it still needs)."""
    out = copy.deepcopy(cal)
    out["years"] = {**shipped["years"], **out["years"]}
    return out
