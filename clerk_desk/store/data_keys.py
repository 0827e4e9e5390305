"""What this PC's key (store/machine_key.py) does for a database: seal personal data, index it blindly,
sign the audit log (docs/personal-data.md).

Three keys are derived from the one the OS keeps, each for one use, so that an index or an audit MAC
never reveals anything about the encryption key:
- sealing: AES-256-GCM (the ``cryptography`` package), a random 96-bit nonce per value, the column
  (or payload part) as associated data, so a sealed value copied to another column does not open;
- blind indexes: HMAC-SHA256 of a normalised ID number, and of each prefix of a normalised name, cut
  to 16 bytes: equality and prefix search without the value (store/sealed.py, services/case_queries.py);
- the audit chain: HMAC-SHA256 (store/audit_chain.py).

A database records the fingerprint of the key it was sealed with (setting ``personal_data_key``). With
another key (a backup restored onto another PC) nothing personal can be read: opening gives
``UNREADABLE`` and sealing refuses with a message that says why. ``cryptography`` is imported on the
first seal or open, not at start: sign-in needs only the HMAC keys.
"""

from __future__ import annotations

import base64
import hmac
import json
import re
import secrets
import threading
import unicodedata
from typing import TYPE_CHECKING, Any

from clerk_desk.domain.errors import StorageError

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

FINGERPRINT_SETTING = "personal_data_key"
UNREADABLE = "〔本机无法读取〕"
PURGED = "已清除"
_VERSION = b"\x01"
_NONCE = 12
INDEX_BYTES = 16
MAX_NAME_PREFIX = 64  # prefixes indexed per name; a longer search text is cut to this
LOCKED_MESSAGE = (
    "本数据库中的个人信息（姓名、证件号码、电话、地址）是用另一台电脑的密钥加密的，本机无法读取，"
    "也不能保存新的个人信息。请信息技术人员恢复原电脑的密钥；密钥已丢失时，把数据文件夹移到别处，"
    "在空的数据文件夹中重新注册本机（需县级平台发的新注册码），办件会从县级平台取回。"
)


class PersonalDataLocked(StorageError):
    code = "personal_data_locked"

    def __init__(self) -> None:
        super().__init__(LOCKED_MESSAGE)


class KeyRotated(PersonalDataLocked):
    """The database was re-sealed under a new key (``clerk-desk db rekey``) while this process had it open."""

    code = "personal_data_key_rotated"

    def __init__(self) -> None:
        StorageError.__init__(
            self,
            "本机的个人信息密钥已被信息技术人员更换（clerk-desk db rekey），本程序须重新启动后才能继续"
            "读取或保存个人信息。本次操作未保存，请退出并重新启动 Clerk Desk。",
        )


def preload() -> None:
    """Import the cipher ahead of need (the desk does it with the first pages' modules, ui/startup.py): the
    first case list page then does not pay the 8-20 ms import."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # noqa: F401


def _derive(master: bytes, label: str) -> bytes:
    return hmac.digest(master, f"clerk-desk/v1/{label}".encode(), "sha256")


def normalise_id_number(value: str) -> str:
    return re.sub(r"\s+", "", value).upper()


def normalise_name(value: str) -> str:
    """Full-width letters folded, case folded, spaces collapsed: the form names are indexed in."""
    return " ".join(unicodedata.normalize("NFKC", value).casefold().split())


class DataKeys:
    def __init__(self, master: bytes, expected_fingerprint: str | None = None) -> None:
        self._seal_key = _derive(master, "seal")
        self._index_key = _derive(master, "index")
        self._audit_key = _derive(master, "audit")
        self.fingerprint = _derive(master, "fingerprint")[:16].hex()
        self.readable = expected_fingerprint is None or hmac.compare_digest(
            expected_fingerprint, self.fingerprint
        )
        self._aead: AESGCM | None = None
        self._invalid_tag: type[Exception] = Exception  # cryptography's InvalidTag, once it is loaded
        self._lock = threading.Lock()

    # -- sealing ----------------------------------------------------------------------------------
    def _cipher(self) -> AESGCM:
        if self._aead is None:
            with self._lock:
                if self._aead is None:
                    from cryptography.exceptions import InvalidTag
                    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

                    self._invalid_tag = InvalidTag
                    self._aead = AESGCM(self._seal_key)
        return self._aead

    def seal(self, plain: bytes, purpose: str) -> bytes:
        if not self.readable:
            raise PersonalDataLocked()
        nonce = secrets.token_bytes(_NONCE)
        return _VERSION + nonce + self._cipher().encrypt(nonce, plain, purpose.encode())

    def open(self, sealed: bytes, purpose: str) -> bytes | None:
        """The plain bytes, or None when this key cannot open them (another PC's key, or damage)."""
        if not self.readable or len(sealed) < 1 + _NONCE + 16 or sealed[:1] != _VERSION:
            return None
        cipher = self._cipher()
        try:
            return cipher.decrypt(sealed[1 : 1 + _NONCE], sealed[1 + _NONCE :], purpose.encode())
        except self._invalid_tag:
            return None

    def seal_text(self, text: str, purpose: str) -> bytes:
        return self.seal(text.encode("utf-8"), purpose)

    def open_text(self, sealed: bytes | None, purpose: str) -> str | None:
        if sealed is None:
            return None
        plain = self.open(bytes(sealed), purpose)
        return UNREADABLE if plain is None else plain.decode("utf-8")

    def seal_json(self, value: Any, purpose: str) -> str:
        """A JSON value sealed into text that fits inside a JSON document (base64)."""
        raw = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        return base64.b64encode(self.seal(raw, purpose)).decode("ascii")

    def open_json(self, sealed: str, purpose: str) -> Any:
        """The value, or None when it cannot be opened here."""
        try:
            plain = self.open(base64.b64decode(sealed, validate=True), purpose)
        except ValueError:
            return None
        return None if plain is None else json.loads(plain)

    # -- blind indexes -----------------------------------------------------------------------------
    def _index(self, kind: bytes, text: str) -> bytes:
        return hmac.digest(self._index_key, kind + b"\x00" + text.encode("utf-8"), "sha256")[:INDEX_BYTES]

    def id_number_key(self, id_number: str | None) -> bytes | None:
        value = normalise_id_number(id_number or "")
        return self._index(b"id", value) if value else None

    def name_prefix_key(self, text: str) -> bytes | None:
        value = normalise_name(text)[:MAX_NAME_PREFIX]
        return self._index(b"name", value) if value else None

    def name_keys(self, name: str | None) -> list[bytes]:
        """One key per prefix of the name (so 王, 王伟 and 王伟芳 all find 王伟芳)."""
        value = normalise_name(name or "")[:MAX_NAME_PREFIX]
        return list(dict.fromkeys(self._index(b"name", value[:n]) for n in range(1, len(value) + 1)))

    # -- the audit chain ---------------------------------------------------------------------------
    def audit_mac(self, message: bytes) -> str:
        return hmac.digest(self._audit_key, message, "sha256").hex()
