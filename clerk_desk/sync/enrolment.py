"""Enrolling this PC with the county hub, and the hub connection settings.

The hub address and CA bundle are ordinary settings (in the database); the token goes to the OS
keyring only. After enrolment the hub is the authority for this device's site, code and mode.
"""

from __future__ import annotations

import json
import platform
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from clerk_desk import __version__
from clerk_desk.domain.errors import InputError
from clerk_desk.services import site_setup
from clerk_desk.store.database import Database
from clerk_desk.store.models import Setting
from clerk_desk.store.sequences import rebase
from clerk_desk.sync import credentials, hub_address
from clerk_desk.sync.hub_client import HubClient, HubRedirected, HubRefused, HubUnreachable

HUB_URL, CA_BUNDLE, SCOPE = "hub_url", "hub_ca_bundle", "hub_scope"

_REFUSALS_ZH = {
    "enrolment_code_unknown": "注册码不正确，请核对后重新输入",
    "enrolment_code_used": "该注册码已使用过。每个注册码只能用一次，请向县级信息技术人员申请新的注册码",
    "enrolment_code_expired": "注册码已过期，请向县级信息技术人员申请新的注册码",
    "device_revoked": "本机已被县级平台停用，请联系县级信息技术人员",
}


def _unreachable_zh(url: str, raw: str, ca_bundle: str | None) -> str:
    """Why the enrolment got no answer, and what to check: a certificate that does not verify is not a
    network problem, and "check the network" sent IT the wrong way (the code is not spent either way)."""
    if not raw.startswith("TLS"):
        return f"无法连接县级平台（{url}），请检查网络后重试。{raw}"
    host = urlsplit(url).hostname or url
    low = raw.lower()
    if "hostname mismatch" in low or "doesn't match" in low or "not valid for" in low:
        why = (f"县级平台的证书不是签发给 {host} 的：请用证书上的地址注册，或请县级信息技术人员为 {host} 签发平台证书")
    elif "expired" in low or "not yet valid" in low:
        why = "县级平台的证书已过期或尚未生效：请检查平台证书的有效期，以及本机的日期和时间是否正确"
    elif "ca file" in low:
        why = f"读不了 CA 证书文件 {ca_bundle}：请确认它是 PEM 格式的电子政务外网 CA 证书"
    else:
        given = f"所给的 CA 证书（{ca_bundle}）" if ca_bundle else "本机没有指定 CA 证书（--ca），默认的证书库"
        why = (f"无法核验县级平台（{url}）的证书：{given}不能证明它。请用 --ca 指定签发平台证书的电子政务外网 CA 证书"
               "文件（PEM），或在注册对话框中选择该文件")  # fmt: skip
    return f"{why}。注册码未使用，可重试。（技术信息：{raw}）"


@dataclass(frozen=True)
class HubSettings:
    url: str
    ca_bundle: str | None


@dataclass(frozen=True)
class Enrolled:
    device_code: str
    site_code: str
    kind: str
    scope: list[dict[str, str]]


def hub_settings(db: Database) -> HubSettings | None:
    with db.reading() as s:
        url = s.get(Setting, HUB_URL)
        ca = s.get(Setting, CA_BUNDLE)
        return HubSettings(url.value, ca.value if ca and ca.value else None) if url else None


def _put(s, key: str, value: str) -> None:  # type: ignore[no-untyped-def]
    row = s.get(Setting, key)
    if row is None:
        s.add(Setting(key=key, value=value))
    else:
        row.value = value


def enrol(db: Database, hub_url: str, code: str, *, ca_bundle: str | None = None) -> Enrolled:
    """Send the one-time code, keep the token in the keyring, take site/device/mode from the hub."""
    url = hub_address.normalise(hub_url)  # https only: says why otherwise
    if ca_bundle and not Path(ca_bundle).is_file():
        raise InputError(f"找不到证书文件：{ca_bundle}")
    if not code.strip():
        raise InputError("请输入县级信息技术人员提供的注册码")
    credentials._check_backend()  # say "no keyring" before spending the one-time code
    client = HubClient(url, ca_bundle=ca_bundle)
    try:
        answer = client.enrol(code, credentials.os_account(),
                              {"hostname": platform.node(), "app_version": __version__, "os": platform.platform()})
    except HubRedirected as exc:  # the network is fine: the address is not (any longer) the hub's own
        raise InputError(
            f"县级平台的地址 {url} 转向了 {exc.location or '（未说明）'}，本机不跟随转向：请向县级信息技术人员核实平台现在的"
            f" https 地址，并用它注册。注册码未使用，可重试。（技术信息：{exc}）"
        ) from exc
    except HubUnreachable as exc:
        raise InputError(_unreachable_zh(url, str(exc), ca_bundle)) from exc
    except HubRefused as exc:
        raise InputError(_REFUSALS_ZH.get(exc.code, f"县级平台拒绝注册：{exc.message}")) from exc
    finally:
        client.close()
    credentials.save_token(url, answer["device_code"], answer["token"])
    info = site_setup.site_info(db)
    site_setup.set_site(
        db, site_code=answer["site_code"], site_name=info.site_name if info.site_code == answer["site_code"]
        and info.site_name else answer["site_code"], device_code=answer["device_code"],
        mode="approver" if answer["kind"] == "approver" else "clerk", actor="enrolment",
    )
    with db.transaction() as s:
        _put(s, HUB_URL, url)
        _put(s, CA_BUNDLE, ca_bundle or "")
        _put(s, SCOPE, json.dumps(answer["scope"]))
    rebase_from_hub(db)
    return Enrolled(answer["device_code"], answer["site_code"], answer["kind"], answer["scope"])


def client_for(db: Database) -> HubClient | None:
    """A client with this OS account's token, or None when this PC (or this account) is not enrolled.

    Raises InsecureHubAddress when the stored address is not https (the engine shows what to do)."""
    hs = hub_settings(db)
    device = site_setup.site_info(db).device_code
    if hs is None or device is None:
        return None
    # Enrolled over plain http before https was required: the token is not sent there (hub_address.py).
    hub_address.check_stored(hs.url)
    token = credentials.load_token(hs.url, device)
    return HubClient(hs.url, token, ca_bundle=hs.ca_bundle) if token else None


def needs_enrolment_for_this_account(db: Database) -> bool:
    """The PC is enrolled but this Windows account has no token yet (docs/architecture.md §5)."""
    hs = hub_settings(db)
    device = site_setup.site_info(db).device_code
    return hs is not None and device is not None and credentials.load_token(hs.url, device) is None


def rebase_from_hub(db: Database) -> None:
    """After a restore the local counters may be behind what the hub already saw from us: lift them."""
    try:
        client = client_for(db)
    except hub_address.InsecureHubAddress:
        return  # nothing is asked of a hub that is not https (the sync status says what to do)
    if client is None:
        return
    try:
        me = client.me()
    except (HubUnreachable, HubRefused):
        return
    finally:
        client.close()
    device = site_setup.site_info(db).device_code
    seen = int(me.get("max_device_seq") or 0)
    if device:
        with db.transaction() as s:
            # Every case number comes with at least one event, so the event count bounds the case count:
            # lifting both to it can skip numbers after a restore but never repeat one.
            rebase(s, device, case_seq=seen, event_seq=seen)
