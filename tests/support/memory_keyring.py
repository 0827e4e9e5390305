"""An in-memory keyring backend for tests: no OS keyring, no D-Bus, nothing left behind.

tests/conftest.py installs it for the test process (``keyring.set_keyring``) and sets
``PYTHON_KEYRING_BACKEND=tests.support.memory_keyring.MemoryKeyring`` (plus the repository root on
``PYTHONPATH``) so that a desk or hub started as a subprocess also uses it instead of the real
Secret Service / Windows Credential Manager.

A subprocess has its own memory: it starts with an empty keyring, and what it stores is gone when
it exits; the test process cannot see it either. A test that needs a secret to survive between
subprocesses (enrol in one, sync in the next) sets ``CLERK_TEST_KEYRING_FILE`` to a path in its
tmp_path: then every MemoryKeyring in those processes reads and writes that JSON file instead.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

FILE_ENV = "CLERK_TEST_KEYRING_FILE"


class MemoryKeyring(KeyringBackend):
    """Passwords in a dict keyed by (service, username); optionally mirrored to a JSON file."""

    priority = 1  # viable, but only ever chosen explicitly (set_keyring / PYTHON_KEYRING_BACKEND)

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._data: dict[tuple[str, str], str] = {}

    # -- storage --------------------------------------------------------------------------------
    @staticmethod
    def _file() -> Path | None:
        path = os.environ.get(FILE_ENV)
        return Path(path) if path else None

    def _load(self) -> dict[tuple[str, str], str]:
        path = self._file()
        if path is None:
            return self._data
        if not path.exists():
            return {}
        return {(s, u): p for s, u, p in json.loads(path.read_text("utf-8"))}

    def _save(self, data: dict[tuple[str, str], str]) -> None:
        path = self._file()
        if path is None:
            self._data = data
            return
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps([[s, u, p] for (s, u), p in data.items()]), "utf-8")
        tmp.replace(path)

    # -- KeyringBackend API -------------------------------------------------------------------
    def get_password(self, service: str, username: str) -> str | None:
        with self._lock:
            return self._load().get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        with self._lock:
            data = dict(self._load())
            data[(service, username)] = password
            self._save(data)

    def delete_password(self, service: str, username: str) -> None:
        with self._lock:
            data = dict(self._load())
            if (service, username) not in data:
                raise PasswordDeleteError(f"no password for {username!r} in {service!r}")
            del data[(service, username)]
            self._save(data)

    # -- test helpers -------------------------------------------------------------------------
    def clear(self) -> None:
        with self._lock:
            self._save({})

    def items(self) -> dict[tuple[str, str], str]:
        """A copy of everything stored, for assertions (e.g. that a token was written)."""
        with self._lock:
            return dict(self._load())
