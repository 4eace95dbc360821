"""The office's notification settings: receivers (with their secrets and health), routes and silences.

Every change is audited; the audit names a receiver's id and kind, never its settings (URLs hold robot keys).
"""
import json

from .times import utc_iso

RECEIVER_COLUMNS = "id, kind, settings, language, created_by, created_at, last_success, last_error, last_error_at"
SILENCE_COLUMNS = ('id, hall, "window", kind, starts_at, ends_at, comment, created_by, created_at, expired_by, '
                   "expired_at")


class NotifySettings:
    """The notify_receivers, notify_routes and notify_silences tables."""

    def __init__(self, conn, clock, audit):
        self.conn, self.clock, self.audit = conn, clock, audit

    def add_receiver(self, receiver, kind, settings, language, actor):
        """Add receiver *receiver* of *kind* with *settings* (a dict, secrets included); ValueError when the id is
        taken."""
        with self.conn.transaction():
            if self.receiver(receiver) is not None:
                raise ValueError(f"receiver: {receiver!r} exists already (remove it first)")
            self.conn.execute(f"INSERT INTO notify_receivers ({RECEIVER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, NULL, "
                              "NULL, NULL)", (receiver, kind, json.dumps(settings, sort_keys=True), language, actor,
                                              utc_iso(self.clock())))
            self.audit.add(actor, "add notify receiver", {"receiver": receiver, "kind": kind, "language": language})

    def remove_receiver(self, receiver, actor):
        """Remove *receiver*, its routes, and its messages not sent yet (dropped); LookupError when unknown."""
        with self.conn.transaction():
            if self.receiver(receiver) is None:
                raise LookupError(f"receiver: no receiver {receiver!r}")
            self.conn.execute("UPDATE notify_outbox SET status = 'dropped', last_error = 'receiver removed' "
                              "WHERE receiver = ? AND status = 'pending'", (receiver,))
            self.conn.execute("DELETE FROM notify_routes WHERE receiver = ?", (receiver,))
            self.conn.execute("DELETE FROM notify_receivers WHERE id = ?", (receiver,))
            self.audit.add(actor, "remove notify receiver", {"receiver": receiver})

    def receiver(self, receiver):
        """Receiver *receiver* as a dict (settings parsed), or None."""
        row = self.conn.execute(f"SELECT {RECEIVER_COLUMNS} FROM notify_receivers WHERE id = ?",
                                (receiver,)).fetchone()
        return None if row is None else dict(row, settings=json.loads(row["settings"]))

    def receivers(self):
        """Every receiver as a dict with its settings, its health and its message counts by status."""
        counts = {}
        for row in self.conn.execute("SELECT receiver, status, COUNT(*) AS n FROM notify_outbox "
                                     "GROUP BY receiver, status"):
            counts.setdefault(row["receiver"], {})[row["status"]] = row["n"]
        return [dict(row, settings=json.loads(row["settings"]), counts=counts.get(row["id"], {}))
                for row in self.conn.execute(f"SELECT {RECEIVER_COLUMNS} FROM notify_receivers ORDER BY id")]

    def record_success(self, receiver, at):
        """*receiver* took a message at *at*."""
        self.conn.execute("UPDATE notify_receivers SET last_success = ? WHERE id = ?", (utc_iso(at), receiver))

    def record_error(self, receiver, error, at):
        """*receiver* refused or failed a message at *at* with *error* (text)."""
        self.conn.execute("UPDATE notify_receivers SET last_error = ?, last_error_at = ? WHERE id = ?",
                          (error, utc_iso(at), receiver))

    def add_route(self, route, actor):
        """Add *route* (a dict: receiver, hall, department, kinds, repeat_s, quiet_from, quiet_until); its id."""
        with self.conn.transaction():
            if self.receiver(route["receiver"]) is None:
                raise LookupError(f"route: no receiver {route['receiver']!r}")
            kinds = " ".join(route["kinds"]) if route.get("kinds") else None
            new = self.conn.execute(
                "INSERT INTO notify_routes (receiver, hall, department, kinds, repeat_s, quiet_from, quiet_until, "
                "created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (route["receiver"], route.get("hall"), route.get("department"), kinds, route["repeat_s"],
                 route.get("quiet_from"), route.get("quiet_until"), actor, utc_iso(self.clock()))).fetchone()[0]
            self.audit.add(actor, "add notify route", dict(route, id=new, kinds=kinds), hall=route.get("hall"))
            return new

    def remove_route(self, route, actor):
        """Remove route *route* (its id); LookupError when unknown."""
        with self.conn.transaction():
            if self.conn.execute("DELETE FROM notify_routes WHERE id = ?", (route,)).rowcount == 0:
                raise LookupError(f"route: no route {route}")
            self.audit.add(actor, "remove notify route", {"id": route})

    def routes(self):
        """Every route as a dict (``kinds`` a tuple, empty: every kind), in the order they were added."""
        rows = self.conn.execute("SELECT id, receiver, hall, department, kinds, repeat_s, quiet_from, quiet_until, "
                                 "created_by, created_at FROM notify_routes ORDER BY id").fetchall()
        return [dict(row, kinds=tuple((row["kinds"] or "").split())) for row in rows]

    def route(self, route):
        """Route *route* (its id) as a dict, or None (removed)."""
        return next((r for r in self.routes() if r["id"] == route), None)

    def add_silence(self, silence, actor):
        """Add *silence* (a dict: hall, window, kind, starts_at, ends_at as aware datetimes, comment); its id."""
        with self.conn.transaction():
            new = self.conn.execute(
                'INSERT INTO notify_silences (hall, "window", kind, starts_at, ends_at, comment, created_by, '
                "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (silence.get("hall"), silence.get("window"), silence.get("kind"), utc_iso(silence["starts_at"]),
                 utc_iso(silence["ends_at"]), silence["comment"], actor, utc_iso(self.clock()))).fetchone()[0]
            self.audit.add(actor, "add notify silence", {
                "id": new, "window": silence.get("window"), "kind": silence.get("kind"), "comment": silence["comment"],
                "starts_at": utc_iso(silence["starts_at"]), "ends_at": utc_iso(silence["ends_at"])},
                hall=silence.get("hall"))
            return new

    def expire_silence(self, silence, actor):
        """End silence *silence* (its id) now, and make the messages it held due now (the delivery holds them
        again if something else still does); LookupError when unknown or already over."""
        now = utc_iso(self.clock())
        with self.conn.transaction():
            ended = self.conn.execute("UPDATE notify_silences SET expired_by = ?, expired_at = ? WHERE id = ? AND "
                                      "expired_at IS NULL AND ends_at > ? RETURNING ends_at",
                                      (actor, now, silence, now)).fetchone()
            if ended is None:
                raise LookupError(f"silence: no silence {silence} in force or to come")
            self.conn.execute("UPDATE notify_outbox SET due_at = ? WHERE status = 'pending' AND due_at = ?",
                              (now, ended[0]))
            self.audit.add(actor, "expire notify silence", {"id": silence})

    def silences(self, *, since=None):
        """The silences (newest first) as dicts with ``end`` (the earlier of ends_at and expired_at); only those
        ending after *since* (an aware datetime) when given."""
        rows = self.conn.execute(f"SELECT {SILENCE_COLUMNS} FROM notify_silences WHERE ? IS NULL OR ends_at > ? "
                                 "ORDER BY id DESC", (since and utc_iso(since),) * 2).fetchall()
        return [dict(row, end=min(filter(None, (row["ends_at"], row["expired_at"])))) for row in rows]
