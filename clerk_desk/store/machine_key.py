"""This PC's personal-data key: 32 random bytes the operating system keeps, never the data folder alone.

Where (docs/personal-data.md, "The key"):
- Windows: wrapped with DPAPI in machine scope (CryptProtectData with CRYPTPROTECT_LOCAL_MACHINE) and
  stored beside the data as ``personal-data.key``. Any account on this PC can unwrap it; the same
  file on another PC cannot be unwrapped, so a copied data folder or backup is unreadable there.
- Linux: a file only its owner may read (0600 in a 0700 folder), kept outside the data folder:
  ``$CLERK_DESK_KEY_FILE`` if set, else ``/etc/clerk-desk/personal-data.key`` for root (a system
  installation), else ``~/.config/clerk-desk/personal-data.key``.

A missing key is made on first use. Nothing here decides whether a database belongs to this key:
store/data_keys.py compares fingerprints.
"""

from __future__ import annotations

import base64
import logging
import os
import secrets
import sys
from pathlib import Path

from clerk_desk.domain.errors import StorageError

log = logging.getLogger(__name__)

ENV_KEY_FILE = "CLERK_DESK_KEY_FILE"
KEY_FILENAME = "personal-data.key"
SYSTEM_KEY_FILE = Path("/etc/clerk-desk") / KEY_FILENAME
_HEADER = "clerk-desk personal-data key v1"
_DPAPI_ENTROPY = b"clerk-desk personal-data key v1"
KEY_BYTES = 32


class KeyUnavailable(StorageError):
    code = "key_unavailable"


def key_location(data_dir: Path) -> Path:
    env = os.environ.get(ENV_KEY_FILE)
    if env:
        return Path(env)
    if sys.platform == "win32":
        return Path(data_dir) / KEY_FILENAME
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        return SYSTEM_KEY_FILE
    xdg = os.environ.get("XDG_CONFIG_HOME")
    return (Path(xdg) if xdg else Path.home() / ".config") / "clerk-desk" / KEY_FILENAME


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def load_or_create(data_dir: Path) -> bytes:
    """The key for ``data_dir`` (made if there is none yet)."""
    path = key_location(data_dir)
    if sys.platform == "win32" and not os.environ.get(ENV_KEY_FILE):
        return _dpapi_load_or_create(path)
    if _inside(path, Path(data_dir)):
        raise KeyUnavailable(
            f"个人信息密钥文件 {path} 位于数据文件夹内：复制数据文件夹即可连同密钥一起带走。"
            f"请把它移到数据文件夹以外（见 docs/personal-data.md）。"
        )
    return _file_load_or_create(path)


# -- a key file (Linux, and tests everywhere) -------------------------------------------------------------
def _encode(key: bytes) -> bytes:
    return f"{_HEADER}\n{base64.b64encode(key).decode()}\n".encode()


def _decode(raw: bytes, path: Path) -> bytes:
    lines = raw.decode("ascii", "replace").split()
    try:
        key = base64.b64decode(lines[-1], validate=True) if " ".join(lines[:-1]) == _HEADER else b""
    except (ValueError, IndexError):
        key = b""
    if len(key) != KEY_BYTES:
        raise KeyUnavailable(
            f"个人信息密钥文件 {path} 已损坏，无法读取。请从信息技术人员保存的备份恢复该文件。"
        )
    return key


def _file_load_or_create(path: Path) -> bytes:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return _create_file(path)
    except OSError as exc:
        raise KeyUnavailable(f"无法读取个人信息密钥文件 {path}：{exc}（该文件只允许其所有者读取）") from exc
    if os.name == "posix" and path.stat().st_mode & 0o077:
        log.warning("key file %s was readable by others; made owner-only", path)
        path.chmod(0o600)
    return _decode(raw, path)


def _create_file(path: Path) -> bytes:
    key = secrets.token_bytes(KEY_BYTES)
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    except FileExistsError:  # another process made it first: use theirs
        return _decode(path.read_bytes(), path)
    except OSError as exc:
        raise KeyUnavailable(f"无法创建个人信息密钥文件 {path}：{exc}") from exc
    with os.fdopen(fd, "wb") as fh:
        fh.write(_encode(key))
        fh.flush()
        os.fsync(fh.fileno())
    log.info("made a new personal-data key in %s", path)
    return key


# -- Windows DPAPI, machine scope -------------------------------------------------------------------------
def _dpapi(data: bytes, *, protect: bool) -> bytes:  # pragma: no cover - Windows only
    if sys.platform != "win32":  # also tells the type checker the rest is Windows code
        raise OSError("DPAPI exists only on Windows")
    import ctypes
    from ctypes import wintypes

    class Blob(ctypes.Structure):
        _fields_ = [("cbData", wintypes.DWORD), ("pbData", ctypes.POINTER(ctypes.c_char))]

    def blob(b: bytes) -> tuple[Blob, ctypes.Array[ctypes.c_char]]:
        buf = ctypes.create_string_buffer(b, len(b))
        return Blob(len(b), ctypes.cast(buf, ctypes.POINTER(ctypes.c_char))), buf

    crypt32 = ctypes.WinDLL("crypt32", use_last_error=True)
    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    cryptprotect_ui_forbidden, cryptprotect_local_machine = 0x1, 0x4
    data_in, _keep_in = blob(data)
    entropy, _keep_entropy = blob(_DPAPI_ENTROPY)
    out = Blob()
    if protect:
        ok = crypt32.CryptProtectData(ctypes.byref(data_in), "Clerk Desk personal-data key", ctypes.byref(entropy),
                                      None, None, cryptprotect_ui_forbidden | cryptprotect_local_machine,
                                      ctypes.byref(out))  # fmt: skip
    else:
        ok = crypt32.CryptUnprotectData(ctypes.byref(data_in), None, ctypes.byref(entropy), None, None,
                                        cryptprotect_ui_forbidden, ctypes.byref(out))  # fmt: skip
    if not ok:
        raise ctypes.WinError(ctypes.get_last_error())
    try:
        return ctypes.string_at(out.pbData, out.cbData)
    finally:
        kernel32.LocalFree(out.pbData)


def _dpapi_load_or_create(path: Path) -> bytes:  # pragma: no cover - Windows only
    if sys.platform != "win32":
        raise OSError("DPAPI exists only on Windows")
    try:
        wrapped = path.read_bytes()
    except FileNotFoundError:
        key = secrets.token_bytes(KEY_BYTES)
        wrapped = _dpapi(key, protect=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_BINARY, 0o600)
        except FileExistsError:
            return _dpapi_load_or_create(path)
        with os.fdopen(fd, "wb") as fh:
            fh.write(wrapped)
            fh.flush()
            os.fsync(fh.fileno())
        return key
    try:
        key = _dpapi(wrapped, protect=False)
    except OSError as exc:
        # Wrapped on another PC (a copied data folder): keep the file aside, make this PC's own key. The
        # database then says that its personal data cannot be read here (store/data_keys.py).
        aside = path.with_name(f"{path.name}.from-another-pc-{secrets.token_hex(4)}")
        log.warning("cannot unwrap %s (%s); kept as %s, making this PC's key", path, exc, aside)
        path.rename(aside)
        return _dpapi_load_or_create(path)
    if len(key) != KEY_BYTES:
        raise KeyUnavailable(f"个人信息密钥文件 {path} 已损坏，无法读取。")
    return key
