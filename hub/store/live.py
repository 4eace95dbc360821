"""The live wall: every window now — held by A/B/nobody, or unknown when its terminal is silent."""
import json
from datetime import datetime, timedelta, timezone

from protocol.posts import KINDS as POST_KINDS
from protocol.rules import window_state
from protocol.status import reported

from .projections import stored_fact
from .times import to_us

SILENCE_HEARTBEATS = 3


class LiveWall:
    """The state of every window at an instant, for the office's wall (from the terminals and facts tables)."""

    def __init__(self, conn, clock, configs):
        self.conn, self.clock, self.configs = conn, clock, configs

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
        return [self._window_now(its, config, window, terminals.get((its, window.id)), now)
                for its, config in halls.items() for window in config.windows]

    def _window_now(self, hall, config, window, terminal, now):
        silence = timedelta(seconds=config.rules.heartbeat_s * SILENCE_HEARTBEATS)
        status = reported({} if terminal is None else json.loads(terminal["status"]))
        last_seen = None if terminal is None else terminal["last_seen"]
        entry = {"hall": hall, "window": window.id, "name": window.name, "terminal": window.terminal,
                 "a": window.a, "b": window.b,
                 "last_sync": last_seen, "faults": list(status.faults),
                 "keypad": _keypad_present(terminal, status), "strays_dropped": status.strays_dropped,
                 "holder": None, "holder_clerk": None,
                 "waiting": None, "empty_since": None, "alarm": False, "session": None, "signed_in": [],
                 "offline_since": None, "last_holder": None, "last_holder_clerk": None}
        if last_seen is None or now - datetime.fromisoformat(last_seen) > silence:
            entry.update(state="unknown", offline_since=last_seen)
            if last_seen is not None:
                last = self._state_at(hall, config, window, datetime.fromisoformat(last_seen))
                entry.update(last_holder=last.holder,
                             last_holder_clerk=window.clerk_of(last.holder) if last.holder else None)
            return entry
        state = self._state_at(hall, config, window, now)
        entry.update(state=state.holder or "nobody", holder=state.holder,
                     holder_clerk=window.clerk_of(state.holder) if state.holder else None,
                     waiting=state.waiting, alarm=state.alarm, session=state.session,
                     empty_since=state.empty_since.astimezone(timezone.utc).isoformat() if state.empty_since else None,
                     signed_in=sorted(state.signed_in))
        return entry

    def _state_at(self, hall, config, window, moment):
        """The rules' state of *hall*'s *window* at *moment*, from the posts' facts of its local day so far."""
        facts = [stored_fact(r[0], r[1]) for r in self.conn.execute(
            'SELECT body, at_us FROM facts WHERE hall = ? AND "window" = ? AND day = ? AND at_us <= ? '
            "AND kind IN (?, ?)",
            (hall, window.id, moment.astimezone(config.tz).date().isoformat(), to_us(moment), *POST_KINDS))]
        return window_state(config, facts, window.id, moment)


def _keypad_present(terminal, status):
    """Is the keypad attached: the terminal's status says so, else its latest keypad fact (None: unknown)."""
    if status.keypad_present is not None:
        return status.keypad_present
    return None if terminal is None or terminal["keypad"] is None else bool(terminal["keypad"])
