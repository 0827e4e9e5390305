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

Rotation (``clerk-desk db rekey``, store/rekey.py) replaces the key in an order that a power cut cannot
break (docs/personal-data.md, "Rotating the key"): the old key is kept aside as
``personal-data.key.old-<fingerprint>`` and the new one written as ``personal-data.key.pending`` (naming
the database it is for) before the database is re-sealed; after the commit the pending key takes the old
one's place. Loading the key first settles a rotation that was cut short: the pending key wins when its
database already records its fingerprint, else it is dropped (the database still needs the old key).
"""

from __future__ import annotations

import base64
import contextlib
import json
import logging
import os
import secrets
import sqlite3
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from clerk_desk.domain.errors import StorageError
from clerk_desk.store.data_keys import FINGERPRINT_SETTING, DataKeys

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


def _wrapped_by_dpapi() -> bool:
    """Windows keeps the key DPAPI-wrapped beside the data; a key file named by the environment (tests,
    Linux) holds it base64-encoded."""
    return sys.platform == "win32" and not os.environ.get(ENV_KEY_FILE)


def load_or_create(data_dir: Path) -> bytes:
    """The key for ``data_dir`` (made if there is none yet); a rotation cut short is settled first."""
    path = key_location(data_dir)
    if not _wrapped_by_dpapi() and _inside(path, Path(data_dir)):
        raise KeyUnavailable(
            f"个人信息密钥文件 {path} 位于数据文件夹内：复制数据文件夹即可连同密钥一起带走。"
            f"请把它移到数据文件夹以外（见 docs/personal-data.md）。"
        )
    settle_rotation(path)
    remove_stale_temporaries(path)
    if _wrapped_by_dpapi():
        return _dpapi_load_or_create(path)
    return _file_load_or_create(path)


STALE_AFTER_S = 600  # a key file is written, fsynced and renamed in milliseconds: one this old was cut short


def remove_stale_temporaries(key_path: Path) -> list[Path]:
    """Delete half-written key files (``<key>…tmp-…``, owner-only, holding key material) that a crash left
    behind in the key folder; returns them. Only old ones: another process may be writing one right now."""
    removed: list[Path] = []
    try:
        found = list(key_path.parent.glob(f"{key_path.name}*.tmp-*"))
    except OSError:
        return removed
    now = time.time()
    for tmp in found:
        try:
            if now - tmp.stat().st_mtime < STALE_AFTER_S:
                continue
            tmp.unlink()
        except OSError:
            continue
        removed.append(tmp)
        log.warning("removed %s, a key file a crash left half-written", tmp)
    return removed


def wrap(key: bytes) -> bytes:
    """The bytes of a key file holding ``key``: DPAPI-wrapped on Windows, else the text form."""
    return _dpapi(key, protect=True) if _wrapped_by_dpapi() else _encode(key)


def unwrap(raw: bytes, path: Path) -> bytes:
    if not _wrapped_by_dpapi():
        return _decode(raw, path)
    try:  # pragma: no cover - Windows only
        key = _dpapi(raw, protect=False)
    except OSError as exc:  # pragma: no cover - Windows only
        raise KeyUnavailable(f"无法解开密钥文件 {path}（它是在另一台电脑上保存的）：{exc}") from exc
    if len(key) != KEY_BYTES:  # pragma: no cover - Windows only
        raise KeyUnavailable(f"个人信息密钥文件 {path} 已损坏，无法读取。")
    return key


def read_key_file(path: Path) -> bytes:
    """A key from a file IT names (a kept old key, ``db rekey --old-key``); never made."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise KeyUnavailable(f"无法读取密钥文件 {path}：{exc.strerror or exc}") from exc
    return unwrap(raw, Path(path))


def fingerprint(key: bytes) -> str:
    return DataKeys(key).fingerprint


# -- rotation ---------------------------------------------------------------------------------------------
PENDING_SUFFIX = ".pending"
KEPT_INFIX = ".old-"
_ROTATING_SUFFIX = ".rotating"


def pending_path(key_path: Path) -> Path:
    return key_path.with_name(key_path.name + PENDING_SUFFIX)


def kept_path(key_path: Path, key_fingerprint: str) -> Path:
    """Where a rotated-out key is kept: beside the key, named with its fingerprint."""
    return key_path.with_name(f"{key_path.name}{KEPT_INFIX}{key_fingerprint}")


def kept_key_for(data_dir: Path, key_fingerprint: str | None) -> Path | None:
    """The kept old key with this fingerprint, if this PC has one (a database sealed before a rotation)."""
    if not key_fingerprint:
        return None
    path = kept_path(key_location(data_dir), key_fingerprint)
    return path if path.is_file() else None


def _sync_folder(folder: Path) -> None:
    if os.name != "posix":  # Windows has no directory fsync; MoveFileEx with replace is durable enough
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_durably(path: Path, data: bytes) -> None:
    """``data`` into ``path`` (0600), replacing it in one step: a temporary file, fsynced, renamed, the
    folder fsynced. A power cut leaves the old file or the new one, never half of either."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.tmp-{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)


@contextlib.contextmanager
def rotation_lock(key_path: Path) -> Iterator[bool]:
    """Held while a key is rotated, so that no other process settles the pending key meanwhile (on Linux
    one key file may serve several data folders). Yields False when another process holds it."""
    key_path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(key_path.with_name(key_path.name + _ROTATING_SUFFIX), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            if sys.platform == "win32":  # pragma: no cover - Windows only
                import msvcrt

                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            yield False
            return
        yield True  # released when the file is closed
    finally:
        os.close(fd)


def begin_rotation(key_path: Path, old: bytes, new: bytes, database: Path) -> Path:
    """Before the database is re-sealed: keep the old key aside and write the new one as pending (for
    ``database``). Returns where the old key is kept. Call with :func:`rotation_lock` held."""
    kept = kept_path(key_path, fingerprint(old))
    if not kept.exists():
        _write_durably(kept, wrap(old))
    record = {
        "database": str(Path(database).resolve()),
        "old": fingerprint(old),  # what that database records until the commit (settle_rotation)
        "key": base64.b64encode(wrap(new)).decode("ascii"),
    }
    _write_durably(pending_path(key_path), json.dumps(record).encode("utf-8"))
    return kept


def promote_pending(key_path: Path) -> None:
    """After the commit: the pending key becomes the key (one rename), then the pending file goes."""
    record = json.loads(pending_path(key_path).read_text("utf-8"))
    _write_durably(key_path, base64.b64decode(record["key"]))


def drop_pending(key_path: Path) -> None:
    pending_path(key_path).unlink(missing_ok=True)
    _sync_folder(key_path.parent)


def pending_database(key_path: Path) -> Path | None:
    """The database a pending key is for (None when the pending file cannot be read)."""
    try:
        return Path(json.loads(pending_path(key_path).read_text("utf-8"))["database"])
    except (ValueError, KeyError, TypeError, OSError):
        return None


def _recorded_fingerprint(database: Path) -> str | None:
    """The key fingerprint ``database`` records, "" when it records none, None when it cannot be read."""
    if not database.is_file():
        return None
    try:
        # as_uri() escapes what a URI would misread ('#', '?', '%'): a path taken as is could hide the
        # database, or name another file
        conn = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)
        try:
            row = conn.execute("SELECT value FROM settings WHERE key = ?", (FINGERPRINT_SETTING,)).fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return str(row[0]) if row else ""


def settle_rotation(key_path: Path) -> str | None:
    """Finish or undo a rotation a power cut interrupted: "completed" when the database it was for is
    already sealed with the pending key, "rolled back" when it still records the key it was sealed with
    before, None when there is nothing to do (or it cannot be told now: the database is missing or records
    some third key, or a rotation is running in another process)."""
    pending = pending_path(key_path)
    if not pending.exists():
        return None
    with rotation_lock(key_path) as held:
        if not held or not pending.exists():
            return None
        try:
            record = json.loads(pending.read_text("utf-8"))
            database = Path(record["database"])
            new = unwrap(base64.b64decode(record["key"]), pending)
            was = record.get("old")
        except (ValueError, KeyError, TypeError, OSError) as exc:
            # Written in one rename, so never half there: a damaged file was never a committed rotation's.
            log.warning("pending key %s unreadable (%s): dropped", pending, exc)
            drop_pending(key_path)
            return "rolled back"
        recorded = _recorded_fingerprint(database)
        if recorded is None:
            log.warning("pending key %s is for %s, which cannot be read now: left as it is", pending, database)
            return None
        if recorded == fingerprint(new):
            current = _current_key(key_path)
            if current is not None and fingerprint(current) != recorded:
                kept = kept_path(key_path, fingerprint(current))
                if not kept.exists():
                    _write_durably(kept, wrap(current))
            promote_pending(key_path)
            drop_pending(key_path)
            log.warning("key rotation for %s completed after an interruption", database)
            return "completed"
        if was is not None and recorded != was:
            # Neither key: not the database the rotation began on (it was moved away and another put at its
            # path), so nothing says whether its commit happened; the pending key may be its only key.
            log.warning("pending key %s is for %s, which now records another key (%s): left as it is",
                        pending, database, recorded or "none")  # fmt: skip
            return None
        drop_pending(key_path)
        log.warning("key rotation for %s was interrupted before its commit: rolled back", database)
        return "rolled back"


def _current_key(key_path: Path) -> bytes | None:
    try:
        return unwrap(key_path.read_bytes(), key_path)
    except (OSError, StorageError):
        return None


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
