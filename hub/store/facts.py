"""Ingest: a terminal's batch stored exactly once, all or nothing, with each fact's resolved time.

Facts are unique on (terminal, seq). A fact's time comes from the clock anchors of its boot
(``protocol.time``); a new anchor re-times the facts of its boot already held. New facts and changed
times mark their window-days dirty; the deriver (``hub.deriver``) derives them later, never inside the push.
"""
import json
from datetime import datetime, timedelta
from json.encoder import c_make_encoder, encode_basestring

from protocol.facts import held_fact, same_fact, unique_facts
from protocol.time import anchored_us, unanchored_time

from .errors import Conflict, FutureFact, JournalReset, UnknownTerminal
from .migration_entries import PerDialect
from .times import LocalDays, from_us, to_us, utc_iso


def canonical_encoder():
    """The canonical fact JSON of ``Fact.to_json`` (sorted keys, no spaces): one function for every fact.

    ``JSONEncoder.encode`` builds CPython's C encoder anew for each value (60% of encoding a fact); built once
    here with the arguments ``encode`` passes it, it gives the same text (the pure-Python encoder where there is
    no C one). It keeps no record of the containers it is in (a fact parsed from JSON holds no cycle), so threads
    share it safely.
    """
    encoder = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    if c_make_encoder is None:
        return encoder.encode
    chunks = c_make_encoder(None, encoder.default, encode_basestring, None, encoder.key_separator,
                            encoder.item_separator, True, False, True)
    return lambda value: "".join(chunks(value, 0))


_canonical = canonical_encoder()
# migration 15: the seqs each boot's facts lie between, in place of the facts' (terminal, boot) index. Re-timing a
# boot reads its facts from the primary key's range; the index took 1 µs of the 5 µs SQLite spent inserting a fact,
# and 10 of the facts table's 80 MB (bench/hub.py, 60 days). A terminal's journal numbers each boot's facts in one
# run, so a span holds its boot's facts and seldom others; re-timing still reads only those of the boot.
BOOTS = """
CREATE TABLE boots (
    terminal TEXT NOT NULL,
    boot TEXT NOT NULL,
    first_seq {seq} NOT NULL,
    last_seq {seq} NOT NULL,
    PRIMARY KEY (terminal, boot),
    FOREIGN KEY (terminal) REFERENCES terminals (id)
){table_options};
INSERT INTO boots (terminal, boot, first_seq, last_seq) SELECT terminal, boot, MIN(seq), MAX(seq) FROM facts
    GROUP BY terminal, boot;
DROP INDEX facts_boot;
"""
ADD_BOOTS = PerDialect(sqlite=BOOTS.format(seq="INTEGER", table_options=" WITHOUT ROWID"),
                       postgresql=BOOTS.format(seq="BIGINT", table_options=""))
# boots per ``IN (…)`` list: a push names a few; an import of a terminal's journal, maybe thousands (SQLite takes
# up to 32,766 parameters a statement)
BOOTS_PER_QUERY = 500


def _clock_anchors(clock_facts, now, allowance):
    """[(boot, (mono_ms, offset µs))]: each of *clock_facts* as the anchor of its boot (``protocol.time.anchor_of``,
    in integer Unix µs). Raises FutureFact for one whose ``hub_time`` is later than *now* plus *allowance*.

    A clock anchor is the hub's own time as a terminal heard it, so it is never in the hub's future: one
    that is comes from a false or stolen key and would time facts, and "reported up to", days ahead.
    """
    anchors, latest_us = [], to_us(now + allowance)
    for fact in clock_facts:
        hub_us = to_us(datetime.fromisoformat(fact.data["hub_time"]))       # a valid time: the fact was parsed
        if hub_us > latest_us:
            raise FutureFact(f"hub_time: {fact.data['hub_time']} of clock fact seq {fact.seq} of {fact.terminal} is "
                             f"{(hub_us - to_us(now)) / 1e6:.0f} s after the hub's time {now.isoformat()} (at most "
                             f"{allowance.total_seconds():.0f} s ahead is allowed)")
        anchors.append((fact.boot, (fact.mono_ms, hub_us - 1000 * fact.mono_ms)))
    return anchors


class FactLog:
    """The facts and anchors tables and the terminals' acks: every fact held once, timed by its boot's anchors."""

    def __init__(self, conn, clock, configs, dirty, audit, future_allowance):
        self.conn, self.clock, self.configs, self.dirty, self.audit = conn, clock, configs, dirty, audit
        self.future_allowance = future_allowance

    def ingest(self, batch, terminal=None):
        """Store *batch* (a ``protocol.wire.Batch``) of its terminal; return the highest contiguous seq held.
        *terminal* is its row when the caller's transaction locked it already (``Terminals.locked``).

        Raises Conflict (same seq, other content), JournalReset, UnknownTerminal; nothing changes then.
        """
        with self.conn.transaction():
            if terminal is None:
                terminal = self.conn.execute("SELECT * FROM terminals WHERE id = ? AND key IS NOT NULL FOR UPDATE",
                                             (batch.terminal,)).fetchone()
            if terminal is None:
                raise UnknownTerminal(f"terminal: {batch.terminal!r} is not enrolled")
            heard = {"store_id": batch.store, "status": json.dumps(batch.status, ensure_ascii=False, sort_keys=True),
                     "last_seen": utc_iso(self.clock())}
            texts = dict(zip((f.seq for f in batch.facts), batch.texts)) if batch.texts else None
            acked, _ = self._hold(terminal, batch.facts, store=batch.store, heard=heard, texts=texts)
        return acked

    def import_facts(self, facts, actor):
        """Store facts exported from terminals' journals (``hallpost terminal export``), all or nothing.

        For a terminal whose journal never reached the hub again (a dead Pi, its card read elsewhere). Each
        fact is held once: facts already held are skipped, a fact contradicting one held raises Conflict.
        The terminals' live status and last sync are left alone: an import is not a terminal calling in.
        Returns ``{terminal: (facts new to the hub, highest contiguous seq held)}``.
        """
        by_terminal = {}
        for fact in unique_facts(facts):
            by_terminal.setdefault(fact.terminal, []).append(fact)
        result = {}
        with self.conn.transaction():
            for terminal_id, its in sorted(by_terminal.items()):
                terminal = self.conn.execute("SELECT * FROM terminals WHERE id = ? FOR UPDATE",
                                             (terminal_id,)).fetchone()
                if terminal is None:
                    raise UnknownTerminal(f"terminal: {terminal_id!r} was never enrolled at this hub")
                acked, new = self._hold(terminal, its)
                result[terminal_id] = (len(new), acked)
            self.audit.add(actor, "import facts", {t: {"new": n, "acked": a} for t, (n, a) in result.items()})
        return result

    def _hold(self, terminal, facts, *, store=None, heard=None, texts=None):
        """Insert those of *facts* not held yet, re-time their boots, advance the ack; (acked, new facts).

        The terminal's row (locked by the caller) is written once: its ack, reported-up-to, keypad and *heard*
        ({column: value} of a terminal calling in). *texts* ({seq: JSON text as sent}) are the facts' bodies when
        given, else each is encoded (canonical JSON).
        """
        new = self._new_facts(terminal, facts, store)
        halls = self.configs.every()
        config = halls[terminal["hall"]]
        clocks = _clock_anchors([f for f in new if f.kind == "clock"], self.clock(), self.future_allowance)
        anchors = self._anchors(terminal["id"], new, clocks)
        touched = self.retime(config, terminal, anchors, {boot for boot, _ in clocks})
        inserted = self._insert(config, terminal, new, anchors, clocks, texts)
        touched |= {(terminal["window"], day) for _, day in inserted.values() if day is not None}
        changes = dict(heard or {})
        acked = self._advance_ack(terminal, config, touched, changes, inserted) if new else terminal["acked_seq"]
        keypad = max((f for f in new if f.kind == "keypad"), key=lambda f: f.seq, default=None)
        if keypad is not None and (terminal["keypad_seq"] is None or terminal["keypad_seq"] < keypad.seq):
            changes.update(keypad=int(keypad.data["attached"]), keypad_seq=keypad.seq)
        if changes:
            self.conn.execute(f"UPDATE terminals SET {', '.join(f'{column} = ?' for column in changes)} WHERE id = ?",
                              (*changes.values(), terminal["id"]))
        self.dirty.mark(terminal["hall"], halls, touched)
        return acked, new

    def _new_facts(self, terminal, facts, store):
        """Those of *facts* not yet held; raise on a conflicting or (for a *store* id given) reset journal."""
        if not facts:
            return []
        seqs = {f.seq for f in facts}
        held = {row["seq"]: row["body"] for row in self.conn.execute(
            "SELECT seq, body FROM facts WHERE terminal = ? AND seq BETWEEN ? AND ?",
            (terminal["id"], min(seqs), max(seqs))) if row["seq"] in seqs}
        if held and store is not None and terminal["store_id"] not in (None, store):
            raise JournalReset(f"store: journal {store} of {terminal['id']} claims seqs already held from "
                               f"journal {terminal['store_id']} (first: {min(held)}); the journal was reset")
        for fact in facts:
            body = held.get(fact.seq)
            if body is not None and not same_fact(json.loads(body), fact.raw):
                raise Conflict(f"facts: seq {fact.seq} of {terminal['id']} is already held with different contents")
        return [f for f in facts if f.seq not in held]

    def _anchors(self, terminal, new, clocks):
        """Anchors of the boots of *new* facts, held and new (*clocks*): {(terminal, boot): [(mono_ms, offset µs)]}."""
        anchors = {}
        for boots in _chunks(sorted({f.boot for f in new})):
            for boot, mono_ms, offset_us in self.conn.execute(
                    f"SELECT boot, mono_ms, offset_us FROM anchors WHERE terminal = ? AND boot IN ({_marks(boots)})",
                    (terminal, *boots)):
                anchors.setdefault((terminal, boot), []).append((mono_ms, offset_us))
        for boot, anchor in clocks:
            anchors.setdefault((terminal, boot), []).append(anchor)
        for pairs in anchors.values():
            pairs.sort()
        return anchors

    def _insert(self, config, terminal, new, anchors, clocks, texts):
        """Insert *new* facts, their bodies from *texts* (see ``_hold``), with their resolved times, the *clocks*
        anchors and the spans of seqs of their boots; return {seq: (at_us, day)} of them (None, None while
        uncertain)."""
        hall, window, now = terminal["hall"], terminal["window"], utc_iso(self.clock())
        day_of, inserted, rows, spans = LocalDays(config.tz), {}, [], {}
        for fact in new:
            at_us = _at_us(config, anchors, fact)
            day = None if at_us is None else day_of(at_us)
            inserted[fact.seq] = (at_us, day)
            rows.append((fact.terminal, fact.seq, fact.boot, fact.mono_ms, fact.kind, hall, window,
                         texts[fact.seq] if texts else _canonical(fact.raw), at_us, day, now))
            span = spans.get(fact.boot)
            if span is None:
                spans[fact.boot] = [fact.seq, fact.seq]
            elif fact.seq > span[1]:
                span[1] = fact.seq
            elif fact.seq < span[0]:
                span[0] = fact.seq
        # executemany, not a multi-row INSERT: psycopg would parse that anew on each push (it caches statements of
        # at most 50 parameters), while this one is prepared once, pipelined and bound on the server
        self.conn.executemany('INSERT INTO facts (terminal, seq, boot, mono_ms, kind, hall, "window", body, at_us, '
                              "day, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                              "ON CONFLICT (terminal, seq) DO NOTHING", rows)
        self.conn.executemany("INSERT INTO anchors (terminal, boot, mono_ms, offset_us) VALUES (?, ?, ?, ?)",
                              [(terminal["id"], boot, mono_ms, offset_us) for boot, (mono_ms, offset_us) in clocks])
        self.conn.executemany(
            "INSERT INTO boots (terminal, boot, first_seq, last_seq) VALUES (?, ?, ?, ?) ON CONFLICT (terminal, boot) "
            "DO UPDATE SET first_seq = CASE WHEN excluded.first_seq < boots.first_seq THEN excluded.first_seq "
            "ELSE boots.first_seq END, last_seq = CASE WHEN excluded.last_seq > boots.last_seq "
            "THEN excluded.last_seq ELSE boots.last_seq END",
            [(terminal["id"], boot, first, last) for boot, (first, last) in spans.items()])
        return inserted

    def retime(self, config, terminal_row, anchors, boots):
        """Re-time the facts held of *boots* under their new *anchors*; return the window-days they moved in."""
        day_of, touched, updates = LocalDays(config.tz), set(), []
        terminal, window = terminal_row["id"], terminal_row["window"]
        for chunk in _chunks(sorted(boots)):
            rows = self.conn.execute(
                "SELECT f.seq, f.boot, f.mono_ms, f.body, f.at_us, f.day FROM boots b JOIN facts f "
                "ON f.terminal = b.terminal AND f.seq BETWEEN b.first_seq AND b.last_seq AND f.boot = b.boot "
                f"WHERE b.terminal = ? AND b.boot IN ({_marks(chunk)}) AND f.kind != 'clock'",
                (terminal, *chunk)).fetchall()
            for row in rows:
                pairs = anchors.get((terminal, row["boot"]))      # anchors alone time it: never its wall or time
                at_us = (anchored_us(pairs, row["mono_ms"]) if pairs
                         else _unanchored_us(config, held_fact(json.loads(row["body"]))))
                if at_us != row["at_us"]:
                    day = None if at_us is None else day_of(at_us)
                    updates.append((at_us, day, terminal, row["seq"]))
                    touched |= {(window, d) for d in (row["day"], day) if d is not None}
        self.conn.executemany("UPDATE facts SET at_us = ?, day = ? WHERE terminal = ? AND seq = ?", updates)
        return touched

    def _advance_ack(self, terminal, config, touched, changes, inserted):
        """The terminal's highest contiguous seq, its reported-up-to time moving with it (in *config*'s zone): both
        put in *changes* ({column: value} of the terminal's row) when they move; returns the ack. The facts just
        *inserted* ({seq: (at_us, day)}) are read from there, only those held beyond them from the table."""
        old = acked = terminal["acked_seq"]
        times = []
        while acked + 1 in inserted:
            acked += 1
            times.append(inserted[acked][0])
        for seq, at_us in self.conn.execute("SELECT seq, at_us FROM facts WHERE terminal = ? AND seq > ? ORDER BY seq",
                                            (terminal["id"], acked)):
            if seq != acked + 1:
                break
            acked = seq
            times.append(at_us)
        latest = max((at_us for at_us in times if at_us is not None), default=None)
        if acked == old:
            return acked
        reported = terminal["reported_to_us"]
        if latest is not None and (reported is None or latest > reported):
            changes["reported_to_us"] = latest
            touched |= _days_reported(config, terminal, reported, latest)
        changes["acked_seq"] = acked
        return acked

    def count(self, terminal=None):
        """How many facts the hub holds (of *terminal*)."""
        if terminal is None:
            return self.conn.execute("SELECT COUNT(*) FROM facts").fetchone()[0]
        return self.conn.execute("SELECT COUNT(*) FROM facts WHERE terminal = ?", (terminal,)).fetchone()[0]

    def of_window(self, window, start_day, end_day=None, *, hall=None):
        """Facts of *hall*'s *window* on local days *start_day*..*end_day* (ISO dates) in time order, as dicts.

        Each dict is the fact as sent plus ``time`` (resolved, ISO in the hall's zone).
        """
        hall = self.configs.resolve(hall)
        tz = self.configs.hall(hall).tz
        rows = self.conn.execute('SELECT body, at_us FROM facts WHERE hall = ? AND "window" = ? AND day BETWEEN ? '
                                 "AND ? ORDER BY at_us, seq", (hall, window, start_day, end_day or start_day))
        return [dict(json.loads(r["body"]), time=from_us(r["at_us"]).astimezone(tz).isoformat()) for r in rows]

    def uncertain(self):
        """Facts whose time is not established yet (their boot has no clock anchor), as dicts."""
        rows = self.conn.execute("SELECT body FROM facts WHERE at_us IS NULL ORDER BY terminal, seq")
        return [json.loads(r["body"]) for r in rows]

    def held(self):
        """Every fact the hub holds, as its terminal sent it (dicts), by terminal and seq."""
        rows = self.conn.execute("SELECT body FROM facts ORDER BY terminal, seq")
        return [json.loads(r["body"]) for r in rows]


def _at_us(config, anchors, fact):
    """*fact*'s time (``protocol.time.time_of``) as integer Unix µs, or None while uncertain; *anchors* are
    {(terminal, boot): [(mono_ms, offset µs)]} sorted."""
    pairs = anchors.get((fact.terminal, fact.boot))
    return anchored_us(pairs, fact.mono_ms) if pairs else _unanchored_us(config, fact)


def _unanchored_us(config, fact):
    """*fact*'s time with no anchor of its boot (``protocol.time.unanchored_time``) as Unix µs, or None."""
    when = unanchored_time(config, fact)
    return None if when is None else to_us(when)


def _days_reported(config, terminal, old_us, new_us):
    """Window-days whose verdicts may change because *terminal* (of *config*'s hall) now reported from *old_us* to
    *new_us*."""
    tz, window = config.tz, terminal["window"]
    if old_us is None:
        return set()
    day, last = from_us(old_us).astimezone(tz).date(), from_us(new_us).astimezone(tz).date()
    days = set()
    while day <= last:
        days.add((window, day.isoformat()))
        day += timedelta(days=1)
    return days


def _chunks(items):
    """*items* (a list) in slices of at most BOOTS_PER_QUERY."""
    return [items[start:start + BOOTS_PER_QUERY] for start in range(0, len(items), BOOTS_PER_QUERY)]


def _marks(values):
    """``?, ?, …``: a placeholder for each of *values*."""
    return ", ".join("?" * len(values))
