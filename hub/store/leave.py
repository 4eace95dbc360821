"""Leave requests (请假, R9) and their approvals by tier."""
from .rows import rows


class Leave:
    """The leave_requests and leave_approvals tables (times as ISO strings, as given)."""

    def __init__(self, conn):
        self.conn = conn

    def add_request(self, *, hall, clerk, start, end, kind, cover, note, requested_by, requested_at,
                    certificate=None):
        """File a leave request at *hall* (times as ISO strings; *certificate* True/False for sick leave); return
        its id."""
        with self.conn.transaction():
            return self.conn.execute(
                'INSERT INTO leave_requests (hall, clerk, start, "end", kind, cover, note, requested_by, requested_at, '
                "certificate) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (hall, clerk, start, end, kind, cover, note, requested_by, requested_at,
                 None if certificate is None else int(certificate))).fetchone()[0]

    def set_certificate(self, request_id, provided):
        """Record whether a sick leave's hospital certificate (医院诊断证明) has been provided."""
        with self.conn.transaction():
            self.conn.execute("UPDATE leave_requests SET certificate = ? WHERE id = ?", (int(provided), request_id))

    def requests(self, *, status=None, hall=None):
        """Leave requests (of *hall*; None: every hall's) with their ``hall``, newest first, each with its
        ``approvals`` list of {tier, approved_by, approved_at}."""
        requests = rows(self.conn.execute(
            'SELECT id, hall, clerk, start, "end", kind, cover, note, requested_by, requested_at, status, '
            "config_version, certificate FROM leave_requests WHERE (? IS NULL OR status = ?) "
            "AND (? IS NULL OR hall = ?) ORDER BY id DESC", (status, status, hall, hall)))
        approvals = {}
        for row in rows(self.conn.execute(
                "SELECT request, tier, approved_by, approved_at FROM leave_approvals ORDER BY approved_at")):
            approvals.setdefault(row.pop("request"), []).append(row)
        for request in requests:
            request["approvals"] = approvals.get(request["id"], [])
        return requests

    def request(self, request_id, *, hall=None):
        """One leave request (of *hall*, when given) with its approvals, or None."""
        return next((r for r in self.requests(hall=hall) if r["id"] == request_id), None)

    def approve(self, request_id, tier, *, approved_by, approved_at):
        """Record *tier*'s approval of a request (again is a no-op)."""
        with self.conn.transaction():
            self.conn.execute("INSERT INTO leave_approvals (request, tier, approved_by, approved_at) "
                              "VALUES (?, ?, ?, ?) ON CONFLICT (request, tier) DO NOTHING",
                              (request_id, tier, approved_by, approved_at))

    def decide(self, request_id, status, *, config_version=None):
        """Mark a request approved (with the config version that carries it) or rejected."""
        with self.conn.transaction():
            self.conn.execute("UPDATE leave_requests SET status = ?, config_version = ? WHERE id = ?",
                              (status, config_version, request_id))
