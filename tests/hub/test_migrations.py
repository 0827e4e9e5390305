"""The hub's own migrations: they build exactly the models' schema and refuse a newer database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import insert, select, text

from county_hub.db import write_engine
from county_hub.grants import grants_of
from county_hub.migrate import DatabaseTooNew, alembic_config, head_revision, is_current, upgrade
from county_hub.models import Base, Device, DeviceToken, RoleGrant, Site, User
from county_hub.storage import make_engine


def test_migrations_match_the_models(fresh_hub_db_url: str) -> None:
    engine = make_engine(fresh_hub_db_url)
    try:
        upgrade(engine)
        upgrade(engine)  # idempotent
        assert is_current(engine)
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
            assert diff == []
            assert conn.execute(text("SELECT value FROM counters WHERE name = 'events'")).scalar_one() == 0
    finally:
        engine.dispose()


def test_a_newer_database_is_refused(fresh_hub_db_url: str) -> None:
    engine = make_engine(fresh_hub_db_url)
    try:
        upgrade(engine)
        with engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = 'ffff_from_the_future'"))
        with pytest.raises(DatabaseTooNew, match="更新版本的 county-hub"):
            upgrade(engine)
        assert head_revision() == "0008_device_holdings"
    finally:
        engine.dispose()


def test_upgrade_to_0003_grants_existing_users_their_roles(fresh_hub_db_url: str) -> None:
    """A hub at 0002 with users, a device and a token: after the upgrade every user holds the roles of its
    account "since always" (a disabled one until it was disabled) and the device has its enrolment time."""
    engine = make_engine(fresh_hub_db_url)
    try:
        with write_engine(engine).begin() as conn:
            command.upgrade(alembic_config(conn), "0002")
        enrolled = datetime(2026, 5, 4, 3, 2, 1, tzinfo=UTC)
        disabled = datetime(2026, 9, 1, tzinfo=UTC)
        users = [
            ("wangfang", "421224100", ["clerk"], [], True, enrolled),
            ("chen", "421224100", ["clerk", "supervisor"], [], True, enrolled),
            ("lisi", "421224100", ["approver"], ["421224100:rs", "421224101:*"], True, enrolled),
            ("gone", "421224100", ["clerk"], [], False, disabled),
        ]
        with write_engine(engine).begin() as conn:
            for site in ("421224100", "421224101"):
                conn.execute(insert(Site).values(code=site, name=site, created_at=enrolled))
            for name, site, roles, serves, active, changed in users:
                conn.execute(
                    insert(User).values(username=name, display_name=name, site_code=site, roles=roles,
                                        serves=serves, verifier="x", active=active, updated_at=changed)
                )  # fmt: skip
            conn.execute(
                insert(Device).values(code="0001", site_code="421224100", kind="clerk",
                                      created_at=enrolled - timedelta(days=1), max_device_seq=0)
            )  # fmt: skip
            conn.execute(
                insert(DeviceToken).values(id="t1", device_code="0001", token_hash="h", os_account="a",
                                           device_info={}, created_at=enrolled)
            )  # fmt: skip
        upgrade(engine)
        with engine.connect() as conn:
            rows = conn.execute(
                select(RoleGrant.username, RoleGrant.role, RoleGrant.site_code, RoleGrant.department_code,
                       RoleGrant.valid_from, RoleGrant.valid_to).order_by(RoleGrant.username, RoleGrant.role,
                                                                          RoleGrant.site_code)
            ).all()  # fmt: skip
            device_enrolled = conn.execute(select(Device.enrolled_at)).scalar_one()
        assert [tuple(r) for r in rows] == [
            ("chen", "clerk", "421224100", "*", None, None),
            ("chen", "supervisor", "421224100", "*", None, None),
            ("gone", "clerk", "421224100", "*", None, disabled),
            ("lisi", "approver", "421224100", "rs", None, None),
            ("lisi", "approver", "421224101", "*", None, None),
            ("wangfang", "clerk", "421224100", "*", None, None),
        ]
        assert device_enrolled == enrolled
        with engine.connect() as conn:
            held = grants_of(conn, ["wangfang", "gone", "nobody"])
        assert set(held) == {"wangfang", "gone"}
    finally:
        engine.dispose()
