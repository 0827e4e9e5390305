"""Migrations of the hub's database, configured in code (no alembic.ini needed in a wheel)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Connection, Engine

from county_hub.db import write_engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class DatabaseTooNew(RuntimeError):
    """The database was migrated by a newer hub: refuse to touch it."""


def alembic_config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
    cfg.attributes["connection"] = connection
    return cfg


def current_revisions(connection: Connection) -> tuple[str, ...]:
    return tuple(MigrationContext.configure(connection).get_current_heads())


def check_not_newer(connection: Connection) -> None:
    script = ScriptDirectory.from_config(alembic_config())
    for rev in current_revisions(connection):
        try:
            known = script.get_revision(rev)
        except CommandError:
            known = None
        if known is None:
            raise DatabaseTooNew(
                f"数据库的版本 {rev} 本程序不认识：它已由更新版本的 county-hub 升级过。请改用那个版本运行，"
                "或恢复升级前所做的备份；本程序不会改动该数据库"
            )


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def upgrade(engine: Engine) -> None:
    """Bring the database to head in one transaction; refuse a database newer than this hub."""
    with write_engine(engine).begin() as conn:
        check_not_newer(conn)
        command.upgrade(alembic_config(conn), "head")


def is_current(engine: Engine) -> bool:
    with engine.connect() as conn:
        return current_revisions(conn) == (head_revision(),)
