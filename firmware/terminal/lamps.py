"""The window's lamps and buzzer driven from the rules' window state, and the faults (see faults.py)."""
from itertools import cycle

from .faults import JOURNAL_NEAR_FULL, KEYPAD_MISSING, STEADY, load_patterns, load_signals, most_urgent

WAITING_BLINK_S = 0.5   # the waiting post's lamp: half a second on, half off
ALARM_BEEP_S = 0.5      # the buzzer while the window is empty past its grace
SHORT_BUZZ_S = 0.15     # "nothing to hand over"


class Lamps:
    """Sets the A, B, empty lamps, the online lamp and the buzzer; only touches what changes."""

    def __init__(self, panel, *, patterns=None, signals=None, blink_s=WAITING_BLINK_S, beep_s=ALARM_BEEP_S):
        self.panel = panel
        self.patterns = load_patterns() if patterns is None else patterns
        self.signals = load_signals() if signals is None else signals
        self.blink_s, self.beep_s = blink_s, beep_s
        self._state, self._faults = None, frozenset()
        self._shown = {}

    def show(self, state):
        """Light the post lamps, red lamp and buzzer as *state* (or None: no configuration) says."""
        self._state = state
        self._apply()

    def show_faults(self, faults):
        """Show *faults*: on the online lamp, or by the other parts' signals when there is none."""
        self._faults = frozenset(faults)
        if "online" in self.panel.lamps:
            pattern = most_urgent(self._faults, self.patterns)
            self._set("online", "blink" if pattern not in (None, STEADY) else pattern == STEADY, pattern)
        else:
            self._apply()

    def boot_signal(self, sleep, signal):
        """Walk the lamps of *signal* (``lamps``, ``step_s``, ``for_s``) one after another; blocks ``for_s``."""
        names = [name for name in signal["lamps"] if name in self.panel.lamps]
        for step in range(round(signal["for_s"] / signal["step_s"])):
            for i, name in enumerate(names):
                self._set(name, step % len(names) == i)
            sleep(signal["step_s"])
        self._apply()

    def short_buzz(self):
        """One short beep (a handover pressed with nobody holding the post)."""
        self._shown.pop("buzzer", None)
        self.panel.buzzer.beep(on_time=SHORT_BUZZ_S, off_time=SHORT_BUZZ_S, n=1)

    def _apply(self):
        state = self._state
        holder = state.holder if state else None
        waiting = state.waiting if state else None
        alarm = bool(state and state.alarm)
        for post, lamp in (("A", "a"), ("B", "b")):
            self._set(lamp, "blink" if waiting == post else holder == post, (self.blink_s, self.blink_s))
        signalled = "online" not in self.panel.lamps
        if alarm or not (signalled and JOURNAL_NEAR_FULL in self._faults):
            self._set("empty", alarm)
        else:
            self._set("empty", "steps", tuple(self.signals[JOURNAL_NEAR_FULL]["steps_s"]))
        if alarm:
            self._set_buzzer("alarm", self.beep_s, self.beep_s)
        elif signalled and KEYPAD_MISSING in self._faults:
            reminder = self.signals[KEYPAD_MISSING]
            self._set_buzzer("reminder", reminder["beep_s"], reminder["every_s"] - reminder["beep_s"])
        else:
            self._set_buzzer(False)

    def _set(self, name, wanted, timing=None):
        if name not in self.panel.lamps or self._shown.get(name) == (wanted, timing):
            return
        previous = self._shown.get(name, (None, None))[0]
        self._shown[name] = (wanted, timing)
        lamp = self.panel.lamps[name]
        if previous == "steps":
            lamp.source = None
        if wanted == "blink":
            lamp.blink(on_time=timing[0], off_time=timing[1])
        elif wanted == "steps":
            quantum = min(timing)
            levels = [i % 2 == 0 for i, step in enumerate(timing) for _ in range(round(step / quantum))]
            lamp.source_delay = quantum
            lamp.source = cycle(levels)
        elif wanted:
            lamp.on()
        else:
            lamp.off()

    def _set_buzzer(self, wanted, on_s=None, off_s=None):
        if self._shown.get("buzzer") == wanted:
            return
        self._shown["buzzer"] = wanted
        if wanted:
            self.panel.buzzer.beep(on_time=on_s, off_time=off_s)
        else:
            self.panel.buzzer.off()
