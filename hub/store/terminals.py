"""Terminals: one-time enrolment codes, keys, replay nonces, last sync and reported status.

The HMAC key is stored as is (hex): the hub must hold the key itself to verify a signature, so the
database file is as secret as the keys (keep it readable by the hub's user only).
"""
import hashlib
import json
import secrets
from datetime import timedelta

from protocol.errors import ReplayedNonce
from protocol.wire import MAX_SKEW_S, NONCE_HEADER

from .errors import BadEnrolmentCode, UnknownTerminal
from .times import from_us, utc_iso

CODE_TTL = timedelta(hours=24)
KEY_BYTES = 32


def _hash(code):
    return hashlib.sha256(code.strip().upper().encode()).hexdigest()


class Terminals:
    """The terminals, enrolment_codes and nonces tables: enrolment, keys, nonces and the terminals' sync state."""

    def __init__(self, conn, clock, configs, audit):
        self.conn, self.clock, self.configs, self.audit = conn, clock, configs, audit

    def new_enrolment_code(self, window, actor, *, ttl=CODE_TTL, hall=None):
        """A fresh one-time code that enrols the terminal of *hall*'s *window*; only its hash is stored."""
        hall = self.configs.resolve(hall)
        if self.configs.hall(hall).window(window) is None:
            raise LookupError(f"window: unknown window {window!r} in hall {hall!r}")
        code = "-".join(secrets.token_hex(3).upper() for _ in range(3))
        now = self.clock()
        with self.conn.transaction():
            self.conn.execute('INSERT INTO enrolment_codes (code_hash, hall, "window", created_at, expires_at) '
                              "VALUES (?, ?, ?, ?, ?)",
                              (_hash(code), hall, window, now.isoformat(), (now + ttl).isoformat()))
            self.audit.add(actor, "new enrolment code", {"window": window, "expires": (now + ttl).isoformat()},
                           hall=hall)
        return code

    def enrol(self, code):
        """Use a one-time *code*: (re)issue the key of its hall's window's terminal; return (terminal, key hex)."""
        now = self.clock().isoformat()
        with self.conn.transaction():
            row = self.conn.execute("SELECT * FROM enrolment_codes WHERE code_hash = ? FOR UPDATE",
                                    (_hash(code),)).fetchone()
            if row is None:
                raise BadEnrolmentCode("code: unknown enrolment code")
            if row["used_at"] is not None:
                raise BadEnrolmentCode("code: this enrolment code was already used")
            if row["expires_at"] <= now:
                raise BadEnrolmentCode(f"code: this enrolment code expired at {row['expires_at']}")
            window = self.configs.hall(row["hall"]).window(row["window"])
            if window is None:
                raise BadEnrolmentCode(f"code: window {row['window']!r} is no longer in the hall config")
            key = secrets.token_hex(KEY_BYTES)
            self.conn.execute(
                'INSERT INTO terminals (id, hall, "window", key, enrolled_at) VALUES (?, ?, ?, ?, ?) '
                'ON CONFLICT (id) DO UPDATE SET hall = excluded.hall, "window" = excluded."window", '
                "key = excluded.key, enrolled_at = excluded.enrolled_at, revoked_at = NULL",
                (window.terminal, row["hall"], window.id, key, now))
            self.conn.execute("UPDATE enrolment_codes SET used_at = ?, terminal = ? WHERE code_hash = ?",
                              (now, window.terminal, row["code_hash"]))
            self.audit.add("terminal:" + window.terminal, "enrol", {"window": window.id}, hall=row["hall"])
        return window.terminal, key

    def revoke(self, terminal, actor, *, hall=None):
        """Revoke *terminal*'s key (of *hall*'s terminals only, when given): its requests are refused until it
        enrols again."""
        with self.conn.transaction():
            row = self.conn.execute("UPDATE terminals SET key = NULL, revoked_at = ? WHERE id = ? AND key IS NOT NULL "
                                    "AND (? IS NULL OR hall = ?) RETURNING hall",
                                    (utc_iso(self.clock()), terminal, hall, hall)).fetchone()
            if row is None:
                raise UnknownTerminal(f"terminal: no enrolled terminal {terminal!r}")
            self.audit.add(actor, "revoke terminal", {"terminal": terminal}, hall=row["hall"])

    def locked(self, terminal):
        """An enrolled terminal's row (its key among its columns), locked until the transaction ends (a push reads
        the key and writes the row: one statement for both); raise UnknownTerminal otherwise."""
        row = self.conn.execute("SELECT * FROM terminals WHERE id = ? FOR UPDATE", (terminal,)).fetchone()
        if row is None or row["key"] is None:
            raise UnknownTerminal(f"terminal: {terminal!r} is not enrolled (or its key was revoked)")
        return row

    def key(self, terminal):
        """The HMAC key (bytes) of an enrolled terminal; raise UnknownTerminal otherwise."""
        row = self.conn.execute("SELECT key FROM terminals WHERE id = ?", (terminal,)).fetchone()
        if row is None or row["key"] is None:
            raise UnknownTerminal(f"terminal: {terminal!r} is not enrolled (or its key was revoked)")
        return bytes.fromhex(row["key"])

    def get(self, terminal):
        """One terminal's sync state as a dict (without its key), or None."""
        row = self.conn.execute("SELECT * FROM terminals WHERE id = ?", (terminal,)).fetchone()
        return None if row is None else _public(row)

    def all(self, hall=None):
        """Every terminal's sync state (without keys) with its ``hall``, by id (of *hall* only, when given)."""
        return [_public(row) for row in self.conn.execute(
            "SELECT * FROM terminals WHERE ? IS NULL OR hall = ? ORDER BY id", (hall, hall))]

    def nonce_registry(self):
        """A nonce registry for ``protocol.wire.verify`` that persists nonces in this store.

        Call it inside a transaction: the nonce is kept only if the request's transaction commits.
        """
        return _StoredNonces(self.conn)

    def touch(self, terminal):
        """Record that *terminal* was heard from now (a signed request that succeeded)."""
        self.conn.execute("UPDATE terminals SET last_seen = ? WHERE id = ?", (utc_iso(self.clock()), terminal))

    def heard(self, hall=None):
        """{window: the instant the hub has heard of it up to} of *hall* (the first hall when None): its
        terminal's reported-up-to, never later than the hub's own time (a verdict about the future is never
        final); windows never heard are absent."""
        hall = self.configs.resolve(hall)
        return self.heard_by_hall(hall).get(hall, {})

    def heard_by_hall(self, hall=None):
        """{hall: :meth:`heard` of it} of every hall (of *hall* only, when given), in one query."""
        now, heard = self.clock(), {}
        for its, window, us in self.conn.execute(
                'SELECT hall, "window", MAX(reported_to_us) FROM terminals WHERE (? IS NULL OR hall = ?) '
                'AND "window" IS NOT NULL AND reported_to_us IS NOT NULL GROUP BY hall, "window"', (hall, hall)):
            heard.setdefault(its, {})[window] = min(from_us(us), now)
        return heard


def _public(row):
    state = {k: row[k] for k in row.keys() if k != "key"}
    state["status"] = json.loads(row["status"])
    state["enrolled"] = row["key"] is not None
    return state


# when this process last forgot the nonces past the replay window (Unix s): not on every request, a statement less
_pruned = {"at": None}


class _StoredNonces:
    """The ``NonceRegistry`` interface of ``protocol.wire`` over the ``nonces`` table.

    A nonce past the replay window is refused by its timestamp before its nonce is looked at, so the old ones
    are only forgotten to keep the table small: by each process at most every :attr:`PRUNE_EVERY_S`.
    """

    TTL_S = 2 * MAX_SKEW_S + 60
    PRUNE_EVERY_S = 60

    def __init__(self, conn):
        self.conn = conn

    def check_and_add(self, terminal, nonce, now):
        """Record (*terminal*, *nonce*) at *now*; raise ReplayedNonce if it was seen in the window."""
        if _pruned["at"] is None or not 0 <= now - _pruned["at"] < self.PRUNE_EVERY_S:
            self.conn.execute("DELETE FROM nonces WHERE seen_s < ?", (int(now) - self.TTL_S,))
            _pruned["at"] = now
        cur = self.conn.execute("INSERT INTO nonces (terminal, nonce, seen_s) VALUES (?, ?, ?) "
                                "ON CONFLICT (terminal, nonce) DO NOTHING",
                                (terminal, nonce, int(now)))
        if cur.rowcount == 0:
            raise ReplayedNonce(f"{NONCE_HEADER}: nonce {nonce} was already used")
