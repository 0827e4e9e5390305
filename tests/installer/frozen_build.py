"""One frozen build per state of the sources, shared by test_frozen.py and test_msi.py.

The build (installer/build-frozen.sh) lands in ``$CLERK_FROZEN_CACHE`` (default
``<tmp>/clerk-desk-frozen``) under a hash of everything that goes into it: clerk_desk/, resources/,
migrations/, the spec and entry script, pyproject.toml, and the Python, PyInstaller and PySide6 versions.
A rerun with the same sources reuses it at once; PyInstaller's own cache (``work/``) is shared across
hashes, so a rebuild after a small change is quicker too. Only the newest build is kept. A file lock
keeps two pytest processes from building at the same time.

Without PyInstaller the tests skip with the reason, except under CI (the ``CI`` variable set: .ci/run),
where that is a failure: scripts/setup.sh installs the ``installer`` extra.
"""

from __future__ import annotations

import ast
import fcntl
import functools
import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CACHE_ROOT = Path(os.environ.get("CLERK_FROZEN_CACHE") or Path(tempfile.gettempdir()) / "clerk-desk-frozen")
INPUTS = ("clerk_desk", "resources", "migrations", "installer/clerk_desk.spec", "installer/clerk_desk_entry.py",
          "installer/build-frozen.sh", "pyproject.toml")
BUILD_TIMEOUT_S = 1800
# Figures the installer tests measured, printed at the end of the run (tests/installer/conftest.py).
FIGURES: dict[str, str] = {}

NO_PYINSTALLER = "PyInstaller is not installed: pip install -e '.[installer]' (scripts/setup.sh does)"


def have_pyinstaller() -> bool:
    return importlib.util.find_spec("PyInstaller") is not None


def require_pyinstaller() -> None:
    if have_pyinstaller():
        return
    if os.environ.get("CI"):
        pytest.fail(NO_PYINSTALLER + " (CI must run the frozen checks)")
    pytest.skip(NO_PYINSTALLER)


def source_hash() -> str:
    h = hashlib.sha256()
    for top in INPUTS:
        path = ROOT / top
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        for f in files:
            if "__pycache__" in f.parts or f.suffix == ".pyc":
                continue
            h.update(f.relative_to(ROOT).as_posix().encode() + b"\0" + f.read_bytes() + b"\0")
    import PyInstaller
    import PySide6

    h.update(f"{sys.version}|{PyInstaller.__version__}|{PySide6.__version__}".encode())
    return h.hexdigest()[:16]


@dataclass(frozen=True)
class FrozenApp:
    folder: Path  # dist/clerk-desk
    gui: Path
    cli: Path
    build_seconds: float
    cached: bool
    modules: frozenset[str]  # what went into the PYZ archive

    def size_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.folder.rglob("*") if p.is_file() and not p.is_symlink())

    @property
    def internal(self) -> Path:
        return self.folder / "_internal"


def _read_pyz_modules(toc: Path) -> frozenset[str]:
    entries = ast.literal_eval(toc.read_text(encoding="utf-8"))
    # PYZ-00.toc: ('path/PYZ-00.pyz', [(name, source, typecode), ...])
    items = entries[1] if isinstance(entries, tuple) else entries
    return frozenset(e[0] for e in items)


@functools.lru_cache(maxsize=1)
def frozen_app() -> FrozenApp:
    require_pyinstaller()
    CACHE_ROOT.mkdir(parents=True, exist_ok=True)
    key = source_hash()
    target = CACHE_ROOT / key
    with open(CACHE_ROOT / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        stamp = target / "build.json"
        if stamp.exists():
            info, cached = json.loads(stamp.read_text()), True
        else:
            shutil.rmtree(target, ignore_errors=True)
            env = {**os.environ, "PYTHON": sys.executable, "WORK_DIR": str(CACHE_ROOT / "work")}
            env.pop("PYTHONPATH", None)  # the build must not see the tests' path additions
            started = time.perf_counter()
            r = subprocess.run(["bash", str(ROOT / "installer" / "build-frozen.sh"), str(target)], env=env,
                               capture_output=True, text=True, timeout=BUILD_TIMEOUT_S)
            seconds = time.perf_counter() - started
            if r.returncode != 0:
                pytest.fail(f"installer/build-frozen.sh failed ({r.returncode}):\n{r.stdout[-3000:]}\n{r.stderr[-6000:]}")
            shutil.copy(CACHE_ROOT / "work" / "clerk_desk" / "PYZ-00.toc", target / "PYZ-00.toc")
            info, cached = {"seconds": round(seconds, 1), "hash": key}, False
            stamp.write_text(json.dumps(info))
            for old in CACHE_ROOT.iterdir():  # keep only this build (and PyInstaller's cache)
                if old.is_dir() and old.name not in (key, "work"):
                    shutil.rmtree(old, ignore_errors=True)
    folder = target / "dist" / "clerk-desk"
    suffix = ".exe" if sys.platform == "win32" else ""
    app = FrozenApp(folder, folder / f"clerk-desk{suffix}", folder / f"clerk-desk-cli{suffix}",
                    float(info["seconds"]), cached, _read_pyz_modules(target / "PYZ-00.toc"))
    FIGURES["frozen build"] = f"{app.build_seconds:.0f} s" + (" (cached from an earlier run)" if cached else "")
    FIGURES["frozen folder"] = f"{app.size_bytes() / 1e6:.0f} MB, {sum(1 for p in folder.rglob('*') if p.is_file())} files"
    return app


def frozen_env(**extra: str) -> dict[str, str]:
    """A clean environment for the frozen program: no PYTHONPATH, no test keyring, offscreen Qt."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTHON", "CLERK_DESK_", "PYI_", "_PYI_", "QT_"))}
    env.update({"QT_QPA_PLATFORM": "offscreen", "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
                "LANG": "C.UTF-8"})
    if os.environ.get("CLERK_DESK_KEY_FILE"):  # the run's throwaway personal-data key, not /etc/clerk-desk's
        env["CLERK_DESK_KEY_FILE"] = os.environ["CLERK_DESK_KEY_FILE"]
    env.update(extra)
    return env
