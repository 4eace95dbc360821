"""hardware/faults.toml: the terminal reads it, its lamps exist, and README.md explains every fault in it."""

import tomllib
from pathlib import Path

import pytest

from firmware.terminal import faults
from firmware.terminal.pinmap import load_pinmap

HARDWARE = Path(__file__).resolve().parents[2] / "hardware"
DATA = tomllib.loads((HARDWARE / "faults.toml").read_text(encoding="utf-8"))
README = (HARDWARE / "README.md").read_text(encoding="utf-8")


def test_patterns_name_exactly_the_terminals_faults():
    assert list(DATA["patterns"]) == list(faults.PATTERNS)


@pytest.mark.parametrize("name", sorted(DATA["patterns"]))
def test_each_pattern_is_dark_or_a_blink(name):
    pattern = DATA["patterns"][name]
    assert pattern == [] or (len(pattern) == 2 and all(0 < t <= 5 for t in pattern))


def test_the_terminal_loads_the_file_as_documented():
    loaded = faults.load_patterns(HARDWARE / "faults.toml")
    assert loaded == {name: tuple(p) if p else None for name, p in DATA["patterns"].items()}
    assert faults.most_urgent({faults.HUB_UNREACHABLE}, loaded) is None
    assert faults.most_urgent({faults.HUB_UNREACHABLE, faults.JOURNAL_FULL}, loaded) == (0.1, 0.1)


def test_signals_use_parts_of_the_pin_map():
    pinmap = load_pinmap(HARDWARE / "pinmap.toml")
    signals = DATA["signals"]
    assert set(signals) <= set(faults.PATTERNS)
    for name, signal in signals.items():
        assert set(signal.get("lamps", [])) <= set(pinmap.lamps), name
    assert signals["clock_uncertain"]["lamps"] == ["a", "b"] and signals["clock_uncertain"]["for_s"] == 2.0
    assert sum(signals["journal_near_full"]["steps_s"]) == 2.0
    assert signals["keypad_missing"]["every_s"] == 600


@pytest.mark.parametrize("name", sorted(set(DATA["patterns"]) | set(DATA["signals"])))
def test_readme_explains_each_fault(name):
    assert f"`{name}`" in README
