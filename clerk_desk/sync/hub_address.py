"""The county hub's address: https only (docs/sync-protocol.md, "Transport security").

Every request after enrolment carries the device token, and pushed events carry applicants' personal
data; on plain http both cross the extranet readable by anyone on the path, and any machine that answers
at the address can pose as the hub. So every address a person or the installer gives, and the one an
enrolled desk has stored, must be https. Plain http is accepted only to this PC itself (127.0.0.1, ::1,
localhost) and only when ``CLERK_DESK_ALLOW_LOOPBACK_HTTP=1`` is set on purpose: the demo hub
(scripts/demo.sh) and the tests.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

from clerk_desk.domain.errors import InputError

ALLOW_LOOPBACK_HTTP = "CLERK_DESK_ALLOW_LOOPBACK_HTTP"
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})
EXAMPLE = "https://hub.tongshan.gov.cn"
WHY = ("连接凭据和办件中的个人信息要经电子政务外网传输，只有 https 能加密传输并核验县级平台的证书，"
       "防止凭据被窃取、平台被冒充")


class InsecureHubAddress(InputError):
    """A plain-http hub address where https is required."""

    code = "insecure_hub_url"


def loopback_http_allowed() -> bool:
    return os.environ.get(ALLOW_LOOPBACK_HTTP, "").strip() == "1"


def normalise(url: str) -> str:
    """The address as the desk stores it (trimmed, no trailing slash), or InputError saying what is wrong.

    The stored form is also part of the keyring entry's name (credentials.py), so it stays as typed.
    """
    text = url.strip().rstrip("/")
    try:
        parts = urlsplit(text)
        _port = parts.port  # an invalid port raises here
        host = parts.hostname
    except ValueError:
        raise InputError(f"县级平台地址格式不正确，应类似 {EXAMPLE}") from None
    scheme = parts.scheme.lower()
    if scheme not in ("https", "http") or not host:
        raise InputError(f"县级平台地址应以 https:// 开头，例如 {EXAMPLE}")
    if parts.username is not None or parts.password is not None:
        raise InputError("县级平台地址中不能含有用户名或密码")
    if parts.query or parts.fragment:
        raise InputError(f"县级平台地址中不能含有“?”或“#”，应类似 {EXAMPLE}")
    if scheme == "http":
        _refuse_plain_http(text, host)
    return text


def _refuse_plain_http(text: str, host: str) -> None:
    if host.lower() not in LOOPBACK_HOSTS:
        raise InsecureHubAddress(
            f"县级平台地址必须以 https:// 开头（{text} 是不加密的 http 地址）：{WHY}。"
            f"请向县级信息技术人员索取 https 地址，例如 {EXAMPLE}"
        )
    if not loopback_http_allowed():
        raise InsecureHubAddress(
            f"县级平台地址必须以 https:// 开头：{WHY}。不加密的 http 只用于本机上的演示和测试"
            f"（{text}，并须设置 {ALLOW_LOOPBACK_HTTP}=1）"
        )


def check_stored(url: str) -> str:
    """An enrolled desk's stored address, checked before its token is sent anywhere."""
    try:
        return normalise(url)
    except InputError as exc:
        raise InsecureHubAddress(
            f"本机登记的县级平台地址 {url} 不是 https 地址，为防止连接凭据被窃取，本机不再向它发送凭据，"
            "办件先保存在本机。请向县级信息技术人员索取 https 地址和新的注册码，"
            "在“系统 → 注册到县级平台”中重新注册。"
            + (f"（{exc.message_zh}）" if not isinstance(exc, InsecureHubAddress) else "")
        ) from exc
