"""What a migration entry is: a SQL script, a function of the connection returning one, or a PerDialect pair."""
from dataclasses import dataclass


@dataclass(frozen=True)
class PerDialect:
    """A migration written once per dialect: each a SQL script or a function of the connection returning one."""

    sqlite: object
    postgresql: object

    def of(self, dialect):
        """The script (or function) of *dialect*."""
        return getattr(self, dialect)


def run_migration(conn, script):
    """Run one migration entry on *conn* (inside the caller's transaction)."""
    if isinstance(script, PerDialect):
        script = script.of(conn.dialect)
    conn.executescript(script(conn) if callable(script) else script)
