"""Sign-in at a public counter: the lockout runs on the boot clock, and a failure never tells whether
the user name exists (docs/personal-data.md, "Sign-in")."""

from __future__ import annotations

import contextlib
import json
import shutil
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from clerk_desk.domain import passwords
from clerk_desk.domain.errors import AuthError
from clerk_desk.services import accounts, boot_clock, sign_in, site_setup
from clerk_desk.services.boot_clock import BootReading
from clerk_desk.store.database import Database
from clerk_desk.store.models import AuditEntry, User, utcnow

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "Secret-123"


class BootClock:
    """The time since boot the service reads; a test moves it (and reboots) by hand."""

    def __init__(self) -> None:
        self.reading = BootReading("boot-a", 1000.0)

    def __call__(self) -> BootReading:
        return self.reading

    def advance(self, seconds: float) -> None:
        self.reading = BootReading(self.reading.boot_id, self.reading.seconds + seconds)

    def reboot(self, boot_id: str, seconds: float = 12.0) -> None:
        self.reading = BootReading(boot_id, seconds)


@pytest.fixture
def db(tmp_path: Path) -> Database:
    d = Database(tmp_path)
    site_setup.set_site(d, site_code="421224100", site_name="通羊镇便民服务中心", device_code="01")
    accounts.add_user(d, username="clerk1", display_name="张小红", password=PASSWORD, roles=["clerk"])
    return d


def _lock(db: Database, clock: BootClock) -> None:
    for _ in range(sign_in.MAX_FAILED_LOGINS):
        with pytest.raises(AuthError):
            sign_in.authenticate(db, "clerk1", "wrong-pass1", boot=clock)


def _locked(db: Database, clock: BootClock, **kw: object) -> bool:
    try:
        sign_in.authenticate(db, "clerk1", PASSWORD, boot=clock, **kw)  # type: ignore[arg-type]
    except AuthError as exc:
        assert "已锁定" in exc.message_zh
        return True
    return False


def test_moving_the_wall_clock_does_not_end_the_lockout(db: Database) -> None:
    clock = BootClock()
    _lock(db, clock)
    for wall in (
        utcnow() + timedelta(minutes=16),
        utcnow() + timedelta(days=3650),
        utcnow() - timedelta(days=1),
    ):
        assert _locked(db, clock, now=wall)
    clock.advance(14 * 60)
    assert _locked(db, clock, now=utcnow() + timedelta(days=3650))
    clock.advance(60 + 1)  # 15 minutes since boot-clock time of the lock
    assert not _locked(db, clock)


def test_the_lock_message_says_the_minutes_left_on_the_boot_clock(db: Database) -> None:
    clock = BootClock()
    _lock(db, clock)
    clock.advance(10 * 60 + 5)
    with pytest.raises(AuthError, match="请 5 分钟后再试"):
        sign_in.authenticate(db, "clerk1", PASSWORD, boot=clock, now=utcnow() + timedelta(days=1))


def test_after_a_reboot_the_countdown_starts_again_from_the_first_attempt_seen(db: Database) -> None:
    clock = BootClock()
    _lock(db, clock)
    clock.advance(14 * 60)
    clock.reboot("boot-b", seconds=30.0)  # a reboot (the boot clock starts again near zero)
    assert _locked(db, clock)  # first seen in this boot: 15 minutes from now
    clock.advance(14 * 60)
    assert _locked(db, clock)
    clock.advance(61)
    assert not _locked(db, clock)


def test_a_boot_clock_that_went_back_in_the_same_boot_restarts_the_countdown(db: Database) -> None:
    clock = BootClock()
    _lock(db, clock)
    clock.reading = BootReading("boot-a", 10.0)
    assert _locked(db, clock)
    clock.advance(15 * 60 + 1)
    assert not _locked(db, clock)


def test_an_administrator_unlocks_by_resetting_the_password(db: Database) -> None:
    clock = BootClock()
    _lock(db, clock)
    accounts.reset_password(db, "clerk1", "Fresh-4567", actor="admin", must_change=False)
    assert sign_in.authenticate(db, "clerk1", "Fresh-4567", boot=clock).username == "clerk1"


def test_a_lock_from_before_the_boot_clock_counts_from_the_first_attempt(db: Database) -> None:
    """An account locked by an older version (locked_until only) is locked for 15 boot-clock minutes."""
    with db.transaction() as s:
        s.query(User).filter_by(username="clerk1").one().locked_until = utcnow() - timedelta(days=1)
    clock = BootClock()
    assert _locked(db, clock)
    clock.advance(15 * 60 + 1)
    assert not _locked(db, clock)


def test_every_failure_gets_the_same_answer_and_the_same_bookkeeping(db: Database) -> None:
    accounts.add_user(db, username="gone", display_name="离职", password=PASSWORD, roles=["clerk"])
    accounts.set_active(db, "gone", False)
    clock = BootClock()
    answers = {}
    tries = {
        "unknown": ("nobody", PASSWORD),
        "wrong": ("clerk1", "wrong-pass1"),
        "disabled": ("gone", PASSWORD),
        "disabled-wrong": ("gone", "wrong-pass1"),
    }
    for label, (user, password) in tries.items():
        with db.reading() as s:
            before = s.query(AuditEntry).count()
        with pytest.raises(AuthError) as err:
            sign_in.authenticate(db, user, password, boot=clock)
        answers[label] = err.value.message_zh
        with db.reading() as s:
            assert s.query(AuditEntry).count() == before + 1  # one entry each, the unknown name too
    _lock(db, clock)
    with pytest.raises(AuthError) as err:
        sign_in.authenticate(db, "clerk1", "wrong-pass1", boot=clock)
    answers["locked-wrong"] = err.value.message_zh
    assert set(answers.values()) == {sign_in.FAILED}
    with db.reading() as s:
        unknown = s.query(AuditEntry).filter_by(action="login_failed", actor=None).one()
    assert unknown.detail == {"unknown_user": "nobody"}


def test_what_runs_meanwhile_starts_once_per_check_before_the_scrypt_whoever_signs_in(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``meanwhile`` (the first pages' import at a real start) is started as the slow part begins, the same way
    for a right password, a wrong one and an unknown name, and before the scrypt (the real one), not after it."""
    calls: list[str] = []
    real_derive = passwords.derive

    def derive(password: str, verifier: str) -> bytes | None:
        calls.append("scrypt")
        return real_derive(password, verifier)

    monkeypatch.setattr(passwords, "derive", derive)
    for user, password in (("clerk1", PASSWORD), ("clerk1", "wrong-pass1"), ("nobody", PASSWORD)):
        calls.clear()
        with contextlib.suppress(AuthError):
            sign_in.authenticate(db, user, password, boot=BootClock(), meanwhile=lambda: calls.append("meanwhile"))
        assert calls == ["meanwhile", "scrypt"], (user, password)


def test_the_dummy_verifier_costs_what_a_real_one_costs() -> None:
    assert not passwords.needs_rehash(sign_in.DUMMY_VERIFIER)
    assert not passwords.verify_password("", sign_in.DUMMY_VERIFIER)


def test_the_boot_clock_reads_this_machine() -> None:
    first, second = boot_clock.read(), boot_clock.read()
    assert first.boot_id and first.boot_id == second.boot_id
    assert 0 < first.seconds <= second.seconds
    if sys.platform.startswith("linux"):
        assert first.boot_id == Path("/proc/sys/kernel/random/boot_id").read_text().strip()


_TRY_IN_A_CHILD = """
import json, sys
from pathlib import Path
from clerk_desk.domain.errors import AuthError
from clerk_desk.services import boot_clock, sign_in
from clerk_desk.store.database import Database
db = Database(Path(sys.argv[1]))
try:
    sign_in.authenticate(db, "clerk1", sys.argv[2])
    print(json.dumps({"signed_in": True, "boot": boot_clock.read().seconds}))
except AuthError as exc:
    print(json.dumps({"signed_in": False, "message": exc.message_zh, "boot": boot_clock.read().seconds}))
"""


def _unshare_time_works() -> bool:
    if shutil.which("unshare") is None:
        return False
    done = subprocess.run(["unshare", "--time", "--boottime", "1000", "true"], capture_output=True)
    return done.returncode == 0


@pytest.mark.skipif(
    not _unshare_time_works(), reason="needs unshare --time (Linux 5.6+, root) to move the boot clock"
)
def test_real_clocks_only_the_boot_clock_ends_a_lockout(db: Database) -> None:
    """Locked with the real clocks; a child process whose boot clock really runs 16 minutes ahead (a
    time namespace) may sign in, one on the real clock may not."""
    _lock(db, boot_clock.read)  # type: ignore[arg-type]
    db.close()

    def child(*prefix: str) -> dict[str, object]:
        done = subprocess.run(
            [*prefix, sys.executable, "-c", _TRY_IN_A_CHILD, str(db.data_dir), PASSWORD],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        return json.loads(done.stdout.strip().splitlines()[-1])

    now = child()
    assert now["signed_in"] is False and "已锁定" in str(now["message"])
    ahead = child("unshare", "--time", "--boottime", str(16 * 60))
    assert float(ahead["boot"]) >= float(now["boot"]) + 16 * 60  # the child really saw the moved clock
    assert ahead["signed_in"] is True
