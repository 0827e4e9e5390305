"""The device token lives in the OS keyring only (never SQLite, a config file or a log).

A token belongs to (hub, device, OS account): the keyring is per OS user, and a shared hall PC has one
token per Windows account (docs/architecture.md §5). When no secure backend exists (a Linux box without D-Bus,
a locked-down profile) we say so plainly instead of falling back to a file.
"""

from __future__ import annotations

import getpass
import os
from types import ModuleType

from clerk_desk.domain.errors import ClerkDeskError

SERVICE = "clerk-desk"


class NoSecureStore(ClerkDeskError):
    code = "no_keyring"

    def __init__(self, detail: str = "") -> None:
        super().__init__(
            "本机没有可用的安全凭据存储（系统钥匙串），无法保存与县级平台的连接凭据。"
            "请联系信息技术人员启用 Windows 凭据管理器或系统钥匙串后再注册本机。"
            + (f"（{detail}）" if detail else "")
        )


def os_account() -> str:
    try:
        return getpass.getuser()
    except OSError:  # no login name (service account, container)
        return "unknown"


def _key(hub_url: str, device_code: str, account: str | None = None) -> str:
    return f"{hub_url.rstrip('/')}|{device_code}|{account or os_account()}"


def _keyring() -> ModuleType:
    """keyring and its backends take ~0.1 s to import: loaded on the sync thread when first needed."""
    import keyring

    return keyring


def _check_backend() -> ModuleType:
    keyring = _keyring()
    backend = keyring.get_keyring()
    module = type(backend).__module__
    # The "fail" backend and a chainer with nothing in it mean: nowhere safe to put a secret.
    if module.startswith("keyring.backends.fail") or getattr(backend, "priority", 1) <= 0:
        raise NoSecureStore(type(backend).__name__)
    # keyrings.alt's file backends keep the token in a file in the user's home. Once that package is
    # installed keyring picks them by itself, so they count only when chosen on purpose (the demo on a
    # headless box sets PYTHON_KEYRING_BACKEND, scripts/demo.sh).
    if module.startswith("keyrings.alt") and not os.environ.get("PYTHON_KEYRING_BACKEND"):
        raise NoSecureStore(type(backend).__name__)
    return keyring


def save_token(hub_url: str, device_code: str, token: str, account: str | None = None) -> None:
    keyring = _check_backend()
    from keyring.errors import KeyringError, NoKeyringError

    try:
        keyring.set_password(SERVICE, _key(hub_url, device_code, account), token)
    except (NoKeyringError, KeyringError) as exc:
        raise NoSecureStore(str(exc)) from exc


def load_token(hub_url: str, device_code: str, account: str | None = None) -> str | None:
    keyring = _check_backend()
    from keyring.errors import KeyringError, NoKeyringError

    try:
        token = keyring.get_password(SERVICE, _key(hub_url, device_code, account))
    except (NoKeyringError, KeyringError) as exc:
        raise NoSecureStore(str(exc)) from exc
    return None if token is None else str(token)


def forget_token(hub_url: str, device_code: str, account: str | None = None) -> None:
    keyring = _keyring()
    from keyring.errors import KeyringError, NoKeyringError, PasswordDeleteError

    try:
        keyring.delete_password(SERVICE, _key(hub_url, device_code, account))
    except PasswordDeleteError:
        pass
    except (NoKeyringError, KeyringError) as exc:
        raise NoSecureStore(str(exc)) from exc
