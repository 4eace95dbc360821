"""Each window-day's replay kept between reads of the wall, so the wall judges 2,000 windows without replaying
2,000 days of facts on each read.

A kept replay (``protocol.window_state.LiveWindow`` over the window-day's post facts, every one of the day
whatever its time: it applies those timed up to the moment asked, and replays anew for an earlier moment or
another config) is used while its window-day's stamp in ``window_days`` — (dirty, derivations, derived_at,
marks), or no row — is what it was when the facts were read. Every write that adds, re-times or untimes a
fact marks its window-days dirty in the same transaction (``store.dirty``), counting one more mark, and only
the deriver clears the mark, counting one more derivation: so an unchanged stamp means unchanged facts, dirty
or not (a city's window-days stay dirty for seconds after each push, and for minutes after an outage's
backlog: each is read again only when a write touched it). The stamp is read before the facts: a write between
the two leaves a newer stamp, never an older one. The replays are kept per database (its
session secret, which a copy keeps and another database does not share) for every connection of the process.
"""
import hashlib
import threading

from protocol.posts import KINDS as POST_KINDS
from protocol.window_state import LiveWindow

from .projections import stored_fact

KEPT_MAX = 50_000               # window-days kept per database (a city's 2,000 windows, a few days each)
DATABASES_MAX = 8               # databases kept per process (tests open many; a hub one)
KIND_MARKS = ", ".join("?" * len(POST_KINDS))
_kept = {}
_kept_lock = threading.Lock()


class KeptDays:
    """The kept replays of one database: {(hall, window, ISO day): (stamp, LiveWindow)}, one reader at a time."""

    def __init__(self):
        self.lock = threading.Lock()
        self.days = {}

    def replays(self, conn, wanted):
        """{(hall, window, ISO day): LiveWindow} of each of *wanted*, up to date (hold :attr:`lock`)."""
        stamps = _stamps(conn, {day for _, _, day in wanted}, {hall for hall, _, _ in wanted})
        stale = {key for key in wanted if _stale(self.days.get(key), stamps.get(key))}
        if len(self.days) + len(stale) > KEPT_MAX:
            self.days.clear()
            stale = set(wanted)
        facts = _post_facts(conn, stale)
        for key in stale:
            self.days[key] = (stamps.get(key), LiveWindow(facts.get(key, ())))
        return {key: self.days[key][1] for key in wanted}


def kept_days(conn, settings):
    """The :class:`KeptDays` of *conn*'s database (known by its session secret, drawn if it has none yet)."""
    row = conn.execute("SELECT value FROM settings WHERE name = 'secret_key'").fetchone()
    secret = row[0] if row is not None else settings.secret_key()
    database = hashlib.sha256(secret.encode()).hexdigest()
    with _kept_lock:
        kept = _kept.pop(database, None) or KeptDays()
        _kept[database] = kept                          # the most recently used last
        while len(_kept) > DATABASES_MAX:
            _kept.pop(next(iter(_kept)))
        return kept


def _stale(kept, stamp):
    """Must a window-day kept as *kept* ((stamp, replay) or None) be read again, its stamp now *stamp*?"""
    return kept is None or kept[0] != stamp


def _stamps(conn, days, halls):
    """{(hall, window, day): (dirty, derivations, derived_at, marks)} of the window-days of *days* in *halls*."""
    if not days:
        return {}
    marks = ", ".join("?" * len(days))
    one = next(iter(halls)) if len(halls) == 1 else None
    return {(r[0], r[1], r[2]): (r[3], r[4], r[5], r[6]) for r in conn.execute(
        'SELECT hall, "window", day, dirty, derivations, derived_at, marks FROM window_days '
        f"WHERE dirty IN (0, 1) AND day IN ({marks}) AND (? IS NULL OR hall = ?)", (*sorted(days), one, one))}


def _post_facts(conn, keys):
    """{(hall, window, day): [post fact with its resolved time]} of *keys*, one query per hall and day."""
    groups = {}
    for hall, window, day in keys:
        groups.setdefault((hall, day), []).append(window)
    facts = {}
    for (hall, day), windows in groups.items():
        marks = ", ".join("?" * len(windows))
        for window, body, at_us in conn.execute(
                f'SELECT "window", body, at_us FROM facts WHERE hall = ? AND "window" IN ({marks}) AND day = ? '
                f"AND kind IN ({KIND_MARKS})", (hall, *windows, day, *POST_KINDS)):
            facts.setdefault((hall, window, day), []).append(stored_fact(body, at_us))
    return facts
