"""The PostgreSQL schema: the tables and columns SQLite has after every migration, reached once however many hub
processes start together on an empty database."""
import sqlite3
import threading

import psycopg
import pytest

from hub.store import Store
from hub.store.migrations import MIGRATIONS, schema_version
from tests.postgres import fresh_database

pytestmark = pytest.mark.postgresql


def sqlite_columns(path):
    """{table: [column names]} of the SQLite database at *path*."""
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: sorted(r[1] for r in conn.execute(f'PRAGMA table_info("{t}")')) for t in tables}
    finally:
        conn.close()


def postgresql_columns(url):
    """{table: [column names]} of the PostgreSQL database at *url*, without its schema_version."""
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT table_name, column_name FROM information_schema.columns "
                            "WHERE table_schema = 'public' AND table_name != 'schema_version'").fetchall()
    columns = {}
    for table, column in rows:
        columns.setdefault(table, []).append(column)
    return {table: sorted(names) for table, names in columns.items()}


def test_postgresql_has_the_tables_and_columns_of_sqlite(tmp_path, postgresql_database):
    Store.open(tmp_path / "hub.sqlite").close()
    assert postgresql_columns(postgresql_database) == sqlite_columns(tmp_path / "hub.sqlite")


def test_hub_processes_starting_together_on_an_empty_database_migrate_it_once(postgresql_url):
    with fresh_database(postgresql_url, "template0") as empty:
        barrier, versions, errors = threading.Barrier(4), [], []

        def start():
            try:
                barrier.wait(timeout=30)
                with Store.open(empty) as store:
                    versions.append(schema_version(store.conn))
            except Exception as exc:                # noqa: BLE001 - asserted below, naming it
                errors.append(exc)

        threads = [threading.Thread(target=start) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert errors == [] and versions == [len(MIGRATIONS)] * 4
        with psycopg.connect(empty) as conn:
            assert conn.execute("SELECT COUNT(*) FROM schema_version").fetchone() == (1,)
