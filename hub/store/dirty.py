"""Dirty marks on window-days: what a push, an import, a repair or a config change asks the deriver to redo.

A clerk scheduled at two windows links their window-days (absence is a person's, R2): marking one dirty
marks the other, in the same hall or, through a clerk scheduled in both, in another hall of the hub.

Every write here takes its rows' locks in key order (hall, window, day; by code point whatever the database's
collation), however many rows it marks, so two writers marking overlapping window-days at once (a push and a
config change on PostgreSQL) wait for each other instead of deadlocking.

Which windows a window's clerks link it to on a day is the same for every push of that day while the configs
stand: it is kept (:mod:`.links`), so a hall's 2,000 pushes of a day share it.
"""
from datetime import date

from .links import links, sharing_clerks

# the order :meth:`DirtyMarks.mark` locks rows in (Python's sorted(): code points), in SQL on both dialects
KEY_ORDER = 'hall COLLATE BINARY, "window" COLLATE BINARY, day COLLATE BINARY'


class DirtyMarks:
    """The ``dirty`` flag of the window_days table (the deriver clears it, :mod:`.projections`) and its count of
    ``marks`` (never reset: a window-day's facts are unchanged while it and the derivations stand)."""

    def __init__(self, conn):
        self.conn = conn

    def mark(self, hall, halls, window_days):
        """Mark (window, ISO day) pairs of *hall* for re-derivation, with the windows linked to them that day in
        each hall of *halls* ({hall id: HallConfig}, *hall*'s among them)."""
        config, marks, sharing = halls[hall], set(), sharing_clerks(hall, halls)
        for window, day in set(window_days):
            marks.add((hall, window, day))
            for other, its in sharing:
                marks |= {(other, w, day) for w in links(config, its, day).get(window, ())}
        self.conn.executemany('INSERT INTO window_days (hall, "window", day, dirty) VALUES (?, ?, ?, 1) '
                              'ON CONFLICT (hall, "window", day) DO UPDATE SET dirty = 1, marks = window_days.marks + 1',
                              sorted(marks))

    def mark_between(self, hall, window, first, last):
        """Mark *hall*'s *window*'s days already known in ISO days *first*..*last* (every window's when *window*
        is None)."""
        self.mark_spans([(hall, window, first, last)])

    def mark_spans(self, spans):
        """Mark the days already known of each (hall, window or None: every window, first ISO day, last ISO day)
        of *spans*: every row locked first, in key order, then all marked in one statement."""
        if not spans:
            return
        where = " OR ".join(['(hall = ? AND (? IS NULL OR "window" = ?) AND day BETWEEN ? AND ?)'] * len(spans))
        parameters = [value for hall, window, first, last in spans for value in (hall, window, window, first, last)]
        self.conn.execute(f'SELECT 1 FROM window_days WHERE {where} ORDER BY {KEY_ORDER} FOR UPDATE',
                          parameters).fetchall()
        self.conn.execute(f"UPDATE window_days SET dirty = 1, marks = marks + 1 WHERE {where}", parameters)

    def mark_config_change(self, hall, old, new, halls=None):
        """Mark the window-days a change of *hall*'s config touches, there and (through a clerk scheduled in
        both) on the same days at the clerk's windows in the other *halls* ({hall id: HallConfig}).

        Rules, sessions or time zone: every window-day; a window's terminal or A/B clerks: that window's days;
        holidays: those days; leave: the clerk's windows over its dates; a permit or an approved overtime span:
        its window-days. Names and departments change no verdict.
        """
        marks = _config_marks(old, new)
        self.mark_spans([(hall, window, first.isoformat(), last.isoformat()) for window, first, last in marks]
                        + _shared_spans(hall, (old, new), marks, halls or {}))

    def mark_shared(self, hall, configs, marks, halls):
        """Mark in the other *halls* the days of *marks* — (window of *hall*, or None: every window; first; last
        date) — at the windows of the clerks A or B at those windows in *configs* (*hall*'s old and new)."""
        self.mark_spans(_shared_spans(hall, configs, marks, halls))


def _shared_spans(hall, configs, marks, halls):
    """The (hall, window, first, last ISO day) spans :meth:`DirtyMarks.mark_shared` marks."""
    spans = []
    for other, config in halls.items():
        if other == hall:
            continue
        for window, first, last in marks:
            clerks = {c for cfg in configs for w in cfg.windows if window in (None, w.id) for c in (w.a, w.b)}
            spans += [(other, shared, first.isoformat(), last.isoformat())
                      for shared in sorted(_windows_of(clerks, config))]
    return spans


def _config_marks(old, new):
    """(window or None: every window, first date, last date) of the window-days a config change touches."""
    if _rules_of(old) != _rules_of(new):
        return [(None, date.min, date.max)]
    tz, posts = new.tz, (_posts(old), _posts(new))
    changed = {w for w in set(posts[0]) | set(posts[1]) if posts[0].get(w) != posts[1].get(w)}
    clerks = {c for cfg in (old, new) for w in cfg.windows if w.id in changed for c in (w.a, w.b)}
    clerks |= {c for c in set(old.clerks) & set(new.clerks) if old.clerks[c].left != new.clerks[c].left}  # 调离
    marks = [(w, date.min, date.max) for w in changed | _windows_of(clerks, old, new)]
    marks += [(None, day, day) for day in (old.holidays ^ new.holidays) | (old.workdays ^ new.workdays)]
    for leave in set(old.leave) ^ set(new.leave):
        clerks = {leave.clerk, leave.cover} | {w.b for cfg in (old, new) for w in cfg.windows if w.a == leave.clerk}
        marks += [(w, leave.start.astimezone(tz).date(), leave.end.astimezone(tz).date())
                  for w in _windows_of(clerks, old, new)]
    for span in (set(old.permits) ^ set(new.permits)) | (set(old.overtime) ^ set(new.overtime)):
        marks.append((span.window, span.start.astimezone(tz).date(), span.end.astimezone(tz).date()))
    return marks


def _rules_of(config):
    """The parts of a config whose change touches every window-day."""
    return config.timezone, config.rules, config.sessions


def _posts(config):
    """What judging each window depends on besides the rules: its terminal, its A and B clerks, when it closed."""
    return {w.id: (w.terminal, w.a, w.b, w.trust_wall_clock, w.closed) for w in config.windows}


def _windows_of(clerks, *configs):
    """Ids of the windows where any of *clerks* is A or B, in any of *configs*."""
    return {w.id for cfg in configs for w in cfg.windows if clerks & {w.a, w.b}}
