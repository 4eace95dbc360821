"""Leave requests (请假, R9) and their approvals by tier."""
from .rows import rows


class Leave:
    """The leave_requests and leave_approvals tables (times as ISO strings, as given)."""

    def __init__(self, conn):
        self.conn = conn

    def add_request(self, *, clerk, start, end, kind, cover, note, requested_by, requested_at, certificate=None):
        """File a leave request (times as ISO strings; *certificate* True/False for sick leave); return its id."""
        with self.conn.transaction():
            cur = self.conn.execute(
                'INSERT INTO leave_requests (clerk, start, "end", kind, cover, note, requested_by, requested_at, '
                "certificate) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (clerk, start, end, kind, cover, note, requested_by, requested_at,
                 None if certificate is None else int(certificate)))
            return cur.fetchone()[0]

    def set_certificate(self, request_id, provided):
        """Record whether a sick leave's hospital certificate (医院诊断证明) has been provided."""
        with self.conn.transaction():
            self.conn.execute("UPDATE leave_requests SET certificate = ? WHERE id = ?", (int(provided), request_id))

    def requests(self, *, status=None):
        """Leave requests, newest first, each with its ``approvals`` list of {tier, approved_by, approved_at}."""
        where, args = ("WHERE status = ?", (status,)) if status else ("", ())
        requests = rows(self.conn.execute(
            'SELECT id, clerk, start, "end", kind, cover, note, requested_by, requested_at, status, config_version, '
            f"certificate FROM leave_requests {where} ORDER BY id DESC", args))
        approvals = {}
        for row in rows(self.conn.execute(
                "SELECT request, tier, approved_by, approved_at FROM leave_approvals ORDER BY approved_at")):
            approvals.setdefault(row.pop("request"), []).append(row)
        for request in requests:
            request["approvals"] = approvals.get(request["id"], [])
        return requests

    def request(self, request_id):
        """One leave request with its approvals, or None."""
        return next((r for r in self.requests() if r["id"] == request_id), None)

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
