"""The office's users (office_users): who may log in, with which role, hall and department.

A user's ``hall`` scopes them to one hall; NULL is the center: every hall.
"""
from werkzeug.security import generate_password_hash

from .rows import one, rows

# The roles office_users' CHECK allows before and after the display role (the hall's big screen) came.
ROLES_BEFORE_DISPLAY = "role IN ('office', 'viewer', 'leader', 'auditor')"
ROLES_WITH_DISPLAY = "role IN ('office', 'viewer', 'leader', 'auditor', 'display')"
# The same on PostgreSQL, which names the column's check office_users_role_check and can replace it in place.
DISPLAY_ROLE_POSTGRESQL = f"""
ALTER TABLE office_users DROP CONSTRAINT office_users_role_check;
ALTER TABLE office_users ADD CONSTRAINT office_users_role_check CHECK ({ROLES_WITH_DISPLAY});
"""
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


def add_display_role(conn):
    """Migration (SQLite): let office_users hold the display role. SQLite cannot alter a CHECK, so the table is
    rebuilt from its own CREATE statement with the longer role list, keeping every column earlier migrations
    gave it (and its indexes)."""
    create = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'office_users'").fetchone()[0]
    if ROLES_BEFORE_DISPLAY not in create:
        raise RuntimeError(f"office_users: its role check is not {ROLES_BEFORE_DISPLAY!r}: {create}")
    columns = ", ".join(f'"{row[1]}"' for row in conn.execute("PRAGMA table_info(office_users)"))
    indexes = [row[0] for row in conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'office_users' AND sql IS NOT NULL")]
    rebuilt = create.replace(ROLES_BEFORE_DISPLAY, ROLES_WITH_DISPLAY).replace("office_users", "office_users_new", 1)
    return ";\n".join([rebuilt, f"INSERT INTO office_users_new ({columns}) SELECT {columns} FROM office_users",
                       "DROP TABLE office_users", "ALTER TABLE office_users_new RENAME TO office_users", *indexes]) + ";"
