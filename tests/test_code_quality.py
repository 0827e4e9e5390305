"""Lint and the layer rules of docs/architecture.md §2, checked on every run.

Layer rules (an import anywhere in a module counts, including function bodies, ``if TYPE_CHECKING:``
blocks and ``importlib.import_module("literal")``):

- clerk_desk.domain is pure: from clerk_desk only clerk_desk.domain; no Qt, SQLAlchemy, HTTP, keyring,
  database drivers or process/network I/O modules.
- clerk_desk.store: from clerk_desk only clerk_desk.domain, itself, and clerk_desk.paths (a stdlib-only
  leaf that locates migrations/ and the data folder).
- clerk_desk.paths imports nothing from clerk_desk (so every layer may use it).
- catalog / services / sync / forms never import clerk_desk.ui; sync never imports Qt.
- PySide6 (and shiboken6) only in clerk_desk.ui, clerk_desk.forms, clerk_desk.__main__, clerk_desk.app.
- county_hub never imports Qt, clerk_desk.ui / forms / sync / services / store.
- clerk_desk.ui (widgets, models) never imports sqlalchemy: data comes through services.
- county_hub's storage (docs/hub.md, "Storage"): the push plan knows no database; only the PostgreSQL
  writer imports psycopg; the API never imports a writer; no import cycle in county_hub; the word
  "dialect" appears only in the writers (county_hub/storage/sqlite.py, postgres.py) and the migrations.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PACKAGES = ("clerk_desk", "county_hub")


# ---------------------------------------------------------------------------------------------------
# ruff
# ---------------------------------------------------------------------------------------------------
def test_ruff_check_is_clean() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "."],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if done.returncode != 0:
        pytest.fail(f"ruff check . failed ({done.returncode}):\n{done.stdout}\n{done.stderr}", pytrace=False)


# ---------------------------------------------------------------------------------------------------
# import collection
# ---------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Import:
    module: str  # the importing module, e.g. clerk_desk.store.models
    target: str  # what it imports, e.g. sqlalchemy.orm or clerk_desk.domain.lifecycle.Event
    path: str  # file, relative to the repository
    line: int


def under(name: str, *prefixes: str) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve_relative(module: str, is_package: bool, level: int, name: str | None) -> str:
    base = module.split(".") if is_package else module.split(".")[:-1]
    if level > 1:
        base = base[: len(base) - (level - 1)]
    return ".".join([*base, name] if name else base)


def collect_imports(source: str, module: str, path: str, is_package: bool = False) -> list[Import]:
    """Every import in ``source`` (the text of ``module``), with relative imports resolved."""
    tree = ast.parse(source, filename=path)
    found: list[Import] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [Import(module, a.name, path, node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = _resolve_relative(module, is_package, node.level, node.module)
            for a in node.names:
                # "from pkg import x" may import the submodule pkg.x: record pkg.x (under pkg anyway)
                target = base if a.name == "*" else f"{base}.{a.name}"
                found.append(Import(module, target, path, node.lineno))
        elif isinstance(node, ast.Call) and node.args:
            func, arg = node.func, node.args[0]
            dynamic = (isinstance(func, ast.Name) and func.id == "__import__") or (
                isinstance(func, ast.Attribute) and func.attr == "import_module"
            )
            if dynamic and isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.append(Import(module, arg.value, path, node.lineno))
    return found


def iter_project_imports(root: Path = REPO) -> tuple[list[Import], list[str]]:
    """All imports in clerk_desk/ and county_hub/; second item: files that do not parse."""
    imports: list[Import] = []
    broken: list[str] = []
    for pkg in PACKAGES:
        for file in sorted((root / pkg).rglob("*.py")):
            rel = file.relative_to(root).as_posix()
            try:
                imports += collect_imports(
                    file.read_text("utf-8"), module_name(file, root), rel, file.name == "__init__.py"
                )
            except SyntaxError as exc:
                broken.append(f"{rel}:{exc.lineno}: does not parse: {exc.msg}")
    return imports, broken


# ---------------------------------------------------------------------------------------------------
# rules
# ---------------------------------------------------------------------------------------------------
QT = ("PySide6", "shiboken6")
QT_ALLOWED = ("clerk_desk.ui", "clerk_desk.forms", "clerk_desk.__main__", "clerk_desk.app")
DOMAIN_FORBIDDEN = (
    *QT,
    "sqlalchemy",
    "alembic",
    "requests",
    "httpx",
    "urllib3",
    "keyring",
    "psycopg",
    "fastapi",
    "starlette",
    "uvicorn",
    "sqlite3",
    "socket",
    "subprocess",
)
FRONT_LAYERS = ("clerk_desk.catalog", "clerk_desk.services", "clerk_desk.sync", "clerk_desk.forms")
HUB_PURE = ("county_hub.push_plan", "county_hub.case_state", "county_hub.admission")
HUB_WRITERS = ("county_hub.storage.postgres", "county_hub.storage.postgres_sql")
HUB_FORBIDDEN = (
    *QT,
    "clerk_desk.ui",
    "clerk_desk.forms",
    "clerk_desk.sync",
    "clerk_desk.services",
    "clerk_desk.store",
)


@dataclass(frozen=True)
class Rule:
    text: str
    applies: Callable[[str], bool]  # to the importing module
    forbidden: Callable[[str], bool]  # for the imported name


def _desk_other_than(*allowed: str) -> Callable[[str], bool]:
    # the bare top-level package (its __init__: version string) is fine for everyone
    return lambda t: (
        under(t, "clerk_desk")
        and t != "clerk_desk"
        and not under(t, *allowed)
        and not (
            t.startswith("clerk_desk.__") and t.count(".") == 1  # clerk_desk.__version__ etc.
        )
    )


RULES = (
    Rule(
        "clerk_desk.domain imports only clerk_desk.domain from clerk_desk",
        lambda m: under(m, "clerk_desk.domain"),
        _desk_other_than("clerk_desk.domain"),
    ),
    Rule(
        "clerk_desk.domain is pure (no Qt, SQLAlchemy, HTTP, keyring, drivers, I/O modules)",
        lambda m: under(m, "clerk_desk.domain"),
        lambda t: under(t, *DOMAIN_FORBIDDEN),
    ),
    Rule(
        "clerk_desk.store imports only clerk_desk.domain (and clerk_desk.paths) from clerk_desk",
        lambda m: under(m, "clerk_desk.store"),
        _desk_other_than("clerk_desk.store", "clerk_desk.domain", "clerk_desk.paths"),
    ),
    Rule(
        "clerk_desk.paths is a leaf: it imports nothing from clerk_desk",
        lambda m: m == "clerk_desk.paths",
        _desk_other_than(),
    ),
    Rule(
        "catalog/services/sync/forms never import clerk_desk.ui",
        lambda m: under(m, *FRONT_LAYERS),
        lambda t: under(t, "clerk_desk.ui"),
    ),
    Rule("clerk_desk.sync never imports Qt", lambda m: under(m, "clerk_desk.sync"), lambda t: under(t, *QT)),
    Rule(
        "PySide6 only in clerk_desk.ui, clerk_desk.forms, clerk_desk.__main__, clerk_desk.app",
        lambda m: not under(m, *QT_ALLOWED),
        lambda t: under(t, *QT),
    ),
    Rule(
        "county_hub never imports Qt, clerk_desk.ui/forms/sync/services/store",
        lambda m: under(m, "county_hub"),
        lambda t: under(t, *HUB_FORBIDDEN),
    ),
    Rule(
        "clerk_desk.ui never imports sqlalchemy (no SQL in widgets)",
        lambda m: under(m, "clerk_desk.ui"),
        lambda t: under(t, "sqlalchemy"),
    ),
    Rule(
        "the hub's push plan knows no database (county_hub.push_plan, case_state, admission)",
        lambda m: m in HUB_PURE,
        lambda t: under(
            t, "sqlalchemy", "psycopg", "sqlite3", "county_hub.storage", "county_hub.db", "county_hub.models"
        ),
    ),
    Rule(
        "only the PostgreSQL writer (county_hub.storage.postgres) imports psycopg",
        lambda m: under(m, "county_hub") and not under(m, *HUB_WRITERS),
        lambda t: under(t, "psycopg"),
    ),
    Rule(
        "county_hub.api reaches the database through county_hub.storage, never a writer",
        lambda m: under(m, "county_hub.api"),
        lambda t: under(t, *HUB_WRITERS, "county_hub.storage.sqlite"),
    ),
)


def violations(imports: Iterable[Import]) -> list[str]:
    out = []
    for imp in imports:
        for rule in RULES:
            if rule.applies(imp.module) and rule.forbidden(imp.target):
                out.append(f"{imp.path}:{imp.line}: {imp.module} imports {imp.target}  [{rule.text}]")
    return out


# ---------------------------------------------------------------------------------------------------
# tests
# ---------------------------------------------------------------------------------------------------
def test_import_layers_follow_design() -> None:
    imports, broken = iter_project_imports()
    modules = {i.module for i in imports}
    # the walk must really see the code (an empty walk would pass vacuously)
    assert "clerk_desk.domain.lifecycle" in modules, sorted(modules)
    found = broken + violations(imports)
    assert not found, "import layer violations (docs/architecture.md §2):\n" + "\n".join(found)


def _import_cycles(imports: Iterable[Import], package: str) -> list[list[str]]:
    """Cycles among the modules of ``package`` (an imported name counts as its module)."""
    modules = {i.module for i in imports if under(i.module, package)}
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for i in imports:
        if i.module in modules and under(i.target, package):
            parts = i.target.split(".")
            while parts and ".".join(parts) not in modules:
                parts.pop()
            if parts and ".".join(parts) != i.module:
                graph[i.module].add(".".join(parts))
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the path, 2: done
    path: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        path.append(module)
        for nxt in sorted(graph[module]):
            if state.get(nxt) == 1:
                cycles.append([*path[path.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt)
        path.pop()
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module)
    return cycles


def test_county_hub_has_no_import_cycle() -> None:
    imports, _broken = iter_project_imports()
    assert "county_hub.storage.postgres" in {i.module for i in imports}
    assert _import_cycles(imports, "county_hub") == []
    looped = collect_imports(
        "from county_hub import b\n", "county_hub.a", "county_hub/a.py"
    ) + collect_imports("def late():\n    from county_hub.a import x\n", "county_hub.b", "county_hub/b.py")
    assert _import_cycles(looped, "county_hub") == [["county_hub.a", "county_hub.b", "county_hub.a"]]


def test_database_dialect_is_named_only_by_the_writers() -> None:
    """Which database the hub runs on is the writers' business: nothing above them asks."""
    allowed = {"county_hub/storage/sqlite.py", "county_hub/storage/postgres.py"}
    found = [
        f"{path.relative_to(REPO).as_posix()}:{number}: {line.strip()}"
        for path in sorted((REPO / "county_hub").rglob("*.py"))
        if path.relative_to(REPO).as_posix() not in allowed and "migrations" not in path.parts
        for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1)
        if "dialect" in line
    ]
    assert found == []


def test_checker_reports_synthetic_violations() -> None:
    source = (
        "import os\n"
        "import sqlalchemy.orm\n"
        "from ..ui import main_window\n"
        "from . import lifecycle\n"
        "from clerk_desk import __version__\n"
        "def later():\n"
        "    from PySide6.QtCore import QObject\n"
        "    return importlib.import_module('requests')\n"
    )
    imports = collect_imports(source, "clerk_desk.domain.fake", "clerk_desk/domain/fake.py")
    assert {i.target for i in imports} >= {"clerk_desk.ui.main_window", "clerk_desk.domain.lifecycle"}
    found = violations(imports)
    assert any(v.startswith("clerk_desk/domain/fake.py:2:") and "sqlalchemy.orm" in v for v in found), found
    assert any(
        v.startswith("clerk_desk/domain/fake.py:3:") and "clerk_desk.ui.main_window" in v for v in found
    )
    assert any(v.startswith("clerk_desk/domain/fake.py:7:") and "PySide6.QtCore" in v for v in found), found
    assert any(v.startswith("clerk_desk/domain/fake.py:8:") and "requests" in v for v in found), found
    assert not [v for v in found if ":1:" in v or ":4:" in v or ":5:" in v], found


def test_checker_rules_per_layer() -> None:
    def check(module: str, source: str, is_package: bool = False) -> list[str]:
        path = module.replace(".", "/") + ("/__init__.py" if is_package else ".py")
        return violations(collect_imports(source, module, path, is_package))

    assert check("clerk_desk.store.models", "from clerk_desk.services import accept\n")
    assert not check(
        "clerk_desk.store.models", "from ..domain import lifecycle\nfrom clerk_desk.paths import x\n"
    )
    assert not check("clerk_desk.store", "from .models import Case\nimport sqlalchemy\n", is_package=True)
    assert check("clerk_desk.sync.relay", "from PySide6 import QtCore\n")
    assert check("clerk_desk.services.intake", "import clerk_desk.ui.widgets\n")
    assert not check("clerk_desk.forms.receipt", "from PySide6.QtGui import QTextDocument\n")
    assert not check("clerk_desk.app", "from PySide6.QtWidgets import QApplication\n")
    assert check("clerk_desk.catalog.search", "from PySide6.QtCore import QObject\n")
    assert check("county_hub.api", "from clerk_desk.store import models\n")
    assert check("county_hub.api", "from clerk_desk import services\n")
    assert not check(
        "county_hub.api", "from clerk_desk.domain import lifecycle\nfrom clerk_desk.catalog import schema\n"
    )
    assert check("clerk_desk.ui.case_table", "from sqlalchemy import select\n")
    assert check("clerk_desk.paths", "from clerk_desk.domain import x\n")
    assert check("county_hub.push_plan", "from sqlalchemy import select\n")
    assert check("county_hub.case_state", "from county_hub.storage import Storage\n")
    assert check("county_hub.queries", "import psycopg\n")
    assert not check("county_hub.storage.postgres", "import psycopg\nfrom county_hub import push_plan\n")
    assert check("county_hub.api.events", "from county_hub.storage.sqlite import SqliteStorage\n")
    assert not check("county_hub.api.events", "from county_hub.storage import Storage\n")
