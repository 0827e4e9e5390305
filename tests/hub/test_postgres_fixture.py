"""The throwaway PostgreSQL server that the hub tests run against (tests/support/postgres.py)."""

from __future__ import annotations

import psycopg
import sqlalchemy as sa
from sqlalchemy.engine import make_url


def _connect(url: str) -> psycopg.Connection:
    u = make_url(url)
    return psycopg.connect(host=u.host, port=u.port, user=u.username, dbname=u.database, autocommit=True)


def test_server_is_postgresql_15(pg_url: str) -> None:
    assert pg_url.startswith("postgresql+psycopg://postgres@127.0.0.1:")
    with _connect(pg_url) as conn:
        version = conn.execute("select version()").fetchone()[0]
    assert "PostgreSQL 15" in version, version


def test_each_test_gets_a_fresh_database(pg_url: str, pg_database_url: str) -> None:
    name = make_url(pg_database_url).database
    assert name.startswith("t_") and name != "postgres"
    with _connect(pg_database_url) as conn:
        assert conn.execute("select current_database()").fetchone()[0] == name
        tables = conn.execute("select count(*) from pg_tables where schemaname = 'public'").fetchone()[0]
        assert tables == 0
        conn.execute("create table probe (id int primary key)")
    with _connect(pg_url) as conn:
        assert conn.execute("select 1 from pg_database where datname = %s", (name,)).fetchone()


def test_sqlalchemy_url_works(pg_database_url: str) -> None:
    engine = sa.create_engine(pg_database_url)
    try:
        with engine.begin() as conn:
            assert conn.execute(sa.text("show server_encoding")).scalar_one() == "UTF8"
            assert conn.execute(sa.text("select 1 + 1")).scalar_one() == 2
    finally:
        engine.dispose()
