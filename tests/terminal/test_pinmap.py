"""The pin map loader: the shipped map loads, and every kind of mistake is named by its key."""

from pathlib import Path

import pytest

from firmware.terminal.errors import PinMapError, TerminalError
from firmware.terminal.pinmap import PinMap, load_pinmap, parse_pinmap, pinmap_from_dict

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "hardware" / "pinmap.toml"

GOOD = """
[buttons]
presence_a = 17
presence_b = 27
handover = 22
done = 23
[lamps]
a = 5
b = 6
empty = 13
online = 19
[buzzer]
pin = 26
[debounce]
bounce_ms = 40
"""


def test_shipped_pinmap_loads_as_the_brief_says():
    pinmap = load_pinmap(SHIPPED)
    assert pinmap == PinMap(
        buttons={"presence_a": 17, "presence_b": 27, "handover": 22, "done": 23},
        lamps={"a": 5, "b": 6, "empty": 13, "online": 19},
        buzzer=26,
        bounce_ms=40,
    )


def test_pinmap_is_frozen():
    pinmap = parse_pinmap(GOOD)
    with pytest.raises(AttributeError):
        pinmap.buzzer = 4


def test_online_lamp_and_debounce_are_optional():
    text = GOOD.replace("online = 19\n", "").replace("[debounce]\nbounce_ms = 40\n", "")
    pinmap = parse_pinmap(text)
    assert "online" not in pinmap.lamps
    assert pinmap.bounce_ms == 40


def test_pins_lists_every_key():
    assert parse_pinmap(GOOD).pins() == {
        "buttons.presence_a": 17, "buttons.presence_b": 27, "buttons.handover": 22, "buttons.done": 23,
        "lamps.a": 5, "lamps.b": 6, "lamps.empty": 13, "lamps.online": 19, "buzzer.pin": 26,
    }


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("done = 23\n", "done = 23\nreset = 24\n", "buttons.reset: unknown key"),
        ("[debounce]", "[sirens]\nx = 1\n[debounce]", "sirens: unknown key"),
        ("pin = 26", "pin = 26\nvolume = 3", "buzzer.volume: unknown key"),
        ("done = 23\n", "", "buttons.done: missing"),
        ("empty = 13\n", "", "lamps.empty: missing"),
        ("[buzzer]\npin = 26\n", "", "buzzer: missing section"),
        ("handover = 22", "handover = 28", "buttons.handover: BCM 28 is outside 2..27"),
        ("a = 5", "a = 1", "lamps.a: BCM 1 is outside 2..27"),
        ("a = 5", 'a = "GPIO5"', "lamps.a: must be a BCM GPIO number"),
        ("a = 5", "a = true", "lamps.a: must be a BCM GPIO number"),
        ("pin = 26", "pin = 17", "buzzer.pin: BCM 17 is already used by buttons.presence_a"),
        ("online = 19", "online = 5", "lamps.online: BCM 5 is already used by lamps.a"),
        ("bounce_ms = 40", "bounce_ms = -1", "debounce.bounce_ms: must be an integer"),
        ("[buttons]", "[buttons", "not valid TOML"),
    ],
)
def test_mistakes_are_named_by_key(old, new, message):
    assert old in GOOD
    with pytest.raises(PinMapError) as caught:
        parse_pinmap(GOOD.replace(old, new, 1))
    assert message in str(caught.value)


def test_file_errors_name_the_file(tmp_path):
    path = tmp_path / "pinmap.toml"
    path.write_text(GOOD.replace("done = 23\n", ""), encoding="utf-8")
    with pytest.raises(PinMapError, match=r"pinmap\.toml: buttons\.done: missing"):
        load_pinmap(path)
    with pytest.raises(TerminalError, match="cannot read pin map"):
        load_pinmap(tmp_path / "absent.toml")


def test_a_section_must_be_a_table():
    with pytest.raises(PinMapError, match=r"^lamps: must be a table"):
        pinmap_from_dict({"buttons": {}, "lamps": 3, "buzzer": {"pin": 26}})
