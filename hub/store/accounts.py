"""Office accounts' security state: passwords, session versions, failed-login counters and lockouts.

All hub processes share this state through the database. A failed login counts against the account name
typed (known or not, so a lockout tells nothing about who exists) and against the client's address; after
:attr:`Lockout.after` failures in a row a key is locked for one minute, doubling with every further
failure up to an hour. Counters are forgotten a day after their last failure; an account's is cleared by a
successful login.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta

from .times import utc_iso

SCHEMA = """
CREATE TABLE office_users_v3 (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('office', 'viewer', 'leader', 'auditor')),
    department TEXT,
    display_name TEXT,
    active INTEGER NOT NULL DEFAULT 1,
    session_version INTEGER NOT NULL DEFAULT 0
);
INSERT INTO office_users_v3 (id, username, password_hash, role, department, display_name, active)
    SELECT id, username, password_hash, role, department, display_name, active FROM office_users;
DROP TABLE office_users;
ALTER TABLE office_users_v3 RENAME TO office_users;
CREATE TABLE login_failures (
    scope TEXT NOT NULL CHECK (scope IN ('account', 'address')),
    key TEXT NOT NULL,
    failures INTEGER NOT NULL,
    last_failure TEXT NOT NULL,
    locked_until TEXT,
    PRIMARY KEY (scope, key)
) WITHOUT ROWID;
CREATE INDEX login_failures_last ON login_failures (last_failure);
"""


@dataclass(frozen=True)
class Lockout:
    """When a key locks: after *after* failures in a row, for *first* doubling per failure up to *longest*."""

    after: int
    first: timedelta = timedelta(minutes=1)
    longest: timedelta = timedelta(hours=1)

    def lock_for(self, failures):
        """How long *failures* failures in a row lock the key (zero below the threshold)."""
        if failures < self.after:
            return timedelta(0)
        return min(self.first * 2 ** min(failures - self.after, 16), self.longest)


LOCKOUTS = {"account": Lockout(after=5), "address": Lockout(after=20)}
FORGET_AFTER = timedelta(days=1)


class Accounts:
    """Failed logins and lockouts (login_failures); passwords and session versions of office_users."""

    def __init__(self, conn):
        self.conn = conn

    def locked_until(self, scope, key, now):
        """The end of *key*'s lock in *scope* if it is locked at *now*, else None."""
        row = self.conn.execute("SELECT locked_until FROM login_failures WHERE scope = ? AND key = ?",
                                (scope, key)).fetchone()
        if row is None or row[0] is None:
            return None
        until = datetime.fromisoformat(row[0])
        return until if until > now else None

    def record_failure(self, scope, key, now):
        """Count one failed login against *key*; return the end of the lock it now starts, or None."""
        with self.conn.transaction():
            self.conn.lock("login_failures")        # every process counts on the same row, one at a time
            self.conn.execute("DELETE FROM login_failures WHERE last_failure < ?", (utc_iso(now - FORGET_AFTER),))
            row = self.conn.execute("SELECT failures FROM login_failures WHERE scope = ? AND key = ?",
                                    (scope, key)).fetchone()
            failures = 1 if row is None else row[0] + 1
            lock = LOCKOUTS[scope].lock_for(failures)
            until = now + lock if lock else None
            self.conn.execute(
                "INSERT INTO login_failures (scope, key, failures, last_failure, locked_until) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (scope, key) DO UPDATE SET failures = excluded.failures, "
                "last_failure = excluded.last_failure, locked_until = excluded.locked_until",
                (scope, key, failures, utc_iso(now), None if until is None else utc_iso(until)))
        return until

    def clear_failures(self, scope, key):
        """Forget *key*'s failed logins (after a successful login, or an office unlock)."""
        with self.conn.transaction():
            self.conn.execute("DELETE FROM login_failures WHERE scope = ? AND key = ?", (scope, key))

    def set_password_hash(self, user_id, password_hash):
        """Replace a user's password hash and end every session of theirs; False when there is no such user."""
        with self.conn.transaction():
            cur = self.conn.execute("UPDATE office_users SET password_hash = ?, session_version = session_version + 1 "
                                    "WHERE id = ?", (password_hash, user_id))
        return cur.rowcount == 1

    def end_sessions(self, user_id):
        """End every session of a user (their cookies stop working): bump the session version."""
        with self.conn.transaction():
            self.conn.execute("UPDATE office_users SET session_version = session_version + 1 WHERE id = ?", (user_id,))
