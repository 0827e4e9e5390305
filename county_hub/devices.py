"""Sites, devices, one-time enrolment codes and device tokens."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from county_hub import audit
from county_hub.auth import new_token, secret_hash
from county_hub.errors import HubError
from county_hub.models import Device, DeviceScope, DeviceToken, EnrolmentCode, Site, utcnow
from county_hub.schemas import CODE_PATTERN, iso_utc
from county_hub.scope import ALL, Pair, Scope

KINDS = ("clerk", "approver", "county")
# A county supervisor device: county scope for the figures and the 督办 list (county_hub.api.county), and no
# (site, department) pair at all, so it pulls no case, reads no case's history and pushes nothing.
COUNTY = "county"
_CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read out over the phone
_CODE_RE = re.compile(CODE_PATTERN)


class AdminError(ValueError):
    """A refused admin command; the message says why in plain words."""


def check_code(value: str, what: str) -> str:
    if not _CODE_RE.match(value):
        raise AdminError(f"{what}「{value}」不合规：只能由 1-32 个字母、数字、'.'、'_' 或 '-' 组成，请改正后重试")
    return value


def add_site(conn: Connection, code: str, name: str, actor: str) -> None:
    check_code(code, "服务中心代码")
    if conn.execute(select(Site.code).where(Site.code == code)).first():
        raise AdminError(f"服务中心 {code} 已存在，无需再添加（已有的服务中心可用 county-hub site list 查看）")
    conn.execute(insert(Site).values(code=code, name=name, created_at=utcnow()))
    audit.record(conn, "site_added", actor, code, name=name)


def _next_device_code(conn: Connection) -> str:
    taken = set(conn.execute(select(Device.code)).scalars())
    n = conn.execute(select(func.count()).select_from(Device)).scalar_one() + 1
    while f"{n:04d}" in taken:
        n += 1
    return f"{n:04d}"


def add_device(
    conn: Connection,
    site_code: str,
    kind: str,
    serves: Iterable[Pair] = (),
    code: str | None = None,
    actor: str = "admin",
) -> tuple[str, Scope]:
    """Register a device. A clerk device covers its whole site unless --serves narrows it; an approver
    device covers exactly the pairs it serves; a county supervisor device serves none (its site is where
    it stands, the county office)."""
    if kind not in KINDS:
        raise AdminError(f"设备类型须为 {'、'.join(KINDS)} 之一（clerk 窗口电脑，approver 审批电脑，county 县级督办电脑）")
    if not conn.execute(select(Site.code).where(Site.code == site_code)).first():
        raise AdminError(f"没有服务中心 {site_code}：请先用 county-hub site add {site_code} 名称 添加，"
                         "已有的服务中心可用 county-hub site list 查看")
    pairs = sorted(set(serves))
    for site, dept in pairs:
        check_code(site, "服务中心代码")
        if dept != ALL:
            check_code(dept, "部门代码")
        if not conn.execute(select(Site.code).where(Site.code == site)).first():
            raise AdminError(f"--serves 中的服务中心 {site} 不存在：请先用 county-hub site add 添加，或改正代码（county-hub site list）")
    if kind == COUNTY:
        if pairs:
            raise AdminError("县级督办电脑（--kind county）不服务任何服务中心，只读取全县统计：请去掉 --serves")
    elif kind == "clerk":
        pairs = pairs or [(site_code, ALL)]
        if any(site != site_code for site, _ in pairs):
            raise AdminError("窗口电脑（--kind clerk）只服务本服务中心：--serves 中只能写 --site 给出的服务中心")
    elif not pairs:
        raise AdminError("审批电脑（--kind approver）至少要用 --serves 服务中心代码:部门代码 给出一个服务的部门")
    code = check_code(code, "设备编号") if code else _next_device_code(conn)
    if conn.execute(select(Device.code).where(Device.code == code)).first():
        raise AdminError(f"设备 {code} 已存在：为它取新的注册码请运行 county-hub device code {code}，"
                         "或去掉 --code 让平台自动编号")
    conn.execute(
        insert(Device).values(
            code=code, site_code=site_code, kind=kind, created_at=utcnow(), max_device_seq=0
        )
    )
    if pairs:
        conn.execute(
            insert(DeviceScope),
            [{"device_code": code, "site_code": s, "department_code": d} for s, d in pairs],
        )
    audit.record(
        conn, "device_added", actor, code, site=site_code, kind=kind, scope=[f"{s}:{d}" for s, d in pairs]
    )
    return code, Scope.of(pairs)


def normalise_enrolment_code(code: str) -> str:
    return "".join(c for c in code.upper() if c.isalnum())


def issue_enrolment_code(
    conn: Connection, device_code: str, hours: float = 72.0, actor: str = "admin"
) -> str:
    device = conn.execute(select(Device.__table__).where(Device.code == device_code)).first()
    if device is None:
        raise AdminError(f"没有设备 {device_code}：请用 county-hub device list 查看已登记的设备")
    if device.revoked_at is not None:
        raise AdminError(
            f"设备 {device_code} 已吊销，不能再启用：请用 county-hub device add 重新登记该电脑（取得新的设备编号），"
            "再用新的注册码注册"
        )
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(16))
    now = utcnow()
    conn.execute(
        insert(EnrolmentCode).values(
            code_hash=secret_hash(raw),
            device_code=device_code,
            created_at=now,
            expires_at=now + timedelta(hours=hours),
        )
    )
    audit.record(conn, "enrolment_code_issued", actor, device_code, hours=hours)
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def enrol(conn: Connection, code: str, os_account: str, device_info: dict[str, Any]) -> dict[str, Any]:
    """Trade a one-time enrolment code for a device token of (device, OS account).

    A refusal raises HubError (403) with ``subject`` set; the caller audits it in its own transaction,
    since this one rolls back.
    """
    now = utcnow()
    digest = secret_hash(normalise_enrolment_code(code))
    row = conn.execute(select(EnrolmentCode.__table__).where(EnrolmentCode.code_hash == digest)).first()

    def refuse(err_code: str, message: str, subject: str) -> HubError:
        error = HubError(403, err_code, message)
        error.subject = subject  # type: ignore[attr-defined]  # for the caller's audit entry
        return error

    if row is None:
        raise refuse(
            "enrolment_code_unknown", "this enrolment code is not known; check it or ask county IT", "?"
        )
    if row.used_at is not None:
        raise refuse(
            "enrolment_code_used",
            "this enrolment code was already used; ask county IT for a new one",
            row.device_code,
        )
    if row.expires_at <= now:
        raise refuse(
            "enrolment_code_expired",
            "this enrolment code has expired; ask county IT for a new one",
            row.device_code,
        )
    device = conn.execute(select(Device.__table__).where(Device.code == row.device_code)).one()
    if device.revoked_at is not None:
        raise refuse("device_revoked", "this device was revoked by county IT", device.code)
    token_id, token = new_token()
    claimed = conn.execute(
        update(EnrolmentCode)
        .where(EnrolmentCode.code_hash == digest, EnrolmentCode.used_at.is_(None))
        .values(used_at=now, token_id=token_id)
    )
    if claimed.rowcount != 1:
        raise refuse(
            "enrolment_code_used",
            "this enrolment code was already used; ask county IT for a new one",
            device.code,
        )
    # One token per (device, OS account): enrolling again under the same account replaces the old token.
    replaced = conn.execute(
        update(DeviceToken)
        .where(
            DeviceToken.device_code == device.code,
            DeviceToken.os_account == os_account,
            DeviceToken.revoked_at.is_(None),
        )
        .values(revoked_at=now)
    ).rowcount
    conn.execute(
        insert(DeviceToken).values(
            id=token_id,
            device_code=device.code,
            token_hash=secret_hash(token),
            os_account=os_account,
            device_info=device_info,
            created_at=now,
        )
    )
    conn.execute(
        update(Device).where(Device.code == device.code, Device.enrolled_at.is_(None)).values(enrolled_at=now)
    )
    audit.record(conn, "enrolled", os_account, device.code, token_id=token_id, replaced_tokens=replaced)
    pairs = conn.execute(
        select(DeviceScope.site_code, DeviceScope.department_code).where(
            DeviceScope.device_code == device.code
        )
    ).all()
    return {
        "token": token,
        "token_id": token_id,
        "device_code": device.code,
        "site_code": device.site_code,
        "kind": device.kind,
        "scope": Scope.of((p.site_code, p.department_code) for p in pairs).as_list(),
    }


def revoke(conn: Connection, device_code: str, token_id: str | None = None, actor: str = "admin") -> int:
    """Revoke one token, or (no token id) the device and all its tokens. Returns tokens revoked."""
    now = utcnow()
    if not conn.execute(select(Device.code).where(Device.code == device_code)).first():
        raise AdminError(f"没有设备 {device_code}：请用 county-hub device list 查看已登记的设备")
    where = [DeviceToken.device_code == device_code, DeviceToken.revoked_at.is_(None)]
    if token_id is not None:
        if not conn.execute(
            select(DeviceToken.id).where(DeviceToken.id == token_id, DeviceToken.device_code == device_code)
        ).first():
            raise AdminError(
                f"设备 {device_code} 没有令牌 {token_id}：请用 county-hub device list 查看该设备的令牌编号"
            )
        where.append(DeviceToken.id == token_id)
    count = conn.execute(update(DeviceToken).where(*where).values(revoked_at=now)).rowcount
    if token_id is None:
        conn.execute(update(Device).where(Device.code == device_code).values(revoked_at=now))
        audit.record(conn, "device_revoked", actor, device_code, tokens=count)
    else:
        audit.record(conn, "token_revoked", actor, device_code, token_id=token_id)
    return count


def _iso(moment: datetime | None) -> str | None:
    return iso_utc(moment) if moment is not None else None


def list_devices(conn: Connection, quiet_since: datetime | None = None) -> list[dict[str, Any]]:
    """The devices with their tokens, when each was enrolled and when it last pushed (UTC). With
    ``quiet_since``: only devices in use (not revoked) that have not pushed since then, or never."""
    out = []
    for d in conn.execute(select(Device.__table__).order_by(Device.code)):
        if quiet_since is not None and (
            d.revoked_at is not None or (d.last_push_at is not None and _utc(d.last_push_at) >= quiet_since)
        ):
            continue
        tokens = conn.execute(
            select(DeviceToken.id, DeviceToken.os_account, DeviceToken.revoked_at, DeviceToken.created_at).where(
                DeviceToken.device_code == d.code
            )
        ).all()
        out.append(
            {
                "code": d.code,
                "site": d.site_code,
                "kind": d.kind,
                "revoked": d.revoked_at is not None,
                "enrolled_at": _iso(d.enrolled_at),
                "last_push_at": _iso(d.last_push_at),
                "tokens": [
                    {
                        "id": t.id,
                        "os_account": t.os_account,
                        "revoked": t.revoked_at is not None,
                        "created_at": _iso(t.created_at),
                    }
                    for t in tokens
                ],
            }
        )
    return out


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def list_sites(conn: Connection) -> list[tuple[str, str]]:
    """The township sites as (code, name), by code (``county-hub site list``)."""
    return [(r.code, r.name) for r in conn.execute(select(Site.code, Site.name).order_by(Site.code))]
