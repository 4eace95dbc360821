"""The alert evaluator: the hall's alert rules (:mod:`protocol.alerts`) run over the hub's live state, each
incident's start and end recorded in the alerts table and handed to the alert sink (:mod:`hub.alert_change`).

:func:`evaluate` compares the alerts holding now with the open ones stored, per hall. A start is recorded by
an insert-if-absent, an end by an update of the open row (:mod:`hub.store.alerts`); the sink gets the change
in the same transaction, and only from the process whose write changed a row: each change is put once,
whichever of several hub processes evaluates, and never again after a restart. A sink that raises rolls the
change back; the next round tries it again.

The background :class:`Alerting` thread evaluates every *interval_s* seconds (alerts such as "about to be
empty" or "offline" start with time, not with facts), catching up today's derivations first so a low rating
pushed a moment ago is seen. Of several hub processes on one database, one evaluates each interval (the round
is taken in the database): a city's hundred halls are evaluated once a second, not once per process.
"""
import time
from datetime import date, datetime, timedelta

from protocol.alerts import OpenFollowup, WindowNow, active_alerts

from . import alert_text
from .alert_change import FIRING, RESOLVED, AlertChange
from .background import BackgroundLoop
from .deriver import catch_up
from .i18n import DEFAULT_LANGUAGE, translations
from .store.times import utc_iso

LOW_SCORES = (1, 2)
OPEN_FOLLOWUPS_DAYS = 366      # as far back as the ratings page looks for follow-ups still open


def window_now(entry):
    """The :class:`WindowNow` of a ``store.live.wall`` entry."""
    def instant(value):
        return None if value is None else datetime.fromisoformat(value)
    return WindowNow(entry["window"], entry["state"], waiting=entry["waiting"],
                     empty_since=instant(entry["empty_since"]), alarm=entry["alarm"],
                     signed_in=frozenset(entry["signed_in"]), last_seen=instant(entry["last_sync"]),
                     faults=tuple(entry["faults"]), keypad=entry["keypad"])


def open_followups(store, hall, today):
    """The follow-ups of 1-2 ratings of *hall* not closed yet, from the year up to *today* (derived so far)."""
    closures = store.followups.closures(hall)
    first = (today - timedelta(days=OPEN_FOLLOWUPS_DAYS)).isoformat()
    return [OpenFollowup(row["window"], row["service"], datetime.fromisoformat(row["done"]), row["clerk"],
                         row["score"], date.fromisoformat(row["followup_due"]))
            for score in LOW_SCORES
            for row in store.projections.rows("services", start=first, end=today.isoformat(), kind=score, hall=hall)
            if row.get("followup_due") and (row["window"], row["service"], row["done"]) not in closures]


class Followups:
    """The open follow-ups of each hall, read again only when that hall's window-days were derived again, a
    follow-up was closed or the day changed (a year of ratings is not re-read every round)."""

    def __init__(self):
        self._held = {}

    def of(self, store, hall, today, counts):
        """The open follow-ups of *hall* up to *today* (*counts*: its entry of ``alerts.followups_versions``)."""
        version = (today, counts)
        held = self._held.get(hall)
        if held is None or held[0] != version:
            held = self._held[hall] = (version, open_followups(store, hall, today))
        return held[1]


def evaluate(store, sink=None, now=None, followups=None):
    """Evaluate every hall's alert rules at *now* (the hub's clock); record and put each change; return them.

    *sink* is an :class:`hub.alert_change.AlertSink` (None: the changes are recorded for the inbox only);
    *followups* a :class:`Followups` kept between rounds (None: read afresh).
    """
    now, followups = now or store.now(), followups or Followups()
    halls = store.configs.every()
    for today in sorted({now.astimezone(config.tz).date().isoformat() for config in halls.values()}):
        catch_up(store, start=today, end=today)         # every hall's today derived: a low rating just pushed
    stored, counts, windows = store.alerts.open_keys(), store.alerts.followups_versions(), {}
    for entry in store.live.wall(now):
        windows.setdefault(entry["hall"], []).append(window_now(entry))
    changes = []
    for hall, config in halls.items():
        changes += evaluate_hall(store, hall, config, now, sink, windows.get(hall, []),
                                 followups.of(store, hall, now.astimezone(config.tz).date(), counts.get(hall, (0, 0))),
                                 stored.get(hall, {}))
    return changes


def evaluate_hall(store, hall, config, now, sink, windows, followups, stored):
    """Evaluate one hall's alert rules at *now* (*config* its config, *windows* its windows' WindowNow,
    *followups* its open follow-ups, *stored* {ident: key} of its open alerts): record the alerts that start and
    end, put each change."""
    active = {alert.ident: alert for alert in active_alerts(config, windows, now, followups)}
    changes = []
    for ident in sorted(active.keys() - stored.keys()):
        alert = active[ident]
        window = config.window(alert.window)
        with store.transaction():
            row = store.alerts.start(hall=hall, ident=ident, kind=alert.kind, window=alert.window,
                                     department=window.department, clerks=alert.clerks, day=alert.day.isoformat(),
                                     started_at=utc_iso(alert.since or now), now=utc_iso(now),
                                     link=alert_text.link(hall, alert.kind, alert.window, alert.day.isoformat(),
                                                          alert.subject))
            changes += _put(sink, config, row, FIRING)
    for ident in sorted(stored.keys() - active.keys()):
        with store.transaction():
            changes += _put(sink, config, store.alerts.end(hall=hall, key=stored[ident], ended_at=utc_iso(now)),
                            RESOLVED)
    return changes


def _put(sink, config, row, state):
    """[the change of *row*] put to *sink*, or [] when this process did not change it (*row* None)."""
    if row is None:
        return []
    change = AlertChange(key=f"{row['hall']}:{row['key']}", state=state, hall=row["hall"], kind=row["kind"],
                         window=row["window"], department=row["department"], clerks=row["clerks"],
                         started_at=row["started_at"], ended_at=row["ended_at"],
                         summary=alert_text.summary(config, row, translations(DEFAULT_LANGUAGE).gettext),
                         link=row["link"])
    if sink is not None:
        sink.put(change)
    return [change]


class Alerting(BackgroundLoop):
    """A thread that evaluates the alert rules every *interval_s* seconds on its own connection.

    *sink_for* maps the thread's store to the :class:`hub.alert_change.AlertSink` to put changes to (a sink that
    writes through that store joins the transaction recording the change); None: recorded for the inbox only.
    """

    name = "hub-alerting"

    def __init__(self, database, *, clock=None, interval_s=1.0, sink_for=None):
        super().__init__(database, clock=clock, interval_s=interval_s)
        self.sink_for, self.sink, self.followups = sink_for, None, Followups()
        self.rounds = self.changes = 0

    def opened(self, store):
        """Make the sink on the loop's store."""
        self.sink = None if self.sink_for is None else self.sink_for(store)

    def round(self, store):
        """Evaluate every hall's alert rules now, unless another hub process on the database did within the
        interval (real time, not the hub's clock: it shares the work out, and a test's clock may stand still)."""
        with store.transaction():
            taken = store.alerts.take_round(time.time(), self.interval_s)
        if taken:
            self.changes += len(evaluate(store, self.sink, followups=self.followups))
            self.rounds += 1
