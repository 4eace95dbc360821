"""Follow-ups of low ratings (R6): the office's closures, each with its note."""
from .errors import AlreadyClosed
from .rows import rows


class Followups:
    """The followup_closures table."""

    def __init__(self, conn):
        self.conn = conn

    def close(self, *, hall, window, service, done, closed_by, closed_at, note):
        """Close the follow-up of a low rating at *hall*'s *window* with the office's note; AlreadyClosed when it
        was closed before (also by another process at the same moment), its first note kept."""
        with self.conn.transaction():
            closed = self.conn.execute('INSERT INTO followup_closures (hall, "window", service, done, closed_by, '
                                       "closed_at, note) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING "
                                       "RETURNING hall", (hall, window, service, done, closed_by, closed_at, note))
            if closed.fetchone() is None:
                raise AlreadyClosed(f"follow-up: service {service} at window {window} (done {done}) was already "
                                    "closed")

    def closures(self, hall=None):
        """Closures (each with its ``hall``) keyed by (window, service, done), of *hall* (None: every hall's,
        keyed by (hall, window, service, done))."""
        found = rows(self.conn.execute('SELECT hall, "window", service, done, closed_by, closed_at, note '
                                       "FROM followup_closures WHERE ? IS NULL OR hall = ?", (hall, hall)))
        if hall is None:
            return {(r["hall"], r["window"], r["service"], r["done"]): r for r in found}
        return {(r["window"], r["service"], r["done"]): r for r in found}
