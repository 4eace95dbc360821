"""The live wall: every window now — held by A/B/nobody, or unknown when its terminal is silent; each window-day's
replay kept between reads (:mod:`.live_days`)."""
import json
from datetime import datetime, timedelta, timezone

from protocol.status import reported

from .live_days import kept_days

SILENCE_HEARTBEATS = 3


class LiveWall:
    """The state of every window at an instant, for the office's wall (from the terminals and facts tables)."""

    def __init__(self, conn, clock, configs, settings):
        self.conn, self.clock, self.configs, self.settings = conn, clock, configs, settings

    def wall(self, now=None, *, hall=None):
        """A dict per window (halls in order, windows in config order) with its ``hall`` and state at *now*
        (default: the hub's clock); of *hall* only when given.

        ``state`` is "A", "B", "nobody" or "unknown"; unknown windows carry ``offline_since`` and no
        verdict ("unknown is not empty"), and ``last_holder``/``last_holder_clerk``: who held the window
        when its terminal was last heard (None when nobody did).
        """
        now = now or self.clock()
        halls = self.configs.every() if hall is None else {hall: self.configs.hall(hall)}
        terminals = {(row["hall"], row["window"]): row for row in self.conn.execute(
            "SELECT * FROM terminals WHERE key IS NOT NULL AND (? IS NULL OR hall = ?)", (hall, hall))}
        windows = [(its, config, window, terminals.get((its, window.id)))
                   for its, config in halls.items() for window in config.windows]
        moments = [_moment(config, terminal, now) for _, config, _, terminal in windows]
        wanted = {_day_of(its, config, window, moment) for (its, config, window, _), moment in zip(windows, moments)
                  if moment is not None}
        kept = kept_days(self.conn, self.settings)
        with kept.lock:
            replays = kept.replays(self.conn, wanted)
            return [self._window_now(its, config, window, terminal, now, moment,
                                     None if moment is None else replays[_day_of(its, config, window, moment)])
                    for (its, config, window, terminal), moment in zip(windows, moments)]

    def _window_now(self, hall, config, window, terminal, now, moment, replay):
        """The wall's dict of *window*: its state at *now*, or (its terminal silent) at *moment*, its last sync,
        from *replay* (the LiveWindow of that moment's day; None when the terminal was never heard)."""
        status = reported({} if terminal is None else json.loads(terminal["status"]))
        last_seen = None if terminal is None else terminal["last_seen"]
        entry = {"hall": hall, "window": window.id, "name": window.name, "terminal": window.terminal,
                 "a": window.a, "b": window.b,
                 "last_sync": last_seen, "faults": list(status.faults),
                 "keypad": _keypad_present(terminal, status), "strays_dropped": status.strays_dropped,
                 "holder": None, "holder_clerk": None,
                 "waiting": None, "empty_since": None, "alarm": False, "session": None, "signed_in": [],
                 "offline_since": None, "last_holder": None, "last_holder_clerk": None}
        if moment is not now:
            entry.update(state="unknown", offline_since=last_seen)
            if replay is not None:
                last = replay.state(config, window.id, moment)
                entry.update(last_holder=last.holder,
                             last_holder_clerk=window.clerk_of(last.holder) if last.holder else None)
            return entry
        state = replay.state(config, window.id, now)
        entry.update(state=state.holder or "nobody", holder=state.holder,
                     holder_clerk=window.clerk_of(state.holder) if state.holder else None,
                     waiting=state.waiting, alarm=state.alarm, session=state.session,
                     empty_since=state.empty_since.astimezone(timezone.utc).isoformat() if state.empty_since else None,
                     signed_in=sorted(state.signed_in))
        return entry


def _moment(config, terminal, now):
    """When a window is judged: *now* while its terminal is heard; the last sync once it is silent (three
    heartbeats); None if it was never heard."""
    last_seen = None if terminal is None else terminal["last_seen"]
    if last_seen is None:
        return None
    seen = datetime.fromisoformat(last_seen)
    return seen if now - seen > timedelta(seconds=config.rules.heartbeat_s * SILENCE_HEARTBEATS) else now


def _day_of(hall, config, window, moment):
    """The kept window-day (hall, window, local ISO day) judged at *moment*."""
    return hall, window.id, moment.astimezone(config.tz).date().isoformat()


def _keypad_present(terminal, status):
    """Is the keypad attached: the terminal's status says so, else its latest keypad fact (None: unknown)."""
    if status.keypad_present is not None:
        return status.keypad_present
    return None if terminal is None or terminal["keypad"] is None else bool(terminal["keypad"])
