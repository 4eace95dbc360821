"""The live wall: every window now — held by A/B/nobody, or unknown when its terminal is silent."""
import json
from datetime import datetime, timedelta, timezone

from protocol.rules import window_state

from .projections import stored_fact
from .times import to_us

SILENCE_HEARTBEATS = 3


class LiveWall:
    """The state of every window at an instant, for the office's wall (from the terminals and facts tables)."""

    def __init__(self, conn, clock, configs):
        self.conn, self.clock, self.configs = conn, clock, configs

    def wall(self, now=None):
        """A dict per window (config order) with its state at *now* (default: the hub's clock).

        ``state`` is "A", "B", "nobody" or "unknown"; unknown windows carry ``offline_since`` and no
        verdict ("unknown is not empty").
        """
        now = now or self.clock()
        config = self.configs.hall()
        silence = timedelta(seconds=config.rules.heartbeat_s * SILENCE_HEARTBEATS)
        terminals = {row["window"]: row for row in self.conn.execute("SELECT * FROM terminals WHERE key IS NOT NULL")}
        return [self._window_now(config, window, terminals.get(window.id), now, silence)
                for window in config.windows]

    def _window_now(self, config, window, terminal, now, silence):
        status = {} if terminal is None else json.loads(terminal["status"])
        last_seen = None if terminal is None else terminal["last_seen"]
        entry = {"window": window.id, "name": window.name, "terminal": window.terminal, "a": window.a, "b": window.b,
                 "last_sync": last_seen, "faults": _faults(status),
                 "keypad": _keypad_present(terminal, status), "strays_dropped": _strays_dropped(status),
                 "holder": None, "holder_clerk": None,
                 "waiting": None, "empty_since": None, "alarm": False, "session": None, "signed_in": [],
                 "offline_since": None}
        if last_seen is None or now - datetime.fromisoformat(last_seen) > silence:
            entry.update(state="unknown", offline_since=last_seen)
            return entry
        facts = [stored_fact(r[0], r[1]) for r in self.conn.execute(
            "SELECT body, at_us FROM facts WHERE window = ? AND day = ? AND at_us <= ? AND kind != 'clock'",
            (window.id, now.astimezone(config.tz).date().isoformat(), to_us(now)))]
        state = window_state(config, facts, window.id, now)
        entry.update(state=state.holder or "nobody", holder=state.holder,
                     holder_clerk=window.clerk_of(state.holder) if state.holder else None,
                     waiting=state.waiting, alarm=state.alarm, session=state.session,
                     empty_since=state.empty_since.astimezone(timezone.utc).isoformat() if state.empty_since else None,
                     signed_in=sorted(state.signed_in))
        return entry


def _faults(status):
    """The fault names in the terminal's batch status (anything but a list of names is ignored)."""
    faults = status.get("faults")
    return [f for f in faults if isinstance(f, str)] if isinstance(faults, list) else []


def _strays_dropped(status):
    """Stray keys the terminal's keypad link discarded unrecorded (a flooding keypad), by its batch status."""
    counts = status.get("keypad_counts")
    dropped = counts.get("dropped_strays") if isinstance(counts, dict) else None
    return dropped if isinstance(dropped, int) and not isinstance(dropped, bool) and dropped > 0 else 0


def _keypad_present(terminal, status):
    """Is the keypad attached: the terminal's status says so, else its latest keypad fact (None: unknown)."""
    if isinstance(status.get("keypad_present"), bool):      # the terminal's batch status (firmware/terminal/sync)
        return status["keypad_present"]
    return None if terminal is None or terminal["keypad"] is None else bool(terminal["keypad"])
