"""Where the 督办 page's county-set values come from (docs/supervision.md, "County-set values").

The county sets the 签收 minutes and the result days at the hub (``county-hub supervision set``); every desk
takes the publication in its sync cycle (sync/follow.py) and keeps it in its settings. A desk that has
never received one (not enrolled yet, or the county has not published) uses the values set on it by hand
(``clerk-desk site supervision``), else the defaults. Once the county's values have arrived they win, and
setting them by hand on the desk is refused: there is one source, the county's.
"""

from __future__ import annotations

import json

from clerk_desk.domain import supervision as sv
from clerk_desk.domain.errors import InputError
from clerk_desk.domain.supervision_settings import SettingsFormatError, SupervisionSettings, problems_of
from clerk_desk.store.database import Database

SIGN_MINUTES_KEY = "supervision.sign_minutes"  # set by hand on this desk (the fallback)
RESULT_DAYS_KEY = "supervision.result_days"
COUNTY_KEY = "supervision.county"  # the county's publication: {"version", "sign_minutes", "result_days"}


def _read(db: Database) -> dict[str, str]:
    with db.plain_reading() as c:
        return dict(c.execute("SELECT key, value FROM settings WHERE key IN (?, ?, ?)",
                              (SIGN_MINUTES_KEY, RESULT_DAYS_KEY, COUNTY_KEY)).fetchall())  # fmt: skip


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


def county(db: Database) -> SupervisionSettings | None:
    """The county's values as this desk last received them; None before the first."""
    return _county(_read(db))


def _county(found: dict[str, str]) -> SupervisionSettings | None:
    try:
        kept = json.loads(found[COUNTY_KEY])
        return SupervisionSettings(
            str(kept["version"]), sv.Rules(int(kept["sign_minutes"]), int(kept["result_days"]))
        )
    except (KeyError, ValueError, TypeError):
        return None


def rules(db: Database) -> sv.Rules:
    """The county's values if they have arrived, else those set on this desk, else the defaults."""
    found = _read(db)
    published = _county(found)
    if published is not None:
        return published.rules
    return sv.Rules(_int(found.get(SIGN_MINUTES_KEY), sv.DEFAULT_RULES.sign_minutes),
                    _int(found.get(RESULT_DAYS_KEY), sv.DEFAULT_RULES.result_days))  # fmt: skip


def save_local(db: Database, new: sv.Rules) -> None:
    """Set the values on this desk by hand: only until the county's first publication arrives."""
    published = county(db)
    if published is not None:
        raise InputError(
            f"县级平台已发布督办时限（第 {published.version} 版：签收 {published.rules.sign_minutes} 分钟，"
            f"结果领取 {published.rules.result_days} 天），本机不能另行设置；"
            "如需修改，请县级信息技术人员在县级平台执行 county-hub supervision set"
        )
    problems = problems_of(new)
    if problems:
        raise InputError("；".join(problems))
    with db.plain_transaction() as c:
        for key, value in ((SIGN_MINUTES_KEY, new.sign_minutes), (RESULT_DAYS_KEY, new.result_days)):
            c.execute("INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = ?",
                      (key, str(value), str(value)))  # fmt: skip


def save_county(db: Database, settings: SupervisionSettings) -> None:
    """Keep the county's publication (sync/follow.py calls this when one arrives)."""
    if problems_of(settings.rules):
        raise SettingsFormatError(problems_of(settings.rules))
    text = json.dumps({"version": settings.version, "sign_minutes": settings.rules.sign_minutes,
                       "result_days": settings.rules.result_days})  # fmt: skip
    with db.plain_transaction() as c:
        c.execute(
            "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = ?",
            (COUNTY_KEY, text, text),
        )
