"""Overtime requests (加班申请单, R10): filed by a window, approved or rejected by the coordination office.

All their SQL lives here; :data:`SCHEMA` is appended to ``hub/store/migrations.py``. :class:`Overtime` returns
plain dicts, times as ISO text as they were given.
"""
import json

SCHEMA = """
CREATE TABLE overtime_requests (
    id INTEGER PRIMARY KEY,
    window TEXT NOT NULL,
    start TEXT NOT NULL,
    "end" TEXT NOT NULL,
    clerks TEXT NOT NULL,              -- JSON list of the duty clerks (值班人员)
    reason TEXT NOT NULL,              -- the work that needs it (因工作需要)
    requested_by TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
    decided_by TEXT,
    decided_at TEXT,
    rejection TEXT,                    -- the office's reason when it rejects
    config_version INTEGER             -- the config version that carries an approved span
);
CREATE INDEX overtime_requests_status ON overtime_requests (status);
"""
FIELDS = ("id", "hall", '"window"', "start", '"end"', "clerks", "reason", "requested_by", "requested_at", "status",
          "decided_by", "decided_at", "rejection", "config_version")


def _decoded(row):
    request = dict(row)
    request["clerks"] = json.loads(request["clerks"])
    return request


class Overtime:
    """The overtime_requests table."""

    def __init__(self, conn):
        self.conn = conn

    def add_request(self, *, hall, window, start, end, clerks, reason, requested_by, requested_at):
        """File an overtime request for *hall*'s *window* (times as ISO strings); return its id."""
        with self.conn.transaction():
            return self.conn.execute(
                'INSERT INTO overtime_requests (hall, "window", start, "end", clerks, reason, requested_by, '
                "requested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (hall, window, start, end, json.dumps(list(clerks)), reason, requested_by, requested_at)).fetchone()[0]

    def requests(self, *, status=None, hall=None):
        """Overtime requests with their ``hall``, newest first (optionally only those with *status*, of *hall*)."""
        return [_decoded(row) for row in self.conn.execute(
            f"SELECT {', '.join(FIELDS)} FROM overtime_requests WHERE (? IS NULL OR status = ?) "
            "AND (? IS NULL OR hall = ?) ORDER BY id DESC", (status, status, hall, hall))]

    def request(self, request_id, *, hall=None):
        """One overtime request (of *hall*, when given), or None."""
        row = self.conn.execute(f"SELECT {', '.join(FIELDS)} FROM overtime_requests WHERE id = ? "
                                "AND (? IS NULL OR hall = ?)", (request_id, hall, hall)).fetchone()
        return None if row is None else _decoded(row)

    def decide(self, request_id, status, *, decided_by, decided_at, rejection=None, config_version=None):
        """Mark a pending request approved (with its config version) or rejected (with the reason); False if decided."""
        with self.conn.transaction():
            cur = self.conn.execute(
                "UPDATE overtime_requests SET status = ?, decided_by = ?, decided_at = ?, rejection = ?, "
                "config_version = ? WHERE id = ? AND status = 'pending'",
                (status, decided_by, decided_at, rejection, config_version, request_id))
        return cur.rowcount == 1
