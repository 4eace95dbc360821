"""Follow-ups of low ratings (R6): the office's closures, each with its note."""
from .rows import rows


class Followups:
    """The followup_closures table."""

    def __init__(self, conn):
        self.conn = conn

    def close(self, *, window, service, done, closed_by, closed_at, note):
        """Close the follow-up of a low rating with the office's note."""
        with self.conn.transaction():
            self.conn.execute('INSERT INTO followup_closures ("window", service, done, closed_by, closed_at, note) '
                              "VALUES (?, ?, ?, ?, ?, ?)", (window, service, done, closed_by, closed_at, note))

    def closures(self):
        """Closures keyed by (window, service, done)."""
        return {(r["window"], r["service"], r["done"]): r for r in rows(self.conn.execute(
            'SELECT "window", service, done, closed_by, closed_at, note FROM followup_closures'))}
