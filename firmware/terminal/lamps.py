"""The window's lamps and buzzer driven from the rules' window state, and the faults (see faults.py).

A handover left waiting past the hall's ``handover_alert_s`` (``WindowState.escalated``, judged locally with or
without the hub) makes the waiting post's lamp blink faster and the buzzer chirp, until the post is taken or
the one who handed over returns; the chirp replaces the empty window's steady beeping, the red lamp stays.
"""
from itertools import cycle

from .faults import JOURNAL_NEAR_FULL, KEYPAD_MISSING, STEADY, load_patterns, load_signals, most_urgent

WAITING_BLINK_S = 0.5   # the waiting post's lamp: half a second on, half off
ESCALATED_BLINK_S = 0.15  # ... once the handover has waited too long
CHIRP_STEPS_S = (0.08, 0.08, 0.08, 0.08, 0.08, 1.6)   # escalated: three short chirps, then a pause (on, off, ...)
ALARM_BEEP_S = 0.5      # the buzzer while the window is empty past its grace
SHORT_BUZZ_S = 0.15     # "nothing to hand over"


class Lamps:
    """Sets the A, B, empty lamps, the online lamp and the buzzer; only touches what changes."""

    def __init__(self, panel, *, patterns=None, signals=None, blink_s=WAITING_BLINK_S, beep_s=ALARM_BEEP_S,
                 fast_blink_s=ESCALATED_BLINK_S, chirp_steps_s=CHIRP_STEPS_S):
        self.panel = panel
        self.patterns = load_patterns() if patterns is None else patterns
        self.signals = load_signals() if signals is None else signals
        self.blink_s, self.beep_s, self.fast_blink_s, self.chirp_steps_s = blink_s, beep_s, fast_blink_s, chirp_steps_s
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

    def showing(self, name):
        """What the lamp or buzzer *name* was last set to: (on, off, "blink" or "steps"; its timing), or None."""
        return self._shown.get(name)

    def short_buzz(self):
        """One short beep (a handover pressed with nobody holding the post)."""
        self._set("buzzer", "beeps", (SHORT_BUZZ_S, SHORT_BUZZ_S, 1))
        self._shown.pop("buzzer", None)

    def _apply(self):
        state = self._state
        holder = state.holder if state else None
        waiting = state.waiting if state else None
        alarm, escalated = bool(state and state.alarm), bool(state and state.escalated)
        blink = self.fast_blink_s if escalated else self.blink_s
        for post, lamp in (("A", "a"), ("B", "b")):
            self._set(lamp, "blink" if waiting == post else holder == post, (blink, blink))
        signalled = "online" not in self.panel.lamps
        if alarm or not (signalled and JOURNAL_NEAR_FULL in self._faults):
            self._set("empty", alarm)
        else:
            self._set("empty", "steps", tuple(self.signals[JOURNAL_NEAR_FULL]["steps_s"]))
        if escalated:
            self._set("buzzer", "steps", tuple(self.chirp_steps_s))
        elif alarm:
            self._set("buzzer", "beeps", (self.beep_s, self.beep_s, None))
        elif signalled and KEYPAD_MISSING in self._faults:
            reminder = self.signals[KEYPAD_MISSING]
            self._set("buzzer", "beeps", (reminder["beep_s"], reminder["every_s"] - reminder["beep_s"], None))
        else:
            self._set("buzzer", False)

    def _part(self, name):
        """The lamp or the buzzer called *name* (None: this panel has no such lamp)."""
        return self.panel.buzzer if name == "buzzer" else self.panel.lamps.get(name)

    def _set(self, name, wanted, timing=None):
        part = self._part(name)
        if part is None or self._shown.get(name) == (wanted, timing):
            return
        previous = self._shown.get(name, (None, None))[0]
        self._shown[name] = (wanted, timing)
        if previous == "steps":
            part.source = None
        if wanted == "blink":
            part.blink(on_time=timing[0], off_time=timing[1])
        elif wanted == "beeps":
            part.beep(on_time=timing[0], off_time=timing[1], n=timing[2])
        elif wanted == "steps":
            quantum = min(timing)
            levels = [i % 2 == 0 for i, step in enumerate(timing) for _ in range(round(step / quantum))]
            part.source_delay = quantum
            part.source = cycle(levels)
        elif wanted:
            part.on()
        else:
            part.off()
