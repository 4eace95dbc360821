"""The office's users (office_users): who may log in, with which role, hall and department.

A user's ``hall`` scopes them to one hall; NULL is the center: every hall.
"""
from werkzeug.security import generate_password_hash

from .rows import one, rows

USER_FIELDS = ("id", "username", "password_hash", "role", "department", "display_name", "active", "session_version",
               "hall")


class Users:
    """The office_users table (passwords and session versions are :mod:`.accounts`')."""

    def __init__(self, conn):
        self.conn = conn

    def create(self, username, password, role, *, department=None, display_name=None, hall=None):
        """Add an office user with a hashed password (of *hall*; None: the center); return its id."""
        return self.add(username, generate_password_hash(password), role, department=department,
                        display_name=display_name, hall=hall)

    def add(self, username, password_hash, role, *, department=None, display_name=None, hall=None):
        """Add an office user whose password is already hashed (werkzeug format); return its id."""
        with self.conn.transaction():
            return self.conn.execute(
                "INSERT INTO office_users (username, password_hash, role, department, display_name, hall) "
                "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                (username, password_hash, role, department, display_name, hall)).fetchone()[0]

    def by_name(self, username):
        """The user called *username*, or None."""
        return one(self.conn.execute(f"SELECT {', '.join(USER_FIELDS)} FROM office_users WHERE username = ?",
                                     (username,)))

    def by_id(self, user_id):
        """The active user with id *user_id*, or None."""
        return one(self.conn.execute(
            f"SELECT {', '.join(USER_FIELDS)} FROM office_users WHERE id = ? AND active = 1", (user_id,)))

    def all(self):
        """All users, by name."""
        return rows(self.conn.execute(
            "SELECT id, username, role, department, display_name, active, hall FROM office_users ORDER BY username"))

    def set_active(self, user_id, active):
        """Enable or disable a user's login; disabling ends their sessions (the session version moves on)."""
        with self.conn.transaction():
            self.conn.execute("UPDATE office_users SET active = ?, session_version = session_version + ? "
                              "WHERE id = ?", (1 if active else 0, 0 if active else 1, user_id))
