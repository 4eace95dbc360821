"""The window's lamps and buzzer driven from the rules' window state (and the fault lamp from faults)."""

from .faults import STEADY, load_patterns, most_urgent

WAITING_BLINK_S = 0.5   # the waiting post's lamp: half a second on, half off
ALARM_BEEP_S = 0.5      # the buzzer while the window is empty past its grace
SHORT_BUZZ_S = 0.15     # "nothing to hand over"


class Lamps:
    """Sets the A, B, empty lamps and the buzzer from a WindowState; only touches what changes."""

    def __init__(self, panel, *, patterns=None, blink_s=WAITING_BLINK_S, beep_s=ALARM_BEEP_S):
        self.panel, self.patterns = panel, load_patterns() if patterns is None else patterns
        self.blink_s, self.beep_s = blink_s, beep_s
        self._shown = {}

    def show(self, state):
        """Light the post lamps, red lamp and buzzer as *state* (or None: no configuration) says."""
        holder = state.holder if state else None
        waiting = state.waiting if state else None
        alarm = bool(state and state.alarm)
        for post, lamp in (("A", "a"), ("B", "b")):
            self._set(lamp, "blink" if waiting == post else holder == post)
        self._set("empty", alarm)
        self._set_buzzer(alarm)

    def show_faults(self, faults):
        """Show the most urgent of *faults* on the online lamp (steady when there is none)."""
        if "online" not in self.panel.lamps:
            return
        pattern = most_urgent(faults, self.patterns)
        if self._shown.get("online", "unset") == pattern:
            return
        self._shown["online"] = pattern
        lamp = self.panel.lamps["online"]
        if pattern is None:
            lamp.off()
        elif pattern == STEADY:
            lamp.on()
        else:
            lamp.blink(on_time=pattern[0], off_time=pattern[1])

    def short_buzz(self):
        """One short beep (a handover pressed with nobody holding the post)."""
        self._shown.pop("buzzer", None)
        self.panel.buzzer.beep(on_time=SHORT_BUZZ_S, off_time=SHORT_BUZZ_S, n=1)

    def _set(self, name, wanted):
        if self._shown.get(name) == wanted:
            return
        self._shown[name] = wanted
        lamp = self.panel.lamps[name]
        if wanted == "blink":
            lamp.blink(on_time=self.blink_s, off_time=self.blink_s)
        elif wanted:
            lamp.on()
        else:
            lamp.off()

    def _set_buzzer(self, wanted):
        if self._shown.get("buzzer") == wanted:
            return
        self._shown["buzzer"] = wanted
        if wanted:
            self.panel.buzzer.beep(on_time=self.beep_s, off_time=self.beep_s)
        else:
            self.panel.buzzer.off()
