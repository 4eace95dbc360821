"""Follow-ups of low ratings (R6): the office's closures, each with its note."""
from .rows import rows


class Followups:
    """The followup_closures table."""

    def __init__(self, conn):
        self.conn = conn

    def close(self, *, hall, window, service, done, closed_by, closed_at, note):
        """Close the follow-up of a low rating at *hall*'s *window* with the office's note."""
        with self.conn.transaction():
            self.conn.execute('INSERT INTO followup_closures (hall, "window", service, done, closed_by, closed_at, '
                              "note) VALUES (?, ?, ?, ?, ?, ?, ?)",
                              (hall, window, service, done, closed_by, closed_at, note))

    def closures(self, hall=None):
        """Closures (each with its ``hall``) keyed by (window, service, done), of *hall* (None: every hall's,
        keyed by (hall, window, service, done))."""
        found = rows(self.conn.execute('SELECT hall, "window", service, done, closed_by, closed_at, note '
                                       "FROM followup_closures WHERE ? IS NULL OR hall = ?", (hall, hall)))
        if hall is None:
            return {(r["hall"], r["window"], r["service"], r["done"]): r for r in found}
        return {(r["window"], r["service"], r["done"]): r for r in found}
