"""The migration that lets office_users hold the display role: the table is rebuilt with the longer role check,
its rows, their session versions and any column an earlier migration added kept."""
import sqlite3

import pytest

from hub.store.connection import SQLiteConnection, connect
from hub.store.migrations import MIGRATIONS, migrate, schema_version
from hub.store.users import add_display_role

BEFORE = next(i for i, m in enumerate(MIGRATIONS) if getattr(m, "sqlite", None) is add_display_role)


def database(path):
    """A SQLite database migrated up to just before the display role, with an office user and an auditor."""
    conn = SQLiteConnection(connect(path))
    migrate(conn, MIGRATIONS[:BEFORE])
    conn.execute("INSERT INTO office_users (username, password_hash, role, session_version) "
                 "VALUES ('office', 'h1', 'office', 3), ('audit', 'h2', 'auditor', 0)")
    return conn


def test_before_the_migration_a_display_is_refused(tmp_path):
    conn = database(tmp_path / "m.sqlite")
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        conn.execute("INSERT INTO office_users (username, password_hash, role) VALUES ('screen', 'h', 'display')")


def test_after_it_a_display_is_held_and_the_users_are_kept(tmp_path):
    conn = database(tmp_path / "m.sqlite")
    assert migrate(conn) == len(MIGRATIONS) and schema_version(conn) == len(MIGRATIONS)
    conn.execute("INSERT INTO office_users (username, password_hash, role) VALUES ('screen', 'h', 'display')")
    assert [tuple(r) for r in conn.execute("SELECT username, role, session_version FROM office_users ORDER BY id")] == [
        ("office", "office", 3), ("audit", "auditor", 0), ("screen", "display", 0)]
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        conn.execute("INSERT INTO office_users (username, password_hash, role) VALUES ('tv', 'h', 'television')")
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        conn.execute("INSERT INTO office_users (username, password_hash, role) VALUES ('office', 'h', 'display')")


def test_the_halls_column_and_its_reference_survive_the_rebuild(tmp_path):
    conn = database(tmp_path / "m.sqlite")
    conn.execute("INSERT INTO halls (id, name, created_at) VALUES ('meixihu', '梅溪湖', '2026-11-24T00:00:00+00:00')")
    conn.execute("UPDATE office_users SET hall = 'meixihu' WHERE username = 'office'")
    migrate(conn)
    assert [tuple(r) for r in conn.execute("SELECT username, hall FROM office_users ORDER BY id")] == [
        ("office", "meixihu"), ("audit", None)]
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        conn.execute("UPDATE office_users SET hall = 'no such hall' WHERE username = 'audit'")


@pytest.mark.backends("postgresql")
def test_on_postgresql_the_check_takes_the_display_role_too(store, backend):
    store.users.add("screen", "h", "display")
    with pytest.raises(Exception, match="office_users_role_check"):
        store.users.add("tv", "h", "television")
