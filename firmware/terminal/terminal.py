"""The window terminal: one owner thread turns button presses into facts, then lights the lamps.

gpiozero callbacks only hand presses to a queue (no blocking call, no journal write in a callback). The
owner thread takes each press in turn: it debounces it by the injected clock, asks the rules what the
window's state is, records the fact the button means (fsynced by the journal) and only then updates the
lamps. Between presses it sleeps until the state's ``next_change`` (grace running out, a session starting
or ending), never polling. Everything the lamps show is rebuilt from the journal at start.

Its seams (clock, config source, hub, keypad) are the protocols of :mod:`firmware.terminal.seams`: ``hub``
is told ``notify()`` after each new fact, ``keypad`` is asked to ``prompt(service_seq)`` after each
``done`` fact.
"""
import logging
import queue
import threading
from concurrent.futures import Future
from datetime import timedelta

from protocol import status as F
from protocol.status import terminal_status

from .clock import read_boot_id
from .errors import JournalFull
from .judgement import LocalJudgement
from .lamps import Lamps
from .seams import Clock, ConfigSource, HubSync, Keypad

log = logging.getLogger(__name__)
SOFTWARE = "hallpost-terminal 0.1.0"
KEYPAD_KINDS = ("rating", "rating_missed", "stray_key", "keypad")
LOAD_MARGIN = timedelta(days=2)    # facts older than this (by wall time) can't touch today's lamps
_STOP, _TICK = object(), object()


def meaning(button, state):
    """The (kind, data) fact a press of *button* records in *state*, or None (nothing to record)."""
    if button in ("presence_a", "presence_b"):
        post = button[-1].upper()
        return "presence", {"post": post, "on": state.presence_on(post)}
    if button == "handover":
        return ("handover", {"post": state.holder, "reason": None}) if state.holder else None
    if button == "done":
        return "done", {"post": state.holder or "A"}
    raise ValueError(f"button: unknown button {button!r}")


class Terminal:
    """The window terminal's single owner of its journal, lamps and local judgement."""

    def __init__(self, *, panel, journal, config_source: ConfigSource, clock: Clock, keypad: Keypad | None = None,
                 hub: HubSync | None = None, boot=None, lamps=None, bounce_ms=None, software=SOFTWARE):
        self.panel, self.journal, self.config_source, self.clock = panel, journal, config_source, clock
        self.keypad, self.hub, self.software = keypad, hub, software
        self.boot = boot or read_boot_id()
        self.lamps = lamps or Lamps(panel)
        self.bounce_ms = panel.pinmap.bounce_ms if bounce_ms is None else bounce_ms
        self.judgement = LocalJudgement(terminal=journal.terminal, boot=self.boot)
        self.state, self.failure = None, None
        self._queue = queue.Queue()
        self._last_press = {}
        self._next_change = None
        self._shown_for = None            # (config, window) the shown state was judged for; None: stale
        self._journal_full = False
        self._thread = None
        self._closed = False

    @property
    def terminal(self):
        """This terminal's id."""
        return self.journal.terminal

    # --- life cycle ---------------------------------------------------------------------------------
    def start(self):
        """Rebuild the state from the journal, record a boot fact, light the lamps, start listening."""
        self.judgement.load(self.journal.facts(), since=self.clock.wall() - LOAD_MARGIN)
        self._record("boot", {"software": self.software}, self.clock.monotonic_ms(), self.clock.wall())
        self._refresh()
        for name, button in self.panel.buttons.items():
            button.when_pressed = self._press_handler(name)
        self.clock.on_advance(self.poke)
        self._thread = threading.Thread(target=self._run, name=f"terminal-{self.terminal}", daemon=True)
        self._thread.start()
        if self.keypad is not None:
            self.keypad.start(self.report)
        if self.hub is not None:
            self.hub.attach(self)
            self.hub.start()
        return self

    def close(self, timeout=5.0):
        """Stop the sync client, the keypad and the owner thread; safe to call twice."""
        if self._closed:
            return
        self._closed = True
        for button in self.panel.buttons.values():
            button.when_pressed = None
        for part in (self.hub, self.keypad):
            if part is not None:
                part.close()
        if self._thread is not None:
            self._queue.put(_STOP)
            self._thread.join(timeout)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.close()

    # --- what other threads may call (each runs on the owner thread) --------------------------------
    def submit(self, work):
        """Run *work()* on the owner thread; return a Future of its result."""
        future = Future()
        self._queue.put((work, future))
        return future

    def settle(self, timeout=10.0):
        """Wait until everything queued so far has been handled (tests, benchmarks)."""
        self.submit(lambda: None).result(timeout)

    def poke(self):
        """Re-check the state now (the clock moved, the config or a fault changed)."""
        self._queue.put(_TICK)

    def report(self, kind, data):
        """Record a keypad fact (thread-safe; the keypad's reader thread calls this)."""
        if kind not in KEYPAD_KINDS:
            raise ValueError(f"kind: the keypad may not record {kind!r} facts")
        mono, wall = self.clock.monotonic_ms(), self.clock.wall()
        self.submit(lambda: self._record_and_refresh(kind, data, mono, wall))

    def batch(self, limit):
        """Unacked facts (at most *limit*) and the status for the hub (runs on the owner thread)."""
        return self.submit(lambda: (self.journal.unacked(limit), self.status()))

    def acked(self, upto_seq):
        """The hub holds every fact up to *upto_seq*: ack and compact the journal."""
        def ack():
            upto = min(upto_seq, self.journal.next_seq - 1)
            if upto > self.journal.acked_seq:
                self.journal.ack(upto)
                self.journal.compact(self.judgement.keep_from_seq(self.journal.next_seq))
                self._journal_full = False          # room again; the next append will tell
        return self.submit(ack)

    def record_clock(self, mono_ms, wall, hub_time):
        """Record a clock anchor: at *mono_ms* of this boot the hub's time was *hub_time*."""
        return self.submit(lambda: self._record_and_refresh("clock", {"hub_time": hub_time.isoformat()},
                                                            mono_ms, wall))

    # --- the owner thread ---------------------------------------------------------------------------
    def status(self):
        """What the office should know: faults, journal, backlog, keypad (and what its link discarded), hub outage."""
        return terminal_status(faults=self.faults(), journal_bytes=self.journal.size_bytes,
                               unsynced=self.journal.unsynced_count,
                               keypad_present=self.keypad is not None and self.keypad.present,
                               keypad_counts={} if self.keypad is None else self.keypad.counts,
                               hub_unreachable_since=None if self.hub is None else self.hub.unreachable_since)

    def faults(self):
        """The set of faults present now (names from :mod:`protocol.status`)."""
        found = set()
        config = self.config_source.current()
        if self._journal_full:
            found.add(F.JOURNAL_FULL)
        if self.journal.near_full:
            found.add(F.JOURNAL_NEAR_FULL)
        if config is None:
            found.add(F.NO_CONFIG)
        elif not self.judgement.anchored() and not config.trusts_wall_clock(self.terminal):
            found.add(F.CLOCK_UNCERTAIN)
        if self.keypad is None or not self.keypad.present:
            found.add(F.KEYPAD_MISSING)
        if self.hub is not None and self.hub.unreachable_since is not None:
            found.add(F.HUB_UNREACHABLE)
        if self.hub is not None and self.hub.rejected:
            found.add(F.HUB_REJECTED)
        return found

    def _press_handler(self, name):
        clock, put = self.clock, self._queue.put

        def pressed():
            put(("press", name, clock.monotonic_ms(), clock.wall()))
        return pressed

    def _run(self):
        try:
            while True:
                try:
                    item = self._queue.get(timeout=self._timer_wait())
                except queue.Empty:
                    item = _TICK
                if item is _STOP:
                    return
                self._handle(item)
        except Exception as exc:  # the owner must not die silently: record it and let run() exit non-zero
            log.exception("terminal owner thread failed")
            self.failure = exc

    def _handle(self, item):
        if item is _TICK:
            self._refresh()
        elif item[0] == "press":
            self._press(*item[1:])
        else:
            work, future = item
            if future.set_running_or_notify_cancel():
                try:
                    future.set_result(work())
                except Exception as exc:  # handed back to the caller through its Future
                    future.set_exception(exc)

    def _timer_wait(self):
        """Real seconds until the state changes by itself (None: until something happens)."""
        if self._next_change is None:
            return None
        config = self.config_source.current()
        left = (self._next_change - self.judgement.now(self.clock)).total_seconds() if config else 0
        return max(0.0, self.clock.real_seconds(left))

    def _press(self, button, mono, wall):
        last = self._last_press.get(button)
        if last is not None and 0 <= mono - last < self.bounce_ms:
            log.debug("%s: bounce ignored (%d ms after the last press)", button, mono - last)
            return
        self._last_press[button] = mono
        config = self.config_source.current()
        window = config.window_of_terminal(self.terminal) if config else None
        if window is None:
            log.error("%s pressed but %s has no window in the hall configuration yet", button, self.terminal)
            self.lamps.short_buzz()
            return
        fact = meaning(button, self._state_at(config, window.id, self.judgement.time_at(mono, wall)))
        if fact is None:
            self.lamps.short_buzz()
            return
        stored = self._record(*fact, mono, wall)
        if stored is not None and fact[0] == "done" and self.keypad is not None:
            self.keypad.prompt(stored["seq"])
        self._refresh()

    def _state_at(self, config, window_id, at):
        """The state at *at*: the last one shown while it still holds (nothing new, before its next change)."""
        shown = self.state
        if shown is not None and self._shown_for == (config, window_id) and shown.at <= at and \
                (shown.next_change is None or at < shown.next_change):
            return shown
        return self.judgement.state(config, window_id, at)

    def _record_and_refresh(self, kind, data, mono, wall):
        stored = self._record(kind, data, mono, wall)
        self._refresh()
        return stored

    def _record(self, kind, data, mono, wall):
        """Append one fact durably and take it into the local judgement; None if the journal is full."""
        fields = {"boot": self.boot, "mono_ms": mono, "wall": wall.isoformat(timespec="milliseconds"),
                  "kind": kind, **data}
        try:
            stored = self.journal.append(fields)
        except JournalFull as exc:
            log.error("journal full, %s fact NOT recorded: %s", kind, exc)
            self._journal_full = True
            self.lamps.short_buzz()
            return None
        self._journal_full = False
        self.judgement.add(stored)
        self._shown_for = None
        if self.hub is not None and kind != "clock":
            self.hub.notify()
        return stored

    def _refresh(self):
        """Recompute the window state now and show it; remember when it next changes."""
        config = self.config_source.current()
        window = config.window_of_terminal(self.terminal) if config else None
        if window is None:
            self.state, self._next_change, self._shown_for = None, None, None
        else:
            self.state = self.judgement.state(config, window.id, self.judgement.now(self.clock))
            self._next_change, self._shown_for = self.state.next_change, (config, window.id)
        self.lamps.show(self.state)
        self.lamps.show_faults(self.faults())
