"""This PC's identity in its own database: the site it serves and its device code.

`clerk-desk site set` (services/site_setup.py) or enrolment at the county hub (sync/enrolment.py) writes both
settings; everything that needs to know "which PC is this?" asks here, in the caller's session, so a case number,
an event and a printed paper always name the same device (docs/architecture.md §3).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from clerk_desk.domain.errors import NotFound
from clerk_desk.store.models import Device, Setting

NOT_SET = "本机尚未设置中心和本机编号，请联系管理员（site set）"


def device_code_or_none(s: Session) -> str | None:
    row = s.get(Setting, "device_code")
    return row.value if row and row.value else None


def device_code(s: Session) -> str:
    """This PC's device code; NotFound (with what to do) on a PC not set up yet."""
    code = device_code_or_none(s)
    if code is None:
        raise NotFound(NOT_SET)
    return code


def site_and_device(s: Session) -> tuple[str, str]:
    """(site code, device code) of a PC ready to issue case numbers: both set and the device row present."""
    site = s.get(Setting, "site_code")
    code = device_code_or_none(s)
    if site is None or not site.value or code is None or s.get(Device, code) is None:
        raise NotFound(NOT_SET)
    return site.value, code
