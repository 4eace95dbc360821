"""The migration that lets office_users hold the display role: the table is rebuilt with the longer role check,
its rows, their session versions and any column an earlier migration added kept."""
import sqlite3

import pytest

from hub.store.migrations import MIGRATIONS, migrate, schema_version

BEFORE = MIGRATIONS.index(next(m for m in MIGRATIONS if getattr(m, "__name__", "") == "add_display_role"))


def database(path):
    """A database migrated up to just before the display role, with an office user and an auditor."""
    conn = sqlite3.connect(path, isolation_level=None)
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
    assert conn.execute("SELECT username, role, session_version FROM office_users ORDER BY id").fetchall() == [
        ("office", "office", 3), ("audit", "auditor", 0), ("screen", "display", 0)]
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        conn.execute("INSERT INTO office_users (username, password_hash, role) VALUES ('tv', 'h', 'television')")
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        conn.execute("INSERT INTO office_users (username, password_hash, role) VALUES ('office', 'h', 'display')")


def test_a_column_added_before_it_survives_the_rebuild(tmp_path):
    conn = database(tmp_path / "m.sqlite")
    conn.execute("ALTER TABLE office_users ADD COLUMN hall TEXT")
    conn.execute("UPDATE office_users SET hall = 'meixihu' WHERE username = 'office'")
    migrate(conn)
    assert conn.execute("SELECT username, hall FROM office_users ORDER BY id").fetchall() == [
        ("office", "meixihu"), ("audit", None)]
