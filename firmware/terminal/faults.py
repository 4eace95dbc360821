"""How the terminal's blue (online) lamp shows the faults the office must see (item 7).

The fault names are the protocol's (:mod:`protocol.status`), so the hub reads and translates the same names.

Only the blue lamp shows faults, so the A, B and red lamps always mean what the rules say. The lamp shows
the most urgent fault present; with none it is steadily lit. Patterns are (on_s, off_s) blink times;
``None`` means dark. ``hardware/faults.toml``, when present, may override the patterns by fault name,
and the signals on the other parts (``[signals.<fault>]``): green/amber alternating at boot while the
clock is uncertain; without a blue lamp, a red double blink for a nearly full journal (never during the
empty-window alarm) and a short beep every ten minutes while the keypad is missing.
"""
import tomllib
from pathlib import Path

from protocol.status import (CLOCK_UNCERTAIN, HUB_REJECTED, HUB_UNREACHABLE, JOURNAL_FULL, JOURNAL_NEAR_FULL,
                             KEYPAD_MISSING, NO_CONFIG)

# Most urgent first (the order of protocol.status.FAULTS).
PATTERNS = {
    JOURNAL_FULL: (0.1, 0.1),          # fast flicker: presses are being refused
    JOURNAL_NEAR_FULL: (0.25, 0.25),   # quick blink: the hub must take the backlog soon
    HUB_REJECTED: (0.1, 0.9),          # short blip: the hub refuses our facts or our key
    CLOCK_UNCERTAIN: (1.0, 1.0),       # slow blink: no clock anchor in this boot yet
    NO_CONFIG: (1.0, 1.0),             # slow blink: never received the hall configuration
    KEYPAD_MISSING: (0.9, 0.1),        # mostly lit with a short gap
    HUB_UNREACHABLE: None,             # dark: hub away (facts are kept and sent later)
}
STEADY = (None, None)                  # no fault: lit steadily
# Signals on the other parts, for terminals built without the blue lamp and for the installer at boot.
SIGNALS = {
    CLOCK_UNCERTAIN: {"lamps": ["a", "b"], "step_s": 0.5, "for_s": 2.0},   # at boot: green/amber alternate
    JOURNAL_NEAR_FULL: {"lamps": ["empty"], "steps_s": [0.2, 0.2, 0.2, 1.4]},  # red double blink
    KEYPAD_MISSING: {"beep_s": 0.2, "every_s": 600},                      # a short beep every 10 minutes
}
FAULTS_FILE = Path(__file__).resolve().parents[2] / "hardware" / "faults.toml"


def load_patterns(path=FAULTS_FILE):
    """The fault patterns, with any overrides from ``hardware/faults.toml`` (``[patterns] name = [on, off]``)."""
    patterns = dict(PATTERNS)
    if Path(path).is_file():
        with open(path, "rb") as f:
            for name, value in tomllib.load(f).get("patterns", {}).items():
                if name in patterns:
                    patterns[name] = tuple(value) if value else None
    return patterns


def load_signals(path=FAULTS_FILE):
    """The signals on the other parts, with any overrides from the ``[signals.<fault>]`` tables."""
    signals = {name: dict(signal) for name, signal in SIGNALS.items()}
    if Path(path).is_file():
        with open(path, "rb") as f:
            for name, table in tomllib.load(f).get("signals", {}).items():
                if name in signals:
                    signals[name].update(table)
    return signals


def most_urgent(faults, patterns=PATTERNS):
    """The online lamp's pattern for the set *faults*: STEADY, a (on_s, off_s) blink, or None (dark)."""
    for name in patterns:
        if name in faults:
            return patterns[name]
    return STEADY
