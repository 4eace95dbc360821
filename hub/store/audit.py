"""The audit log: who did what in the office, and when (every office action writes one entry)."""
import json


class AuditLog:
    """Store mixin: append and read audit entries."""

    def audit(self, actor, action, detail=None):
        """Record that *actor* did *action* (short verb phrase) with *detail* (JSON-able)."""
        with self.transaction():
            self._audit(actor, action, detail)

    def _audit(self, actor, action, detail):
        self.conn.execute("INSERT INTO audit (at, actor, action, detail) VALUES (?, ?, ?, ?)",
                          (self.now_iso(), actor, action, json.dumps(detail, ensure_ascii=False, sort_keys=True)))

    def audit_entries(self, *, limit=200, actor=None, since=None):
        """The latest audit entries (newest first) as dicts, optionally by *actor* or since an ISO time."""
        sql, args = "SELECT id, at, actor, action, detail FROM audit WHERE 1=1", []
        if actor is not None:
            sql, args = sql + " AND actor = ?", args + [actor]
        if since is not None:
            sql, args = sql + " AND at >= ?", args + [since]
        rows = self.conn.execute(sql + " ORDER BY id DESC LIMIT ?", args + [limit]).fetchall()
        return [dict(row, detail=json.loads(row["detail"])) for row in rows]
