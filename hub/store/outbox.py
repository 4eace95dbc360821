"""The notification outbox: the incidents the alert rules reported and one row per message to deliver.

A row is one (incident, state, receiver, notice): notice 0 tells the change itself, notice n the n-th repeat
of an incident still firing. Its ``idempotency`` key is fixed when the row is written, so a message sent twice
(a worker that died after sending, before recording it) reaches the receiver with the same key.

Delivery leases rows: :meth:`Outbox.claim` takes due rows ``FOR UPDATE SKIP LOCKED`` (hub processes sharing one
PostgreSQL take different rows; SQLite's write transaction holds the whole database), and leases each for a
while; the send happens outside any transaction; :meth:`Outbox.sent` / :meth:`Outbox.failed` record the result.
A lease that runs out (its worker died) makes the row due again. A receiver gets an incident's messages in
order: a row waits while an earlier row of its incident to that receiver is pending.
"""
import hashlib
import json
from datetime import timedelta

from .times import utc_iso

FIRING, RESOLVED = "firing", "resolved"
WRITTEN = ("hall, incident, state, receiver, route, notice, idempotency, change, status, due_at, attempts, "
           "leased_until, last_error, created_at, sent_at")
COLUMNS = "id, " + WRITTEN


def idempotency_key(incident, state, receiver, notice):
    """The message's idempotency key: the same for the same (incident, state, receiver, notice), whoever writes it."""
    text = "\x1f".join((incident, state, receiver, str(notice)))
    return "hp-" + hashlib.sha256(text.encode()).hexdigest()[:40]


class Outbox:
    """The notify_incidents and notify_outbox tables."""

    def __init__(self, conn, clock):
        self.conn, self.clock = conn, clock

    def put(self, change, routes):
        """Record *change* (an AlertChange as a dict) and queue its messages, one per (receiver, route) of *routes*
        (the receivers matched, each once), in one transaction; a change already recorded queues nothing again.

        A resolution drops the incident's repeats not being sent and its first message to a receiver where it
        was never tried (held by quiet hours or a silence): that receiver gets no resolution either. Every
        receiver told (or still to be told) that it fired is told that it ended.
        """
        now = utc_iso(self.clock())
        with self.conn.transaction():
            self.conn.execute(
                "INSERT INTO notify_incidents (key, hall, state, change, updated_at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (key) DO UPDATE SET state = excluded.state, change = excluded.change, "
                "updated_at = excluded.updated_at", (change["key"], change["hall"], change["state"],
                                                     json.dumps(change, ensure_ascii=False), now))
            if change["state"] == RESOLVED:
                routes = self._resolved_routes(change["key"], now)
            self.conn.executemany(
                f"INSERT INTO notify_outbox ({WRITTEN}) VALUES (?, ?, ?, ?, ?, 0, ?, ?, 'pending', ?, 0, NULL, NULL, "
                "?, NULL) ON CONFLICT (incident, state, receiver, notice) DO NOTHING",
                [(change["hall"], change["key"], change["state"], receiver, route,
                  idempotency_key(change["key"], change["state"], receiver, 0),
                  json.dumps(change, ensure_ascii=False), now, now) for receiver, route in routes])

    def _resolved_routes(self, incident, now):
        """Drop what a resolution makes moot (see :meth:`put`); the (receiver, route) pairs to tell it ended."""
        self.conn.execute(
            "UPDATE notify_outbox SET status = 'dropped', last_error = 'resolved before it was sent' "
            "WHERE incident = ? AND state = 'firing' AND status = 'pending' AND (notice > 0 OR attempts = 0) "
            "AND (leased_until IS NULL OR leased_until <= ?)", (incident, now))
        return [(row["receiver"], row["route"]) for row in self.conn.execute(
            "SELECT receiver, route FROM notify_outbox WHERE incident = ? AND state = 'firing' AND notice = 0 "
            "AND status <> 'dropped' ORDER BY receiver", (incident,))]

    def claim(self, *, lease_s, limit, hold):
        """Lease up to *limit* due rows for *lease_s* seconds and return them (dicts, change parsed).

        ``hold(row)`` says whether a due row must wait (quiet hours, a silence): a time to put it off until,
        or None to lease it now. A held row is not an attempt.
        """
        now = self.clock()
        leased = []
        with self.conn.transaction():
            rows = self.conn.execute(
                f"SELECT {COLUMNS} FROM notify_outbox o WHERE status = 'pending' AND due_at <= ? "
                "AND (leased_until IS NULL OR leased_until <= ?) AND NOT EXISTS (SELECT 1 FROM notify_outbox e "
                "WHERE e.incident = o.incident AND e.receiver = o.receiver AND e.id < o.id AND e.status = 'pending') "
                "ORDER BY due_at, id LIMIT ? FOR UPDATE SKIP LOCKED", (utc_iso(now), utc_iso(now), limit)).fetchall()
            for row in map(_parsed, rows):
                until = hold(row)
                if until is not None:
                    self.conn.execute("UPDATE notify_outbox SET due_at = ? WHERE id = ?", (utc_iso(until), row["id"]))
                    continue
                row["attempts"] += 1
                self.conn.execute("UPDATE notify_outbox SET attempts = ?, leased_until = ? WHERE id = ?",
                                  (row["attempts"], utc_iso(now + timedelta(seconds=lease_s)), row["id"]))
                leased.append(row)
        return leased

    def sent(self, row, repeat_s=None):
        """Record that *row* (as claimed) was delivered; queue its next repeat *repeat_s* seconds on when it told
        an incident firing that still fires. False when the row was no longer this lease's (nothing recorded)."""
        now = self.clock()
        with self.conn.transaction():
            done = self.conn.execute("UPDATE notify_outbox SET status = 'sent', sent_at = ?, leased_until = NULL, "
                                     "last_error = NULL WHERE id = ? AND status = 'pending'",
                                     (utc_iso(now), row["id"])).rowcount
            if done and repeat_s and row["state"] == FIRING and self.incident_state(row["incident"]) == FIRING:
                notice = row["notice"] + 1
                self.conn.execute(
                    f"INSERT INTO notify_outbox ({WRITTEN}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, 0, "
                    "NULL, NULL, ?, NULL) ON CONFLICT (incident, state, receiver, notice) DO NOTHING",
                    (row["hall"], row["incident"], FIRING, row["receiver"], row["route"], notice,
                     idempotency_key(row["incident"], FIRING, row["receiver"], notice),
                     json.dumps(row["change"], ensure_ascii=False),
                     utc_iso(now + timedelta(seconds=repeat_s)), utc_iso(now)))
            return bool(done)

    def failed(self, row, error, retry_at):
        """Record that *row*'s delivery failed with *error*: due again at *retry_at*, or failed for good when None."""
        status = "failed" if retry_at is None else "pending"
        self.conn.execute("UPDATE notify_outbox SET status = ?, due_at = COALESCE(?, due_at), leased_until = NULL, "
                          "last_error = ? WHERE id = ? AND status = 'pending'",
                          (status, retry_at and utc_iso(retry_at), error, row["id"]))

    def incident_state(self, incident):
        """``firing`` or ``resolved``: the latest state the rules reported for *incident* (None: never reported)."""
        row = self.conn.execute("SELECT state FROM notify_incidents WHERE key = ?", (incident,)).fetchone()
        return None if row is None else row[0]

    def messages(self, *, receiver=None, status=None, limit=200):
        """The latest outbox rows (newest first) as dicts, of *receiver* and in *status* when given."""
        rows = self.conn.execute(
            f"SELECT {COLUMNS} FROM notify_outbox WHERE (? IS NULL OR receiver = ?) AND (? IS NULL OR status = ?) "
            "ORDER BY id DESC LIMIT ?", (receiver, receiver, status, status, limit)).fetchall()
        return [_parsed(row) for row in rows]


def _parsed(row):
    """An outbox row as a dict, its change parsed."""
    return dict(row, change=json.loads(row["change"]))
