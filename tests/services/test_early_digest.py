"""The password's scrypt begun while it is typed (services/early_digest.py): the check at the click uses it
only when it was made for the same name, password and verifier, and everything else about sign-in stays as
it was — the comparison, the lockout and the audit entry happen at the click."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from clerk_desk.domain import passwords
from clerk_desk.domain.errors import AuthError
from clerk_desk.services import accounts, sign_in, site_setup
from clerk_desk.services.early_digest import EarlyDigest
from clerk_desk.store.database import Database
from tests.services.test_sign_in import PASSWORD, BootClock


@pytest.fixture
def db(tmp_path: Path) -> Database:
    d = Database(tmp_path)
    site_setup.set_site(d, site_code="421224100", site_name="通羊镇便民服务中心", device_code="01")
    accounts.add_user(d, username="clerk1", display_name="张小红", password=PASSWORD, roles=["clerk"])
    return d


@pytest.fixture
def scrypts(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, str]]]:
    """Every scrypt worked out, as (thread, password), through the real derive."""
    done: list[tuple[str, str]] = []
    real = passwords.derive

    def derive(password: str, verifier: str) -> bytes | None:
        done.append((threading.current_thread().name, password))
        return real(password, verifier)

    monkeypatch.setattr(passwords, "derive", derive)
    yield done


def _typed(early: EarlyDigest, name: str, password: str) -> None:
    """The dialog's offers as a person types ``password`` after ``name``, then the digest of the whole."""
    for end in range(1, len(password) + 1):
        early.offer(name, password[:end])
    _settled(early)


def _settled(early: EarlyDigest, timeout: float = 10.0) -> None:
    with early._cond:
        assert early._cond.wait_for(lambda: not early._working, timeout)


def _check(db: Database, early: EarlyDigest, name: str, password: str) -> str:
    try:
        return sign_in.authenticate(db, name, password, boot=BootClock(), early=early).username
    except AuthError as exc:
        return exc.message_zh


def _early(db: Database) -> EarlyDigest:
    return EarlyDigest(lambda name: sign_in.verifier_for(db, name))


def _held_at_the_verifier(db: Database) -> tuple[EarlyDigest, threading.Event]:
    """An early digest whose thread waits at its verifier read until the event is set (a scrypt still running)."""
    gate = threading.Event()

    def slow_verifier(name: str) -> str:
        assert gate.wait(10)
        return sign_in.verifier_for(db, name)

    return EarlyDigest(slow_verifier), gate


def test_the_check_uses_the_digest_made_while_typing(db: Database, scrypts: list[tuple[str, str]]) -> None:
    early = _early(db)
    _typed(early, "clerk1", PASSWORD)
    assert early.derived >= 1 and scrypts[-1] == ("clerk-desk-early-digest", PASSWORD)
    before = len(scrypts)
    assert _check(db, early, "clerk1", PASSWORD) == "clerk1"
    assert len(scrypts) == before  # no second scrypt at the click
    # nothing of it is kept: the next check derives again
    assert _check(db, early, "clerk1", PASSWORD) == "clerk1" and len(scrypts) == before + 1


def test_short_passwords_are_not_worked_on(db: Database, scrypts: list[tuple[str, str]]) -> None:
    """No account's password is shorter than passwords.MIN_LENGTH: the first keys cost nothing."""
    early = _early(db)
    _typed(early, "clerk1", PASSWORD[: passwords.MIN_LENGTH - 1])
    assert scrypts == [] and early.derived == 0
    early.offer("", PASSWORD)  # no name yet
    _settled(early)
    assert scrypts == []


def test_a_digest_of_other_text_is_never_used(db: Database, scrypts: list[tuple[str, str]]) -> None:
    early = _early(db)
    _typed(early, "clerk1", "Secret-124")  # a typo, then corrected in the field before the click
    assert _check(db, early, "clerk1", PASSWORD) == "clerk1"
    assert scrypts[-1] == ("MainThread", PASSWORD)
    _typed(early, "clerk1", PASSWORD)  # the right one typed, a wrong one submitted (changed at the last moment)
    assert _check(db, early, "clerk1", "Secret-125") == sign_in.FAILED
    _typed(early, "clerk2", PASSWORD)  # another name typed, then clerk1 submitted
    assert _check(db, early, "clerk1", PASSWORD) == "clerk1"
    assert scrypts[-1] == ("MainThread", PASSWORD)


def test_a_password_reset_meanwhile_is_checked_against_the_new_verifier(db: Database) -> None:
    early = _early(db)
    _typed(early, "clerk1", PASSWORD)
    accounts.reset_password(db, "clerk1", "Another-456", actor="admin", must_change=False)
    assert _check(db, early, "clerk1", PASSWORD) == sign_in.FAILED
    _typed(early, "clerk1", "Another-456")
    accounts.reset_password(db, "clerk1", PASSWORD, actor="admin", must_change=False)
    assert _check(db, early, "clerk1", "Another-456") == sign_in.FAILED
    assert _check(db, early, "clerk1", PASSWORD) == "clerk1"


def test_a_password_typed_before_its_reset_lands_still_signs_in(db: Database) -> None:
    """The new password typed while the old verifier was still in place (the reset, or the hub's directory,
    lands before Enter): the digest made against the old verifier is not compared with the new one, which
    would refuse the right password and count it towards the lockout."""
    early = _early(db)
    _typed(early, "clerk1", "Another-456")
    accounts.reset_password(db, "clerk1", "Another-456", actor="admin", must_change=False)
    assert _check(db, early, "clerk1", "Another-456") == "clerk1"


def test_an_unknown_name_costs_the_same_early_work(db: Database, scrypts: list[tuple[str, str]]) -> None:
    """The dummy verifier is worked on early for a name that does not exist, exactly as for a real one, so
    the wait after the click does not tell them apart."""
    early = _early(db)
    for name in ("nobody", "clerk1"):
        _typed(early, name, "Wrong-pass1")
        before = len(scrypts)
        assert _check(db, early, name, "Wrong-pass1") == sign_in.FAILED
        assert len(scrypts) == before  # both took the early digest


def test_attempts_count_only_when_submitted_and_still_lock(db: Database) -> None:
    early = _early(db)
    for _ in range(20):  # typing is not trying
        _typed(early, "clerk1", "Wrong-pass1")
    with db.plain_reading() as c:
        assert c.execute("SELECT failed_logins FROM users WHERE username = 'clerk1'").fetchone()[0] == 0
    clock = BootClock()
    for _ in range(sign_in.MAX_FAILED_LOGINS):
        _typed(early, "clerk1", "Wrong-pass1")
        with pytest.raises(AuthError):
            sign_in.authenticate(db, "clerk1", "Wrong-pass1", boot=clock, early=early)
    _typed(early, "clerk1", PASSWORD)
    with pytest.raises(AuthError, match="已锁定"):
        sign_in.authenticate(db, "clerk1", PASSWORD, boot=clock, early=early)


def test_the_check_waits_for_the_digest_being_made(db: Database, scrypts: list[tuple[str, str]]) -> None:
    """Submitted while its scrypt is still running: the check waits for that one instead of starting another."""
    gate, reading = threading.Event(), threading.Event()

    def slow_verifier(name: str) -> str:
        reading.set()
        assert gate.wait(10)
        return sign_in.verifier_for(db, name)

    early = EarlyDigest(slow_verifier)
    early.offer("clerk1", PASSWORD)
    assert reading.wait(10)
    answer: list[str] = []
    checking = threading.Thread(target=lambda: answer.append(_check(db, early, "clerk1", PASSWORD)))
    checking.start()
    checking.join(0.2)
    assert checking.is_alive()  # waiting for the early digest
    gate.set()
    checking.join(10)
    assert answer == ["clerk1"] and [t for t, _ in scrypts] == ["clerk-desk-early-digest"]


def test_an_offer_waiting_its_turn_is_withdrawn_by_the_check(db: Database, scrypts: list[tuple[str, str]]) -> None:
    """A key typed while an earlier text is being worked on: the check derives the submitted text itself at
    once rather than after the earlier one, and the early thread does not work it out again."""
    early, gate = _held_at_the_verifier(db)
    early.offer("clerk1", PASSWORD[:-1])
    early.offer("clerk1", PASSWORD)  # waits its turn behind the first
    assert _check(db, early, "clerk1", PASSWORD) == "clerk1"
    gate.set()
    _settled(early)
    assert [p for _, p in scrypts] == [PASSWORD, PASSWORD[:-1]]  # the check's own, then the earlier text


def test_forget_and_close_keep_nothing(db: Database, scrypts: list[tuple[str, str]]) -> None:
    early = _early(db)
    _typed(early, "clerk1", PASSWORD)
    early.forget()
    assert (early._wanted, early._latest, early._made) == (None, None, None)
    before = len(scrypts)
    assert _check(db, early, "clerk1", PASSWORD) == "clerk1" and len(scrypts) == before + 1
    early.close()
    early.offer("clerk1", PASSWORD)
    _settled(early)
    assert len(scrypts) == before + 1 and early._made is None


def test_a_closed_database_leaves_the_check_to_the_click(tmp_path: Path, scrypts: list[tuple[str, str]]) -> None:
    def failing(_name: str) -> str:
        raise OSError("the database went away")

    early = EarlyDigest(failing)
    early.offer("clerk1", PASSWORD)
    _settled(early)
    assert early.derived == 0 and early.take("clerk1", PASSWORD, sign_in.DUMMY_VERIFIER) is None


def test_a_digest_finished_after_the_click_or_the_dialog_is_not_kept(db: Database) -> None:
    """A text's scrypt still running when the check takes over (Enter pressed just after the last key) or when
    the dialog goes (signed in, or closed) ends after them: what it makes is of no use any more, and is not
    kept (it held nearly all of the password through the session that followed)."""
    early, gate = _held_at_the_verifier(db)
    early.offer("clerk1", PASSWORD[:-1])
    early.offer("clerk1", PASSWORD)  # the last key, then Enter at once
    assert _check(db, early, "clerk1", PASSWORD) == "clerk1"
    gate.set()
    _settled(early)
    assert early._made is None

    gate.clear()
    early.offer("clerk1", PASSWORD)
    early.forget()  # the dialog goes while it is being made
    gate.set()
    _settled(early)
    assert early._made is None and early.derived == 0


def test_a_digest_is_dropped_once_the_fields_hold_something_else(db: Database) -> None:
    """The password typed and then rubbed out again without signing in (or the user name cleared): the
    dialog may stand for hours, and what the field no longer holds is not kept beside it."""
    early = _early(db)
    _typed(early, "clerk1", PASSWORD)
    early.offer("clerk1", "")  # selected and deleted
    assert early._made is None
    _typed(early, "clerk1", PASSWORD)
    for end in range(len(PASSWORD) - 1, -1, -1):  # Backspace held
        early.offer("clerk1", PASSWORD[:end])
    _settled(early)
    assert early._made is None
    _typed(early, "clerk1", PASSWORD)
    early.offer("", PASSWORD)
    assert early._made is None
