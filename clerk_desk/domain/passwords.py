"""Password verifiers (scrypt, memory-hard), shared by the desk's local accounts and the hub's directory.

A verifier is a self-describing string ``scrypt$n$r$p$salt_b64$hash_b64`` so parameters can be raised
later without breaking stored accounts; :func:`needs_rehash` tells when to upgrade one at next login.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

# n=2**14, r=8 costs 16 MiB and ~50 ms: slow for an attacker, quick enough for a login at the window.
N, R, P = 2**14, 8, 1
_MAXMEM = 64 * 1024 * 1024
MIN_LENGTH = 8


class WeakPassword(ValueError):
    def __init__(self, message_zh: str) -> None:
        super().__init__(message_zh)
        self.message_zh = message_zh


def check_strength(password: str) -> None:
    """Reject passwords a clerk could be talked out of in a busy hall."""
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"密码至少需要 {MIN_LENGTH} 位")
    if password.isdigit() or password.isalpha():
        raise WeakPassword("密码需同时包含字母和数字")


def hash_password(password: str, *, n: int = N, r: int = R, p: int = P) -> str:
    salt = os.urandom(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, maxmem=_MAXMEM, dklen=32)
    b64 = base64.b64encode
    return f"scrypt${n}${r}${p}${b64(salt).decode()}${b64(digest).decode()}"


def derive(password: str, verifier: str) -> bytes | None:
    """The scrypt digest of ``password`` under the verifier's salt and parameters (None: not one we read).

    The slow part of a check, apart so that it can be worked out before the click
    (services/early_digest.py); :func:`verify_password` compares it."""
    try:
        scheme, n, r, p, salt_b64, hash_b64 = verifier.split("$")
        if scheme != "scrypt":
            return None
        salt, expected = base64.b64decode(salt_b64), base64.b64decode(hash_b64)
        return hashlib.scrypt(
            password.encode(), salt=salt, n=int(n), r=int(r), p=int(p), maxmem=_MAXMEM, dklen=len(expected)
        )
    except (ValueError, TypeError):
        return None


def verify_password(password: str, verifier: str, *, derived: bytes | None = None) -> bool:
    """Whether ``password`` is the verifier's; ``derived``, when given, is :func:`derive` of the two, done before."""
    digest = derived if derived is not None else derive(password, verifier)
    if digest is None:
        return False
    try:
        expected = base64.b64decode(verifier.split("$")[5])
    except (ValueError, IndexError):
        return False
    return hmac.compare_digest(digest, expected)


def needs_rehash(verifier: str) -> bool:
    parts = verifier.split("$")
    return len(parts) != 6 or parts[0] != "scrypt" or (int(parts[1]), int(parts[2]), int(parts[3])) < (N, R, P)
