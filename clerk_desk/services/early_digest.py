"""The password's scrypt worked out while the person is still at the sign-in dialog.

scrypt is slow on purpose (~50 ms and 16 MiB: domain/passwords.py). A person types the password over a
second or more and then presses Enter; the dialog offers the name and password as they change, and one
thread at a time works out the digest of the latest offer against the verifier the check will read — the
dummy verifier for a name that does not exist, so the wait after the click still does not tell whether a
name exists. The check (sign_in.authenticate) takes the digest only when it was made for the same name,
password and verifier, waits for it when it is being made, and otherwise derives it itself.

A digest is kept only when it is of what is still wanted (what the fields hold, or what the check is
waiting for): one that ends after the click, after the dialog has gone or after more was typed is dropped,
and so is one made once the fields hold something else (the password rubbed out, the name changed).

Only the digest is made early: the comparison, the lockout and the audit entry happen at the click as
before, and an attempt counts only when the person submits it (docs/personal-data.md, "Sign-in").
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from clerk_desk.domain import passwords

log = logging.getLogger(__name__)


class EarlyDigest:
    """Digests of what is typed at the sign-in dialog, one thread at a time, the latest offer first."""

    def __init__(self, verifier_of: Callable[[str], str], *, min_length: int = passwords.MIN_LENGTH) -> None:
        self._verifier_of = verifier_of  # the verifier the check will use for a name (read on the worker)
        self._min_length = min_length  # no account's password is shorter: nothing to gain before that
        self._cond = threading.Condition()
        self._wanted: tuple[str, str] | None = None  # the latest offer, not begun yet
        self._running: tuple[str, str] | None = None  # the offer being derived now
        self._latest: tuple[str, str] | None = None  # what a digest is wanted for (the fields, the check)
        self._made: tuple[str, str, str, bytes] | None = None  # name, password, verifier, digest
        self._working = False  # a thread is on it
        self._closed = False
        self.derived = 0  # digests made and kept here (the tests read it)

    def offer(self, username: str, password: str) -> None:
        """The dialog's fields as they are now (GUI thread: returns at once, never reads or derives here)."""
        key = (username.strip(), password)
        with self._cond:
            if self._closed:
                return
            worth = bool(key[0]) and len(password) >= self._min_length
            self._latest = key if worth else None
            if not self._made_for(key):
                self._made = None  # of a text the fields no longer hold
            if not worth or key == self._running or self._made_for(key):
                self._wanted = None
                return
            self._wanted = key
            if self._working:
                return
            self._working = True
        threading.Thread(target=self._work, name="clerk-desk-early-digest", daemon=True).start()

    def take(self, username: str, password: str, verifier: str) -> bytes | None:
        """The digest made for exactly these, waiting while it is being made; None if there is none.

        Used once: whatever was made is dropped here, and a digest still being made for other text is
        dropped when it ends. An offer still waiting its turn is withdrawn, as the check derives it now
        rather than after the one running."""
        key = (username.strip(), password)
        with self._cond:
            self._latest = key  # the one being made for these is still wanted, nothing else is
            if self._wanted == key:
                self._wanted = None
            while self._running == key:
                self._cond.wait()
            made, self._made, self._latest = self._made, None, None
        if made is not None and made[:3] == (*key, verifier):
            return made[3]
        return None

    def forget(self) -> None:
        """Keep no password or digest any longer (signed in, or the dialog closed)."""
        with self._cond:
            self._wanted, self._made, self._latest = None, None, None

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._wanted, self._made, self._latest = None, None, None

    def _made_for(self, key: tuple[str, str]) -> bool:
        return self._made is not None and self._made[:2] == key

    def _work(self) -> None:
        while True:
            with self._cond:
                key, self._wanted = self._wanted, None
                if key is None or self._closed:
                    self._working = False
                    return
                self._running = key
            made: tuple[str, str, str, bytes] | None = None
            try:
                verifier = self._verifier_of(key[0])
                digest = passwords.derive(key[1], verifier)
                if digest is not None:
                    made = (*key, verifier, digest)
            except Exception:  # the database closed meanwhile, say: the check at the click derives it itself
                log.debug("early digest not made", exc_info=True)
            finally:
                with self._cond:
                    self._running = None
                    if made is not None and not self._closed and key == self._latest:
                        self._made = made
                        self.derived += 1
                    self._cond.notify_all()
