"""Projections per window-day, re-derived with ``protocol.rules.derive`` only when marked dirty.

One writer: only :mod:`hub.deriver` derives; :meth:`Projections.rows` reads what is derived so far.

A window is judged up to what the hub has *heard* of it: the time of its terminal's latest fact in the
contiguous prefix, never later than the hub's own time. Each row stays **provisional** until every window
it depends on has been heard past the row's session (its sign-out window) or day ("unknown is not empty":
silence is never judged). A clerk scheduled in another hall of the hub that day brings that hall's windows
in as evidence (:mod:`protocol.elsewhere`). Marking window-days dirty is :mod:`.dirty`'s.
"""
import json
from contextlib import nullcontext
from datetime import date, datetime, time, timedelta

from protocol.elsewhere import OtherHall
from protocol.facts import held_fact
from protocol.rules import derive

from .links import links, sharing_clerks
from .times import from_us, utc_iso

TABLES = ("attendance", "violations", "empty_intervals", "handovers", "services", "stray_keys", "holdings",
          "overtime", "extra_time")
# table -> (field giving the row's clerk, field giving its kind, field giving its first time)
_COLUMNS = {
    "attendance": ("clerk", "status", None),    # its time is the session's start
    "violations": ("clerk", "kind", "start"),
    "empty_intervals": (None, None, "start"),
    "handovers": ("from_clerk", "reason", "requested"),
    "services": ("clerk", "score", "done"),
    "stray_keys": (None, None, None),
    "holdings": ("clerk", "post", "start"),
    "overtime": ("clerk", None, "start"),
    "extra_time": ("clerk", None, "start"),
}


def stored_fact(body, at_us):
    """A Fact from its stored JSON with the hub's resolved time (the facts were validated on ingest)."""
    return held_fact(json.loads(body), from_us(at_us))


def day_bounds(day, tz):
    """The local midnights that start and end *day*."""
    return datetime.combine(day, time(0), tz), datetime.combine(day + timedelta(days=1), time(0), tz)


_DIRTY_IN_SPAN = 'dirty = 1 AND day BETWEEN ? AND ? AND (? IS NULL OR "window" = ?) AND (? IS NULL OR hall = ?)'


def _span_parameters(start, end, window, hall):
    """The parameters of ``_DIRTY_IN_SPAN``: days *start*..*end* (None: from the first / to the last)."""
    return start or "0000", end or "9999", window, window, hall, hall


class Projections:
    """The projections and window_days tables: derivation of dirty window-days and queries over the rows."""

    def __init__(self, conn, clock, configs, terminals):
        self.conn, self.clock, self.configs, self.terminals = conn, clock, configs, terminals

    def derive_dirty(self, *, start=None, end=None, window=None, hall=None, turn=nullcontext, more=None):
        """Re-derive every dirty window-day (optionally only in ISO days *start*..*end*, of *window*, of *hall*),
        each inside ``turn()`` (the caller's writer turn, held for one window-day at a time); while ``more()``
        (default: always) says to go on, asked before each. Returns how many were derived.

        The writer's (``hub.deriver.catch_up``); a read never calls it. The dirty window-days are a queue: each
        is taken with ``FOR UPDATE SKIP LOCKED`` in the transaction that derives it, so hub processes sharing
        one PostgreSQL derive different window-days side by side and never one twice at once (on SQLite the
        write transaction holds the whole database). One being derived elsewhere is left to that process.
        """
        derived = 0
        while more is None or more():
            with turn(), self.conn.transaction():
                taken = self.conn.execute(
                    f'SELECT hall, "window", day FROM window_days WHERE {_DIRTY_IN_SPAN} '
                    'ORDER BY day, hall, "window" LIMIT 1 FOR UPDATE SKIP LOCKED',
                    _span_parameters(start, end, window, hall)).fetchone()
                if taken is None:
                    break
                self.derive_window_day(taken["window"], taken["day"], hall=taken["hall"])
            derived += 1
        return derived

    def dirty(self, *, start=None, end=None, window=None, hall=None):
        """How many window-days (in ISO days *start*..*end*, of *window*, of *hall*) are still to be derived from
        facts that came after their last derivation (those another process is deriving now among them)."""
        return self.conn.execute(f"SELECT COUNT(*) FROM window_days WHERE {_DIRTY_IN_SPAN}",
                                 _span_parameters(start, end, window, hall)).fetchone()[0]

    def derive_window_day(self, window_id, day, *, hall=None):
        """Re-derive one window-day of *hall* now and store its rows; return the derive report.

        Reads and writes in one transaction, so a push landing meanwhile leaves the window-day dirty.
        """
        hall = self.configs.resolve(hall)
        config = self.configs.hall(hall)
        the_day = date.fromisoformat(day)
        starts = {s.name: start.isoformat() for s, start, _ in config.sessions_of(window_id, the_day)}
        with self.conn.transaction():
            report, as_of, provisional = self._judge(hall, config, window_id, the_day)
            self.conn.execute('DELETE FROM projections WHERE hall = ? AND "window" = ? AND day = ?',
                              (hall, window_id, day))
            self.conn.executemany(
                'INSERT INTO projections (hall, "window", day, tbl, clerk, kind, at, provisional, row) '
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(hall, *_projection_row(window_id, day, table, row, starts))
                 for table in TABLES for row in report.get(table, ())])
            self.conn.execute(
                'INSERT INTO window_days (hall, "window", day, dirty, provisional, as_of, derived_at, derivations) '
                'VALUES (?, ?, ?, 0, ?, ?, ?, 1) ON CONFLICT (hall, "window", day) DO UPDATE SET dirty = 0, '
                "provisional = excluded.provisional, as_of = excluded.as_of, derived_at = excluded.derived_at, "
                "derivations = window_days.derivations + 1",
                (hall, window_id, day, int(provisional), as_of.isoformat(), utc_iso(self.clock())))
        return report

    def _judge(self, hall, config, window_id, day):
        """Derive *window_id* on *day* up to what the hub has heard of it and of its linked windows, here and
        in the other halls: (report, as_of, provisional)."""
        last_instant = day_bounds(day, config.tz)[1] - timedelta(milliseconds=1)
        windows = [window_id, *links(config, None, day.isoformat()).get(window_id, ())]
        heard = self._heard(hall, config, windows, day)
        as_of = heard[window_id]
        if config.window(window_id) is None:            # the window left the hall: its rows go
            return {}, as_of, as_of < last_instant
        elsewhere = [OtherHall(other, its, tuple(self._facts(other, linked, day)), self._heard(other, its, linked, day))
                     for other, its, linked in self._linked_elsewhere(hall, config, window_id, day)]
        report = derive(config, self._facts(hall, windows, day), as_of=last_instant, since=day, windows=[window_id],
                        heard=heard, hall=hall, elsewhere=elsewhere)
        return report, as_of, as_of < last_instant

    def _heard(self, hall, config, windows, day):
        """{window: the instant heard up to, within *day*} of *hall*'s *windows* (its start when never heard)."""
        since, day_end = day_bounds(day, config.tz)
        known = self.terminals.heard(hall)
        return {w: min(max(known.get(w) or since, since), day_end - timedelta(milliseconds=1)) for w in windows}

    def _facts(self, hall, windows, day):
        """The facts of *hall*'s *windows* on *day* (clock facts aside), with their resolved times."""
        marks = ", ".join("?" * len(windows))
        return [stored_fact(r[0], r[1]) for r in self.conn.execute(
            f'SELECT body, at_us FROM facts WHERE hall = ? AND "window" IN ({marks}) AND day = ? AND kind != \'clock\'',
            (hall, *windows, day.isoformat()))]

    def _linked_elsewhere(self, hall, config, window_id, day):
        """(other hall, its config, its windows) where a clerk scheduled at *window_id* on *day* is also scheduled."""
        for other, its in sharing_clerks(hall, self.configs.every()):
            linked = [] if its is None else links(config, its, day.isoformat()).get(window_id, [])
            if linked:
                yield other, its, linked

    def rows(self, table, *, start, end, window=None, clerk=None, kind=None, hall=None):
        """Derived rows of *table* on ISO days *start*..*end* as derived so far, with ``provisional``, ``day`` and
        ``hall``.

        Optional filters: *hall* id (None: every hall), *window* id, *clerk* id, *kind* (attendance status,
        violation kind, handover reason, service score). Sorted by day, then time, then hall and window.
        """
        if table not in TABLES:
            raise ValueError(f"table: unknown projection {table!r} (known: {', '.join(TABLES)})")
        sql = ('SELECT day, hall, "window", provisional, row FROM projections WHERE tbl = ? AND day BETWEEN ? AND ?'
               ' AND (? IS NULL OR hall = ?) AND (? IS NULL OR "window" = ?) AND (? IS NULL OR clerk = ?)'
               ' AND (? IS NULL OR kind = ?) ORDER BY day, at, hall, "window", id')
        kind = None if kind is None else str(kind)
        return [dict(json.loads(r["row"]), day=r["day"], hall=r["hall"], window=r["window"],
                     provisional=bool(r["provisional"]))
                for r in self.conn.execute(sql, (table, start, end, hall, hall, window, window, clerk, clerk, kind,
                                                 kind))]

    def matching(self, table, *, start, end, hall, windows, clerks=None, kinds=None, provisional=None):
        """Derived rows of *table* on ISO days *start*..*end* of *hall* at the window ids *windows*, narrowed in
        the query: to the *clerks* (ids, by the table's clerk column), the *kinds* and, when *provisional* is a
        bool, the provisional or the final rows. Shaped and sorted as :meth:`rows`."""
        if table not in TABLES:
            raise ValueError(f"table: unknown projection {table!r} (known: {', '.join(TABLES)})")
        sql, params = ['tbl = ? AND day BETWEEN ? AND ? AND hall = ?'], [table, start, end, hall]
        for column, values in (('"window"', windows), ("clerk", clerks), ("kind", kinds)):
            if values is not None:
                if not values:
                    return []
                sql.append(f"{column} IN ({', '.join('?' * len(values))})")
                params += [str(value) for value in sorted(values)]
        if provisional is not None:
            sql.append("provisional = ?")
            params.append(int(provisional))
        rows = self.conn.execute('SELECT day, hall, "window", provisional, row FROM projections WHERE '
                                 + " AND ".join(sql) + ' ORDER BY day, at, hall, "window", id', params)
        return [dict(json.loads(r["row"]), day=r["day"], hall=r["hall"], window=r["window"],
                     provisional=bool(r["provisional"])) for r in rows]

    def window_days(self, *, start, end, window=None, hall=None):
        """Derivation state of window-days in *start*..*end* (of *hall*; None: every hall): hall, window, dirty,
        provisional, as_of, derivations."""
        rows = self.conn.execute('SELECT * FROM window_days WHERE day BETWEEN ? AND ? AND (? IS NULL OR hall = ?) '
                                 'AND (? IS NULL OR "window" = ?) ORDER BY day, hall, "window"',
                                 (start, end, hall, hall, window, window))
        return [dict(r, dirty=bool(r["dirty"]), provisional=bool(r["provisional"])) for r in rows]


def _projection_row(window, day, table, row, session_starts):
    clerk_field, kind_field, time_field = _COLUMNS[table]
    clerk = row.get(clerk_field) if clerk_field else None
    kind = row.get(kind_field) if kind_field else None
    at = row.get(time_field) if time_field else session_starts.get(row.get("session"))
    return (window, day, table, clerk, None if kind is None else str(kind), at,
            int(row["provisional"]), json.dumps(row, ensure_ascii=False, sort_keys=True))
