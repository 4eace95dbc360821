"""Repair of a terminal whose clock anchors ran ahead of the hub (a false anchor held before the hub refused
them): its future anchors go, its facts are re-timed, its "reported up to" is recomputed from what it holds.
"""
from .errors import UnknownTerminal
from .times import local_iso, to_us


class TerminalRepair:
    """Repair of a terminal's anchors, facts and "reported up to" (over the facts, anchors and window_days tables)."""

    def __init__(self, conn, clock, configs, facts, dirty, audit):
        self.conn, self.clock, self.configs = conn, clock, configs
        self.facts, self.dirty, self.audit = facts, dirty, audit

    def terminal(self, terminal_id, actor):
        """Drop *terminal_id*'s clock anchors later than the hub's time (plus allowance) and undo their effects.

        Facts of those boots are re-timed by the anchors left (uncertain without one); facts still timed
        after the hub's time lose their time; "reported up to" becomes the latest time of the facts held
        in the contiguous prefix; the window-days judged with the false times are marked for
        re-derivation, and days still to come that hold no fact lose their rows. Returns a summary dict.
        """
        with self.conn.transaction():
            terminal = self.conn.execute("SELECT * FROM terminals WHERE id = ? FOR UPDATE", (terminal_id,)).fetchone()
            if terminal is None:
                raise UnknownTerminal(f"terminal: {terminal_id!r} was never enrolled at this hub")
            hall, window = terminal["hall"], terminal["window"]
            config = self.configs.hall(hall)
            limit_us = to_us(self.clock() + self.facts.future_allowance)
            dropped = self._drop_future_anchors(terminal_id, limit_us)
            boots = set(dropped)
            touched = self.facts.retime(config, terminal, self._held_anchors(terminal_id, boots), boots)
            untimed = self.conn.execute("SELECT day FROM facts WHERE terminal = ? AND at_us > ?",
                                        (terminal_id, limit_us)).fetchall()
            touched |= {(window, row["day"]) for row in untimed}
            self.conn.execute("UPDATE facts SET at_us = NULL, day = NULL WHERE terminal = ? AND at_us > ?",
                              (terminal_id, limit_us))
            (reported,) = self.conn.execute("SELECT MAX(at_us) FROM facts WHERE terminal = ? AND seq <= ?",
                                            (terminal_id, terminal["acked_seq"])).fetchone()
            self.conn.execute("UPDATE terminals SET reported_to_us = ? WHERE id = ?", (reported, terminal_id))
            self.dirty.mark(hall, self.configs.every(), touched)
            self._mark_judged_since(hall, window, reported, terminal["reported_to_us"], config.tz)
            forgotten = self._forget_days_to_come(hall, window, config.tz)
            (dirty,) = self.conn.execute('SELECT COUNT(*) FROM window_days WHERE hall = ? AND "window" = ? '
                                         "AND dirty = 1", (hall, window)).fetchone()
            summary = {"terminal": terminal_id, "window": window, "anchors_dropped": len(dropped),
                       "facts_untimed": len(untimed), "reported_to": local_iso(reported, config.tz),
                       "was_reported_to": local_iso(terminal["reported_to_us"], config.tz),
                       "days_forgotten": forgotten, "days_to_rederive": dirty}
            self.audit.add(actor, "repair terminal", summary, hall=hall)
        return summary

    def _drop_future_anchors(self, terminal_id, limit_us):
        """Delete the terminal's anchors whose hub time is after *limit_us*; return their boots (one per anchor)."""
        where = "terminal = ? AND offset_us + mono_ms * 1000 > ?"
        rows = self.conn.execute(f"SELECT boot FROM anchors WHERE {where}", (terminal_id, limit_us)).fetchall()
        self.conn.execute(f"DELETE FROM anchors WHERE {where}", (terminal_id, limit_us))
        return [row["boot"] for row in rows]

    def _held_anchors(self, terminal_id, boots):
        """The anchors still held of *boots*, as ``FactLog.retime`` wants them (offsets as Unix µs)."""
        anchors = {}
        for boot in boots:
            rows = self.conn.execute("SELECT mono_ms, offset_us FROM anchors WHERE terminal = ? AND boot = ? "
                                     "ORDER BY mono_ms", (terminal_id, boot)).fetchall()
            if rows:
                anchors[(terminal_id, boot)] = [(r[0], r[1]) for r in rows]
        return anchors

    def _forget_days_to_come(self, hall, window, tz):
        """Drop the derived rows of *window*'s days after today that hold no timed fact; return how many."""
        today = self.clock().astimezone(tz).date().isoformat()
        empty = ('hall = ? AND "window" = ? AND day > ? AND day NOT IN '
                 '(SELECT day FROM facts WHERE hall = ? AND "window" = ? AND day IS NOT NULL)')
        args = (hall, window, today, hall, window)
        self.conn.execute(f"DELETE FROM projections WHERE {empty}", args)
        return self.conn.execute(f"DELETE FROM window_days WHERE {empty}", args).rowcount

    def _mark_judged_since(self, hall, window, reported_us, was_us, tz):
        """Mark *window*'s days judged with the old reported-up-to, after the new one, dirty."""
        if was_us is None or (reported_us is not None and reported_us >= was_us):
            return
        first = "" if reported_us is None else local_iso(reported_us, tz)[:10]    # "": every day, nothing timed
        self.dirty.mark_between(hall, window, first, local_iso(was_us, tz)[:10])
