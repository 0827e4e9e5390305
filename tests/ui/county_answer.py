"""A county hub's answer for the county page (clerk_desk.ui.county) whose every text is a value of the
hostile desk or the clipping walk (``v(tag)``), read by the desk's own parser as if it came from the hub."""

from __future__ import annotations

from collections.abc import Callable

from clerk_desk.sync.county_figures import CountyFigures, CountyOverdue, parse_figures, parse_overdue

TAGS = ("乡镇名", "部门码", "事项码", "办件编号", "经办人", "渠道", "事项名")
NAMED = "LOCAL-MZ-0a1b2c3d"  # an item the hub names (v("事项名")); v("事项码") it does not: shown as its code


def county_answer(v: Callable[[str], str]) -> tuple[CountyFigures, CountyOverdue]:
    site, dept, item, channel = v("乡镇码"), v("部门码"), v("事项码"), v("渠道")
    township = {
        "site_code": site, "department_code": dept, "intakes": 1234, "accepted": 1000, "on_spot": 150,
        "notified": 60, "refused": 24, "transfers": 990, "transfers_on_time": 951, "decisions": 870,
        "decided_in_time": 861, "transfer_on_time_rate": 0.9606, "decided_in_time_rate": 0.9897,
        "avg_decision_seconds": 291_600.5, "p90_decision_seconds": 604_800, "notified_rate": 0.0486,
        "refused_rate": 0.0194, "on_spot_share": 0.1304, "results_waiting": 37,
    }  # fmt: skip
    figures = parse_figures({
        "from": "2026-11-07", "to": "2026-12-06", "township_names": {site: v("乡镇名")},
        "by_township": [township, {**township, "department_code": "mz", "p90_decision_seconds": None,
                                   "avg_decision_seconds": None, "decided_in_time_rate": None}],
        "by_day": [{"site_code": site, "day": "2026-12-06", "intakes": 88}],
        "by_item": [{"site_code": site, "department_code": dept, "item_code": item, "intakes": 40},
                    {"site_code": site, "department_code": dept, "item_code": NAMED, "intakes": 2}],
        "item_names": {NAMED: v("事项名")},
        "by_channel": [{"site_code": site, "channel": channel, "intakes": 12}],
    })  # fmt: skip
    case = {"site_code": site, "department_code": dept, "case_number": v("办件编号"), "item_code": item,
            "stage": "decision", "level": "red", "holder": v("经办人"), "deadline": "2026-12-05T09:00:00.000000Z",
            "late": True, "late_seconds": 3 * 86400 + 7 * 3600 + 15 * 60, "over_days": 1}  # fmt: skip
    overdue = parse_overdue({"at": "2026-12-06T02:00:00.000000Z", "total": 3, "township_names": {}, "cases": [
        case, {**case, "stage": "transfer", "level": "amber", "late": False, "late_seconds": -240, "over_days": None},
        {**case, "stage": "archive", "level": "red", "late_seconds": 86400 + 600, "over_days": 1, "item_code": NAMED},
    ], "item_names": {NAMED: v("事项名")}})  # fmt: skip
    return figures, overdue
